"""What a user would otherwise do: python-constraint's own search, and brute force over subsets.

python-constraint runs with its own default solver (``OptimizedBacktrackingSolver``) on the
problem :func:`solver.csp.problem.compile_problem` builds, through ``getSolutionIter``. A solution
is an assignment; with allocation variables one pathway (a set of units) comes back once
per allocation, so pathways are de-duplicated as sets (``FACTS.md``).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from constraint import MaxSumConstraint, OptimizedBacktrackingSolver

from solver.csp.problem import compile_problem
from solver.model import Qualification
from solver.model.check import PathwayChecker

__all__ = ["brute_force", "pc_count", "pc_minimal_rate", "pc_optimum", "pc_rate"]


def _solutions(q: Qualification) -> tuple[Any, list[tuple[str, str]]]:
    cp = compile_problem(q)
    cp.problem.setSolver(OptimizedBacktrackingSolver())
    return cp.problem.getSolutionIter(), list(cp.variable_units.items())


def pc_rate(q: Qualification, seconds: float) -> tuple[int, float]:
    """Distinct pathways python-constraint enumerates in about ``seconds``: ``(pathways, elapsed)``.

    Stops early when the enumeration ends (then the count is complete).
    """
    it, units = _solutions(q)
    seen: set[frozenset[str]] = set()
    start = time.perf_counter()
    for s in it:
        seen.add(frozenset(u for v, u in units if s[v]))
        # every solution: on coupled structures they can come seconds apart
        if time.perf_counter() - start > seconds:
            break
    return len(seen), time.perf_counter() - start


def pc_count(q: Qualification, report: Callable[[Any], None] | None = None) -> int:
    """Every distinct pathway, by enumeration (for structures where it finishes)."""
    it, units = _solutions(q)
    seen = {frozenset(u for v, u in units if s[v]) for s in it}
    return len(seen)


def pc_minimal_rate(q: Qualification, seconds: float) -> tuple[int, int, float]:
    """Filter python-constraint's pathways for minimality for ``seconds``.

    Returns ``(minimal pathways found, pathways looked at, elapsed)``.
    """
    it, units = _solutions(q)
    checker = PathwayChecker(q)
    seen: set[frozenset[str]] = set()
    found = 0
    start = time.perf_counter()
    for s in it:
        p = frozenset(u for v, u in units if s[v])
        if p in seen:
            continue
        seen.add(p)
        if not any(checker.is_pathway(p - {u}) for u in p):
            found += 1
        if time.perf_counter() - start > seconds:
            break
    return found, len(seen), time.perf_counter() - start


def _weights(q: Qualification, by: str) -> tuple[dict[str, int], int]:
    values = {u: Fraction(1 if by == "units" else getattr(q.unit(u), by) or 0) for u in q.unit_ids()}
    scale = 1
    for v in values.values():
        scale = scale * v.denominator // __import__("math").gcd(scale, v.denominator)
    return {u: int(v * scale) for u, v in values.items()}, scale


def pc_optimum(q: Qualification, by: str, report: Callable[[Any], None]) -> Decimal | None:
    """The optimum by re-solving with a tighter bound until nothing is left (the user's way).

    Reports each improvement; returns the proven optimum (``None`` when infeasible).
    """
    weights, scale = _weights(q, by)
    best: int | None = None
    while True:
        cp = compile_problem(q)
        cp.problem.setSolver(OptimizedBacktrackingSolver())
        if best is not None:
            vs = list(cp.unit_variables.values())
            cp.problem.addConstraint(MaxSumConstraint(best - 1, [weights[u] for u in cp.unit_variables]), vs)
        s = cp.problem.getSolution()
        if s is None:
            return None if best is None else Decimal(best) / scale
        best = sum(weights[u] for v, u in cp.variable_units.items() if s[v])
        report(Decimal(best) / scale)


def brute_force(q: Qualification, by: str) -> dict[str, Any]:
    """Count, optimum with ties, and minimal count, over every subset of the optional units."""
    checker = PathwayChecker(q)
    fixed = [u for u in q.unit_ids() if u in q.mandatory_unit_ids()]
    free = [u for u in q.unit_ids() if u not in q.mandatory_unit_ids()]
    weights, scale = _weights(q, by)
    pathways: set[frozenset[str]] = set()
    for r in range(len(free) + 1):
        for combo in itertools.combinations(free, r):
            s = frozenset((*fixed, *combo))
            if checker.is_pathway(s):
                pathways.add(s)
    costs = [sum(weights[u] for u in p) for p in pathways]
    best = min(costs) if costs else None
    minimal = sum(1 for p in pathways if not any(p - {u} in pathways for u in p))
    return {"count": len(pathways), "optimum": None if best is None else Decimal(best) / scale,
            "ties": costs.count(best) if costs else 0, "minimal": minimal}
