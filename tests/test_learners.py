"""The learner-file reader and the batch audit."""

from __future__ import annotations

import csv
import json

import pytest

from solver.audit import audit
from solver.audit.learners import LearnerFileError, LearnerRecord, audit_batch, iter_learners
from solver.model.errors import UsageError
from solver.model.load import bundled_rules, load_qualification


@pytest.fixture(scope="module")
def nvq():
    return load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")


def write(tmp_path, text, name="learners.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reader_groups_and_reports(tmp_path):
    path = write(tmp_path, 'learner,unit,status,qualification,date\n'
                 'L1,resolve-problems,achieved,,2024-01-01\n'
                 '\n'
                 'L1,resolve-problems,,,\n'
                 'L1,promote-products,planned,,\n'
                 '"L 2","odd\nunit",,,\n'
                 '"L 2",x,,OTHER,\n'
                 '"L 2",y,,OTHER,\n')
    records = list(iter_learners(path, qualification="Q", known_units=["resolve-problems", "promote-products"]))
    assert [(r.learner, r.line, r.achieved, r.planned) for r in records] == [
        ("L1", 2, ("resolve-problems",), ("promote-products",)), ("L 2", 6, ("odd\nunit",), ())]
    assert records[0].warnings == ("line 4: unit resolve-problems repeated",)
    assert records[1].warnings == ("line 6: unknown unit odd\nunit", "line 8: rows for qualification OTHER skipped")


def test_reader_errors_are_located(tmp_path):
    with pytest.raises(LearnerFileError, match=r"learners.csv:1: header has no 'unit' column"):
        list(iter_learners(write(tmp_path, "learner,units\nL1,a\n")))
    with pytest.raises(LearnerFileError, match=r":3: status 'done'; expected achieved or planned"):
        list(iter_learners(write(tmp_path, "learner,unit,status\nL1,a,\nL1,b,done\n")))
    ungrouped = write(tmp_path, "learner,unit\nL1,a\nL2,b\nL1,c\n")
    with pytest.raises(LearnerFileError, match=r":4: learner 'L1' appears again after other learners"):
        list(iter_learners(ungrouped))
    assert [(r.learner, r.achieved) for r in iter_learners(ungrouped, sort=True)] == [
        ("L1", ("a", "c")), ("L2", ("b",))]


def test_batch_csv_and_jsonl_match_single_audits(tmp_path, nvq):
    records = [LearnerRecord(learner="A", achieved=("resolve-problems", "zzz")),
               LearnerRecord(learner="B", achieved=("nvq-positive-impression", "nvq-reliable-service",
                                                     "develop-relationships", "resolve-problems",
                                                     "promote-products")),
               LearnerRecord(learner="C", achieved=())]
    out = tmp_path / "r.csv"
    assert audit_batch(nvq, records, out, by="units") == 3
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for rec, row in zip(records, rows, strict=True):
        single = audit(nvq, rec.achieved, by="units")
        assert row["achieved"] == ("yes" if single.achieved else "no")
        assert int(row["remaining_units"]) == single.remaining["units"]
    # A holds one mandatory unit and an unknown one: 3 mandatory + 1 optional to add.
    assert rows[0]["remaining_units"] == "4" and rows[0]["unknown"] == "zzz"
    assert rows[1]["achieved"] == "yes"
    jl = tmp_path / "r.jsonl"
    audit_batch(nvq, iter(records), jl, format="jsonl", workers=2, chunk=1)
    lines = [json.loads(line) for line in jl.read_text().splitlines()]
    assert [d["learner"] for d in lines] == ["A", "B", "C"]
    # By credits: only the shared library units carry credits (develop 3, resolve 5); NVQ-only
    # units count 0. A lacks develop-relationships (3); B has achieved; C lacks develop + resolve (8).
    assert [d["remaining"]["credits"] for d in lines] == [3, 0, 8]


def test_batch_refuses_to_overwrite_its_input(tmp_path, nvq):
    src = write(tmp_path, "learner,unit\nL1,resolve-problems\n")
    with pytest.raises(UsageError, match="refusing to write the report over the input file"):
        audit_batch(nvq, iter_learners(src), src, inputs=[src])
    assert src.read_text() == "learner,unit\nL1,resolve-problems\n"
    assert [p.name for p in tmp_path.iterdir()] == ["learners.csv"]  # no temporary left behind
