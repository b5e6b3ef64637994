"""Uniform draws of pathways from the frontier engine's tables (see :mod:`solver.exact.frontier`).

Each operation :func:`~solver.exact.frontier_table.run` applies to its table sends every
cell of its input to at most one cell of its output, so an output cell counts the ways of
the input cells sent to it (its *preimage*). One counting pass keeps the table each
step starts from; the draws then walk back from the last table's one cell, step by step
from the last, recomputing a step's intermediate tables from the table it started
from, and at every operation each draw moves to one cell of its preimage with
probability (that cell's ways) / (the ways of the cell it is in). At the choice between
leaving and taking a unit, that move decides the unit. Every pathway is reached by
exactly one walk, so each is drawn with probability 1 / (pathways): exactly uniform.

Weights are exact: machine integers when the number of pathways is below 2**62 (a cell
that leads to a pathway has no more ways than there are pathways, so such cells are
exact even where other cells wrap around), Python integers otherwise. The draws move
together, one numpy operation per operation of the plan for all of them.

Preimages: opening an axis at ``start``, the cell without it; raising a total by ``w``
on an axis of ``S`` cells, the cell ``j - w`` for ``j < S - 1`` and any of
``S - 1 - w .. S - 1`` for the saturated last cell; clearing a flag, flag 0 or 1 for flag
0; folding an axis away, every cell of it; a mask, the same cell; adding two tables,
the same cell of either.

>>> import random
>>> from solver.model import Group, Qualification, Unit
>>> from solver.exact.frontier_problem import shape_problem
>>> from solver.exact.frontier_plan import choose_order
>>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
...     requirements=(Group(id="G", units=("a", "b"), min_units=1),))
>>> problem = shape_problem(q)
>>> drawn = draw(problem, choose_order(problem), 3, 1000, random.Random(0))
>>> sorted({tuple(sorted(p)) for p in drawn})
[('a',), ('a', 'b'), ('b',)]
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .frontier_plan import Axis, Plan, Step, work
from .frontier_problem import Clause, Problem
from .frontier_table import cells_where, finish_holds, node_holds

__all__ = ["EXACT_BELOW", "TAPE_BYTES", "Choice", "Close", "Fold", "Record", "Tape", "clear_broken", "draw",
           "estimate", "finish_mask"]

#: Pathways below which machine integers hold every weight a draw reads.
EXACT_BELOW = 1 << 62

#: Bytes the kept tables may take (8 a machine integer, about 48 a Python one) before only
#: every few steps' table is kept.
TAPE_BYTES = 400_000_000

Table = Any
"""A numpy array of ways (int64 or Python integers), one axis per live axis."""


# ---------------------------------------------------------------- the operations, forward


def _array(value: Any, like: Table) -> Table:
    """``value`` as an array of ``like``'s type (numpy turns 0-d results into scalars)."""
    return np.asarray(value, dtype=like.dtype)


def _fold(table: Table, axis: int, lo: int = 0, hi: int | None = None) -> Table:
    """The sum of the cells ``lo .. hi - 1`` of ``axis``, the axis removed.

    Slice by slice: numpy's own reduction over an inner axis is many times slower. The
    slices keep the axis until the end: sums of arrays wrap around silently where cells
    no pathway goes through pass 2**63, sums of numpy scalars would warn.
    """
    index = (slice(None),) * axis
    hi = table.shape[axis] if hi is None else hi
    first = table[(*index, slice(lo, lo + 1))]
    total = first + table[(*index, slice(lo + 1, lo + 2))] if hi - lo > 1 else first.copy()
    for i in range(lo + 2, hi):
        total += table[(*index, slice(i, i + 1))]
    return total.squeeze(axis=axis)


def _open(table: Table, size: int, start: int) -> Table:
    out = np.zeros((*table.shape, size), dtype=table.dtype)
    out[..., start] = table
    return out


def _shift(table: Table, axis: int, weight: int) -> Table:
    """Every total on ``axis`` raised by ``weight``, saturating at its last cell."""
    size = table.shape[axis]
    out = np.zeros_like(table)
    moved = np.moveaxis(out, axis, 0)
    src = np.moveaxis(table, axis, 0)
    if weight < size - 1:
        moved[weight:size - 1] = src[:size - 1 - weight]
    moved[size - 1] = _fold(table, axis, max(0, size - 1 - weight))
    return out


def _clear(table: Table, axis: int) -> Table:
    """A two-cell flag set to 0."""
    out = np.zeros_like(table)
    np.moveaxis(out, axis, 0)[0] = _fold(table, axis)
    return out


def _keep(table: Table, mask: Any) -> Table:
    return np.where(mask, table, np.zeros((), dtype=table.dtype))


def clear_broken(clause: Clause, axes: Sequence[Axis], table: Table) -> None:
    """No way in the cells whose frontier bits break ``clause`` (in place)."""
    positions = [axes.index(("bit", u)) for u in clause.units]
    for bits in np.ndindex(*(2,) * len(positions)):
        if not clause.holds({u: bool(b) for u, b in zip(clause.units, bits)}):
            index: list[Any] = [slice(None)] * table.ndim
            for i, b in zip(positions, bits):
                index[i] = b
            table[tuple(index)] = 0


@dataclass
class Fold:
    """Axes folded away one at a time: each one's place and the table it was folded from."""

    tables: list[tuple[int, Table]] = field(default_factory=list)

    def run(self, table: Table, axes: list[Axis], gone: Sequence[Axis]) -> Table:
        """``table`` with the axes ``gone`` folded away (and taken out of ``axes``)."""
        for key in gone:
            i = axes.index(key)
            self.tables.append((i, table))
            table = _fold(table, i)
            axes.pop(i)
        return table


@dataclass
class Choice:
    """Leaving and taking one unit: the table before, the leave branch, the take branch's shifts."""

    before: Table
    flag: int | None
    leave: Table | None
    shifts: list[tuple[int, int, Table]]
    take: Table | None
    bit: bool


@dataclass
class Close:
    """A requirement closed: its own axes folded away, and where it tells its parent."""

    good: Fold
    bad: Fold | None = None
    parent: int = 0
    flag: bool = False
    good_out: Table = None
    bad_out: Table = None
    holds: Any = None
    """Where the requirement holds (the good branch keeps those cells, the bad the others); ``None``: not read."""


@dataclass
class Record:
    """The intermediate tables of one step."""

    opens: list[tuple[int, Table]] = field(default_factory=list)
    choice: Choice | None = None
    drops: Fold = field(default_factory=Fold)
    closes: list[Close] = field(default_factory=list)


def _choose(step: Step, table: Table, axes: list[Axis]) -> tuple[Table, Choice]:
    flag = axes.index(step.flag) if step.leave and step.flag is not None else None
    leave = None
    if step.leave:
        leave = table if flag is None else _clear(table, flag)
    shifts: list[tuple[int, int, Table]] = []
    take = None
    if step.take:
        take = table
        for key, weight in step.shifts:
            i = axes.index(key)
            shifts.append((i, weight, take))
            take = _shift(take, i, weight)
    record = Choice(before=table, flag=flag, leave=leave, shifts=shifts, take=take, bit=step.bit)
    if step.bit:
        assert leave is not None and take is not None
        axes.append(("bit", step.unit))
        return np.stack([leave, take], axis=-1), record
    if leave is not None and take is not None:
        return _array(leave + take, table), record
    return leave if leave is not None else take, record


def _close(problem: Problem, plan: Plan, table: Table, axes: list[Axis], index: int) -> tuple[Table, Close]:
    node = problem.nodes[index]
    own = [key for key in axes if key[0] in ("dim", "flag", "counter") and key[1] == index]
    holds = cells_where(table.shape, node_holds(plan, node, axes, table.shape))
    parent = problem.nodes[node.parent] if node.parent is not None else None
    record = Close(good=Fold())
    if node.required or parent is None or parent.counter is None:
        if node.required:
            table = _keep(table, holds)
            record.holds = holds
        return record.good.run(table, axes, own), record
    record.bad, record.holds = Fold(), holds
    bad = record.bad.run(_keep(table, ~holds), list(axes), own)
    good = record.good.run(_keep(table, holds), axes, own)
    record.parent = axes.index(("counter", parent.index))
    record.flag = parent.counter == "flag"
    record.good_out, record.bad_out = good, bad
    if record.flag:
        return _array(good + _clear(bad, record.parent), table), record
    return _array(bad + _shift(good, record.parent, 1), table), record


def _step(problem: Problem, plan: Plan, step: Step, table: Table, axes: list[Axis]) -> tuple[Table, Record]:
    """One step of :func:`~solver.exact.frontier_table.run` on plain arrays, with its intermediates."""
    record = Record()
    for key, size, start in step.opens:
        record.opens.append((start, table))
        table = _open(table, size, start)
        axes.append(key)
    table, record.choice = _choose(step, table, axes)
    if step.checks and table is record.choice.before:
        table = table.copy()  # the table the step started from is read on the way back
    for clause in step.checks:
        clear_broken(clause, axes, table)
    table = record.drops.run(table, axes, step.drops)
    for index in step.closes:
        table, closed = _close(problem, plan, table, axes, index)
        record.closes.append(closed)
    return table, record


def finish_mask(problem: Problem, shape: Sequence[int], axes: list[Axis]) -> Any:
    """The cells of the last step's table where the qualification's own and level limits hold."""
    return cells_where(shape, finish_holds(problem, axes))


def _finish(problem: Problem, table: Table, axes: list[Axis]) -> tuple[Table, Fold]:
    table = _keep(table, finish_mask(problem, table.shape, axes))
    fold = Fold()
    return fold.run(table, axes, list(axes)), fold


class Tape:
    """One counting pass that keeps the table each step starts from, and its steps replayed from the last back.

    Past :data:`TAPE_BYTES` of kept tables only every k-th step's table is kept (k about
    sqrt(steps)) and the steps between are counted again on the way back.

    Attributes
    ----------
    table, axes
        The table after the last step (before the qualification's own limits) and its axes.
    """

    def __init__(self, problem: Problem, plan: Plan, exact: bool, deadline: float | None = None) -> None:
        self.problem, self.plan, self.deadline = problem, plan, deadline
        self.every = _every(plan, exact)
        self.kept: list[tuple[int, Table, list[Axis]]] = []
        table, axes = _start(plan, exact)
        for s, step in enumerate(plan.steps):
            self._in_time()
            if s % self.every == 0:
                self.kept.append((s, table, list(axes)))
            table, _record = _step(problem, plan, step, table, axes)
        self.table, self.axes = table, axes

    def _in_time(self) -> None:
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TimeoutError("the frontier engine ran out of time")

    def iter_back(self) -> Iterator[tuple[int, list[Axis], Record]]:
        """Each step from the last back: its index, the axes it starts with, its intermediate tables.

        The kept tables are let go as the walk passes them.
        """
        problem, plan, every = self.problem, self.plan, self.every
        while self.kept:
            first, table, axes = self.kept.pop()
            starts = [(table, list(axes))]
            for s in range(first, min(first + every, len(plan.steps)) - 1):
                self._in_time()
                table, _record = _step(problem, plan, plan.steps[s], table, axes)
                starts.append((table, list(axes)))
            for s in range(first + len(starts) - 1, first - 1, -1):
                self._in_time()
                before, before_axes = starts.pop()
                _table, record = _step(problem, plan, plan.steps[s], before, list(before_axes))
                yield s, before_axes, record


def _every(plan: Plan, exact: bool) -> int:
    """Keep every step's table, or (past :data:`TAPE_BYTES`) every k-th for about sqrt(steps) steps."""
    if work(plan) * (8 if exact else 48) <= TAPE_BYTES:
        return 1
    return max(1, math.isqrt(len(plan.steps)))


def _start(plan: Plan, exact: bool) -> tuple[Table, list[Axis]]:
    axes: list[Axis] = []
    table = np.ones((), dtype=np.int64 if exact else object)
    for key, size, start in plan.start:
        table = _open(table, size, start)
        axes.append(key)
    return table, axes


# ---------------------------------------------------------------- the draws, backward


class _Walk:
    """Draws moving back through the tables: which draw, its cell, and every draw's decisions."""

    def __init__(self, rng: random.Random, n: int, steps: int, exact: bool) -> None:
        self.rng = rng
        self.gen = np.random.default_rng(rng.getrandbits(128))
        self.exact = exact
        self.taken = np.zeros((n, steps), dtype=bool)

    def below(self, totals: Any) -> Any:
        """One uniform integer in ``0 .. total - 1`` for each total."""
        if self.exact:
            return self.gen.integers(0, totals)
        return np.array([self.rng.randrange(int(t)) for t in totals], dtype=object)

    def pick(self, weights: Any) -> Any:
        """Per row, a column drawn with probability weight / row total."""
        cum = np.cumsum(weights, axis=1)
        u = self.below(cum[:, -1])
        return np.asarray(cum <= u[:, None], dtype=bool).sum(axis=1)


def _at(table: Table, cells: Any) -> Any:
    """The ways of each cell (one row of ``cells`` each)."""
    if table.ndim == 0:
        return np.full(len(cells), table[()], dtype=table.dtype)
    return table[tuple(cells.T)]


def _along(table: Table, cells: Any, axis: int) -> Any:
    """Per row of ``cells`` (``axis`` left out), the ways of every cell along ``axis``."""
    size = table.shape[axis]
    index = [cells[:, d, None] for d in range(cells.shape[1])]
    index.insert(axis, np.arange(size)[None, :])
    index = [np.broadcast_to(x, (len(cells), size)) for x in index]
    return table[tuple(index)]


def _unfold(walk: _Walk, fold: Fold, cells: Any) -> Any:
    for axis, table in reversed(fold.tables):
        weights = _along(table, cells, axis)
        cells = np.insert(cells, axis, walk.pick(weights), axis=1)
    return cells


def _unshift(walk: _Walk, table: Table, axis: int, weight: int, cells: Any) -> Any:
    size = table.shape[axis]
    cells = cells.copy()
    top = cells[:, axis] == size - 1
    cells[~top, axis] -= weight
    if top.any():
        weights = _along(table, np.delete(cells[top], axis, axis=1), axis)
        weights[:, :max(0, size - 1 - weight)] = 0
        cells[top, axis] = walk.pick(weights)
    return cells


def _unclear(walk: _Walk, table: Table, axis: int, cells: Any) -> Any:
    cells = cells.copy()
    cells[:, axis] = walk.pick(_along(table, np.delete(cells, axis, axis=1), axis))
    return cells


def _split(walk: _Walk, first: Table, second: Table, cells: Any) -> Any:
    """Per draw, whether it came from ``first`` of two added tables."""
    a = _at(first, cells)
    return walk.below(a + _at(second, cells)) < a


def _unchoose(walk: _Walk, record: Choice, s: int, who: Any, cells: Any) -> Any:
    if record.bit:
        takes = cells[:, -1] == 1
        cells = cells[:, :-1]
    elif record.leave is not None and record.take is not None:
        takes = ~np.asarray(_split(walk, record.leave, record.take, cells), dtype=bool)
    else:
        takes = np.full(len(cells), record.take is not None)
    walk.taken[who, s] = takes
    left, took = cells[~takes], cells[takes]
    if record.flag is not None:
        left = _unclear(walk, record.before, record.flag, left)
    for axis, weight, table in reversed(record.shifts):
        took = _unshift(walk, table, axis, weight, took)
    return np.concatenate([who[~takes], who[takes]]), np.concatenate([left, took])


def _unclose(walk: _Walk, record: Close, who: Any, cells: Any) -> tuple[Any, Any]:
    if record.bad is None:
        return who, _unfold(walk, record.good, cells)
    if record.flag:
        from_good = np.asarray(_split(walk, record.good_out, _clear(record.bad_out, record.parent), cells), dtype=bool)
        bad = _unclear(walk, record.bad_out, record.parent, cells[~from_good])
        good = cells[from_good]
    else:
        from_bad = np.asarray(_split(walk, record.bad_out, _shift(record.good_out, record.parent, 1), cells),
                              dtype=bool)
        from_good = ~from_bad
        bad = cells[from_bad]
        good = _unshift(walk, record.good_out, record.parent, 1, cells[from_good])
    return (np.concatenate([who[~from_good], who[from_good]]),
            np.concatenate([_unfold(walk, record.bad, bad), _unfold(walk, record.good, good)]))


def _unstep(walk: _Walk, record: Record, s: int, who: Any, cells: Any) -> tuple[Any, Any]:
    for closed in reversed(record.closes):
        who, cells = _unclose(walk, closed, who, cells)
    cells = _unfold(walk, record.drops, cells)
    assert record.choice is not None
    who, cells = _unchoose(walk, record.choice, s, who, cells)
    for _start, _table in reversed(record.opens):
        cells = cells[:, :-1]
    return who, cells


def estimate(problem: Problem, plan: Plan) -> float:
    """The number of pathways, counted in floating point: whether machine integers can draw them.

    One pass of the same steps on float64 tables, one array where an exact count past
    2**62 needs several lanes of residues.
    """
    table, axes = _start(plan, exact=True)
    table = table.astype(np.float64)
    for step in plan.steps:
        table, _record = _step(problem, plan, step, table, axes)
    final, _fold = _finish(problem, table, axes)
    return float(final[()])


def draw(problem: Problem, plan: Plan, pathways: int | None, n: int, rng: random.Random) -> list[frozenset[str]]:
    """``n`` pathways drawn uniformly and independently (none when there is no pathway).

    ``pathways`` is their number where it is known (it is checked); otherwise the tables
    count them, in machine integers where the undecided units are too few to pass
    :data:`EXACT_BELOW` or a floating-point count (:func:`estimate`) says they do not. The draws take the units
    ``problem`` fixes in, and each undecided unit as its walk back decides. Past
    :data:`TAPE_BYTES` of kept tables, only every few steps' table is kept and the steps
    between are counted again on the way back.

    Raises
    ------
    ValueError
        When the tables do not count ``pathways``.
    """
    if pathways is not None:
        exact = pathways < EXACT_BELOW
    else:
        free = sum(1 for u in problem.units if u not in problem.fixed)
        exact = 2**free < EXACT_BELOW or estimate(problem, plan) < EXACT_BELOW / 2
    tape = Tape(problem, plan, exact)
    final, fold = _finish(problem, tape.table, tape.axes)
    total = int(final[()])
    if pathways is not None and total != pathways:
        raise ValueError(f"the tables count {total:,} pathways, not {pathways:,}")
    if total == 0 or n == 0:
        return []
    walk = _Walk(rng, n, len(plan.steps), exact)
    who = np.arange(n)
    cells = _unfold(walk, fold, np.zeros((n, 0), dtype=np.int64))
    for s, _axes, record in tape.iter_back():
        who, cells = _unstep(walk, record, s, who, cells)
    fixed_in = frozenset(u for u, v in problem.fixed.items() if v)
    units = [step.unit for step in plan.steps]
    return [fixed_in | {u for u, t in zip(units, row) if t} for row in walk.taken]
