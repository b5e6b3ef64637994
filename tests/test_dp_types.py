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
from solver.exact.interchangeable import solve_types

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
