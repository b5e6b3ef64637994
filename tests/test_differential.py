"""Differential truth: every solver path against every other, and against brute force.

On random structures covering every rule kind, the same question is answered
by each engine that can take the structure:

* brute force over all subsets and allocations (tests/oracle.py, written from
  docs/semantics.md alone);
* the tree dynamic programme and the unit-type dynamic programme (counts, minimal
  counts, optima with ties), and the frontier programme (counts, first optimum, minimal
  counts by its passes; the least cost and first cheapest pathway of every structure);
* the depth-first search and the product enumerator (pathways, in order);
* python-constraint (compile_problem, enumeration de-duplicated into pathways);
* the plain-Python checker (solver.model.check.is_pathway).

CI runs a few hundred structures; ``make fuzz`` sets QUALPATH_FUZZ_SCALE to run
many thousands.
"""

from __future__ import annotations

import contextlib
import os

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver import exact
from solver.csp.stream import iter_csp_pathways
from solver.exact import frontier, frontier_minimal
from solver.exact.engines import every_pathway_minimal
from solver.exact.interchangeable import solve_types
from solver.exact.minimal import count_minimal
from solver.exact.product import ProductEnumerator, ProductNotSupported
from solver.exact.search import Searcher, SearchNotSupported
from solver.exact.types_minimal import count_minimal_types
from solver.model.check import is_pathway

SCALE = float(os.environ.get("QUALPATH_FUZZ_SCALE", "1"))
BATCH = settings(max_examples=int(200 * SCALE), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@BATCH
@given(qualifications(max_units=7), st.data())
def test_every_engine_agrees_with_brute_force(q, data):
    order = lambda s: oracle.pathway_order_key(q, s)  # noqa: E731
    truth = sorted(oracle.all_pathways(q), key=order)
    minimal = sorted(oracle.minimal_pathways(q), key=order)

    # python-constraint, in the documented order, each pathway once
    assert list(iter_csp_pathways(q)) == truth
    assert list(iter_csp_pathways(q, minimal=True)) == minimal

    # the plain-Python checker, on every subset the brute force decided
    units = oracle.candidate_units(q)
    pick = data.draw(st.lists(st.sampled_from(units), unique=True) if units else st.just([]))
    assert is_pathway(q, frozenset(pick)) == oracle.is_pathway(q, frozenset(pick))
    for s in truth:
        assert is_pathway(q, s)

    # the unit-type programme takes every structure it does not refuse, counts and minimal counts
    with contextlib.suppress(exact.NotSupported):
        assert solve_types(q, exact.COUNT) == len(truth)
    with contextlib.suppress(exact.NotSupported):
        assert count_minimal_types(q) == len(minimal)
    # whichever engine the chooser picks for minimal pathways, and the frontier's passes
    with contextlib.suppress(exact.NotSupported):
        assert exact.solve_minimal(q) == len(minimal)
    with contextlib.suppress(exact.NotSupported):
        assert frontier_minimal.count_minimal(q) == len(minimal)
    if every_pathway_minimal(q) is None:
        assert minimal == truth

    # the tree programme, minimal counts, search and product where they apply
    if exact.supports(q) is None:
        assert exact.solve(q, exact.COUNT) == len(truth)
        assert count_minimal(q) == len(minimal)
    # the frontier programme takes every structure it does not refuse, count and first optimum
    if frontier.supports(q) is None:
        assert frontier.count(q) == len(truth)
        costs = {u: (q.unit(u).credits or 0,) for u in q.unit_ids()}
        found = frontier.optimum(q, costs)
        if not truth:
            assert found is None
        else:
            assert found is not None
            totals = [sum((costs[u][0] for u in s), 0) for s in truth]
            least = min(totals)
            assert found[0] == (least,) and found[1] == totals.count(least)
            assert found[2] == next(s for s, c in zip(truth, totals) if c == least)
    # its least cost and first cheapest pathway of every structure (units several groups list
    # decided once, with a home in each; double-counting groups counting them either way)
    credits = {u: (q.unit(u).credits or 0,) for u in q.unit_ids()}
    with contextlib.suppress(frontier.NotSupported):
        alone = frontier.least_each(q, [credits], sharing=frontier.supports_shape(q) is not None)[0]
        first = frontier.first_cheapest(q, credits)
        if not truth:
            assert alone is None and first is None
        else:
            totals = [sum((credits[u][0] for u in s), 0) for s in truth]
            least = min(totals)
            assert alone == (least,)
            assert first == ((least,), next(s for s, c in zip(truth, totals) if c == least))
    with contextlib.suppress(SearchNotSupported):
        searcher = Searcher(q)
        assert [frozenset(p) for p in searcher.iter_pathways()] == truth
        assert [frozenset(p) for p in searcher.iter_pathways(minimal=True)] == minimal
    with contextlib.suppress(ProductNotSupported):
        assert [frozenset(p) for p in ProductEnumerator(q).iter_pathways()] == truth
        assert [frozenset(p) for p in ProductEnumerator(q, minimal=True).iter_pathways()] == minimal
