"""Limits that are not sums of unit credits (1.5 over whole credits; 12.6 over ECTS 7.5 and 5).

The exact engines add whole numbers; a limit off that lattice must be rounded the safe way
(a minimum up, a maximum down), never truncated. Each structure here is small enough to
count by hand; the counts are written out in the comments and checked against the brute
force of ``tests/oracle.py`` as well, then asked through every command that reads limits.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import oracle
import pytest

from solver.cli import main
from solver.model import Combination, Group, LevelRule, Qualification, Unit, dump_qualification

D = Decimal


def _units(credits: list[str], levels: list[int | None] | None = None) -> tuple[Unit, ...]:
    levels = levels or [None] * len(credits)
    return tuple(Unit(id=c, title=c.upper(), credits=D(v), level=lv)
                 for c, v, lv in zip("abcdefgh", credits, levels))


# (structure, pathways, minimal pathways, least credits, pathways at the least credits)
CASES = {
    # four 1-credit units, at least 1.5 credits: 2, 3 or 4 units: C(4,2)+C(4,3)+C(4,4) = 6+4+1 = 11;
    # minimal: the 6 pairs; cheapest: 2 credits, the 6 pairs tie
    "half-minimum": (
        Qualification(id="HALF", title="Half-credit minimum", units=_units(["1", "1", "1", "1"]),
                      requirements=(Group(id="g", units=("a", "b", "c", "d"), min_credits=D("1.5")),)),
        11, 6, D(2), 6),
    # at least 1 unit and at most 2.5 credits: 1 or 2 units: 4+6 = 10; minimal: the 4 singles;
    # cheapest: 1 credit, 4 tie
    "half-maximum": (
        Qualification(id="HALFMAX", title="Half-credit maximum", units=_units(["1", "1", "1", "1"]),
                      requirements=(Group(id="g", units=("a", "b", "c", "d"), min_units=1, max_credits=D("2.5")),)),
        10, 4, D(1), 4),
    # a combination of two free groups with at least 2.5 credits: 3 or 4 of the 4 units: 4+1 = 5;
    # minimal: the 4 triples; cheapest 3 credits, 4 tie
    "combination": (
        Qualification(id="HALFCOMB", title="Half-credit combination", units=_units(["1", "1", "1", "1"]),
                      requirements=(Combination(id="both", kind="all_of", min_credits=D("2.5"), requirements=(
                          Group(id="g1", units=("a", "b")), Group(id="g2", units=("c", "d")))),)),
        5, 4, D(3), 4),
    # a level rule of at least 1.5 credits at level 3, where only a and b are at level 3, and a
    # group asking for at least 1 unit: every pathway holds a and b, with any of c, d: 2^2 = 4;
    # minimal: {a, b}; cheapest: 2 credits, 1 way
    "level-rule": (
        Qualification(id="HALFLEVEL", title="Half-credit level rule",
                      units=_units(["1", "1", "1", "1"], [3, 3, 2, 2]),
                      requirements=(Group(id="g", units=("a", "b", "c", "d"), min_units=1),),
                      level_rules=(LevelRule(kind="at_or_above", level=3, min_credits=D("1.5")),)),
        4, 1, D(2), 1),
    # ECTS: 7.5, 7.5, 5, 5 with at least 12.6 credits. Pairs: 7.5+7.5 = 15 only (7.5+5 = 12.5 is short);
    # triples: all 4 (each at least 17.5); all four: 1. So 1+4+1 = 6. Minimal: {a, b} and the two
    # 7.5+5+5 triples (dropping any unit leaves 12.5 or 10): 3. Cheapest: 15 credits, 1 way.
    "ects": (
        Qualification(id="ECTS", title="ECTS with an off-lattice minimum", units=_units(["7.5", "7.5", "5", "5"]),
                      requirements=(Group(id="g", units=("a", "b", "c", "d"), min_credits=D("12.6")),)),
        6, 3, D(15), 1),
    # qualification-wide maximum of 9.9 over 2-credit units with a group minimum of 1 unit:
    # 1 to 4 units (8 credits <= 9.9, 10 > 9.9): 4+6+4+1 = 15 of 5 units... here 5 units:
    # C(5,1)+C(5,2)+C(5,3)+C(5,4) = 5+10+10+5 = 30; minimal: the 5 singles; cheapest 2 credits, 5 tie
    "qualification-maximum": (
        Qualification(id="QMAX", title="Qualification-wide maximum", units=_units(["2", "2", "2", "2", "2"]),
                      max_credits=D("9.9"),
                      requirements=(Group(id="g", units=("a", "b", "c", "d", "e"), min_units=1),)),
        30, 5, D(2), 5),
}


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, Qualification, int, int, Decimal, int]:
    q, n, minimal, least, ties = CASES[request.param]
    path = tmp_path / f"{request.param}.yaml"
    path.write_text(dump_qualification(q), encoding="utf-8")
    return path, q, n, minimal, least, ties


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> object:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    return json.loads(out)


def test_hand_counts_agree_with_brute_force() -> None:
    for q, n, minimal, least, ties in CASES.values():
        everything = oracle.all_pathways(q)
        assert len(everything) == n, q.id
        assert len(oracle.minimal_pathways(q)) == minimal, q.id
        credits = [sum(q.unit(u).credits or 0 for u in p) for p in everything]
        assert min(credits) == least and credits.count(least) == ties, q.id


def test_count(case: tuple[Path, Qualification, int, int, Decimal, int], capsys: pytest.CaptureFixture[str]) -> None:
    path, _q, n, minimal, _least, _ties = case
    assert run_json(capsys, "count", str(path))["pathways"] == n  # type: ignore[index]
    assert run_json(capsys, "count", str(path), "--minimal")["pathways"] == minimal  # type: ignore[index]


def test_cheapest(case: tuple[Path, Qualification, int, int, Decimal, int], capsys: pytest.CaptureFixture[str]) -> None:
    path, q, _n, _minimal, least, ties = case
    found = run_json(capsys, "cheapest", str(path), "--by", "credits")
    assert D(str(found["optimum"]["credits"])) == least  # type: ignore[index]
    assert found["ties"] == ties  # type: ignore[index]
    assert oracle.is_pathway(q, frozenset(found["pathways"][0]["units"]))  # type: ignore[index]


def test_lint_and_report(case: tuple[Path, Qualification, int, int, Decimal, int],
                         capsys: pytest.CaptureFixture[str]) -> None:
    path, _q, n, minimal, _least, _ties = case
    assert run_json(capsys, "lint", str(path), "--fail-on", "error")["pathways"] == n  # type: ignore[index]
    report = run_json(capsys, "report", str(path))
    assert report["pathways"] == n and report["minimal_pathways"] == minimal  # type: ignore[index]


def test_audit_from_nothing_costs_the_optimum(case: tuple[Path, Qualification, int, int, Decimal, int],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path, q, _n, _minimal, _least, _ties = case
    # holding one unit of the cheapest pathway, the completion costs the rest of some cheapest pathway
    first = min(oracle.all_pathways(q), key=lambda p: (sum(q.unit(u).credits or 0 for u in p), sorted(p)))
    held = sorted(first)[0]
    everything = oracle.all_pathways(q)
    expected = min(sum((q.unit(u).credits or 0 for u in p if u != held), D(0)) for p in everything)
    found = run_json(capsys, "audit", str(path), "--achieved", held)
    assert D(str(found["remaining"]["credits"])) == expected  # type: ignore[index]


def test_diff_against_itself_with_the_limit_removed(case: tuple[Path, Qualification, int, int, Decimal, int],
                                                    capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path, q, n, _minimal, _least, _ties = case
    # a copy whose units are all in one group with no limits keeps every pathway: lost = 0 and
    # gained = (its count - n), its count by brute force
    loose = Qualification(id=q.id, title=q.title, units=q.units,
                          requirements=(Group(id="all", units=q.unit_ids()),))
    other = tmp_path / "loose.yaml"
    other.write_text(dump_qualification(loose), encoding="utf-8")
    after = len(oracle.all_pathways(loose))
    found = run_json(capsys, "diff", str(path), str(other))
    assert found["pathways"] == {"before": n, "after": after}  # type: ignore[index]
    assert found["lost"] == 0 and found["gained"] == after - n  # type: ignore[index]

