"""Exact counts and optima for structures whose units are coupled by barred sets and prerequisites.

The engine decides the candidate units one at a time and carries a table of
everything the rules still need to know about the units decided so far: the
saturated totals of the requirements that are *open* (some of their units decided,
some not), how many children of an open choice hold, and the in/out bits of the
*frontier*: the coupled units whose barred sets or prerequisites are not all decided
yet (:mod:`solver.exact.frontier_plan`). A barred set or prerequisite is checked as soon as
its last unit is decided, and a unit's bit is dropped when nothing reads it any more.
A requirement is checked when its last unit is decided, and its totals are dropped.

The work is the sum over the units of the table size at that unit: polynomial in the
structure for a bounded frontier, whatever the number of pathways or of coupled units.
Tables are numpy arrays (:mod:`solver.exact.frontier_rings`): exact counts, and least costs
with their number of ties and the first cheapest pathway in the documented order.

Shape: every candidate unit is listed in exactly one group and no group double-counts;
any tree of groups and combinations, qualification-wide limits, level rules, barred
sets, prerequisites (``requires`` and ``requires_one_of``), limits off the credit
lattice. :func:`supports` says why a structure is outside it (including a largest
table over :data:`MAX_TABLE`). For a least cost alone (:func:`least_each` with
``sharing``) every structure is read, units several groups list and double-counting
groups included (:mod:`solver.exact.frontier_shared`).

This module imports nothing from ``solver`` but the model (it is to move to
``solver/exact/``).

Examples
--------
A chain of prerequisites ``a <- b <- c`` in a group "at least 2 units" of four units:
the pathways are the subsets of ``{a, b, c, d}`` of two or more units in which ``b``
needs ``a`` and ``c`` needs ``b``: ``{a,b}``, ``{a,d}``, ``{a,b,c}``, ``{a,b,d}``,
``{a,b,c,d}``: 5.

>>> from solver.model import Group, Prerequisite, Qualification, Unit
>>> q = Qualification(id="Q", title="Chain", units=tuple(Unit(id=u, title=u) for u in "abcd"),
...     requirements=(Group(id="G", units=tuple("abcd"), min_units=2),),
...     prerequisites=(Prerequisite(unit="b", requires=("a",)), Prerequisite(unit="c", requires=("b",))))
>>> count(q)
5
>>> best, ties, first = optimum(q, {u: (1,) for u in "abcd"})
>>> best, ties, sorted(first)
((2,), 2, ['a', 'b'])
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Mapping, Sequence
from typing import Any

from ..model.structure import Qualification
from . import frontier_bound, kernel
from .frontier_draw import draw
from .frontier_plan import Plan, choose_order, make_plan, work
from .frontier_presence import held
from .frontier_problem import Infeasible, Problem, shape_problem, supports_shape
from .frontier_rings import Counts, Least, Lowest
from .frontier_table import Ring, run

__all__ = ["MAX_TABLE", "NotSupported", "count", "first_cheapest", "forget", "least", "least_each", "optimum",
           "plan_for", "presence", "relaxed_plan_for", "sample", "supports", "supports_shape"]

#: Largest table the engine builds, in machine integers (its cells times the integers each
#: cell holds: count residues; cost, ways and pathway bits). About three tables are alive at
#: once, so 50 million keeps the engine near a gigabyte; past it, :func:`supports` declines.
MAX_TABLE = 50_000_000

#: :func:`least_each` first tries to prove a least cost on the structure without its barred
#: sets (:mod:`~solver.exact.frontier_bound`) where that one's tables hold at most this share of
#: the structure's cells. A 200-course degree's hold half (the prerequisites' bits remain), a
#: diploma's with 20 barred pairs 1/170th.
RELAXED_SHARE = 2 / 3


class NotSupported(kernel.NotSupported):
    """The structure is outside what the frontier engine takes (the message says why)."""


#: The last few plans made, by structure and fixed units (count and optimum of one structure share one).
_PLANS: dict[tuple[Qualification, frozenset[tuple[str, bool]], bool], tuple[Problem, Plan] | None] = {}

#: Plans of the last few structures without their barred sets (:func:`relaxed_plan_for`), kept as ``_PLANS``.
_RELAXED: dict[tuple[Qualification, frozenset[tuple[str, bool]], bool], tuple[Problem, Plan] | None] = {}

#: The orders :func:`relaxed_plan_for` chose, kept as ``_ORDERS`` and ``_SHAPES`` keep theirs.
_RELAXED_ORDERS: dict[Qualification, list[str]] = {}
_RELAXED_SHAPES: dict[tuple[object, ...], tuple[frozenset[object], list[str]]] = {}

#: The deciding order chosen for the last few structures with nothing forced, by structure.
_ORDERS: dict[Qualification, list[str]] = {}
#: The same orders by the structure's units and tree, with the barred sets and prerequisites they were chosen for.
_SHAPES: dict[tuple[object, ...], tuple[frozenset[object], list[str]]] = {}


def plan_for(q: Qualification, forced: Mapping[str, bool] | None = None, *,
             sharing: bool = False) -> tuple[Problem, Plan] | None:
    """The structure read and the deciding order chosen for it; ``None`` when no pathway can exist.

    ``sharing`` reads a unit several groups list as one decision with a home in each, and
    double-counting groups as counting their units whichever home they take
    (:mod:`~solver.exact.frontier_shared`): for a least cost and feasibility only, as its
    tables reach a pathway once per allocation. Every structure can be read so.

    Raises
    ------
    NotSupported
        Without ``sharing``, when units are shared between groups or a group double-counts.
    """
    return _planned(q, forced, sharing, _PLANS, _ORDERS, _SHAPES)


def _planned(q: Qualification, forced: Mapping[str, bool] | None, sharing: bool,
             plans: dict[tuple[Qualification, frozenset[tuple[str, bool]], bool], tuple[Problem, Plan] | None],
             orders: dict[Qualification, list[str]],
             shapes: dict[tuple[object, ...], tuple[frozenset[object], list[str]]]) -> tuple[Problem, Plan] | None:
    """:func:`plan_for`, with the caches of plans and orders to keep them in."""
    key = (q, frozenset((forced or {}).items()), sharing)
    if key in plans:
        return plans[key]
    reason = supports_shape(q)
    if reason is not None and not sharing:
        raise NotSupported(reason)
    try:
        problem = shape_problem(q, forced, sharing=sharing)
    except Infeasible:
        found = None
    else:
        found = problem, _ordered(q, problem, bool(forced), orders=orders, shapes=shapes)
    _remember(plans, key, found)
    return found


def forget() -> None:
    """Drop every plan and order kept (the benchmark starts each structure from nothing).

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
    ...     requirements=(Group(id="G", units=("a",), min_units=0),))
    >>> _ = plan_for(q); len(_PLANS) > 0
    True
    >>> forget(); len(_PLANS)
    0
    """
    for cache in (_PLANS, _RELAXED, _RELAXED_ORDERS, _RELAXED_SHAPES, _ORDERS, _SHAPES):
        cache.clear()


def _remember(cache: dict[Any, Any], key: Any, value: Any) -> None:
    if len(cache) >= 8:
        cache.pop(next(iter(cache)))
    cache[key] = value


def _ordered(q: Qualification, problem: Problem, forced: bool, *, orders: dict[Qualification, list[str]],
             shapes: dict[tuple[object, ...], tuple[frozenset[object], list[str]]]) -> Plan:
    """The plan for ``problem``: in an order already chosen for the same structure, where there is one.

    Fixing units or dropping a rule only shrinks what an order carries, so the order
    chosen for the whole structure stays good for the questions asked about its parts:
    counts with units forced, and lint's structures with one rule relaxed (the same units
    and tree, no barred set or prerequisite the first did not have). Choosing an order
    again costs more than deciding in it (15 ms against 1 ms for a 60-unit diploma).
    """
    shape = (problem.units, tuple((node.name, tuple(node.units)) for node in problem.nodes))
    couplings = frozenset((*q.barred, *q.prerequisites))
    order = orders.get(q)
    if order is None and shape in shapes and couplings <= shapes[shape][0]:
        order = shapes[shape][1]
    if order is not None:
        return make_plan(problem, order)
    plan = choose_order(problem)
    if not forced:
        order = [step.unit for step in plan.steps]
        _remember(orders, q, order)
        _remember(shapes, shape, (couplings, order))
    return plan


def supports(q: Qualification) -> str | None:
    """Why the engine cannot take ``q``, or ``None`` when it can.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
    ...     requirements=(Group(id="A", units=("a",)), Group(id="B", units=("a",))))
    >>> supports(q)
    "unit 'a' is listed in groups 'A' and 'B'"
    """
    try:
        found = plan_for(q)
    except NotSupported as exc:
        return str(exc)
    if found is not None:
        problem, plan = found
        return _too_big(plan, Least({u: (0,) for u in problem.units}, problem.units, problem.fixed))
    return None


def _too_big(plan: Plan, ring: Ring) -> str | None:
    size = plan.peak * ring.arrays
    if size > MAX_TABLE:
        return (f"its largest table would hold {size:,} integers ({plan.peak:,} cells of {ring.arrays}; "
                f"more than {MAX_TABLE:,})")
    return None


def _sized(found: tuple[Problem, Plan], ring: Ring) -> tuple[Problem, Plan]:
    reason = _too_big(found[1], ring)
    if reason is not None:
        raise NotSupported(reason)
    return found


def count(q: Qualification, *, forced: Mapping[str, bool] | None = None, timeout: float | None = None) -> int:
    """The exact number of pathways of ``q`` (holding the units ``forced`` maps to ``True``, none mapped to ``False``).

    Parameters
    ----------
    q
        The qualification.
    forced
        Units fixed in (``True``) or out (``False``).
    timeout
        Seconds before giving up with :class:`TimeoutError` (``None``: no limit).

    Raises
    ------
    NotSupported
        Outside the engine's shape (see :func:`supports`).
    TimeoutError
        When ``timeout`` passes.

    Examples
    --------
    Twenty barred pairs in one group without limits: each pair is left, or one of its
    two units is taken.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> ids = [f"{side}{i}" for i in range(20) for side in "ab"]
    >>> q = Qualification(id="Q", title="Pairs", units=tuple(Unit(id=u, title=u) for u in ids),
    ...     requirements=(Group(id="G", units=tuple(ids)),),
    ...     barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(20)))
    >>> count(q) == 3**20
    True
    >>> count(q, forced={"a0": True}) == 3**19
    True
    """
    found = plan_for(q, forced)
    if found is None:
        return 0
    ring = Counts(units=sum(1 for u in found[0].units if u not in found[0].fixed))
    problem, plan = _sized(found, ring)
    result: int = ring.total(run(problem, plan, ring, _deadline(timeout)))
    return result


def optimum(
    q: Qualification,
    costs: Mapping[str, Sequence[Any]],
    *,
    forced: Mapping[str, bool] | None = None,
    timeout: float | None = None,
) -> tuple[tuple[Any, ...], int, frozenset[str]] | None:
    """The least total cost of a pathway, how many pathways reach it, and the first of them.

    Parameters
    ----------
    q
        The qualification.
    costs
        Each candidate unit's cost vector (ints, Decimals or Fractions), compared
        lexicographically; every vector has the same length.
    forced, timeout
        As for :func:`count`.

    Returns
    -------
    tuple or None
        ``(cost vector, ties, first optimal pathway in the documented order)``, or
        ``None`` when there is no pathway.

    Examples
    --------
    At least 3 credits from units worth 1, 2 and 3 credits, where the 3-credit unit
    needs the 1-credit one: the 3-credit unit alone is no pathway, so the least is 3
    credits, reached by ``{c1, c2}`` only.

    >>> from decimal import Decimal
    >>> from solver.model import Group, Prerequisite, Qualification, Unit
    >>> units = tuple(Unit(id=f"c{n}", title="", credits=Decimal(n)) for n in (1, 2, 3))
    >>> q = Qualification(id="Q", title="T", units=units,
    ...     requirements=(Group(id="G", units=("c1", "c2", "c3"), min_credits=Decimal(3)),),
    ...     prerequisites=(Prerequisite(unit="c3", requires=("c1",)),))
    >>> best, ties, first = optimum(q, {u.id: (u.credits,) for u in units})
    >>> best, ties, sorted(first)
    ((Decimal('3'),), 1, ['c1', 'c2'])
    """
    found = plan_for(q, forced)
    if found is None:
        return None
    deadline = _deadline(timeout)
    # ties are usually few: count them in one saturating lane, and in residues only when they are
    # not; the optimum and its first pathway are exact either way, so the second pass counts alone
    ring = Least(costs, found[0].units, found[0].fixed, saturate=True)
    problem, plan = _sized(found, ring)
    table = run(problem, plan, ring, deadline)
    best, ways, chosen = ring.total(table, exact=False)
    if best is None:
        return None
    if ring.ways.saturated(table[1].reshape(ring.ways.lanes, -1)[:, 0]):
        ties = Least(costs, problem.units, problem.fixed, first=False)
        problem, plan = _sized(found, ties)
        _best, ways, _none = ties.total(run(problem, plan, ties, deadline))
    return best, ways, chosen


def first_cheapest(q: Qualification, costs: Mapping[str, Sequence[Any]], *, forced: Mapping[str, bool] | None = None,
                   timeout: float | None = None) -> tuple[tuple[Any, ...], frozenset[str]] | None:
    """The least cost and the first pathway that reaches it, of any structure; ``None`` when there is none.

    :func:`optimum` without its ties, reading units several groups list and
    double-counting groups as :func:`least_each` does with ``sharing``: a cell reached by
    two allocations of one pathway holds one pathway, so the first cheapest is right where
    the number of ways would not be.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="A", units=("a", "b"), min_units=1), Group(id="AB", units=("a", "b", "c"),
    ...                   min_units=2)))
    >>> best, first = first_cheapest(q, {u: (1,) for u in "abc"})
    >>> best, sorted(first)
    ((3,), ['a', 'b', 'c'])
    """
    found = plan_for(q, forced, sharing=supports_shape(q) is not None)
    if found is None:
        return None
    ring = Least(costs, found[0].units, found[0].fixed, saturate=True)
    problem, plan = _sized(found, ring)
    best, _ways, chosen = ring.total(run(problem, plan, ring, _deadline(timeout)), exact=False)
    return None if best is None else (best, chosen)


def least(q: Qualification, costs: Mapping[str, Sequence[Any]], *, forced: Mapping[str, bool] | None = None,
          timeout: float | None = None, sharing: bool = False) -> tuple[Any, ...] | None:
    """The least total cost of a pathway alone: :func:`optimum` without its ties or a pathway.

    Each cell of the tables holds one packed cost, so this is about a third of
    :func:`optimum`'s work: for questions that only compare optima.

    Examples
    --------
    >>> from decimal import Decimal
    >>> from solver.model import Group, Prerequisite, Qualification, Unit
    >>> units = tuple(Unit(id=f"c{n}", title="", credits=Decimal(n)) for n in (1, 2, 3))
    >>> q = Qualification(id="Q", title="T", units=units,
    ...     requirements=(Group(id="G", units=("c1", "c2", "c3"), min_credits=Decimal(3)),),
    ...     prerequisites=(Prerequisite(unit="c3", requires=("c1",)),))
    >>> least(q, {u.id: (u.credits,) for u in units})
    (Decimal('3'),)
    >>> least(q, {u.id: (u.credits,) for u in units}, forced={"c3": True})
    (Decimal('4'),)
    """
    return least_each(q, [costs], forced=forced, timeout=timeout, sharing=sharing)[0]


def least_each(q: Qualification, objectives: Sequence[Mapping[str, Sequence[Any]]], *,
               forced: Mapping[str, bool] | None = None, timeout: float | None = None,
               sharing: bool = False) -> list[tuple[Any, ...] | None]:
    """:func:`least` for several cost vectors at once, side by side in one pass (one table lane each).

    With ``sharing``, a unit several groups list is taken for one of them, whichever is
    cheaper in each cell (:mod:`~solver.exact.frontier_shared`).

    Where ``q`` has barred sets, the least is first sought without them, and proven where
    a cheapest pathway found so keeps them (:mod:`~solver.exact.frontier_bound`): a
    60-unit diploma with 20 barred pairs in 2 ms, against 23 ms for its own tables.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
    ...     requirements=(Group(id="G", units=("a", "b"), min_units=1),))
    >>> least_each(q, [{"a": (4,), "b": (6,)}, {"a": (3,), "b": (1,)}])
    [(4,), (1,)]
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
    ...     requirements=(Group(id="A", units=("a",), min_units=1), Group(id="AB", units=("a", "b"), min_units=1)))
    >>> least_each(q, [{"a": (4,), "b": (6,)}], sharing=True)
    [(10,)]
    """
    deadline = _deadline(timeout)
    known = _relaxed_least(q, objectives, forced, deadline, sharing)
    left = [i for i in range(len(objectives)) if i not in known]
    if left:
        found = plan_for(q, forced, sharing=sharing)
        if found is None:
            return [None] * len(objectives)
        ring = Lowest([objectives[i] for i in left], found[0].units, found[0].fixed)
        problem, plan = _sized(found, ring)
        known.update(zip(left, ring.total(run(problem, plan, ring, deadline))))
    return [known[i] for i in range(len(objectives))]


def relaxed_plan_for(q: Qualification, forced: Mapping[str, bool] | None = None, *,
                     sharing: bool = False) -> tuple[Problem, Plan] | None:
    """:func:`plan_for` ``q`` without its barred sets, in an order chosen without them.

    What :func:`least_each` tries first. Not in the order chosen for ``q``: that one
    interleaves groups to close barred sets early, which without them only keeps more
    totals open (a diploma's largest table 612,360 cells, against 4,860 in an order of
    its own). Orders are kept apart, as :func:`_ordered` keeps them, for the structures
    lint and audit derive from ``q``.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abcd"),
    ...     requirements=(Group(id="G", units=tuple("abcd"), min_units=1),),
    ...     barred=(Barred(units=("a", "d")),))
    >>> plan_for(q)[1].peak_bits, relaxed_plan_for(q)[1].peak_bits  # a's and d's, until the pair is checked
    (2, 0)
    """
    return _planned(dataclasses.replace(q, barred=()), forced, sharing, _RELAXED, _RELAXED_ORDERS, _RELAXED_SHAPES)


def _relaxed_least(q: Qualification, objectives: Sequence[Mapping[str, Sequence[Any]]],
                   forced: Mapping[str, bool] | None, deadline: float | None,
                   sharing: bool) -> dict[int, tuple[Any, ...] | None]:
    """The least costs proven on ``q`` without its barred sets (:mod:`~solver.exact.frontier_bound`), by objective.

    Tried where ``q`` has barred sets and the relaxation's tables hold at most
    :data:`RELAXED_SHARE` of the cells of ``q``'s (summed over the units): a pass that
    proves nothing then costs at most that share more.
    """
    if not q.barred or not objectives:
        return {}
    fixed = dict(forced or {})
    lanes: dict[int, frozenset[str]] = {}
    for i, costs in enumerate(objectives):
        units = frontier_bound.forbidden(q, costs, fixed)
        if units is not None:
            lanes[i] = units
    if not lanes:
        return {}
    whole = plan_for(q, forced, sharing=sharing)  # kept: its pass answers what this one cannot
    found = relaxed_plan_for(q, forced, sharing=sharing)
    if whole is None or found is None:  # no pathway (none without the barred sets: none with them)
        return dict.fromkeys(range(len(objectives)))
    if work(found[1]) > RELAXED_SHARE * work(whole[1]):
        return {}
    ring = Lowest([frontier_bound.with_forbidden(objectives[i], units) for i, units in lanes.items()],
                  found[0].units, found[0].fixed)
    if _too_big(found[1], ring) is not None:  # its own order may hold more at its peak: leave it to q's
        return {}
    problem, plan = found
    values = ring.total(run(problem, plan, ring, deadline))
    return {i: frontier_bound.without_forbidden(value) for i, value in zip(lanes, values)
            if frontier_bound.proven(value)}


def sample(q: Qualification, n: int, rng: random.Random, *,
           forced: Mapping[str, bool] | None = None) -> list[frozenset[str]]:
    """``n`` pathways of ``q`` drawn independently and exactly uniformly (with repetition).

    One counting pass keeps its tables; each draw walks back through them
    (:mod:`solver.exact.frontier_draw`). That pass counts the pathways too: no count comes
    first, but a floating-point one where more than 61 units are undecided, to choose
    between machine and Python integers.

    Parameters
    ----------
    q
        The qualification.
    n
        How many to draw.
    rng
        The source of randomness: the same state gives the same draws.
    forced
        Units fixed in (``True``) or out (``False``): only pathways that agree are drawn.

    Returns
    -------
    list of frozenset of str
        The units of each pathway drawn; empty when there is no pathway.

    Raises
    ------
    NotSupported
        Outside the engine's shape (see :func:`supports`).

    Examples
    --------
    Two barred pairs in one group of at least one unit: 3 * 3 - 1 = 8 pathways.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abcd"),
    ...     requirements=(Group(id="G", units=tuple("abcd"), min_units=1),),
    ...     barred=(Barred(units=("a", "b")), Barred(units=("c", "d"))))
    >>> drawn = sample(q, 2000, random.Random(1))
    >>> len(set(drawn)), all({"a", "b"} - p and {"c", "d"} - p for p in drawn)
    (8, True)
    >>> all("a" in p for p in sample(q, 50, random.Random(1), forced={"a": True}))
    True
    """
    found = plan_for(q, forced)
    if n == 0 or found is None:
        return []
    problem, plan = _sized(found, Counts(units=0))
    return draw(problem, plan, None, n, rng)  # the tables it keeps count the pathways


def presence(q: Qualification, *, forced: Mapping[str, bool] | None = None,
             timeout: float | None = None) -> tuple[int, dict[str, int]]:
    """The number of pathways of ``q``, and how many of them hold each unit.

    One counting pass that keeps its tables and one pass back through them
    (:mod:`solver.exact.frontier_presence`): a few counts' work for every unit, where
    counting with each unit forced in takes one count per unit. Past 61 undecided units
    one count comes first, to choose between machine and Python integers.

    Parameters
    ----------
    q
        The qualification.
    forced
        Units fixed in (``True``) or out (``False``): only pathways that agree are counted.
    timeout
        Seconds before giving up with :class:`TimeoutError` (``None``: no limit).

    Returns
    -------
    tuple of int and dict
        The number of pathways, and for every unit of ``q.unit_ids()`` how many of them
        hold it (units fixed in are in all of them, units fixed out in none).

    Raises
    ------
    NotSupported
        Outside the engine's shape (see :func:`supports`).
    TimeoutError
        When ``timeout`` passes.

    Examples
    --------
    At least one of ``a``, ``b``, ``c``, with ``a`` and ``b`` barred together: the
    pathways are {a}, {b}, {c}, {a,c} and {b,c}.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="G", units=tuple("abc"), min_units=1),), barred=(Barred(units=("a", "b")),))
    >>> presence(q)
    (5, {'a': 2, 'b': 2, 'c': 3})
    >>> presence(q, forced={"c": True})
    (3, {'a': 1, 'b': 1, 'c': 3})
    """
    deadline = _deadline(timeout)
    units = q.unit_ids()
    found = plan_for(q, forced)
    if found is None:
        return 0, dict.fromkeys(units, 0)
    problem, plan = _sized(found, Counts(units=0))
    total, counts = held(problem, plan, lambda: count(q, forced=forced, timeout=timeout), deadline)
    if total == 0:
        return 0, dict.fromkeys(units, 0)
    fixed = {u: total if take else 0 for u, take in problem.fixed.items()}
    return total, {u: counts[u] if u in counts else fixed.get(u, 0) for u in units}


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout
