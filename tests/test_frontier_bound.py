"""The least cost proven without the barred sets (solver/exact/frontier_bound.py) against brute force.

:func:`solver.exact.frontier.least_each` first solves the structure without its barred
sets, each objective with a last component counting the units it forbids; where that
component is 0 the relaxation's least is the answer, else the structure's own pass
gives it. Here the first pass is always tried (the share of cells it may cost is
lifted), and every answer is compared with the least over all subsets.
"""

from __future__ import annotations

from decimal import Decimal

import oracle
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_frontier import CRITERIA, costs_of, coupled, shown

from solver.exact import frontier, frontier_bound
from solver.model import Barred, Group, Qualification, Unit


@pytest.fixture
def always_relax(monkeypatch: pytest.MonkeyPatch) -> None:
    """Try the relaxation whatever its tables cost."""
    monkeypatch.setattr(frontier, "RELAXED_SHARE", float("inf"))


def _diploma(credits: dict[str, int], minimum: int, barred: list[tuple[str, ...]]) -> Qualification:
    return Qualification(id="Q", title="T",
                         units=tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in credits.items()),
                         requirements=(Group(id="G", units=tuple(credits), min_credits=Decimal(minimum)),),
                         barred=tuple(Barred(units=b) for b in barred))


def test_a_cheapest_pathway_keeping_the_barred_sets_proves_the_bound(always_relax):
    """At least 2 credits from a(1) b(1) c(1) d(5), a and b barred.

    Without the pair the least is 2 ({a, b}, {a, c}, {b, c}). The keeper of {a, b} is a
    (the first of the equally cheap), so b is forbidden, and {a, c} takes no forbidden
    unit: 2 is proven in the one pass, and is the least over all subsets.
    """
    q = _diploma({"a": 1, "b": 1, "c": 1, "d": 5}, 2, [("a", "b")])
    costs = costs_of(q, ("credits",))
    assert frontier._relaxed_least(q, [costs], None, None, False) == {0: (Decimal(2),)}
    assert frontier.least(q, costs) == (Decimal(2),)
    assert oracle.brute_optimum(q, ("credits",))[0] == (Decimal(2),)


def test_where_every_cheapest_relaxed_pathway_takes_a_forbidden_unit_the_structure_answers(always_relax):
    """At least 2 credits from a(1) b(1) c(5), a and b barred.

    Without the pair the only pathway of 2 credits is {a, b}, which takes the forbidden
    b: the relaxation proves nothing. With the pair, the least is {c} alone, 5 (a + c and
    b + c are 6).
    """
    q = _diploma({"a": 1, "b": 1, "c": 5}, 2, [("a", "b")])
    costs = costs_of(q, ("credits",))
    assert frontier._relaxed_least(q, [costs], None, None, False) == {}
    assert frontier.least(q, costs) == (Decimal(5),)
    assert oracle.brute_optimum(q, ("credits",))[0] == (Decimal(5),)


def test_no_pathway_without_the_barred_sets_means_none_with_them(always_relax):
    """At least 9 credits from 1 + 2 + 3: none, with or without the pair."""
    q = _diploma({"a": 1, "b": 2, "c": 3}, 9, [("a", "b")])
    assert frontier._relaxed_least(q, [costs_of(q, ("credits",))], None, None, False) == {0: None}
    assert frontier.least(q, costs_of(q, ("credits",))) is None


def test_a_unit_fixed_in_keeps_its_barred_set(always_relax):
    """With b fixed in, b is the keeper of {a, b} and a is forbidden: the least is b + c = 1 + 1."""
    q = _diploma({"a": 1, "b": 1, "c": 1, "d": 5}, 2, [("a", "b")])
    costs = costs_of(q, ("credits",))
    assert frontier_bound.forbidden(q, costs, {"b": True}) == frozenset({"a"})
    assert frontier.least(q, costs, forced={"b": True}) == (Decimal(2),)
    assert frontier.least(q, costs, forced={"b": True, "c": False}) == (Decimal(6),)  # b + d


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                                   HealthCheck.function_scoped_fixture])
@given(coupled(), st.sampled_from(CRITERIA), st.data())
def test_least_with_the_relaxation_tried_first_equals_brute_force(always_relax, q, by, data):
    """Every rule kind the engine counts, barred pairs drawn over the optional units, units fixed."""
    assume(frontier.supports(q) is None and q.barred)
    units = oracle.candidate_units(q)
    picks = data.draw(st.lists(st.sampled_from(units), max_size=2, unique=True))
    forced = {u: data.draw(st.booleans()) for u in picks}
    best, _ties, _ordered = oracle.brute_optimum(q, by, include=[u for u, t in forced.items() if t],
                                                 exclude=[u for u, t in forced.items() if not t])
    fewest = oracle.brute_optimum(q, ("units",), include=[u for u, t in forced.items() if t],
                                  exclude=[u for u, t in forced.items() if not t])[0]
    found = frontier.least_each(q, [costs_of(q, by), costs_of(q, ("units",))], forced=forced)
    if best is None:
        assert found == [None, None]
        return
    assert [shown(found[0], by), found[1]] == [tuple(best), tuple(fewest)]


@given(coupled(), st.data())
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_every_barred_set_keeps_at_most_one_unit_and_units_fixed_in_are_kept(q, data):
    units = oracle.candidate_units(q)
    picks = data.draw(st.lists(st.sampled_from(units), max_size=3, unique=True))
    fixed = {u: data.draw(st.booleans()) for u in picks}
    out = frontier_bound.forbidden(q, costs_of(q, ("credits",)), fixed)
    held = {u for u, take in fixed.items() if take}
    if any(len(held & set(b.units)) > 1 for b in q.barred):
        assert out is None
        return
    assert out is not None
    assert not out & held
    left_out = out | {u for u, take in fixed.items() if not take}
    assert all(len(set(b.units) - left_out) <= 1 for b in q.barred)
