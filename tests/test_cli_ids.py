"""Unit ids on the command line (issue 13, items 1 and 2).

Handbooks number units ``SHC 31`` and ``HSC 024``: each command-line value is one
whole id, lists of ids come from files one id a line, and an id the structure
does not have is an error (exit 1, with a did-you-mean) in every output form.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solver.cli.app import main

HSC = """\
kind: qualification
id: HSC3
title: Health and social care
units:
  - {id: SHC 31, title: Promote communication, credits: 3, level: 3}
  - {id: CMH 301, title: Mental health, credits: 4, level: 3}
  - {id: HSC 024, title: Safeguarding, credits: 3, level: 2}
  - {id: "HSC, 025", title: An id with a comma, credits: 5, level: 3}
requirements:
  - kind: group
    id: A
    title: Group A
    min_credits: 10
    units: [SHC 31, CMH 301, HSC 024, "HSC, 025"]
"""


@pytest.fixture
def hsc(tmp_path: Path) -> str:
    path = tmp_path / "hsc.yaml"
    path.write_text(HSC, encoding="utf-8")
    return str(path)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_ids_with_spaces_are_whole_arguments(hsc: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "audit", hsc, "--achieved", "SHC 31", "CMH 301")
    assert code == 0
    assert "held 7 credits, 2 units" in out  # was: held 0 credits, each id split in two
    assert "Cheapest completion: 3 credits to add" in out
    assert "Count towards nothing" not in out
    code, out, _err = cli(capsys, "audit", hsc, "--achieved", "SHC 31", "CMH 301", "--json")
    data = json.loads(out)
    assert data["held"] == ["SHC 31", "CMH 301"] and data["remaining"] == {"credits": 3}


def test_achieved_file_one_id_a_line(hsc: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("SHC 31\n\n  CMH 301  \nHSC, 025\n", encoding="utf-8")
    code, out, _err = cli(capsys, "audit", hsc, "--achieved-file", str(ids), "--json")
    assert code == 0
    assert json.loads(out)["held"] == ["SHC 31", "CMH 301", "HSC, 025"]


def test_commas_still_separate_ids_unless_the_value_is_an_id(hsc: str, capsys: pytest.CaptureFixture[str]) -> None:
    _code, out, _err = cli(capsys, "audit", hsc, "--achieved", "SHC 31,CMH 301", "--json")
    assert json.loads(out)["held"] == ["SHC 31", "CMH 301"]
    _code, out, _err = cli(capsys, "audit", hsc, "--achieved", "HSC, 025", "--json")
    assert json.loads(out)["held"] == ["HSC, 025"]


def test_include_and_exclude_take_whole_ids(hsc: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = cli(capsys, "count", hsc, "--json")
    assert json.loads(out)["pathways"] == 5  # subsets of 3, 4, 3, 5 credits reaching 10
    code, out, _err = cli(capsys, "count", hsc, "--include", "SHC 31", "--exclude", "CMH 301", "--json")
    assert code == 0 and json.loads(out)["pathways"] == 1  # SHC 31 + HSC 024 + HSC, 025
    ids = tmp_path / "out.txt"
    ids.write_text("CMH 301\n", encoding="utf-8")
    code, out, _err = cli(capsys, "count", hsc, "--include", "SHC 31", "--exclude-file", str(ids), "--json")
    assert json.loads(out)["pathways"] == 1


UNKNOWN = [
    ("audit", "{q}", "--achieved", "SHC 32"),
    ("audit", "{q}", "--achieved", "SHC 32", "--json"),
    ("transfer", "--from", "{q}", "--to", "{q}", "--achieved", "SHC 32"),
    ("transfer", "--from", "{q}", "--to", "{q}", "--achieved", "SHC 32", "--json"),
    ("transfer", "--folder", "{folder}", "--achieved", "SHC 32", "--json"),
    ("count", "{q}", "--include", "SHC 32"),
    ("count", "{q}", "--exclude", "SHC 32", "--json"),
    ("cheapest", "{q}", "--include", "SHC 32", "--json"),
    ("enumerate", "{q}", "--exclude", "SHC 32"),
    ("draw", "{q}", "-o", "{folder}/x.svg", "--highlight", "SHC 32"),
]


@pytest.mark.parametrize("args", UNKNOWN, ids=[" ".join(a) for a in UNKNOWN])
def test_an_unknown_id_is_an_error_in_every_output_form(hsc: str, args: tuple[str, ...],
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    folder = str(Path(hsc).parent)
    code, out, err = cli(capsys, *(a.format(q=hsc, folder=folder) for a in args))
    assert code == 1
    assert out == ""
    assert "unknown unit 'SHC 32'" in err and "did you mean 'SHC 31'?" in err


def test_a_space_separated_list_in_one_argument_says_how_to_give_ids(hsc: str, tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    q = tmp_path / "plain.yaml"
    q.write_text(HSC.replace("SHC 31", "SHC-31").replace("CMH 301", "CMH-301"), encoding="utf-8")
    code, _out, err = cli(capsys, "audit", str(q), "--achieved", "SHC-31 CMH-301")
    assert code == 1
    assert "each id is one argument" in err


def test_an_unknown_id_in_a_file_is_located(hsc: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("SHC 31\nSHC 32\n", encoding="utf-8")
    code, _out, err = cli(capsys, "audit", hsc, "--achieved-file", str(ids))
    assert code == 1
    assert err == f"qualpath: unknown unit 'SHC 32' in HSC3 ({ids}:2); did you mean 'SHC 31'?\n"
    ids.write_bytes(b"SHC 31\n\xe9\n")
    code, _out, err = cli(capsys, "audit", hsc, "--achieved-file", str(ids))
    assert code == 1 and f"{ids}:2: found the byte 0xe9, which is not UTF-8" in err


def test_highlight_takes_ids_with_spaces(hsc: str, tmp_path: Path) -> None:
    out = tmp_path / "h.svg"
    result = subprocess.run([sys.executable, "-m", "solver", "draw", hsc, "-o", str(out), "--highlight",
                             "SHC 31", "CMH 301", "HSC 024"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.is_file()
