"""The cheapest pathways: proven optimal, with the number of ties and the runners-up.

Criteria are ``credits``, ``units``, ``glh``, ``fee`` and ``hours``; a list
of them is lexicographic (fewest credits, then fewest units). The dynamic
programme over the (least cost, ways) semiring gives the optimum and how many
pathways tie at it in one pass: that *is* the proof, since it accounts for
every pathway. The pathways themselves come from a best-first search whose
bounds are exact optima of the same programme with the decided units fixed,
so they come out cheapest first, ties in the documented order.

Structures outside the programme's family are solved by enumerating every
pathway (exact, bounded by ``timeout``); an enumeration that stops early gives
the best pathway *found*, marked ``partial``: not proven, its ties only those seen.

"Cheapest" means one thing everywhere (``report``, ``cheapest``, ``draw
--highlight cheapest``, the JSON, the notebooks): by :func:`default_criteria`,
fewest credits and, among those, fewest units (fewest units alone for a
structure whose rules count no credits). The tie count is always for the
objective as named; ``ties_by_level`` gives it for each leading part of the
objective, so a tie-break is written out: ``45 credits (753,080 pathways); of
these, fewest units: 11 (442)``.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> best = cheapest_pathways(q, by=["units"])
>>> best.optimum, best.ties
({'units': 5}, 4)
"""

from __future__ import annotations

import dataclasses
import heapq
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from decimal import Decimal
from typing import Any

from .. import exact
from ..exact import frontier
from ..exact.interchangeable import solve_types
from ..exact.minplus import DenseNotSupported, cheapest_dense
from ..exact.trace_back import TracebackNotSupported, first_cheapest
from ..model.errors import UsageError
from ..model.results import Method, Optimum, Pathway, Status
from ..model.structure import Qualification
from .options import DEFAULT_TIMEOUT, dp_method, forced_units

__all__ = ["CRITERIA", "cheapest_pathways", "default_criteria", "first_pathway", "first_pathways", "parse_criteria",
           "unmeasured_criteria"]

#: The criteria a pathway can be optimised by, with what they mean.
CRITERIA = {
    "credits": "total credits",
    "units": "number of units",
    "glh": "guided learning hours",
    "fee": "total fee",
    "hours": "nominal / total hours",
}


def parse_criteria(by: str | Sequence[str]) -> tuple[str, ...]:
    """``"credits,units"`` or ``["credits", "units"]`` as a checked tuple.

    >>> parse_criteria("credits, units")
    ('credits', 'units')
    """
    items = [p.strip() for p in by.split(",")] if isinstance(by, str) else [str(p).strip() for p in by]
    items = [p for p in items if p]
    if not items:
        raise UsageError("no criteria given; expected some of: " + ", ".join(CRITERIA))
    for item in items:
        if item not in CRITERIA:
            raise UsageError(f"unknown criterion {item!r}; expected one of: " + ", ".join(CRITERIA))
    if len(set(items)) != len(items):
        raise UsageError(f"criterion repeated in {', '.join(items)}")
    return tuple(items)


def default_criteria(q: Qualification) -> tuple[str, ...]:
    """What "cheapest" means for ``q``: fewest credits, then fewest units; fewest units without credits.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> default_criteria(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
    ('credits', 'units')
    """
    return ("credits", "units") if q.counts_credits() else ("units",)


def unmeasured_criteria(q: Qualification, criteria: Sequence[str]) -> frozenset[str]:
    """The criteria no unit of ``q`` has a value for: their optimum would be a 0 never measured.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> sorted(unmeasured_criteria(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"),
    ...                            ["fee", "units"]))
    ['fee']
    """
    return frozenset(c for c in criteria
                     if c != "units" and all(getattr(q.unit(u), c) is None for u in q.unit_ids()))


def unit_cost(q: Qualification, uid: str, criteria: Sequence[str]) -> tuple[Decimal | int, ...]:
    unit = q.unit(uid)
    return tuple(1 if c == "units" else (getattr(unit, c) or Decimal(0)) for c in criteria)


def unit_costs(q: Qualification, criteria: Sequence[str]) -> dict[str, tuple[Decimal | int, ...]]:
    """Each candidate unit's cost vector for lexicographic ``criteria``."""
    return {u: unit_cost(q, u, criteria) for u in q.unit_ids()}


def cheapest_pathways(
    q: Qualification,
    *,
    by: str | Sequence[str] | None = None,
    top: int = 1,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    timeout: float | None = DEFAULT_TIMEOUT,
    count_ties: bool = True,
) -> Optimum:
    """The ``top`` cheapest distinct pathways by ``by``, with the proven optimum and its ties.

    Parameters
    ----------
    q
        The qualification.
    by
        Criteria, lexicographic: ``"credits"``, ``["credits", "units"]``, ...; default
        :func:`default_criteria` (fewest credits, then fewest units).
    top
        How many pathways to return, cheapest first; ties in the documented order.
    include, exclude
        Units every pathway must hold / must not hold.
    timeout
        Seconds the enumeration fallback may take (the fast path ignores it).
    count_ties
        With ``False``, ``ties`` may be left uncounted (``None``) where counting them costs
        more than finding the optimum: structures of thousands of units, where the
        optimum takes a tenth of a second and the tie count about a second.

    Returns
    -------
    Optimum
        ``optimum`` is ``None`` (and ``status`` ``infeasible``) when no pathway exists;
        ``ties_by_level[i]`` counts the pathways optimal by the first ``i + 1`` criteria.

    Raises
    ------
    UsageError
        For an unknown criterion.
    """
    criteria = default_criteria(q) if by is None else parse_criteria(by)
    result = dataclasses.replace(_cheapest(q, criteria, top, include, exclude, timeout, count_ties),
                                 unmeasured=unmeasured_criteria(q, criteria))
    if len(criteria) == 1 or result.status is not Status.COMPLETE or result.optimum is None:
        return dataclasses.replace(result, ties_by_level=(result.ties,) if result.optimum is not None else ())
    levels = [_cheapest(q, criteria[:k], 0, include, exclude, timeout, count_ties).ties
              for k in range(1, len(criteria))]
    return dataclasses.replace(result, ties_by_level=(*levels, result.ties))


def _cheapest(q: Qualification, criteria: tuple[str, ...], top: int, include: Collection[str],
              exclude: Collection[str], timeout: float | None, count_ties: bool) -> Optimum:
    if top < 0:
        raise UsageError(f"top must be 0 or more, not {top}")
    forced = forced_units(q, include, exclude)
    costs = unit_costs(q, criteria)
    ring = exact.MinCount(costs, width=len(criteria)).semiring()
    common: dict[str, Any] = {"qualification": q.id, "objective": criteria,
                              "include": tuple(include), "exclude": tuple(exclude)}
    if top <= 1:
        try:
            best, ties, units = _first_cheapest(q, criteria, costs, forced, count_ties)
        except TracebackNotSupported:
            pass
        else:
            if best is None:
                return Optimum(optimum=None, ties=0, pathways=(), status=Status.INFEASIBLE,
                               proof="no pathway satisfies the rules (the exact count is 0)", **common)
            return Optimum(optimum=dict(zip(criteria, best)), ties=ties,
                           pathways=(Pathway.of(q, units),) if top else (), method=dp_method(q),
                           proof="exact: dynamic programming over every pathway (least cost and number of "
                           "ways), traced back to the first optimal pathway", **common)
        method = Method.FRONTIER_DYNAMIC_PROGRAMMING
        if not count_ties and exact.choose(q, exact.Question.COUNT).engine in (None, exact.engine("types")):
            # ties not wanted: the frontier programme reads units several groups list for the
            # optimum and its first pathway, where it cannot count the ties
            try:
                first = frontier.first_cheapest(q, costs, forced=forced, timeout=timeout)
            except (frontier.NotSupported, TimeoutError):
                pass
            else:
                if first is None:
                    return Optimum(optimum=None, ties=0, pathways=(), status=Status.INFEASIBLE,
                                   proof="no pathway satisfies the rules (the least cost has no way)", **common)
                return Optimum(optimum=dict(zip(criteria, first[0])), ties=None,
                               pathways=(Pathway.of(q, first[1]),) if top else (), method=method,
                               proof="exact: dynamic programming unit by unit over every pathway, each unit "
                               "listed in several groups taken for the cheapest of them; ties not counted",
                               **common)
        proof = ("exact: dynamic programming unit by unit over every pathway (least cost and number of ways), "
                 "keeping the first optimal pathway")
        found_first = _frontier_first(q, costs, forced, timeout)
        if found_first is None:
            found_first = _types_first(q, costs, forced, timeout)
            method = Method.TYPE_DYNAMIC_PROGRAMMING
            proof = ("exact: dynamic programming over how many units of each type every pathway takes (least "
                     "cost and number of ways), keeping the first optimal pathway")
        if found_first is not None:
            best, ties, units = found_first
            if best is None:
                return Optimum(optimum=None, ties=0, pathways=(), status=Status.INFEASIBLE,
                               proof="no pathway satisfies the rules (the exact count is 0)", **common)
            return Optimum(optimum=dict(zip(criteria, best)), ties=ties,
                           pathways=(Pathway.of(q, units),) if top else (), method=method, proof=proof, **common)
    started = time.monotonic()
    try:
        best, ties = exact.solve(q, ring, forced=forced, timeout=timeout)
    except exact.NotSupported as exc:
        return _by_enumeration(q, criteria, costs, top, forced, timeout, common, str(exc))
    except TimeoutError:
        # the exact programme stopped at the limit: what the search finds in what is left, marked partial
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return _by_enumeration(q, criteria, costs, top, forced, left, common,
                               f"the exact programme did not finish within {timeout:g} s")
    if ties == 0:
        return Optimum(optimum=None, ties=0, pathways=(), status=Status.INFEASIBLE,
                       proof="no pathway satisfies the rules (the exact count is 0)", **common)
    found = tuple(best_first(q, ring, forced, top))
    optimum = dict(zip(criteria, best))
    return Optimum(optimum=optimum, ties=ties, pathways=found, method=dp_method(q),
                   proof="exact: dynamic programming over every pathway (least cost and number of ways)",
                   **common)


def _frontier_first(q: Qualification, costs: dict[str, tuple[Any, ...]], forced: dict[str, bool],
                    timeout: float | None) -> tuple[tuple[Any, ...] | None, int, Any] | None:
    """Optimum, ties and the first optimal pathway from the frontier programme, in one pass.

    ``None`` when the tree programme takes ``q`` (its best-first walk is quicker there) or the
    frontier programme does not; ``(None, 0, ())`` when no pathway exists.
    """
    if exact.supports(q) is None or frontier.supports(q) is not None:
        return None
    try:
        found = frontier.optimum(q, costs, forced=forced, timeout=timeout)
    except (frontier.NotSupported, TimeoutError):
        return None
    if found is None:
        return None, 0, ()
    return found


def first_pathway(q: Qualification, *, timeout: float | None = None) -> tuple[str, ...] | None:
    """The first pathway in the documented order, from one pass of an exact programme; ``None`` where none takes it.

    Every pathway costs nothing, so all tie and the first optimal pathway the frontier or
    unit-type programme keeps is the first of them all: no search over the pathways before it.
    ``()`` when no pathway exists. Where the tree programme counts ``q``, ``None`` (its
    search finds the first pathway at once).

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> first_pathway(load_qualification(bundled_rules() / "chc33021-individual-support.yaml"))[:2]
    ('CHCCCS031', 'CHCCCS038')
    """
    zero = {u: (0,) for u in q.unit_ids()}
    found = _frontier_first(q, zero, {}, timeout)
    if found is None:
        found = _types_first(q, zero, {}, timeout)
    if found is None:
        return None
    order = {u: i for i, u in enumerate(q.unit_ids())}
    return tuple(sorted(found[2], key=order.__getitem__))


def first_pathways(q: Qualification, k: int, *, timeout: float | None = None) -> tuple[Pathway, ...] | None:
    """The first ``k`` pathways in the documented order, one exact pass each; ``None`` where no pass applies.

    Every pathway costs nothing, so the cheapest-first walk over the frontier or unit-type
    programme's first cheapest pathway (:func:`best_first`) gives them in the documented
    order, however far into it they lie, where a search would enumerate everything before
    them. ``None`` where the tree programme counts ``q`` (a search finds them at once
    there). Past ``timeout`` it returns those found so far.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")
    >>> [p.units[-1] for p in first_pathways(q, 2)]
    ['CHCDIS020', 'CHCAGE007']
    """
    zero = {u: (0,) for u in q.unit_ids()}
    first = _first_solver(q, exact.MinCount(zero, width=1).semiring())
    if first is None:
        return None
    deadline = None if timeout is None else time.monotonic() + timeout
    found: list[Pathway] = []
    for pathway in _best_first_by_first(q, first, {}, k):
        found.append(pathway)
        if deadline is not None and time.monotonic() > deadline:
            break
    return tuple(found)


def _types_first(q: Qualification, costs: dict[str, tuple[Any, ...]], forced: dict[str, bool],
                 timeout: float | None) -> tuple[tuple[Any, ...] | None, int, Any] | None:
    """Optimum, ties and the first optimal pathway from the unit-type programme, in one pass.

    ``None`` when another engine counts ``q`` or the programme gives up; ``(None, 0, ())``
    when no pathway exists.
    """
    choice = exact.choose(q, exact.Question.COUNT)
    if choice.engine is None or choice.engine.name != "types":
        return None
    order = list(q.unit_ids())
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        best, ways, bits = solve_types(q, exact.first_least(costs, order), forced=forced, deadline=deadline)
    except (exact.NotSupported, TimeoutError):
        return None
    if not ways:
        return None, 0, ()
    return best, ways, exact.from_bits(bits, order)


def _first_cheapest(q: Qualification, criteria: tuple[str, ...], costs: dict[str, tuple[Any, ...]],
                    forced: dict[str, bool], count_ties: bool) -> tuple[tuple[Any, ...] | None, int | None, Any]:
    """Optimum, ties and the first optimal pathway of a product of groups, in one pass.

    The array programme (:mod:`solver.exact.minplus`) first; where it cannot pack the costs,
    the dictionary programme (:mod:`solver.exact.trace_back`). Ties the arrays cannot count in
    machine integers come from the exact count with the optimum added as a limit (for
    credits and units, where "at most the optimum" means "at the optimum"), else from
    the arrays again in Python integers.

    Raises
    ------
    TracebackNotSupported
        When ``q`` is not a product of groups.
    """
    try:
        best, ties, units = cheapest_dense(q, costs, forced=forced)
    except DenseNotSupported:
        cost, ways, chosen = first_cheapest(q, costs, forced=forced)
        return (cost if ways else None), ways, chosen
    if best is None or ties is not None or not count_ties:
        return best, ties, units
    if set(criteria) <= {"credits", "units"}:
        limits = {f"max_{c}": v for c, v in zip(criteria, best)}
        ties = exact.solve(dataclasses.replace(q, **limits), exact.COUNT, forced=forced)
    else:
        ties = cheapest_dense(q, costs, forced=forced, big_ties=True)[1]
    return best, ties, units


def best_first(q: Qualification, ring: exact.Semiring[Any], forced: dict[str, bool], top: int) -> Iterator[Pathway]:
    """Pathways cheapest first; ties in the documented order (taking a unit before leaving it)."""
    if top == 0:
        return
    first = _first_solver(q, ring)
    if first is not None:
        yield from _best_first_by_first(q, first, forced, top)
        return
    solve = _solver(q, ring)
    units = list(q.unit_ids())
    order = [u for u in units if u not in forced]
    # heap entries: (bound, decisions key, exact?, decisions)
    start = solve(forced)[0]
    heap: list[tuple[Any, tuple[int, ...], bool]] = [(start, (), True)]
    emitted = 0
    while heap and emitted < top:
        bound, key, exact = heapq.heappop(heap)
        fixed = {**forced, **{u: k == 0 for u, k in zip(order, key)}}
        if not exact:
            cost, ways = solve(fixed)
            if ways:
                heapq.heappush(heap, (cost, key, True))
            continue
        # dive: take-first while the bound stays; leave-branches go on the heap unevaluated
        while len(key) < len(order):
            uid = order[len(key)]
            cost, ways = solve({**fixed, uid: True})
            if ways and cost == bound:
                heapq.heappush(heap, (bound, (*key, 1), False))
                key = (*key, 0)
                fixed[uid] = True
            else:
                if ways:
                    heapq.heappush(heap, (cost, (*key, 0), True))
                key = (*key, 1)
                fixed[uid] = False
        emitted += 1
        yield Pathway.of(q, [u for u, v in fixed.items() if v])


_First = Callable[[dict[str, bool]], tuple[Any, frozenset[str]] | None]


def _first_solver(q: Qualification, ring: exact.Semiring[Any]) -> _First | None:
    """Where the frontier or unit-type programme counts ``q``: units fixed -> (least cost, first cheapest pathway).

    ``None`` where the tree programme counts ``q`` (its cached solves make the unit-by-unit
    walk quick). The function gives ``None`` when no pathway holds the fixed units.
    """
    engine = exact.choose(q, exact.Question.COUNT).engine
    if engine is None or engine.name not in ("frontier", "types"):
        return None
    costs = {u: ring.unit(u)[0] for u in q.unit_ids()}
    order = list(q.unit_ids())

    def by_frontier(fixed: dict[str, bool]) -> tuple[Any, frozenset[str]] | None:
        found = frontier.optimum(q, costs, forced=fixed)
        return None if found is None else (found[0], found[2])

    def by_types(fixed: dict[str, bool]) -> tuple[Any, frozenset[str]] | None:
        # the frontier programme finds the first cheapest pathway of these structures too (it
        # cannot count their ties, which this walk does not need), in a fraction of the time
        try:
            return frontier.first_cheapest(q, costs, forced=fixed)
        except frontier.NotSupported:
            pass
        best, ways, bits = solve_types(q, exact.first_least(costs, order), forced=fixed)
        return (best, frozenset(exact.from_bits(bits, order))) if ways else None

    return by_frontier if engine.name == "frontier" else by_types


def _best_first_by_first(q: Qualification, first: _First, forced: dict[str, bool], top: int) -> Iterator[Pathway]:
    """:func:`best_first` where one pass gives a part's least cost and its first cheapest pathway.

    The pathways are split into parts by the decisions on the units in the documented order.
    A part whose first cheapest pathway is emitted leaves, after it, one part per later
    unit: the same decisions up to that unit, and the other decision on it. Leaving a unit
    that pathway took costs at least as much (its cost is a bound until the part is solved);
    taking one it left costs more, or that pathway would not be the first (so such a part
    waits behind every part of the same bound). Parts of equal cost come out in the order of
    their decisions, which is the documented order of their pathways: one pass per pathway
    emitted, and one per part looked at, instead of one per unit.
    """
    order = [u for u in q.unit_ids() if u not in forced]
    start = first(forced)
    if start is None:
        return
    # heap entries: (cost or bound, 0 if it may be the cost else 1, decisions); solved parts' pathways aside
    heap: list[tuple[Any, int, tuple[int, ...]]] = [(start[0], 0, ())]
    solved: dict[tuple[int, ...], frozenset[str]] = {(): start[1]}
    emitted = 0
    while heap and emitted < top:
        cost, _tier, key = heapq.heappop(heap)
        if key not in solved:
            found = first({**forced, **{u: k == 0 for u, k in zip(order, key)}})
            if found is not None:
                solved[key] = found[1]
                heapq.heappush(heap, (found[0], 0, key))
            continue
        pathway = solved.pop(key)
        emitted += 1
        yield Pathway.of(q, pathway | {u for u, v in forced.items() if v})
        decisions = [0 if u in pathway else 1 for u in order]
        for j in range(len(key), len(order)):
            branch = (*decisions[:j], 1 - decisions[j])
            heapq.heappush(heap, (cost, decisions[j], branch))


def _solver(q: Qualification, ring: exact.Semiring[Any]) -> Callable[[dict[str, bool]], Any]:
    """Repeated exact solves: a caching engine when the tree decomposes, else the unit-type programme."""
    try:
        return exact.Engine(q, ring).solve
    except exact.NotSupported:
        return lambda fixed: exact.solve(q, ring, forced=fixed)


def _by_enumeration(q: Qualification, criteria: tuple[str, ...], costs: dict[str, tuple[Any, ...]], top: int,
                    forced: dict[str, bool], timeout: float | None, common: dict[str, Any],
                    reason: str) -> Optimum:
    from .pathways import iter_units

    deadline = None if timeout is None else time.monotonic() + timeout
    found, method = iter_units(q, minimal=False, forced=forced, deadline=deadline)
    width = len(criteria)
    best: list[tuple[tuple[Any, ...], int, tuple[str, ...]]] = []  # max-heap by (cost, index) via negation
    optimum: tuple[Any, ...] | None = None
    ties = 0
    for index, units in enumerate(found):
        cost = tuple(sum((costs[u][i] for u in units), Decimal(0)) for i in range(width))
        if optimum is None or cost < optimum:
            optimum, ties = cost, 1
        elif cost == optimum:
            ties += 1
        entry = (cost, index, units)
        if len(best) < top:
            best.append(entry)
            best.sort()
        elif top and entry < best[-1]:
            best[-1] = entry
            best.sort()
    complete = deadline is None or time.monotonic() <= deadline
    status = Status.COMPLETE if complete else Status.PARTIAL
    if optimum is None:
        return Optimum(optimum=None, ties=0, pathways=(), method=method, status=Status.INFEASIBLE if complete
                       else Status.PARTIAL, proof=f"enumeration found no pathway ({reason})", **common)
    return Optimum(optimum=dict(zip(criteria, optimum)), ties=ties,
                   pathways=tuple(Pathway.of(q, units) for _c, _i, units in best), method=method,
                   status=status, proof=f"exact: every pathway enumerated ({reason})" if complete
                   else f"partial: enumeration stopped at the time limit ({reason})", **common)
