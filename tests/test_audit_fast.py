"""The vectorised batch audit against single audits, brute force, and the batch report."""

from __future__ import annotations

import csv
import dataclasses
import json
import random

import oracle
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications
from test_audit import held_units

from solver.audit import Auditor, audit
from solver.audit.batch import AuditSummary, BatchAuditor, FastAuditor, FastNotSupported
from solver.audit.learners import LearnerRecord, _csv_row, audit_batch, iter_learners
from solver.model import Combination, Qualification, Requirement
from solver.model.load import bundled_rules, load_qualification

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CRITERIA = (("credits",), ("units",), ("credits", "units"), ("fee",), ("hours", "credits"), ("glh",))


def productify(q: Qualification) -> Qualification:
    """The same units and groups as a product: combinations become plain all_of, nothing couples units."""

    def plain(node: Requirement) -> Requirement:
        if isinstance(node, Combination):
            return Combination(kind="all_of", id=node.id, title=node.title,
                               requirements=tuple(plain(c) for c in node.requirements))
        return node

    return dataclasses.replace(q, requirements=tuple(plain(r) for r in q.requirements), barred=(),
                               prerequisites=())


@pytest.fixture(scope="module")
def diploma():
    return load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")


def cohort(q, n, seed=7):
    rng = random.Random(seed)
    units = list(q.unit_ids())
    out = []
    for _ in range(n):
        held = rng.sample(units, rng.randint(0, min(len(units), 14)))
        if rng.random() < 0.2:
            held.insert(rng.randint(0, len(held)), "not-a-unit")
        out.append(held)
    out += out[: n // 5]  # learners repeat
    return out


# -- random small structures --------------------------------------------------------------------------
@FAST
@given(qualifications(max_units=6, disjoint_only=True), st.data())
def test_summaries_equal_single_audits_and_brute_force(q, data):
    q = productify(q)
    by = data.draw(st.sampled_from(CRITERIA))
    batch = BatchAuditor(q, by=by)
    assume(batch.fast)  # a few random structures have too many states
    helds = [held_units(data, q) for _ in range(data.draw(st.integers(1, 3)))]
    helds.append(helds[0])
    pathways = oracle.all_pathways(q)  # in the documented order
    candidates = oracle.candidate_units(q)
    for held, got in zip(helds, batch.summaries(helds), strict=True):
        assert got == AuditSummary.of(audit(q, held, by=by, alternatives=0))
        if not pathways:
            assert got.remaining is None and got.add == ()
            continue
        mine = set(held)

        def cost(p, mine=mine):
            t = oracle.totals(q, p - mine)
            return tuple(t[c] for c in by)

        best = min(cost(p) for p in pathways)
        assert tuple(got.remaining[c] for c in by) == best
        assert got.achieved == any(p <= mine for p in pathways)
        # the first pathway in the documented order of least (cost, units added, -units used)
        first = min(pathways, key=lambda p, mine=mine: (cost(p), len(p - mine), -len(p & mine)))
        assert frozenset(got.counting) | set(got.add) == first
        usable = {u for p in pathways if cost(p) == best for u in p}
        assert list(got.not_counting) == [u for u in dict.fromkeys(held) if u not in candidates or u not in usable]


@FAST
@given(qualifications(max_units=6, disjoint_only=True), st.data())
def test_full_audits_equal_single_audits(q, data):
    q = productify(q)
    batch = BatchAuditor(q)
    assume(batch.fast)
    held = held_units(data, q)
    got = batch.audit(held).to_dict()
    want = audit(q, held, alternatives=0).to_dict()
    for name in ("ties", "proof", "method"):
        got.pop(name), want.pop(name)
    assert got == want


@FAST
@given(qualifications(max_units=6), st.data())
def test_other_shapes_fall_back_to_the_auditor(q, data):
    batch = BatchAuditor(q)
    try:
        FastAuditor(q)
    except FastNotSupported:
        assert not batch.fast
    held = held_units(data, q)
    [got] = batch.summaries([held])
    want = AuditSummary.of(Auditor(q).audit(held) if not batch.fast else audit(q, held, alternatives=0))
    assert got == want


# -- the Diploma ------------------------------------------------------------------------------------------
def test_diploma_cohort_equals_single_audits(diploma):
    batch = BatchAuditor(diploma, cache=50)  # small: the cache is emptied along the way
    batch.engine.rows = 37  # many chunks, one of them short
    helds = cohort(diploma, 100)
    for held, got in zip(helds, batch.summaries(helds), strict=True):
        assert got == AuditSummary.of(audit(diploma, held, alternatives=0))


@pytest.mark.parametrize("by", [("units", "credits"), ("glh",)])
def test_diploma_other_criteria(diploma, by):
    batch = BatchAuditor(diploma, by=by)
    helds = cohort(diploma, 30, seed=3)
    for held, got in zip(helds, batch.summaries(helds), strict=True):
        assert got == AuditSummary.of(audit(diploma, held, by=by, alternatives=0))


def test_diploma_by_hand(diploma):
    # C holds 7 + 5 credits against a maximum of 7: the 7-credit unit counts, the other cannot.
    held = ["resolve-problems", "resolve-complaints", "contact-centre-incidents", "contact-centre-sales", "old"]
    [s] = BatchAuditor(diploma).summaries([held])
    assert str(s.remaining["credits"]) == "29" and not s.achieved
    assert s.not_counting == ("contact-centre-sales", "old") and s.unknown == ("old",)
    assert s.counting == ("resolve-problems", "resolve-complaints", "contact-centre-incidents")
    assert s.not_met == ("group mandatory", "all_of optional", "group A", "group B", "group C", "qualification")


def test_infeasible_structure():
    q = productify(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
    q = dataclasses.replace(q, max_credits=q.min_credits - 1)
    [s] = BatchAuditor(q).summaries([["resolve-problems", "x"]])
    assert s == AuditSummary.of(audit(q, ["resolve-problems", "x"], alternatives=0))
    assert s.remaining is None and s.status.value == "infeasible" and s.not_counting == ("x",)


# -- the batch report ---------------------------------------------------------------------------------------
def test_batch_report_rows_equal_single_audits(tmp_path, diploma):
    helds = cohort(diploma, 50, seed=11)
    source = tmp_path / "learners.csv"
    with source.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["learner", "unit", "status"])
        for i, held in enumerate(helds):
            out.writerows([f"L{i}", u, "achieved"] for u in held or [""])
    report = tmp_path / "report.csv"
    records = list(iter_learners(source))
    assert audit_batch(diploma, iter(records), report, workers=2, chunk=16) == len(helds)
    with report.open(newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    for record, row in zip(records, rows, strict=True):
        assert row == _csv_row(record, AuditSummary.of(audit(diploma, record.achieved, alternatives=0)))
    lines = tmp_path / "report.jsonl"
    audit_batch(diploma, records[:20], lines, format="jsonl")
    for record, line in zip(records, lines.read_text().splitlines(), strict=False):
        got = json.loads(line)
        want = json.loads(json.dumps(audit(diploma, record.achieved, alternatives=0).to_dict()))
        assert got["completions"] == want["completions"] and got["progress"] == want["progress"]
        assert got["not_counting"] == want["not_counting"] and got["learner"] == record.learner


def test_reader_pads_short_rows_and_skips_blank_ones(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("unit,learner,status,date\nu1,L1\n , ,\n,,,,,\nu2,L1,PLANNED,2024,extra\nu3,L2,achieved\n")
    records = list(iter_learners(path, known_units=["u1", "u2"]))
    assert [(r.learner, r.line, r.achieved, r.planned, r.warnings) for r in records] == [
        ("L1", 2, ("u1",), ("u2",), ()), ("L2", 6, ("u3",), (), ("line 6: unknown unit u3",))]
    assert [r.line for r in iter_learners(path, sort=True)] == [2, 6]


def test_records_without_units_of_the_structure(diploma):
    summaries = BatchAuditor(diploma).summaries([[], ["x", "y"], LearnerRecord(learner="L", achieved=()).achieved])
    assert [s.remaining["credits"] for s in summaries] == [45, 45, 45]
    assert summaries[1].not_counting == ("x", "y")
