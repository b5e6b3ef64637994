"""The frontier engine's table and what deciding a unit does to it (see :mod:`solver.exact.frontier`).

A table is a tuple of numpy arrays (:mod:`solver.exact.frontier_rings`) with one axis per
entry of :class:`~solver.exact.frontier_plan.Plan`'s live axes. :func:`run` walks the plan:
opens the axes of requirements as their first unit comes, splits the table on
leaving or taking each unit (taking shifts the totals it adds to, saturating at the
last cell), clears the cells that break a barred set or prerequisite once its last
unit is decided, folds away frontier bits nothing reads any more, and checks each
requirement as its last unit is decided, passing whether it holds to its parent.

Layout: a unit's bit is added as the table's outermost axis (its halves are whole blocks)
and the totals as the innermost, so that the shifts taking a unit makes run over long
stretches of memory. A unit whose bit would be read only at its own step, to check a barred
set or prerequisite, gets none: leaving and taking it are checked apart and added.

>>> from solver.model import Group, Qualification, Unit
>>> from solver.exact.frontier_problem import shape_problem
>>> from solver.exact.frontier_plan import choose_order
>>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
...     requirements=(Group(id="G", units=("a", "b"), min_units=1),))
>>> problem = shape_problem(q)
>>> ring = Counts(units=2)
>>> ring.total(run(problem, choose_order(problem), ring))
3
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .frontier_plan import Axis, Plan, dim_size
from .frontier_problem import Clause, Node, Problem
from .frontier_rings import Counts, Least, Lowest, Value

__all__ = ["Gate", "Ring", "cells_where", "finish_holds", "node_holds", "run", "within"]


Ring = Counts | Least | Lowest
"""The values a table can hold."""

Gate = Mapping[str, Sequence[tuple[Axis, int]]]
"""For some units, totals and bounds: such a unit is taken only where one of its totals is below its bound."""


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


def cells_where(shape: Sequence[int], by_axis: Mapping[int, Any]) -> Any:
    """A boolean array over the table's cells: the AND of one 1-d mask per listed axis."""
    out = np.ones((1,) * len(shape), dtype=bool)
    for i, m in by_axis.items():
        view = [1] * len(shape)
        view[i] = len(m)
        out = out & np.asarray(m, dtype=bool).reshape(view)
    return out


def within(size: int, low: int | None, high: int | None) -> Any:
    """Which cells of a saturated total of ``size`` cells lie in ``low .. high`` (``None``: no limit).

    >>> within(5, 1, 3).tolist()
    [False, True, True, True, False]
    """
    values = np.arange(size)
    ok = np.ones(size, dtype=bool)
    if low is not None:
        ok &= values >= low
    if high is not None:
        ok &= values <= high
    return ok


def _check_clause(ring: Ring, a: Value, clause: Clause, axes: list[Axis],
                  known: Mapping[str, bool] | None = None) -> None:
    """Clear the cells whose frontier bits break ``clause`` (in place).

    A unit in ``known`` has no bit in ``a``: it is taken or left as ``known`` says.
    """
    known = known or {}
    free = [u for u in clause.units if u not in known]
    positions = [axes.index(("bit", u)) for u in free]
    for bits in itertools.product((0, 1), repeat=len(positions)):
        if not clause.holds({**known, **{u: bool(b) for u, b in zip(free, bits)}}):
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


def node_holds(plan: Plan, node: Node, axes: list[Axis], shape: Sequence[int]) -> dict[int, Any]:
    """Where ``node`` holds, one 1-d mask per axis of its own (it holds where all do)."""
    by_axis: dict[int, Any] = {}
    for dim, (low, high) in node.dims.items():
        i = axes.index(plan.owner[(node.index, dim)])
        by_axis[i] = within(shape[i], low, high)
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
    by_axis = node_holds(plan, node, axes, _cells(a))
    parent = problem.nodes[node.parent] if node.parent is not None else None
    if node.required or parent is None or parent.counter is None:
        if node.required:
            _require(ring, a, by_axis, len(axes))
        return _drop(ring, a, axes, own)
    holds = cells_where(_cells(a), by_axis)
    rest = list(axes)
    bad = _drop(ring, ring.keep(a, ~holds), rest, own)
    _require(ring, a, by_axis, len(axes))
    good = _drop(ring, a, axes, own)
    i = axes.index(("counter", parent.index))
    if parent.counter == "flag":
        return ring.add(good, _clear(ring, bad, i))
    return ring.add(bad, _shift(ring, good, i, 1))


def _below(pairs: Sequence[tuple[Axis, int]], axes: list[Axis], shape: Sequence[int]) -> Any:
    """The cells where some listed axis is below its bound (none where nothing is listed)."""
    out = np.zeros((1,) * len(shape), dtype=bool)
    for key, bound in pairs:
        i = axes.index(key)
        view = [1] * len(shape)
        view[i] = shape[i]
        out = out | (np.arange(shape[i]) < bound).reshape(view)
    return out


def run(problem: Problem, plan: Plan, ring: Ring, deadline: float | None = None, gate: Gate | None = None) -> Value:
    """The table after every unit is decided in the plan's order and every rule checked: one cell.

    ``gate`` lets a unit be taken only in the cells where one of its listed axes is still
    below its bound (:mod:`solver.exact.frontier_minimal`: a group's total before its
    lightest droppable unit).

    Raises
    ------
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` time) passes.
    """
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
            for flag in ([step.flag] if step.flag is not None else []) + step.leave_clears:
                leave = _clear(ring, leave, axes.index(flag))
            choices.append(leave)
        if step.take:
            took = ring.take(table, step.unit)
            if gate is not None and step.unit in gate:
                took = ring.keep(took, _below(gate[step.unit], axes, _cells(took)))
            takes = []
            for shifts, clears in step.homes or [(step.shifts, [])]:  # taken for one of its groups
                counted = took
                for key, weight in shifts:
                    counted = _shift(ring, counted, axes.index(key), weight)
                for flag in clears:
                    counted = _clear(ring, counted, axes.index(flag))
                takes.append(counted)
            for other in takes[1:]:  # the better way in each cell
                takes[0] = ring.add(takes[0], other)
            choices.append(takes[0])
        own = ("bit", step.unit)
        drops = step.drops
        if step.bit and own in drops:  # read once, here: each choice is checked apart, no bit is built
            drops = [key for key in drops if key != own]
            if len(choices) == 2 and any(np.may_share_memory(x, y) for x, y in zip(*choices)):
                choices[1] = tuple(x.copy() for x in choices[1])  # cleared in place below
            values = ([False] if step.leave else []) + ([True] if step.take else [])
            for choice, value in zip(choices, values):
                for clause in step.checks:
                    _check_clause(ring, choice, clause, axes, {step.unit: value})
            table = ring.add(choices[0], choices[1]) if len(choices) == 2 else choices[0]
        else:
            if step.bit:
                # outermost: its two halves are whole blocks, and the totals that taking units
                # shifts stay innermost, in long runs (shifting past short runs of bits is slow)
                table = tuple(np.stack([c[i] for c in choices], axis=1) for i in range(len(choices[0])))
                axes.insert(0, own)
            elif len(choices) == 2:
                table = ring.add(choices[0], choices[1])
            else:
                table = choices[0]
            for clause in step.checks:
                _check_clause(ring, table, clause, axes)
        table = _drop(ring, table, axes, drops)
        for index in step.closes:
            table = _close(ring, problem, plan, table, axes, index)
    _require(ring, table, finish_holds(problem, axes), len(axes))
    return _drop(ring, table, axes, list(axes))


def finish_holds(problem: Problem, axes: Sequence[Axis]) -> dict[int, Any]:
    """Where the qualification's own and level limits hold after the last step, one 1-d mask per axis."""
    holds: dict[int, Any] = {}
    for dim, (low, high) in problem.nodes[0].dims.items():
        if ("dim", 0, dim) in axes:  # nothing was decided
            holds[list(axes).index(("dim", 0, dim))] = within(dim_size(low, high), low, high)
    for k, (_dim, low, high, _members) in enumerate(problem.levels):
        holds[list(axes).index(("level", k))] = within(dim_size(low, high), low, high)
    return holds

