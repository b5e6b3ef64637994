"""Audit one learner exactly: the dynamic programme over every pathway, or enumeration outside its family.

How the cheapest completion is proved is told in :mod:`solver.audit`.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from .. import exact
from ..answers.cheapest import best_first, parse_criteria, unit_cost
from ..answers.options import DEFAULT_TIMEOUT, dp_method
from ..model.results import Pathway, Status
from ..model.structure import Qualification
from .progress import blocked_units, progress
from .results import Audit, Completion

__all__ = ["MAX_LOOKED_AT", "audit"]

#: Most pathways the best-first search looks at to find distinct alternatives.
MAX_LOOKED_AT = 200

_ZERO = Decimal(0)


# -- costs --------------------------------------------------------------------------------------
def _costs(q: Qualification, criteria: Sequence[str], held: frozenset[str]) -> dict[str, tuple[Any, ...]]:
    """Per-unit cost tuples, the criteria first and then the two tie-breakers.

    A unit to add costs its criteria and one unit added; an achieved one costs nothing and
    minus one achieved unit used.
    """
    zeros = tuple(0 if c == "units" else _ZERO for c in criteria)
    return {u: (*zeros, 0, -1) if u in held else (*unit_cost(q, u, criteria), 1, 0) for u in q.unit_ids()}


def _price(costs: Mapping[str, tuple[Any, ...]], units: Iterable[str], width: int) -> tuple[Any, ...]:
    return tuple(sum((costs[u][i] for u in units), _ZERO if i < width - 2 else 0) for i in range(width))


def criteria_values(q: Qualification, criteria: Sequence[str], units: Iterable[str]) -> dict[str, Decimal | int]:
    chosen = list(units)
    out: dict[str, Decimal | int] = {}
    for i, name in enumerate(criteria):
        if name == "units":
            out[name] = len(chosen)
        else:
            out[name] = sum((Decimal(unit_cost(q, u, criteria)[i]) for u in chosen), _ZERO)
    return out


# -- the audit ----------------------------------------------------------------------------------
def audit(
    q: Qualification,
    achieved: Iterable[str],
    *,
    by: str | Sequence[str] = ("credits",),
    alternatives: int = 3,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> Audit:
    """Audit a learner who holds ``achieved`` against ``q``.

    Parameters
    ----------
    q : Qualification
        The structure.
    achieved : iterable of str
        Unit ids the learner holds; ids ``q`` does not list are reported, not refused.
    by : str or sequence of str
        Criteria for the cost of what remains (lexicographic), as ``cheapest``.
    alternatives : int
        How many further completions (each adding a different set of units) to show.
    timeout : float or None
        Seconds the enumeration fallback may take (the fast path ignores it).

    Returns
    -------
    Audit

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> a = audit(q, ["deliver-customer-service", "health-and-safety", "unknown-unit"])
    >>> a.remaining, a.unknown, a.not_counting
    ({'credits': Decimal('38')}, ('unknown-unit',), ('unknown-unit',))
    >>> [(p.rule, str(p.status)) for p in a.progress][:2]
    [('group mandatory', 'not yet'), ('all_of optional', 'not yet')]
    """
    criteria = parse_criteria(by)
    held = tuple(dict.fromkeys(achieved))
    candidates = set(q.unit_ids())
    unknown = tuple(u for u in held if u not in candidates)
    mine = frozenset(u for u in held if u in candidates)
    costs = _costs(q, criteria, mine)
    width = len(criteria) + 2
    ring = exact.MinCount(costs, width=width).semiring()
    common: dict[str, Any] = {"qualification": q.id, "held": held, "objective": criteria, "unknown": unknown,
                              "blocked": blocked_units(q, mine)}
    try:
        best, ways = exact.solve(q, ring)
    except exact.NotSupported as exc:
        return _by_enumeration(q, criteria, mine, costs, alternatives, timeout, common, str(exc))
    if ways == 0:
        return Audit(achieved=False, remaining=None, completions=(), ties=0, progress=(),
                     not_counting=unknown, status=Status.INFEASIBLE,
                     proof="no pathway satisfies the rules (the exact count is 0)", **common)
    completions = _completions(q, criteria, mine, ring, 1 + alternatives)
    primary = best[: len(criteria)]
    primary_ring = exact.MinCount({u: c[: len(criteria)] for u, c in costs.items()}, width=len(criteria)).semiring()
    _cost, ties = exact.solve(q, primary_ring)
    first = completions[0]
    unused = [u for u in mine if u not in first.pathway.units]
    could = {u for u in unused if exact.solve(q, primary_ring, forced={u: True})[0] == primary}
    not_counting = tuple(u for u in held if u in unknown or (u in unused and u not in could))
    return Audit(achieved=not first.add, remaining=dict(zip(criteria, primary)), completions=completions,
                 ties=ties, progress=progress(q, mine, first.pathway.units), not_counting=not_counting,
                 method=dp_method(q), proof="exact: dynamic programming over every pathway "
                 "(least cost of the missing units, and number of ways)", **common)


def _completions(q: Qualification, criteria: Sequence[str], mine: frozenset[str], ring: exact.Semiring[Any],
                 wanted: int) -> tuple[Completion, ...]:
    """Distinct completions, cheapest first (pathways adding the same units are one completion)."""
    found: dict[tuple[str, ...], Completion] = {}
    for pathway in best_first(q, ring, {}, MAX_LOOKED_AT):
        add = tuple(u for u in pathway.units if u not in mine)
        if add not in found:
            found[add] = Completion(add=add, cost=criteria_values(q, criteria, add), pathway=pathway)
            if len(found) >= wanted:
                break
    return tuple(found.values())


def _by_enumeration(q: Qualification, criteria: Sequence[str], mine: frozenset[str],
                    costs: dict[str, tuple[Any, ...]], alternatives: int, timeout: float | None,
                    common: dict[str, Any], reason: str) -> Audit:
    from ..answers.pathways import iter_units

    deadline = None if timeout is None else time.monotonic() + timeout
    found, method = iter_units(q, minimal=False, forced={}, deadline=deadline)
    width = len(criteria) + 2
    best: dict[tuple[str, ...], tuple[tuple[Any, ...], int, tuple[str, ...]]] = {}
    optimum: tuple[Any, ...] | None = None
    ties = 0
    usable: set[str] = set()
    for index, units in enumerate(found):
        cost = _price(costs, units, width)
        primary = cost[: len(criteria)]
        if optimum is None or primary < optimum:
            optimum, ties, usable = primary, 1, set(units)
        elif primary == optimum:
            ties += 1
            usable.update(units)
        add = tuple(u for u in units if u not in mine)
        if add not in best or (cost, index) < best[add][:2]:
            best[add] = (cost, index, units)
            if len(best) > 4 * (1 + alternatives) + 64:  # keep the table small
                keep = sorted(best.items(), key=lambda kv: kv[1][:2])[: 1 + alternatives]
                best = dict(keep)
    complete = deadline is None or time.monotonic() <= deadline
    status = Status.COMPLETE if complete else Status.PARTIAL
    unknown: tuple[str, ...] = common["unknown"]
    if optimum is None:
        return Audit(achieved=False, remaining=None, completions=(), ties=0, progress=(),
                     not_counting=unknown, method=method,
                     status=Status.INFEASIBLE if complete else Status.PARTIAL,
                     proof=f"enumeration found no pathway ({reason})", **common)
    ranked = sorted(best.items(), key=lambda kv: kv[1][:2])[: 1 + alternatives]
    completions = tuple(Completion(add=add, cost=criteria_values(q, criteria, add), pathway=Pathway.of(q, units))
                        for add, (_c, _i, units) in ranked)
    held: tuple[str, ...] = common["held"]
    not_counting = tuple(u for u in held if u in unknown or (u in mine and u not in usable))
    first = completions[0]
    proof = (f"exact: every pathway enumerated ({reason})" if complete
             else f"partial: enumeration stopped at the time limit ({reason})")
    return Audit(achieved=not first.add, remaining=dict(zip(criteria, optimum)), completions=completions,
                 ties=ties, progress=progress(q, mine, first.pathway.units), not_counting=not_counting,
                 method=method, status=status, proof=proof, **common)
