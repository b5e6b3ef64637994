"""Exact counts and optima for structures whose units are coupled by barred sets and prerequisites.

The engine decides the candidate units one at a time and carries a table of
everything the rules still need to know about the units decided so far: the
saturated totals of the requirements that are *open* (some of their units decided,
some not), how many children of an open choice hold, and the in/out bits of the
*frontier*: the coupled units whose barred sets or prerequisites are not all decided
yet (:mod:`solver.frontier_plan`). A barred set or prerequisite is checked as soon as
its last unit is decided, and a unit's bit is dropped when nothing reads it any more.
A requirement is checked when its last unit is decided, and its totals are dropped.

The work is the sum over the units of the table size at that unit: polynomial in the
structure for a bounded frontier, whatever the number of pathways or of coupled units.
Tables are numpy arrays (:mod:`solver.frontier_rings`): exact counts, and least costs
with their number of ties and the first cheapest pathway in the documented order.

Shape: every candidate unit is listed in exactly one group and no group double-counts;
any tree of groups and combinations, qualification-wide limits, level rules, barred
sets, prerequisites (``requires`` and ``requires_one_of``), limits off the credit
lattice. :func:`supports` says why a structure is outside it (including a largest
table over :data:`MAX_TABLE`).

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

import itertools
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .frontier_plan import Axis, Plan, choose_order, dim_size
from .frontier_problem import Clause, Infeasible, Node, Problem, shape_problem, supports_shape
from .frontier_rings import Counts, Least, Value
from .model import Qualification

__all__ = ["MAX_TABLE", "NotSupported", "count", "optimum", "plan_for", "supports"]

#: Largest table the engine builds, in machine integers (its cells times the integers each
#: cell holds: count residues; cost, ways and pathway bits). About three tables are alive at
#: once, so 50 million keeps the engine near a gigabyte; past it, :func:`supports` declines.
MAX_TABLE = 50_000_000


class NotSupported(Exception):
    """The structure is outside what the frontier engine takes (the message says why)."""


#: The last few plans made, by structure and fixed units (count and optimum of one structure share one).
_PLANS: dict[tuple[Qualification, frozenset[tuple[str, bool]]], tuple[Problem, Plan] | None] = {}


def plan_for(q: Qualification, forced: Mapping[str, bool] | None = None) -> tuple[Problem, Plan] | None:
    """The structure read and the deciding order chosen for it; ``None`` when no pathway can exist.

    Raises
    ------
    NotSupported
        When units are shared between groups or a group double-counts.
    """
    key = (q, frozenset((forced or {}).items()))
    if key in _PLANS:
        return _PLANS[key]
    reason = supports_shape(q)
    if reason is not None:
        raise NotSupported(reason)
    try:
        problem = shape_problem(q, forced)
    except Infeasible:
        found = None
    else:
        found = problem, choose_order(problem)
    if len(_PLANS) >= 8:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[key] = found
    return found


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
    result: int = ring.total(_run(problem, plan, ring, _deadline(timeout)))
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
    # ties are usually few: count them in one saturating lane, and in residues only when they are not
    ring = Least(costs, found[0].units, found[0].fixed, saturate=True)
    problem, plan = _sized(found, ring)
    try:
        best, ways, chosen = ring.total(_run(problem, plan, ring, deadline))
    except OverflowError:
        ring = Least(costs, problem.units, problem.fixed)
        problem, plan = _sized(found, ring)
        best, ways, chosen = ring.total(_run(problem, plan, ring, deadline))
    if best is None:
        return None
    return best, ways, chosen


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


# -- the table and its operations ------------------------------------------------------------

Ring = Counts | Least


def _cut(a: Value, axis: int, lo: int, hi: int) -> Value:
    index = (slice(None),) * (axis + 1) + (slice(lo, hi),)
    return tuple(x[index] for x in a)


def _join(pieces: Sequence[Value], axis: int) -> Value:
    return tuple(np.concatenate([p[i] for p in pieces], axis=axis + 1) for i in range(len(pieces[0])))


def _cells(a: Value) -> tuple[int, ...]:
    shape: tuple[int, ...] = a[0].shape[1:]
    return shape


def _resized(a: Value, axis: int, size: int) -> tuple[int, ...]:
    shape = list(_cells(a))
    shape[axis] = size
    return tuple(shape)


def _open(ring: Ring, a: Value, size: int, start: int) -> Value:
    """A new last axis of ``size`` cells, the table at index ``start``."""
    grown = tuple(x[..., None] for x in a)
    pieces = []
    if start:
        pieces.append(ring.zero((*_cells(a), start)))
    pieces.append(grown)
    if size - start - 1:
        pieces.append(ring.zero((*_cells(a), size - start - 1)))
    return _join(pieces, len(_cells(a)))


def _shift(ring: Ring, a: Value, axis: int, weight: int) -> Value:
    """Every total on ``axis`` raised by ``weight``, saturating at its last cell."""
    size = _cells(a)[axis]
    if weight >= size - 1:
        return _join([ring.zero(_resized(a, axis, size - 1)), ring.fold(a, axis)], axis)
    return _join([ring.zero(_resized(a, axis, weight)), _cut(a, axis, 0, size - 1 - weight),
                  ring.fold(_cut(a, axis, size - 1 - weight, size), axis)], axis)


def _clear(ring: Ring, a: Value, axis: int) -> Value:
    """A two-cell flag set to 0 (its ways folded into cell 0)."""
    return _join([ring.fold(a, axis), ring.zero(_resized(a, axis, 1))], axis)


def _drop(ring: Ring, a: Value, axes: list[Axis], gone: Sequence[Axis]) -> Value:
    """Fold and remove the axes ``gone``."""
    for key in gone:
        i = axes.index(key)
        a = tuple(x.squeeze(axis=i + 1) for x in ring.fold(a, i))
        axes.pop(i)
    return a


def _mask(shape: Sequence[int], by_axis: Mapping[int, Any]) -> Any:
    """A boolean array over the table's cells: the AND of one 1-d mask per listed axis."""
    out = np.ones((1,) * len(shape), dtype=bool)
    for i, m in by_axis.items():
        view = [1] * len(shape)
        view[i] = len(m)
        out = out & np.asarray(m, dtype=bool).reshape(view)
    return out


def _within(size: int, low: int | None, high: int | None) -> Any:
    values = np.arange(size)
    ok = np.ones(size, dtype=bool)
    if low is not None:
        ok &= values >= low
    if high is not None:
        ok &= values <= high
    return ok


def _check_clause(ring: Ring, a: Value, clause: Clause, axes: list[Axis]) -> None:
    """Clear the cells whose frontier bits break ``clause`` (in place)."""
    positions = [axes.index(("bit", u)) for u in clause.units]
    for bits in itertools.product((0, 1), repeat=len(positions)):
        if not clause.holds({u: bool(b) for u, b in zip(clause.units, bits)}):
            index: list[Any] = [slice(None)] * len(axes)
            for i, b in zip(positions, bits):
                index[i] = b
            ring.clear(a, tuple(index))


def _require(ring: Ring, a: Value, by_axis: Mapping[int, Any], ndim: int) -> None:
    """Clear the cells where some listed axis is outside its 1-d mask (in place)."""
    for i, ok in by_axis.items():
        for j in np.flatnonzero(~np.asarray(ok, dtype=bool)):
            index: list[Any] = [slice(None)] * ndim
            index[i] = int(j)
            ring.clear(a, tuple(index))


def _node_axes(plan: Plan, node: Node, axes: list[Axis], shape: Sequence[int]) -> dict[int, Any]:
    """Where ``node`` holds, one 1-d mask per axis of its own (it holds where all do)."""
    by_axis: dict[int, Any] = {}
    for dim, (low, high) in node.dims.items():
        i = axes.index(plan.owner[(node.index, dim)])
        by_axis[i] = _within(shape[i], low, high)
    for kind in ("flag", "counter"):
        key = (kind, node.index)
        if key in axes:
            i = axes.index(key)
            size = shape[i]
            by_axis[i] = np.arange(size) >= (node.needed if kind == "counter" and node.counter == "count" else 1)
    return by_axis


def _close(ring: Ring, problem: Problem, plan: Plan, a: Value, axes: list[Axis], index: int) -> Value:
    node = problem.nodes[index]
    own = [key for key in axes if key[0] in ("dim", "flag", "counter") and key[1] == index]
    by_axis = _node_axes(plan, node, axes, _cells(a))
    parent = problem.nodes[node.parent] if node.parent is not None else None
    if node.required or parent is None or parent.counter is None:
        if node.required:
            _require(ring, a, by_axis, len(axes))
        return _drop(ring, a, axes, own)
    holds = _mask(_cells(a), by_axis)
    rest = list(axes)
    bad = _drop(ring, ring.keep(a, ~holds), rest, own)
    _require(ring, a, by_axis, len(axes))
    good = _drop(ring, a, axes, own)
    i = axes.index(("counter", parent.index))
    if parent.counter == "flag":
        return ring.add(good, _clear(ring, bad, i))
    return ring.add(bad, _shift(ring, good, i, 1))


def _run(problem: Problem, plan: Plan, ring: Ring, deadline: float | None) -> Value:
    """The table after every unit is decided and every rule checked: one cell."""
    axes: list[Axis] = []
    table = ring.one(())
    for key, size, start in plan.start:
        table = _open(ring, table, size, start)
        axes.append(key)
    for step in plan.steps:
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError("the frontier engine ran out of time")
        for key, size, start in step.opens:
            table = _open(ring, table, size, start)
            axes.append(key)
        choices: list[Value] = []
        if step.leave:
            leave = table
            if step.flag is not None:
                leave = _clear(ring, leave, axes.index(step.flag))
            choices.append(leave)
        if step.take:
            take = ring.take(table, step.unit)
            for key, weight in step.shifts:
                take = _shift(ring, take, axes.index(key), weight)
            choices.append(take)
        if step.bit:
            table = _join([tuple(x[..., None] for x in c) for c in choices], len(axes))
            axes.append(("bit", step.unit))
        elif len(choices) == 2:
            table = ring.add(choices[0], choices[1])
        else:
            table = choices[0]
        for clause in step.checks:
            _check_clause(ring, table, clause, axes)
        table = _drop(ring, table, axes, step.drops)
        for index in step.closes:
            table = _close(ring, problem, plan, table, axes, index)
    holds: dict[int, Any] = {}
    for dim, (low, high) in problem.nodes[0].dims.items():
        if ("dim", 0, dim) in axes:  # nothing was decided
            holds[axes.index(("dim", 0, dim))] = _within(dim_size(low, high), low, high)
    for k, (_dim, low, high, _members) in enumerate(problem.levels):
        holds[axes.index(("level", k))] = _within(dim_size(low, high), low, high)
    _require(ring, table, holds, len(axes))
    return _drop(ring, table, axes, list(axes))


_ = math
