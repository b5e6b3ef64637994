"""The README's examples run, and CI runs exactly the README's test command."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_python_examples_run():
    failures, tried = doctest.testfile(str(ROOT / "README.md"), module_relative=False,
                                       optionflags=doctest.ELLIPSIS)
    assert tried > 0 and failures == 0


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    test_command = next(b.strip() for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_main_command_output_is_what_the_readme_shows():
    out = subprocess.run([sys.executable, "-m", "solver", "report", "diploma"], capture_output=True,
                         text=True, check=True, cwd=ROOT).stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"The first command prints:\n\n```text\n(.*?)```", readme, flags=re.S)
    assert shown is not None
    for line in shown.group(1).splitlines():
        if line.startswith("rules:") or not line.strip():
            continue
        assert line.rstrip(". ") .split("...")[0] in out, line
