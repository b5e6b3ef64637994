"""How many pathways hold each unit, from one counting pass of the frontier engine and one pass back.

Every operation of a step (:mod:`solver.exact.frontier_draw`) sends each cell of its input
to at most one cell of its output. Walking the steps from the last back, each table gets
its *completions*: per cell, how many ways finish it into a pathway. After the last step
a cell has one completion where the qualification's own limits hold and none elsewhere;
before an operation a cell has the completions of the cell it is sent to (none if it is
sent nowhere): that is the operation's adjoint. Opening an axis at ``start`` reads the
cell ``start``; raising a total by ``w`` on an axis of ``S`` cells reads ``min(i + w, S -
1)``; clearing a flag reads cell 0 for both; folding an axis away repeats the cell along
it; a mask keeps the cells where it holds; adding two tables gives each the completions of
the sum; a new in/out bit gives leaving cell 0 and taking cell 1.

At the step deciding a unit, the table after taking it (the shifts done) times its
completions, summed over the cells, is the number of pathways holding the unit: every
unit's count at the cost of about three counting passes (one forward, one again on the
way back, one back), not one count per unit.

Counts are exact. Below :data:`~solver.exact.frontier_draw.EXACT_BELOW` pathways the tables
are machine integers: they may wrap around in cells that lead nowhere, but adding and
multiplying int64 arrays is exact modulo 2**64, and every answer (at most the number of
pathways) is below 2**62, so the sums are right. Past it, Python integers.

>>> from solver.model import Barred, Group, Qualification, Unit
>>> from solver.exact.frontier_problem import shape_problem
>>> from solver.exact.frontier_plan import choose_order
>>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
...     requirements=(Group(id="G", units=tuple("abc"), min_units=1),), barred=(Barred(units=("a", "b")),))
>>> problem = shape_problem(q)
>>> held(problem, choose_order(problem), lambda: 5)
(5, {'a': 2, 'b': 2, 'c': 3})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import frontier_draw
from .frontier_draw import Choice, Close, Fold, Record, Tape, clear_broken, finish_mask
from .frontier_plan import Axis, Plan, Step
from .frontier_problem import Problem

__all__ = ["held"]

Table = Any
"""A numpy array of ways or of completions (int64 or Python integers), one axis per live axis."""


def _unfold(fold: Fold, after: Table) -> Table:
    """Completions before folding axes away: each cell's along the axis it was folded from."""
    for axis, table in reversed(fold.tables):
        after = np.repeat(np.expand_dims(after, axis), table.shape[axis], axis=axis)
    return after


def _unshift(after: Table, axis: int, weight: int) -> Table:
    """Completions before raising totals on ``axis`` by ``weight``: cell ``i`` reads ``min(i + weight, last)``."""
    size = after.shape[axis]
    reads = np.minimum(np.arange(size) + weight, size - 1)
    return np.take(after, reads, axis=axis)


def _unclear(after: Table, axis: int) -> Table:
    """Completions before a two-cell flag is set to 0: both cells read cell 0."""
    return np.take(after, [0, 0], axis=axis)


def _cell(table: Table, index: int) -> Table:
    """Cell ``index`` of the last axis, kept an array (numpy gives the element itself of an object array)."""
    return np.asarray(table[..., index], dtype=table.dtype)


def _sum(first: Table, second: Table) -> Table:
    """Two tables added cell by cell, kept an array (numpy turns 0-d object sums into Python integers)."""
    return np.asarray(first + second, dtype=first.dtype)


def _masked(table: Table, mask: Any) -> Table:
    return np.where(mask, table, np.zeros((), dtype=table.dtype))


def _unclose(record: Close, after: Table) -> Table:
    if record.bad is None:
        before = _unfold(record.good, after)
        return before if record.holds is None else _masked(before, record.holds)
    if record.flag:
        good, bad = after, _unclear(after, record.parent)
    else:
        good, bad = _unshift(after, record.parent, 1), after
    good = _masked(_unfold(record.good, good), record.holds)
    bad = _masked(_unfold(record.bad, bad), ~record.holds)
    return _sum(good, bad)


def _axes_after_choice(step: Step, axes: list[Axis]) -> list[Axis]:
    out = [*axes, *(key for key, _size, _start in step.opens)]
    return [*out, ("bit", step.unit)] if step.bit else out


def _unchoose(record: Choice, after: Table) -> tuple[Table, Table | None]:
    """Completions before the choice, and those of the take branch (``None``: the unit is not free)."""
    if record.bit:
        leave, take = _cell(after, 0), _cell(after, 1)
    else:
        leave = after if record.leave is not None else None
        take = after if record.take is not None else None
    free = take if record.leave is not None and record.take is not None else None
    before = None
    if leave is not None:
        before = leave if record.flag is None else _unclear(leave, record.flag)
    if take is not None:
        for axis, weight, _table in reversed(record.shifts):
            take = _unshift(take, axis, weight)
        before = take if before is None else _sum(before, take)
    return before, free


def _unstep(step: Step, axes: list[Axis], record: Record, after: Table) -> tuple[Table, int | None]:
    """Completions of the table the step starts from, and the pathways holding its unit (``None``: not free)."""
    for closed in reversed(record.closes):
        after = _unclose(closed, after)
    after = _unfold(record.drops, after)
    if step.checks:
        after = after.copy()
        for clause in step.checks:
            clear_broken(clause, _axes_after_choice(step, axes), after)
    assert record.choice is not None
    before, taking = _unchoose(record.choice, after)
    found = None
    if taking is not None:
        found = int(np.sum(record.choice.take * taking))
    for start, _table in reversed(record.opens):
        before = _cell(before, start)
    return before, found


def held(problem: Problem, plan: Plan, count: Callable[[], int],
         deadline: float | None = None) -> tuple[int, dict[str, int]]:
    """The number of pathways of ``problem``, and how many of them hold each undecided unit.

    ``count`` gives the number of pathways; it is asked only when the undecided units are
    too many for machine integers to hold every count whatever the structure, to choose
    between machine and Python integers.

    Raises
    ------
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` time) passes.
    """
    free = sum(1 for u in problem.units if u not in problem.fixed)
    exact = 2**free < frontier_draw.EXACT_BELOW or count() < frontier_draw.EXACT_BELOW
    tape = Tape(problem, plan, exact, deadline)
    after = _masked(np.ones(tape.table.shape, dtype=tape.table.dtype),
                    finish_mask(problem, tape.table.shape, tape.axes))
    total = int(np.sum(tape.table * after))
    found: dict[str, int] = {}
    for s, axes, record in tape.iter_back():
        step = plan.steps[s]
        after, unit_count = _unstep(step, axes, record, after)
        if unit_count is not None:
            found[step.unit] = unit_count
    return total, {u: found[u] for u in problem.units if u in found}
