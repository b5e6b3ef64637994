"""The unit-type programme (overlapping pools) against brute force, counts and optima, with units fixed.

Barred sets and prerequisites are decided by conditioning on the units they
mention, and tables are shared between choices that take the same types of
units; these tests draw structures where that sharing is exercised.
"""

from __future__ import annotations

import contextlib

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver import exact
from solver.answers.cheapest import unit_costs
from solver.exact.interchangeable import presence_types, solve_types
from solver.exact.types_minimal import count_minimal_types

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(qualifications(max_units=7), st.sampled_from([["credits"], ["units"], ["fee"], ["hours", "units"]]),
       st.data())
def test_counts_and_optima_with_units_fixed_equal_brute_force(q, by, data):
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    exclude = [u for u in ([data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else [])
               if u not in include]
    forced = {**dict.fromkeys(include, True), **dict.fromkeys(exclude, False)}
    truth = [s for s in oracle.all_pathways(q) if set(include) <= s and not set(exclude) & s]
    with contextlib.suppress(exact.NotSupported):
        assert solve_types(q, exact.COUNT, forced=forced) == len(truth)
        ring = exact.MinCount(unit_costs(q, by), width=len(by)).semiring()
        cost, ties = solve_types(q, ring, forced=forced)
        best, brute_ties, _ordered = oracle.brute_optimum(q, by, include=include, exclude=exclude)
        assert ties == brute_ties
        if best is not None:
            assert cost == tuple(best)


@FAST
@given(qualifications(max_units=7), st.data())
def test_minimal_counts_with_units_fixed_equal_brute_force(q, data):
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    exclude = [u for u in ([data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else [])
               if u not in include]
    forced = {**dict.fromkeys(include, True), **dict.fromkeys(exclude, False)}
    # minimal among every pathway (a forced unit may be dropped too), then those that hold the forcing
    truth = [s for s in oracle.minimal_pathways(q) if set(include) <= s and not set(exclude) & s]
    with contextlib.suppress(exact.NotSupported):
        assert count_minimal_types(q, forced=forced) == len(truth)


@FAST
@given(qualifications(max_units=7), st.data())
def test_how_many_pathways_hold_each_unit_equals_brute_force(q, data):
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    forced = dict.fromkeys(include, True)
    truth = [s for s in oracle.all_pathways(q) if set(include) <= s]
    with contextlib.suppress(exact.NotSupported):
        total, held = presence_types(q, forced=forced)
        assert total == len(truth)
        assert held == {u: sum(1 for s in truth if u in s) for u in q.unit_ids()}


def test_minimal_count_of_six_from_a_and_four_more_by_hand():
    # "2 from A and 1 more from A-D", A = 3 units, B = 2 units (only in A-D), no maxima.
    # Minimal pathways hold exactly 3 units: 2 or 3 from A with the rest from A-D. By hand:
    # 3 from A: C(3,3) = 1; 2 from A and 1 from B: C(3,2) * C(2,1) = 6; total 7.
    # (A 4-unit set always has a droppable unit: 3 A + 1 B drops the B.)
    from solver.model import Group, Qualification, Unit

    ids = ["a1", "a2", "a3", "b1", "b2"]
    q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in ids), requirements=(
        Group(id="A", units=("a1", "a2", "a3"), min_units=2), Group(id="A-D", units=tuple(ids), min_units=1)))
    assert count_minimal_types(q) == 7 == len(oracle.minimal_pathways(q))


def _packaging(cap_d: int = 1, cap_imported: int = 1):
    """Electives "2 from A and 2 more from A, B, D or imported units"; caps on D and imported inside."""
    from decimal import Decimal

    from solver.model import Combination, Group, Qualification, Unit

    a, b, d, imp = ["a1", "a2", "a3"], ["b1", "b2"], ["d1", "d2"], ["i1", "i2"]
    hours = dict(zip(a + b + d + imp, (10, 20, 30, 15, 25, 5, 40, 8, 12)))
    units = tuple(Unit(id=u, title=u, hours=Decimal(hours[u])) for u in (*a, *b, *d, *imp))
    electives = Combination(kind="all_of", id="E", min_units=4, max_units=4, requirements=(
        Group(id="A", units=tuple(a), min_units=2),
        Group(id="A-D", units=tuple(a + b + d + imp), min_units=2),
        Group(id="D-cap", units=tuple(d), max_units=cap_d, double_counting=True),
        Group(id="imported", units=tuple(imp), max_units=cap_imported, double_counting=True),
    ))
    return Qualification(id="P", title="Packaging", units=units, requirements=(electives,))


def test_caps_inside_the_electives_are_counted_once_and_equal_brute_force():
    # Exactly 4 electives, at least 2 from A (3 units); the caps only bar 2 Ds or 2 imported:
    # by hand, 4-sets of the 9 units with >= 2 from A, minus those with both Ds or both imported.
    from itertools import combinations

    pool = ["a1", "a2", "a3", "b1", "b2", "d1", "d2", "i1", "i2"]
    by_hand = sum(1 for s in combinations(pool, 4)
                  if sum(u[0] == "a" for u in s) >= 2 and sum(u[0] == "d" for u in s) <= 1
                  and sum(u[0] == "i" for u in s) <= 1)
    q = _packaging()
    assert solve_types(q, exact.COUNT) == by_hand == len(oracle.all_pathways(q))
    ring = exact.MinCount(unit_costs(q, ["hours"]), width=1).semiring()
    best, ties, _ordered = oracle.brute_optimum(q, ["hours"])
    assert solve_types(q, ring) == (tuple(best), ties)


def test_a_cap_that_only_partly_overlaps_its_combination_is_declined():
    import dataclasses

    import pytest

    q = _packaging()
    electives = q.requirements[0]
    # the D cap now also lists a1, which counts inside; d1, d2 could count nowhere else but the cap
    mixed = dataclasses.replace(electives.requirements[2], units=("a1", "x1"))
    from solver.model import Unit

    q = dataclasses.replace(q, units=(*q.units, Unit(id="x1", title="x1")), requirements=(
        dataclasses.replace(electives, requirements=(*electives.requirements[:2], mixed,
                                                     electives.requirements[3])),))
    with pytest.raises(exact.NotSupported, match="shares units"):
        solve_types(q, exact.COUNT)


@FAST
@given(qualifications(max_units=7), st.data())
def test_one_pass_answers_every_ring_and_every_fixing(q, data):
    # the structure's pass is made once; counts, least costs with ties, and the first cheapest
    # pathway, with several units fixed in and out (two of a type among them), are walks of it
    from solver.exact import type_record

    units = oracle.candidate_units(q)
    fixed = data.draw(st.lists(st.sampled_from(units), unique=True, max_size=4)) if units else []
    forced = {u: data.draw(st.booleans()) for u in fixed}
    include = [u for u, v in forced.items() if v]
    exclude = [u for u, v in forced.items() if not v]
    truth = [s for s in oracle.all_pathways(q) if set(include) <= s and not set(exclude) & s]
    type_record.forget()
    try:
        made = type_record.compiled(q)
    except exact.NotSupported:
        return
    assert type_record.compiled(q) is made  # kept, not made again
    assert type_record.walk(made, exact.COUNT, forced) == len(truth)
    ring = exact.MinCount(unit_costs(q, ["credits"]), width=1).semiring()
    cost, ties = type_record.walk(made, ring, forced)
    best, brute_ties, ordered = oracle.brute_optimum(q, ["credits"], include=include, exclude=exclude)
    assert ties == brute_ties
    if best is not None:
        assert cost == tuple(best)
        order = list(q.unit_ids())
        first = exact.first_least(unit_costs(q, ["credits"]), order)
        _cost, _ways, bits = type_record.walk(made, first, forced)
        assert frozenset(exact.from_bits(bits, order)) == ordered[0]


def test_a_record_too_large_to_keep_leaves_plain_passes(monkeypatch):
    # records past MAX_RECORD_LINKS edges are not kept, and the structure's later questions are
    # plain passes (not a record pass each, thrown away); the answers are the same
    from solver.exact import type_record
    from solver.model import bundled_rules, load_qualification

    q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")
    monkeypatch.setattr(type_record, "MAX_RECORD_LINKS", 0)
    type_record.forget()
    made = []
    real = type_record.table_of

    def counting(*args, **kwargs):
        made.append(len(args) > 5 or "record" in kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(type_record, "table_of", counting)
    answers = [solve_types(q, exact.COUNT) for _ in range(4)]
    assert answers == [25771] * 4  # the count in the type_record doctest, from a plain pass
    assert type_record.kept(q) is None
    assert made == [True]  # one record pass (the second question's), found too large; then none
