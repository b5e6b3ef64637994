"""CSV in and out (issue 13, items 1, 9 and 10).

Learner files that are not UTF-8 CSV get a located error and no report; every
CSV qualpath writes neutralises cells a spreadsheet would run, and writes lists
of unit ids so that ids with spaces, commas or semicolons read back exactly.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from solver.audit.learners import LearnerFileError, LearnerRecord, audit_batch, iter_learners
from solver.cli.app import main
from solver.model.cells import FORMULA_STARTS, safe_cell, split_ids
from solver.model.load import bundled_rules, load_qualification

HSC = """\
kind: qualification
id: HSC3
title: Health and social care
units:
  - {id: "-HSC, 025", title: A comma and a leading minus, credits: 5, level: 3}
  - {id: SHC 31, title: Promote communication, credits: 3, level: 3}
  - {id: CMH 301, title: Mental health, credits: 4, level: 3}
  - {id: "HSC; 024", title: A semicolon, credits: 3, level: 2}
requirements:
  - kind: group
    id: A
    title: Group A
    min_credits: 10
    units: ["-HSC, 025", SHC 31, CMH 301, "HSC; 024"]
"""


@pytest.fixture(scope="module")
def nvq():
    return load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")


# -- learner files that are not UTF-8 CSV (item 9) ------------------------------------------------

def _random_bytes() -> bytes:
    return random.Random(13).randbytes(3000)


BAD_LEARNER_FILES = {
    "latin-1": (b"learner,unit\nL1,resolve-problems\nL\xe9on,resolve-problems\n",
                "{path}:3: found the byte 0xe9, which is not UTF-8; expected a UTF-8 text file"),
    "binary": (_random_bytes(), "{path}:1: found the byte 0x"),
    "long field": (b"learner,unit\nL1,resolve-problems\nL2," + b"x" * 140_000 + b"\n",
                   "{path}:3: found a field longer than 131,072 characters; expected learner ids and unit ids"),
    "unclosed quote": (b'learner,unit\nL1,"resolve-problems\n' + b"L2,x\n" * 30_000,
                       "{path}:26214: found a field longer than 131,072 characters"),  # where it passes the limit
}


@pytest.mark.parametrize("name", BAD_LEARNER_FILES)
def test_a_learner_file_that_is_not_utf8_csv_is_a_located_error(tmp_path: Path, nvq, name: str) -> None:
    data, message = BAD_LEARNER_FILES[name]
    path = tmp_path / "learners.csv"
    path.write_bytes(data)
    with pytest.raises(LearnerFileError) as info:
        list(iter_learners(path))
    assert str(info.value).startswith(message.format(path=path))


@pytest.mark.parametrize("name", BAD_LEARNER_FILES)
def test_the_command_exits_1_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                name: str) -> None:
    data, message = BAD_LEARNER_FILES[name]
    path = tmp_path / "learners.csv"
    path.write_bytes(data)
    assert main(["audit", "nvq", "--learners", str(path), "-o", str(tmp_path / "report.csv")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("qualpath: " + message.format(path=path)) and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["learners.csv"]  # no report, no temporary file


# -- cells a spreadsheet would run (item 10) --------------------------------------------------------

HOSTILE = ["=cmd|' /C calc'!A0", "+SUM(1+1)", "-2+3", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://evil")']
LEARNERS = [text for text in HOSTILE if text[0] not in "\t\r"]  # the reader strips spaces around ids


def test_safe_cell_follows_the_owasp_rule() -> None:
    for text in HOSTILE:
        assert safe_cell(text) == "'" + text
    for text in ["SHC 31", "L1", "", "a=b", "'quoted"]:
        assert safe_cell(text) == text


def test_the_batch_report_neutralises_learner_ids(tmp_path: Path, nvq) -> None:
    learners = tmp_path / "learners.csv"
    with learners.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["learner", "unit"])
        writer.writerows([learner, "resolve-problems"] for learner in LEARNERS)
        writer.writerow(["L9", "=1+1"])  # an unknown unit id, written back in 'unknown'
    out = tmp_path / "report.csv"
    audit_batch(nvq, iter_learners(learners, known_units=nvq.unit_ids()), out)
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [row[0] for row in rows] == ["'" + text for text in LEARNERS] + ["L9"]
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row), row
    assert "'=1+1" in rows[-1]


def test_enumerate_csv_neutralises_unit_ids(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hsc.yaml"
    path.write_text(HSC, encoding="utf-8")
    assert main(["enumerate", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5
    for row in rows:
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values()), row
    assert any(row["units"].startswith("'-HSC, 025; ") for row in rows)


# -- lists of ids written as text (item 1) ------------------------------------------------------------

def test_lists_of_ids_read_back_exactly(tmp_path: Path) -> None:
    path = tmp_path / "hsc.yaml"
    path.write_text(HSC, encoding="utf-8")
    q = load_qualification(path)
    out = tmp_path / "report.csv"
    audit_batch(q, [LearnerRecord(learner="L1", achieved=("SHC 31", "HSC; 024"))], out)
    with out.open(newline="", encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    assert row["counting"] == 'SHC 31; "HSC; 024"'
    assert split_ids(row["counting"]) == ["SHC 31", "HSC; 024"]
    assert split_ids(row["add"]) == ["CMH 301"]


def test_enumerated_units_read_back_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "hsc.yaml"
    path.write_text(HSC.replace('"-HSC, 025"', '"HSC, 025"'), encoding="utf-8")
    assert main(["enumerate", str(path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    ids = {"SHC 31", "CMH 301", "HSC; 024", "HSC, 025"}
    assert all(set(split_ids(row["units"])) <= ids for row in rows)
    assert split_ids(rows[0]["units"]) == ["HSC, 025", "SHC 31", "CMH 301", "HSC; 024"]
