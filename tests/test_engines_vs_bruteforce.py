"""Every fast engine against brute force over all subsets (tests/oracle.py), on random structures.

The oracle is an independent implementation of docs/semantics.md; the engines
under test are the dynamic programmes (counts, minimal counts, optima with
ties, breakdowns) and the depth-first search (enumeration order, minimality).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from decimal import Decimal

import oracle
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver import exact
from solver.answers.cheapest import cheapest_pathways, unit_costs
from solver.answers.count import breakdown, count_pathways
from solver.answers.pathways import iter_pathways
from solver.exact import frontier, tree
from solver.exact.minimal import count_minimal
from solver.exact.product import ProductEnumerator, ProductNotSupported
from solver.exact.search import Searcher
from solver.exact.trace_back import TracebackNotSupported, first_cheapest
from solver.model.results import Method

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(qualifications(disjoint_only=True))
def test_dp_count_equals_brute_force(q):
    expected = len(oracle.all_pathways(q))
    assert exact.solve(q, exact.COUNT) == expected
    # the tree programme itself, also where coupled units leave the count to the frontier programme
    assert tree.solve(q, exact.COUNT) == expected
    result = count_pathways(q)
    assert result.pathways == expected
    coupled = bool(exact.coupled_units(q)) and frontier.supports(q) is None
    assert result.method is (Method.FRONTIER_DYNAMIC_PROGRAMMING if coupled else Method.DYNAMIC_PROGRAMMING)


@FAST
@given(qualifications(disjoint_only=True))
def test_dp_minimal_count_equals_brute_force(q):
    assert count_minimal(q) == len(oracle.minimal_pathways(q))


@FAST
@given(qualifications(disjoint_only=True), st.data())
def test_forced_units_count(q, data):
    units = oracle.candidate_units(q)
    if not units:
        return
    uid = data.draw(st.sampled_from(units))
    take = data.draw(st.booleans())
    expected = sum(1 for s in oracle.all_pathways(q) if (uid in s) == take)
    assert exact.solve(q, exact.COUNT, forced={uid: take}) == expected


@FAST
@given(qualifications(disjoint_only=True))
def test_search_enumerates_in_documented_order(q):
    expected = sorted(oracle.all_pathways(q), key=lambda s: oracle.pathway_order_key(q, s))
    got = [frozenset(p) for p in Searcher(q).iter_pathways()]
    assert got == expected
    minimal = sorted(oracle.minimal_pathways(q), key=lambda s: oracle.pathway_order_key(q, s))
    assert [frozenset(p) for p in Searcher(q).iter_pathways(minimal=True)] == minimal


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(disjoint_only=True), st.sampled_from([["credits"], ["units"], ["credits", "units"],
                                                            ["glh"], ["fee", "units"]]))
def test_cheapest_equals_brute_force(q, by):
    best, ties, _ordered = oracle.brute_optimum(q, by)
    result = cheapest_pathways(q, by=by, top=3)
    if best is None:
        assert result.optimum is None and result.ties == 0 and result.pathways == ()
        return
    assert tuple(result.optimum.values()) == tuple(best)
    assert result.ties == ties
    # the top 3: cheapest first, ties in the documented order (brute force sorted the same way)
    everything = sorted(oracle.all_pathways(q), key=lambda s: (
        tuple(oracle.totals(q, s)[c] for c in by), oracle.pathway_order_key(q, s)))
    assert [frozenset(p.units) for p in result.pathways] == everything[:3]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(disjoint_only=True))
def test_breakdown_equals_brute_force(q):
    pathways = oracle.all_pathways(q)
    b = breakdown(q)
    assert b.pathways == len(pathways)
    hist = Counter(oracle.totals(q, s)["credits"] for s in pathways)
    assert dict(b.by_credits) == {Decimal(k): v for k, v in hist.items()}
    per_unit = {u: sum(1 for s in pathways if u in s) for u in oracle.candidate_units(q)}
    assert dict(b.per_unit) == per_unit


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications())
def test_general_structures_count_and_enumerate(q):
    """Overlapping pools and double counting go to the constraint engine; same answers."""
    expected = sorted(oracle.all_pathways(q), key=lambda s: oracle.pathway_order_key(q, s))
    assert count_pathways(q, timeout=None).pathways == len(expected)
    assert [frozenset(p.units) for p in iter_pathways(q)] == expected
    assert count_pathways(q, minimal=True, timeout=None).pathways == len(oracle.minimal_pathways(q))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(), st.sampled_from([["credits"], ["units", "fee"]]))
def test_overlapping_pools_count_and_optimum(q, by):
    """Unit-type dynamic programming (overlapping pools, double counting) against brute force."""
    pathways = oracle.all_pathways(q)
    # a cap inside a combination that some of its units count towards is left to enumeration (below)
    with contextlib.suppress(exact.NotSupported):
        assert exact.solve(q, exact.COUNT) == len(pathways)
    assert count_pathways(q, timeout=None).pathways == len(pathways)
    best, ties, _ordered = oracle.brute_optimum(q, by)
    result = cheapest_pathways(q, by=by, top=2)
    if best is None:
        assert result.optimum is None
        return
    assert (tuple(result.optimum.values()), result.ties) == (tuple(best), ties)
    everything = sorted(pathways, key=lambda s: (
        tuple(oracle.totals(q, s)[c] for c in by), oracle.pathway_order_key(q, s)))
    assert [frozenset(p.units) for p in result.pathways] == everything[:2]
    # the first cheapest alone comes from one pass of the exact programme (not a best-first walk)
    first = cheapest_pathways(q, by=by, top=1)
    assert (tuple(first.optimum.values()), first.ties) == (tuple(best), ties)
    assert [frozenset(p.units) for p in first.pathways] == everything[:1]
    # ties not wanted: the same optimum and first pathway (from the frontier programme where
    # units are shared), the ties counted or said not to be
    alone = cheapest_pathways(q, by=by, top=1, count_ties=False)
    assert tuple(alone.optimum.values()) == tuple(best) and alone.ties in (ties, None)
    assert [frozenset(p.units) for p in alone.pathways] == everything[:1]


@FAST
@given(qualifications(disjoint_only=True, nesting=False), st.sampled_from([False, True]), st.data())
def test_product_enumeration_in_documented_order(q, arrays, data):
    """With ``arrays``, every group is listed by the array path (used from 10 units up)."""
    import solver.exact.product as module

    units = oracle.candidate_units(q)
    forced = {}
    if units and data.draw(st.booleans()):
        forced = {data.draw(st.sampled_from(units)): data.draw(st.booleans())}
    saved = module._ARRAY_FROM
    module._ARRAY_FROM = 0 if arrays else saved
    try:
        for minimal, expected in ((False, oracle.all_pathways(q)), (True, oracle.minimal_pathways(q))):
            try:
                enumerator = ProductEnumerator(q, minimal=minimal, forced=forced)
            except ProductNotSupported:
                return
            expected = [s for s in expected if all((u in s) == v for u, v in forced.items())]
            expected.sort(key=lambda s: oracle.pathway_order_key(q, s))
            assert [frozenset(p) for p in enumerator.iter_pathways()] == expected
    finally:
        module._ARRAY_FROM = saved


def test_array_listing_drops_a_unit_that_leaves_the_minimum_exactly_met():
    """At least 2 credits from three 1-credit units: a pair is minimal, the three are not
    (dropping any one leaves exactly 2). So 4 pathways, 3 of them minimal."""
    import solver.exact.product as module
    from solver.model import Group, Qualification, Unit

    q = Qualification(id="Q", title="Q", units=tuple(Unit(id=u, title=u, credits=Decimal(1)) for u in "abc"),
                      requirements=(Group(id="G", title="G", units=("a", "b", "c"), min_credits=Decimal(2)),))
    saved = module._ARRAY_FROM
    module._ARRAY_FROM = 0
    try:
        assert list(ProductEnumerator(q).iter_pathways()) == [("a", "b", "c"), ("a", "b"), ("a", "c"), ("b", "c")]
        assert list(ProductEnumerator(q, minimal=True).iter_pathways()) == [("a", "b"), ("a", "c"), ("b", "c")]
    finally:
        module._ARRAY_FROM = saved


@FAST
@given(qualifications(disjoint_only=True, nesting=False), st.sampled_from([["credits"], ["units"],
                                                                          ["credits", "units"], ["fee"]]),
       st.data())
def test_traced_back_first_cheapest_equals_brute_force(q, by, data):
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    try:
        cost, ties, chosen = first_cheapest(q, unit_costs(q, by), forced=dict.fromkeys(include, True))
    except TracebackNotSupported:
        return
    best, brute_ties, ordered = oracle.brute_optimum(q, by, include=include)
    if best is None:
        assert ties == 0
        return
    assert (cost, ties) == (tuple(best), brute_ties)
    assert frozenset(chosen) == ordered[0]  # the first optimal pathway in the documented order


@FAST
@given(qualifications(disjoint_only=True))
def test_array_counting_paths_equal_brute_force(q):
    """The numpy paths for large groups and large convolutions, forced on for small structures."""
    import solver.exact.tree as module

    saved = module._DENSE_FROM, module._VECTOR_FROM
    module._DENSE_FROM, module._VECTOR_FROM = 1, 0
    try:
        assert module.solve(q, exact.COUNT) == len(oracle.all_pathways(q))
    finally:
        module._DENSE_FROM, module._VECTOR_FROM = saved


@pytest.mark.parametrize(("limit", "expected"), [
    # credits 1, 2, 2; at least 3 credits: {a,b} {a,c} {b,c} {a,b,c}
    ({"min_credits": Decimal(3)}, 4),
    # at least 2 units: the same four
    ({"min_units": 2}, 4),
    # at least 5 credits: only {a,b,c}
    ({"min_credits": Decimal(5)}, 1),
])
def test_a_group_with_only_a_minimum_is_every_subset_less_the_short_ones(monkeypatch, limit, expected):
    """The counting shortcut for such groups (solver/dp_dense.py), forced on for three units."""
    import solver.exact.tree as module
    from solver.model import Group, Qualification, Unit

    monkeypatch.setattr(module, "_DENSE_FROM", 1)
    monkeypatch.setattr(module, "_VECTOR_FROM", 0)
    units = tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in (("a", 1), ("b", 2), ("c", 2)))
    q = Qualification(id="Q", title="Q", units=units, min_credits=Decimal(1),
                      requirements=(Group(id="G", title="G", units=("a", "b", "c"), **limit),))
    assert module.solve(q, exact.COUNT) == expected == len(oracle.all_pathways(q))


@FAST
@given(qualifications(disjoint_only=True), st.sampled_from([["credits"], ["units", "credits"], ["fee"],
                                                            ["hours", "units"]]))
def test_array_least_cost_convolutions_equal_brute_force(q, by):
    """Least cost and ways by array convolutions (solver/dp_dense.py), forced on for small structures."""
    import solver.exact.tree as module

    if module.supports(q) is not None:
        return
    saved = module._VECTOR_LEAST_FROM
    module._VECTOR_LEAST_FROM = 0
    try:
        cost, ways = module.solve(q, exact.MinCount(unit_costs(q, by), width=len(by)).semiring())
    finally:
        module._VECTOR_LEAST_FROM = saved
    best, ties, _ordered = oracle.brute_optimum(q, by)
    assert ways == ties
    if best is not None:
        assert cost == tuple(best)


def test_array_least_cost_convolution_counts_only_the_cheapest_pairs(monkeypatch):
    """A: exactly one of a1 (fee 1), a2 (fee 2); B: at least one of b1, b2 (fee 1 each).

    Unit totals saturate at 2, so {a1, b1} (fee 2) and {a1, b1, b2} (fee 3) meet in one
    state; only the cheaper may be counted. By hand: least fee 2, by a1 with b1 or b2: 2 ways.
    """
    import solver.exact.tree as module
    from solver.model import Group, Qualification, Unit

    monkeypatch.setattr(module, "_VECTOR_LEAST_FROM", 0)
    fees = {"a1": 1, "a2": 2, "b1": 1, "b2": 1}
    q = Qualification(id="Q", title="Q", units=tuple(Unit(id=u, title=u, fee=Decimal(f)) for u, f in fees.items()),
                      requirements=(Group(id="A", title="A", units=("a1", "a2"), min_units=1, max_units=1),
                                    Group(id="B", title="B", units=("b1", "b2"), min_units=1)))
    assert module.solve(q, exact.MinCount(unit_costs(q, ["fee"]), width=1).semiring()) == ((Decimal(2),), 2)
    assert oracle.brute_optimum(q, ["fee"])[:2] == ((Decimal(2),), 2)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications())
def test_the_first_pathway_from_one_exact_pass_is_the_first_in_the_documented_order(q):
    from solver.answers.cheapest import first_pathway

    expected = sorted(oracle.all_pathways(q), key=lambda s: oracle.pathway_order_key(q, s))
    found = first_pathway(q)
    if found is None:  # the tree programme counts it: its search finds the first at once
        return
    assert frozenset(found) == (expected[0] if expected else frozenset())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(qualifications(), qualifications(disjoint_only=True)),
       st.sampled_from([["credits"], ["units", "fee"], ["hours"]]), st.data())
def test_top_pathways_where_one_pass_gives_the_first_equal_brute_force(q, by, data):
    # the frontier and unit-type programmes give a part's first cheapest pathway in one pass; the
    # best-first walk over parts must still list the cheapest pathways, ties in the documented order
    from solver.exact import Question, choose

    engine = choose(q, Question.COUNT).engine
    assume(engine is not None and engine.name in ("frontier", "types"))
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    everything = sorted((s for s in oracle.all_pathways(q) if set(include) <= s), key=lambda s: (
        tuple(oracle.totals(q, s)[c] for c in by), oracle.pathway_order_key(q, s)))
    result = cheapest_pathways(q, by=by, top=4, include=include)
    assert [frozenset(p.units) for p in result.pathways] == everything[:4]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(disjoint_only=True), st.sampled_from([["credits"], ["units", "fee"]]))
def test_top_pathways_walked_with_the_frontier_programme_equal_brute_force(q, by):
    # the chooser gives small structures to the tree programme; the walk is run here with the
    # frontier programme's first cheapest pathway on every structure it takes
    from solver.answers.cheapest import _best_first_by_first, unit_costs
    from solver.exact import frontier

    assume(frontier.supports(q) is None)
    costs = unit_costs(q, by)

    def first(fixed):
        found = frontier.optimum(q, costs, forced=fixed)
        return None if found is None else (found[0], found[2])

    everything = sorted(oracle.all_pathways(q), key=lambda s: (
        tuple(oracle.totals(q, s)[c] for c in by), oracle.pathway_order_key(q, s)))
    got = [frozenset(p.units) for p in _best_first_by_first(q, first, {}, 5)]
    assert got == everything[:5]


def test_top_pathways_of_a_coupled_structure_the_frontier_programme_counts():
    # 16 units in 8 barred pairs, at least 6 credits: the chooser gives it to the frontier programme
    from solver.exact import Question, choose
    from solver.model import Barred, Group, Qualification, Unit

    ids = [f"{side}{i}" for i in range(8) for side in "ab"]
    units = tuple(Unit(id=u, title=u, credits=Decimal(1 + k % 3)) for k, u in enumerate(ids))
    q = Qualification(id="P", title="Pairs", units=units, min_credits=Decimal(6),
                      requirements=(Group(id="G", units=tuple(ids)),),
                      barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(8)))
    assert choose(q, Question.COUNT).engine.name == "frontier"
    everything = sorted(oracle.all_pathways(q), key=lambda s: (
        oracle.totals(q, s)["credits"], oracle.totals(q, s)["units"], oracle.pathway_order_key(q, s)))
    result = cheapest_pathways(q, by=["credits", "units"], top=6)
    assert [frozenset(p.units) for p in result.pathways] == everything[:6]
