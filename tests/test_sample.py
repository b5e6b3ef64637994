"""Uniform samples of pathways: every draw a pathway, every pathway equally likely, repeatable by seed.

Uniformity is checked against brute force: on a structure with K pathways, 300 K draws are
tallied per pathway and Pearson's statistic compared with its chi-squared law (K - 1 degrees
of freedom: mean K - 1, standard deviation sqrt(2 (K - 1))). The seed is fixed, so the test
is deterministic; the bound (mean + 6 standard deviations) is far enough out that a correct
sampler passes it with any seed, while a sampler biased towards taking units fails by far.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from math import sqrt

import oracle
import pytest
from hypothesis import given, settings
from strategies import qualifications

from solver.answers.sample import sample_pathways
from solver.cli import main
from solver.exact import NotSupported
from solver.model import Barred, Group, Prerequisite, Qualification, Unit, bundled_rules, load_qualification


def _pearson(q: Qualification, draws: int, seed: int) -> tuple[float, int]:
    everything = oracle.all_pathways(q)
    tally = Counter(frozenset(p.units) for p in sample_pathways(q, draws, seed=seed))
    assert set(tally) <= set(everything)
    expected = draws / len(everything)
    stat = sum((tally.get(p, 0) - expected) ** 2 / expected for p in everything)
    return stat, len(everything) - 1


@pytest.fixture(params=["record", "record's list", "frontier", "conditional counts"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every way of drawing: the unit-type programme's record (walked back per draw, or listed
    once when there are few pathways), the frontier's tables, and conditional counts.

    These tests draw more pathways than there are, so the record is listed unless listing is
    turned off. Declining the record leaves the frontier's tables where the frontier takes the
    structure; declining both leaves the conditional counts (the last fallback).
    """
    def declined(*_args: object, **_kwargs: object) -> None:
        raise NotSupported("declined for the test")

    if request.param == "record":
        monkeypatch.setattr("solver.exact.interchangeable.LIST_WHEN", 0)
    if not request.param.startswith("record"):
        monkeypatch.setattr("solver.answers.sample.sample_types", declined)
    if request.param == "conditional counts":
        monkeypatch.setattr("solver.exact.frontier.sample", declined)
    return str(request.param)


def test_uniform_on_a_structure_with_barred_units_and_a_prerequisite(way: str) -> None:
    # 6 units of 1-3 credits, at least 4 credits; a and b barred; e needs f
    units = tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in zip("abcdef", (1, 2, 3, 1, 2, 1)))
    q = Qualification(id="S", title="S", units=units,
                      requirements=(Group(id="G", units=tuple("abcdef"), min_credits=Decimal(4)),),
                      barred=(Barred(units=("a", "b")),), prerequisites=(Prerequisite(unit="e", requires=("f",)),))
    k = len(oracle.all_pathways(q))
    stat, df = _pearson(q, 300 * k, seed=3)
    assert stat < df + 6 * sqrt(2 * df), (stat, df)


def test_uniform_on_overlapping_pools_with_a_cap_a_barred_pair_and_a_prerequisite(way: str) -> None:
    # drawn from the unit-type programme's record: "1 from A and 1 more from A-D", A = [a1, a2]
    # and A-D = [a1, a2, b1, b2, d1, d2]; at most 1 from D (a cap inside the electives); a1 and b1
    # barred; d2 needs b2
    from solver.exact import Question, choose
    from solver.model import Combination

    ids = ["a1", "a2", "b1", "b2", "d1", "d2"]
    electives = Combination(kind="all_of", id="E", requirements=(
        Group(id="A", units=("a1", "a2"), min_units=1), Group(id="A-D", units=tuple(ids), min_units=1),
        Group(id="D-cap", units=("d1", "d2"), max_units=1, double_counting=True)))
    q = Qualification(id="P", title="P", units=tuple(Unit(id=u, title=u) for u in ids), requirements=(electives,),
                      barred=(Barred(units=("a1", "b1")),), prerequisites=(Prerequisite(unit="d2", requires=("b2",)),))
    assert choose(q, Question.COUNT).engine.name == "types"
    k = len(oracle.all_pathways(q))
    stat, df = _pearson(q, 300 * k, seed=4)
    assert stat < df + 6 * sqrt(2 * df), (stat, df)


@settings(max_examples=40, deadline=None)
@given(qualifications(max_units=6))
def test_every_draw_from_any_structure_is_a_pathway(q: Qualification) -> None:
    everything = set(oracle.all_pathways(q))
    units = oracle.candidate_units(q)
    include = units[:1]
    held = {p for p in everything if set(include) <= p}
    try:
        drawn = sample_pathways(q, 30, seed=2, include=include)
    except NotSupported:  # no exact engine counts it: said so, never a wrong draw
        return
    assert all(frozenset(p.units) in held for p in drawn)
    assert len(drawn) == (30 if held else 0)


def _listed(q: Qualification) -> list[frozenset[str]] | None:
    """The pathways sample_types draws from when it lists them (None: the programme declines)."""
    from solver.exact import interchangeable
    from solver.exact.kernel import COUNT
    from solver.exact.type_pass import table_of, valid

    record: list = []  # type: ignore[type-arg]
    try:
        t = interchangeable.types_of(q)
        table = table_of(t, q, COUNT, {}, None, record)
    except NotSupported:
        return None
    finals = [(key, count) for key, count in table.items() if count and valid(t, key, {})]
    return [frozenset(p) for p in interchangeable._every_pathway(record, finals)]


def _interchangeable() -> Qualification:
    # types of several alike units: 2-4 of five 1-credit units in A, at least 1 of three
    # 2-credit units in B, B's b3 also listed in C with c1 (at most 2 credits); a1 and c1 barred
    units = (*(Unit(id=f"a{i}", title="a", credits=Decimal(1)) for i in range(1, 6)),
             *(Unit(id=f"b{i}", title="b", credits=Decimal(2)) for i in range(1, 4)),
             Unit(id="c1", title="c", credits=Decimal(2)))
    return Qualification(id="I", title="I", units=units, requirements=(
        Group(id="A", units=tuple(f"a{i}" for i in range(1, 6)), min_units=2, max_units=4),
        Group(id="B", units=("b1", "b2", "b3"), min_units=1),
        Group(id="C", units=("b3", "c1"), max_credits=Decimal(2))), barred=(Barred(units=("a1", "c1")),))


@settings(max_examples=60, deadline=None)
@given(qualifications(max_units=7))
def test_the_record_lists_every_pathway_once(q: Qualification) -> None:
    # sample_types draws from a list of the pathways when there are no more than draws: the
    # list holds every pathway exactly once, so every pathway is equally likely
    listed = _listed(q)
    if listed is not None:
        assert len(listed) == len(set(listed))
        assert set(listed) == set(oracle.all_pathways(q))


def test_the_record_lists_alike_units_in_every_combination() -> None:
    # A: C(5,2) + C(5,3) + C(5,4) = 10 + 10 + 5 = 25 ways, 11 of them without a1 (C(4,2) +
    # C(4,3) + C(4,4)); B: any non-empty set of b1, b2, b3 (7); c1 beside no a1 (barred), and
    # beside b3 too, b3 counting towards B and c1 towards C (2 credits each, C's max): 25 x 7 +
    # 11 x 7 = 252
    q = _interchangeable()
    listed = _listed(q)
    assert listed is not None and len(listed) == len(set(listed))
    assert set(listed) == set(oracle.all_pathways(q))
    assert len(listed) == 252


def test_a_biased_draw_would_fail_the_check() -> None:
    # the same check on "take each unit with probability 1/2 until valid" style bias: drawing only
    # pathways that hold unit a is far outside the bound, so the bound can fail
    units = tuple(Unit(id=u, title=u, credits=Decimal(1)) for u in "abcd")
    q = Qualification(id="B", title="B", units=units, requirements=(Group(id="G", units=tuple("abcd"), min_units=1),))
    everything = oracle.all_pathways(q)
    biased = Counter(frozenset(p.units) for p in sample_pathways(q, 3000, seed=1, include=["a"]))
    expected = 3000 / len(everything)
    stat = sum((biased.get(p, 0) - expected) ** 2 / expected for p in everything)
    df = len(everything) - 1
    assert stat > df + 6 * sqrt(2 * df)


@settings(max_examples=30, deadline=None)
@given(qualifications(max_units=6, disjoint_only=True))
def test_every_draw_is_a_pathway(q: Qualification) -> None:
    everything = set(oracle.all_pathways(q))
    drawn = sample_pathways(q, 50, seed=0)
    if not everything:
        assert drawn == []
    else:
        assert len(drawn) == 50 and all(frozenset(p.units) in everything for p in drawn)


def test_seed_repeats_and_include_exclude_hold(way: str) -> None:
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    first = [p.units for p in sample_pathways(q, 40, seed=11)]
    assert first == [p.units for p in sample_pathways(q, 40, seed=11)]
    assert first != [p.units for p in sample_pathways(q, 40, seed=12)]
    held = sample_pathways(q, 40, seed=5, include=["negotiate"], exclude=["communicate-verbally"])
    assert all("negotiate" in p.units and "communicate-verbally" not in p.units for p in held)


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sample", "nvq", "-n", "4", "--seed", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4 and all(len(json.loads(line)["units"]) == 5 for line in lines)
    assert main(["sample", "nvq", "-n", "2", "--format", "csv", "--seed", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "index,credits,unit_count,units"
