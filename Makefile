# Everyday tasks. `make test` is the README's test command.
PY ?= .venv/bin/python

.PHONY: setup test lint bench fuzz schema notebooks

setup:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'

test:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

lint:
	$(PY) -m ruff check . && $(PY) -m mypy

schema:
	$(PY) -m solver.schema

bench:
	$(PY) -m bench

fuzz:
	QUALPATH_FUZZ_EXAMPLES=5000 $(PY) -m pytest tests/test_engines_vs_bruteforce.py tests/test_csp.py -q
