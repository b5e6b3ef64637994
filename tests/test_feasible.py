"""Feasibility and minimal clashing rule sets, against hand arithmetic and brute force."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from decimal import Decimal

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.answers.feasible import Feasibility, FeasibilityStatus, check_feasible, csp_is_feasible
from solver.model import Barred, Group, Prerequisite, Qualification, Unit
from solver.model.load import bundled_rules, load_qualification
from solver.model.rules import RuleRef, iter_rules, relax


def _keys(rules: tuple[RuleRef, ...]) -> set[tuple[str, str]]:
    return {(r.path, r.field) for r in rules}


def _brute_feasible(q: Qualification) -> bool:
    return bool(oracle.all_pathways(q))


def _only(q: Qualification, kept: tuple[RuleRef, ...]) -> Qualification:
    """``q`` with every rule but ``kept`` removed."""
    return relax(q, [r for r in iter_rules(q) if r not in kept])


def test_bundled_structures_are_feasible() -> None:
    for path in sorted(bundled_rules().glob("*.yaml")):
        q = load_qualification(path)
        result = check_feasible(q)
        assert result.feasible and result.status is FeasibilityStatus.FEASIBLE and result.conflict == ()
        assert result.example is not None and oracle.is_pathway(q, result.example)


def test_diploma_needing_100_credits_clashes_with_group_c_max() -> None:
    # Most credits a Diploma pathway can hold: the 5 mandatory units 5+2+4+4+4 = 19, all of
    # Group A 3+3 = 6, all 17 of Group B = 58, and at most 7 from Group C (its max_credits):
    # 19 + 6 + 58 + 7 = 90 < 100. Without C's maximum all of C (47) fits: 130 >= 100; without the
    # qualification's minimum nothing asks for 100. The other rules (mandatory, A min 3, B min 16)
    # are not needed for the clash, so the minimal conflict is exactly these two.
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    assert sum(q.unit(u).credits or 0 for u in q.requirements[0].units) == 19  # type: ignore[union-attr]
    hard = dataclasses.replace(q, min_credits=Decimal(100))
    start = time.perf_counter()
    result = check_feasible(hard)
    elapsed = time.perf_counter() - start
    assert not result.feasible and result.status is FeasibilityStatus.INFEASIBLE
    assert _keys(result.conflict) == {("", "min_credits"), ("requirements[1].requirements[2]", "max_credits")}
    labels = [r.label for r in result.conflict]
    assert labels == ["C: max 7 credits", "qualification: min 100 credits in total"]
    assert result.example is None and result.method == "constraint-search"
    assert elapsed < 5
    text = str(result)
    # (Exact lines need the loader's source map, which dataclasses.replace does not carry over.)
    assert re.search(r"l2-diploma-customer-service\.yaml:\d+:\d+: C: max 7 credits", text)
    assert re.search(r"\.yaml:\d+:\d+: qualification: min 100 credits in total", text)
    assert json.loads(json.dumps(result.to_dict()))["status"] == "infeasible"
    # At 90 it is feasible again: exactly the hand maximum.
    assert check_feasible(dataclasses.replace(q, min_credits=Decimal(90))).feasible
    assert not check_feasible(dataclasses.replace(q, min_credits=Decimal(91))).feasible


def _units(*specs: tuple[str, int]) -> tuple[Unit, ...]:
    return tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in specs)


def test_barred_pair_inside_a_mandatory_group() -> None:
    # M is mandatory with a and b, but a and b are barred together: no pathway. O's minimum
    # (3 credits from c, d) and the total cap of 20 can both hold, so they are not in the clash.
    q = Qualification(
        id="BAR", title="Barred", units=_units(("a", 2), ("b", 2), ("c", 3), ("d", 3)),
        requirements=(Group(id="M", units=("a", "b"), mandatory=True),
                      Group(id="O", units=("c", "d"), min_credits=Decimal(3))),
        max_credits=Decimal(20), barred=(Barred(units=("a", "b")),))
    result = check_feasible(q)
    assert not result.feasible
    assert _keys(result.conflict) == {("requirements[0]", "mandatory"), ("barred[0]", "barred")}
    assert not _brute_feasible(_only(q, result.conflict))


def test_prerequisite_that_a_group_maximum_forbids() -> None:
    # a is mandatory and needs c; c (3 credits) is only in G, which allows at most 2 credits.
    # Any two of the three rules can hold (drop the prerequisite: {a}; drop G's max: {a, c};
    # drop the mandatory: {}), all three cannot.
    q = Qualification(
        id="PRE", title="Prerequisite", units=_units(("a", 1), ("c", 3), ("e", 1)),
        requirements=(Group(id="M", units=("a",), mandatory=True),
                      Group(id="G", units=("c", "e"), max_credits=Decimal(2))),
        prerequisites=(Prerequisite(unit="a", requires=("c",)),))
    result = check_feasible(q)
    assert _keys(result.conflict) == {("requirements[0]", "mandatory"), ("requirements[1]", "max_credits"),
                                      ("prerequisites[0]", "prerequisite")}
    for rule in result.conflict:
        assert _brute_feasible(_only(q, tuple(r for r in result.conflict if r != rule)))


def test_pluggable_engine_is_used_and_named() -> None:
    q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    calls: list[Qualification] = []

    def brute(q: Qualification) -> bool:
        calls.append(q)
        return _brute_feasible(q)

    hard = dataclasses.replace(q, min_units=6)  # 4 mandatory + at most 1 optional = 5 < 6
    result = check_feasible(hard, is_feasible=brute)
    assert result.method == "brute" and calls
    assert _keys(result.conflict) == {("", "min_units"), ("requirements[1]", "max_units")}
    assert "infeasible" in repr(result) and isinstance(result, Feasibility)


@st.composite
def _maybe_infeasible(draw: st.DrawFn) -> Qualification:
    q = draw(qualifications(max_units=6))
    if q.min_units is None and draw(st.booleans()):
        q = dataclasses.replace(q, min_units=draw(st.integers(1, len(q.unit_ids()))))
    return q


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_maybe_infeasible())
def test_feasibility_and_conflicts_match_brute_force(q: Qualification) -> None:
    result = check_feasible(q)
    assert result.feasible == _brute_feasible(q) == csp_is_feasible(q)
    if result.feasible:
        assert result.example == oracle.all_pathways(q)[0]
        return
    assert result.conflict, "a structure with no rules always has the empty pathway"
    assert not _brute_feasible(_only(q, result.conflict))
    for rule in result.conflict:
        assert _brute_feasible(_only(q, tuple(r for r in result.conflict if r != rule)))
