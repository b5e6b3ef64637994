"""rules/README.md shows what qualpath really prints, and `qualpath schema` finds the installed schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from solver.cli import main
from solver.model import bundled_rules

README = Path(__file__).resolve().parent.parent / "rules" / "README.md"


def test_check_output_in_rules_readme_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    text = README.read_text(encoding="utf-8")
    example = re.search(r"## A complete example\n\n```yaml\n(.*?)```", text, re.S)
    console = re.search(r"```console\n\$ qualpath check (\S+)\n(.*?)```", text, re.S)
    assert example and console
    path, shown = console.group(1), console.group(2)
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text(example.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check", path]) == 0
    assert capsys.readouterr().out == shown


def test_schema_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert Path(lines[0]) == (bundled_rules() / "schema.json").resolve() and Path(lines[0]).is_file()
    assert lines[1].endswith("$schema=" + Path(lines[0]).as_uri())
    assert main(["schema", "--print"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(Path(lines[0]).read_text(encoding="utf-8"))
    target = tmp_path / "schema.json"
    assert main(["schema", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == printed
