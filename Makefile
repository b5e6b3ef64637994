# Everyday tasks. `make test` is the README's test command.
PY ?= .venv/bin/python

.PHONY: setup test lint bench fuzz schema notebooks studio-screenshots

setup:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'

test:
	python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest

lint:
	$(PY) -m ruff check . && $(PY) -m mypy

schema:
	$(PY) -m solver.model.schema

notebooks:
	$(PY) notebooks/build.py --check && $(PY) -m pytest tests/test_notebooks.py -q

bench:
	$(PY) -m bench

# the differential tests at 50x the CI batch (about 10,000 random structures)
fuzz:
	QUALPATH_FUZZ_SCALE=50 $(PY) -m pytest tests/test_differential.py tests/test_frontier_minimal.py \
		tests/test_frontier_sparse.py -q

# the studio's screenshots for the README, from Debian's chromium (apt-get install chromium)
studio-screenshots:
	cd tests && ../$(PY) studio_screenshots.py ../docs/images
