"""The frontier count over live cells alone (solver.exact.frontier_sparse) against brute force."""

from __future__ import annotations

import dataclasses
import os
from decimal import Decimal
from typing import Any

import oracle
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.exact import frontier_plan, frontier_problem, frontier_sparse
from solver.exact.frontier_sparse import LiveCells
from solver.model import Barred, Combination, Group, Qualification, Requirement, Unit

SCALE = float(os.environ.get("QUALPATH_FUZZ_SCALE", "1"))  # make fuzz: 50 times as many


def _all_of(node: Requirement) -> Requirement:
    """Every choice made an "all of" (choices are outside the walk's shape)."""
    if isinstance(node, Combination):
        children = tuple(_all_of(c) for c in node.requirements)
        return dataclasses.replace(node, kind="all_of", k=None, requirements=children)
    return node


def _read(q: Qualification) -> tuple[frontier_problem.Problem, frontier_plan.Plan]:
    try:
        problem = frontier_problem.shape_problem(q)
    except frontier_problem.Infeasible:  # the units fixed in already break a rule
        assume(False)
    plan = frontier_plan.choose_order(problem)
    assume(frontier_sparse.supports(problem, plan) is None)
    return problem, plan


def _gate(problem: frontier_problem.Problem, plan: frontier_plan.Plan,
          data: Any) -> tuple[dict[str, list[tuple[Any, int]]], Any]:
    """A random gate, and a test of it written out: a gated unit is taken only while its group's
    total of the units decided before it (in the plan's order) is below the bound."""
    order = [step.unit for step in plan.steps]
    free = [u for u in order if u not in problem.fixed and (problem.node_of_unit.get(u), "credits") in plan.owner]
    gated = data.draw(st.lists(st.sampled_from(free), unique=True) if free else st.just([]), label="gated")
    axes = {u: plan.owner[(problem.node_of_unit[u], "credits")] for u in gated}
    bounds = {u: data.draw(st.integers(0, plan.sizes[axes[u]] - 1), label=f"bound of {u}") for u in gated}

    def passes(p: frozenset[str]) -> bool:
        for u in gated:
            if u in p:
                before = order[:order.index(u)]
                members = problem.nodes[problem.node_of_unit[u]].units
                if sum(problem.weights[v]["credits"] for v in members if v in p and v in before) >= bounds[u]:
                    return False
        return True

    return {u: [(axes[u], bounds[u])] for u in gated}, passes


@settings(max_examples=int(200 * SCALE), deadline=None, suppress_health_check=list(HealthCheck))
@given(qualifications(max_units=8, disjoint_only=True), st.data())
def test_counts_equal_brute_force(q: Qualification, data: Any) -> None:
    # barred sets, prerequisites, level rules, nested "all of" with limits, off-lattice limits
    q = dataclasses.replace(q, requirements=tuple(_all_of(r) for r in q.requirements))
    problem, plan = _read(q)
    gate, passes = _gate(problem, plan, data)
    assert LiveCells(problem, plan, gate).count() == sum(1 for p in oracle.all_pathways(q) if passes(p))


@settings(max_examples=int(150 * SCALE), deadline=None, suppress_health_check=list(HealthCheck))
@given(qualifications(max_units=8, disjoint_only=True), st.data())
def test_what_some_pathway_takes_or_leaves_equals_brute_force(q: Qualification, data: Any) -> None:
    # the walk reads no barred set or prerequisite: its choices are those of the structure without them
    q = dataclasses.replace(q, requirements=tuple(_all_of(r) for r in q.requirements), barred=(), prerequisites=())
    problem, plan = _read(q)
    gate, passes = _gate(problem, plan, data)
    pathways = [p for p in oracle.all_pathways(q) if passes(p)]
    cells = LiveCells(problem, plan, gate)
    assert (len(cells.live[0]) > 0) == bool(pathways)
    found = cells.choices()
    for u in problem.units:
        if u not in problem.fixed:
            assert found[u] == (any(u not in p for p in pathways), any(u in p for p in pathways)), u


def test_a_barred_pair_by_hand() -> None:
    # 1, 2, 3 and 4 credits, at least 4, 1 and 3 barred: of the 8 subsets worth 4 or more
    # ({4} {1,3} {1,4} {2,3} {2,4} {3,4} and the four larger), those with 1 and 3 go:
    # {4} {1,4} {2,3} {2,4} {3,4} {1,2,4} {2,3,4}: 7
    q = Qualification(id="Q", title="T",
                      units=tuple(Unit(id=f"u{c}", title="u", credits=Decimal(c)) for c in (1, 2, 3, 4)),
                      requirements=(Group(id="G", units=("u1", "u2", "u3", "u4"), min_credits=Decimal(4)),),
                      barred=(Barred(units=("u1", "u3")),))
    problem = frontier_problem.shape_problem(q)
    plan = frontier_plan.make_plan(problem, ["u1", "u2", "u3", "u4"])
    cells = LiveCells(problem, plan)
    assert cells.count() == 7
    # without the barred pair, 1, 2 and 3 credits reach every total 0 .. 4 (4 saturated), and
    # taking the 4 finishes each: the last step starts from 5 live cells
    assert len(cells.live[3]) == 5


def test_it_says_why_not() -> None:
    q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "ab"),
                      requirements=(Combination(kind="any_of", id="C", requirements=(
                          Group(id="A", units=("a",), min_units=1), Group(id="B", units=("b",), min_units=1))),))
    problem = frontier_problem.shape_problem(q)
    assert frontier_sparse.supports(problem, frontier_plan.choose_order(problem)) == "a requirement is a choice"
