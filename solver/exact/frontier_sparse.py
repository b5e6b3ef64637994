"""The frontier programme's count with only the cells that can still become a pathway.

:func:`~solver.exact.frontier_table.run` keeps every cell of its table: every value of
every open total, times every frontier bit. Where totals are held to narrow ranges (the
passes of :mod:`solver.exact.frontier_minimal`), almost all of those cells are dead:
reached by no way, or reached but with no way left to finish. On a 60-unit diploma whose
20 barred pairs all join two groups, about one cell in a hundred of the largest tables
lives.

Here a table is a sorted array of the live cells' *keys* (their totals, in mixed radix)
and, per key, one count for each setting of the open bits. The totals' cells are found
first, without the barred sets and so without bits: one pass forward lists the cells
each step can reach, one pass back keeps those from which the last step's limits can
still be met. Barred sets only ever take ways away, so every cell the count reaches and
finishes from lies among them; the count then walks the steps keeping only those cells.

The same steps as :func:`~solver.exact.frontier_table.run` (and its ``gate``), for plans
without choices and without units counted by several groups; machine integers, so at most
62 undecided units.

Examples
--------
Units of 1, 2, 3 and 4 credits in a group of at least 4, with 1 and 3 barred: the
pathways are the 7 subsets worth 4 or more without both 1 and 3.

>>> from decimal import Decimal
>>> from solver.model import Barred, Group, Qualification, Unit
>>> from solver.exact.frontier_problem import shape_problem
>>> from solver.exact.frontier_plan import choose_order
>>> q = Qualification(id="Q", title="T",
...     units=tuple(Unit(id=f"u{c}", title="u", credits=Decimal(c)) for c in (1, 2, 3, 4)),
...     requirements=(Group(id="G", units=("u1", "u2", "u3", "u4"), min_credits=Decimal(4)),),
...     barred=(Barred(units=("u1", "u3")),))
>>> problem = shape_problem(q)
>>> cells = LiveCells(problem, choose_order(problem))
>>> cells.count()
7
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .frontier_plan import Axis, Plan, Step, dim_size
from .frontier_problem import Problem
from .frontier_table import Gate, finish_holds, node_holds

__all__ = ["MAX_KEY", "LiveCells", "supports"]

#: Keys are int64: the open totals' cells may number at most this many.
MAX_KEY = 1 << 62


def supports(problem: Problem, plan: Plan, *, counting: bool = True) -> str | None:
    """Why :class:`LiveCells` cannot walk ``plan`` (or, ``counting``, count it), or ``None``.

    >>> from solver.model import Group, Qualification, Unit
    >>> from solver.exact.frontier_problem import shape_problem
    >>> from solver.exact.frontier_plan import choose_order
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=f"u{i}", title="u") for i in range(70)),
    ...     requirements=(Group(id="G", units=tuple(f"u{i}" for i in range(70)), min_units=1),))
    >>> problem = shape_problem(q)
    >>> supports(problem, choose_order(problem))
    '70 undecided units: counts past machine integers'
    """
    free = sum(1 for u in problem.units if u not in problem.fixed)
    if counting and free > 62:
        return f"{free} undecided units: counts past machine integers"
    if any(node.counter is not None for node in problem.nodes):
        return "a requirement is a choice"
    if any(step.homes for step in plan.steps):
        return "a unit counts towards one of several groups"
    if any(u in problem.fixed for clause in problem.clauses for u in clause.units):
        return "a barred set or prerequisite holds a unit fixed in or out"
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class _Move:
    """Leaving or taking a step's unit, from live cells to live cells.

    ``ways[:, src]`` added up in runs from ``starts`` lands on the next step's cells ``dst``
    (in the bit's half of the rows, where the unit has a bit).
    """

    bit: int
    src: np.ndarray
    starts: np.ndarray
    dst: np.ndarray


@dataclasses.dataclass(frozen=True, slots=True)
class _Branch:
    """One choice of a step: which cells of the step's start it comes from, and their keys after it."""

    rows: np.ndarray
    keys: np.ndarray


class LiveCells:
    """The live cells of each step of ``plan``, and the count over them.

    Parameters
    ----------
    problem, plan
        The structure and its plan (:func:`supports` must accept them).
    gate
        As :func:`~solver.exact.frontier_table.run`'s.
    deadline
        A :func:`time.monotonic` time past which finding the live cells raises :class:`TimeoutError`.

    Raises
    ------
    ValueError
        When a step's open totals have more cells than int64 keys can tell apart.
    """

    def __init__(self, problem: Problem, plan: Plan, gate: Gate | None = None,
                 deadline: float | None = None) -> None:
        self.problem, self.plan, self.gate, self.deadline = problem, plan, gate or {}, deadline
        self.live: list[np.ndarray] = []
        """For each step, the keys of the cells it starts from that can still finish; last, those that do."""
        self.moves: list[list[_Move]] = []
        """Each step's ways between live cells (made when first counted)."""
        self._found: list[list[tuple[int, _Branch, np.ndarray]]] = []
        self._alive: list[np.ndarray] = []
        self.reached = 0
        """The cells reached without the barred sets, summed over the steps (what the walk works through)."""
        self._walk()

    # -- the cells, without the barred sets ---------------------------------------------

    def _walk(self) -> None:
        axes, sizes, keys = self._start()
        moves: list[list[tuple[int, _Branch, np.ndarray]]] = []  # per step: bit, branch, targets
        reached = [keys]
        for step in self.plan.steps:
            self._in_time()
            leave, take, axes, sizes = self._advance(step, axes, sizes, keys)
            branches = [(bit, b) for bit, b in ((0, leave), (1, take)) if b is not None]
            keys, where = _unique(np.concatenate([b.keys for _bit, b in branches]))
            cut = len(branches[0][1].keys)
            moves.append([(bit, b, part) for (bit, b), part in zip(branches, (where[:cut], where[cut:]))])
            reached.append(keys)
        ok = _where(finish_holds(self.problem, axes), axes, sizes, keys)
        alive = [ok]
        for s in reversed(range(len(self.plan.steps))):
            now = np.zeros(len(reached[s]), dtype=bool)
            for _bit, b, at in moves[s]:
                now[b.rows[ok[at]]] = True
            alive.append(now)
            ok = now
        alive.reverse()
        self.live = [keys[ok] for keys, ok in zip(reached, alive)]
        self.reached = sum(len(keys) for keys in reached)
        self._found, self._alive = moves, alive

    def _moves(self) -> list[list[_Move]]:
        """Each step's ways from live cells to live cells, ready to gather and add up by target."""
        if not self.moves:
            alive = self._alive
            place = [np.cumsum(ok) - 1 for ok in alive]
            for s, found in enumerate(self._found):
                mine = []
                for bit, b, at in found:
                    both = alive[s][b.rows] & alive[s + 1][at]
                    src, dst = place[s][b.rows[both]], place[s + 1][at[both]]
                    order = np.argsort(dst, kind="stable")
                    src, dst = src[order], dst[order]
                    starts = np.flatnonzero(np.concatenate(([True], dst[1:] != dst[:-1]))) if len(dst) else dst
                    mine.append(_Move(bit, src, starts, dst[starts]))
                self.moves.append(mine)
            self._found, self._alive = [], []  # the walk's cells are not read again: let them go
        return self.moves

    def _start(self) -> tuple[list[Axis], list[int], np.ndarray]:
        axes = [key for key, _size, _start in self.plan.start]
        sizes = [size for _key, size, _start in self.plan.start]
        key = 0
        for _key, size, start in self.plan.start:
            key = key * size + start
        return axes, sizes, np.array([key], dtype=np.int64)

    def _advance(self, step: Step, axes: list[Axis], sizes: list[int],
                 keys: np.ndarray) -> tuple[_Branch | None, _Branch | None, list[Axis], list[int]]:
        """Where each cell goes on leaving and on taking the step's unit, requirements closed.

        Barred sets and prerequisites are not read: they hold no total.
        """
        axes, sizes = list(axes), list(sizes)
        for key, size, start in step.opens:
            keys = keys * size + start
            axes.append(key)
            sizes.append(size)
        if math.prod(sizes) >= MAX_KEY:
            raise ValueError("the open totals' cells outgrow int64 keys")
        rows = np.arange(len(keys))
        leave = take = None
        if step.leave:
            left = keys if step.flag is None else _set(keys, axes.index(step.flag), sizes, 0)
            leave = _Branch(rows, left)
        if step.take:
            kept = rows
            if step.unit in self.gate:
                kept = rows[_below(self.gate[step.unit], axes, sizes, keys)]
            moved = keys[kept]
            for key, weight in step.shifts:
                moved = _shift(moved, axes.index(key), sizes, weight)
            # past a maximum a total stays past it: such cells can never finish
            over = [i for key, _weight in step.shifts for i in [axes.index(key)] if self._capped(key, sizes[i])]
            if over:
                under = np.ones(len(moved), dtype=bool)
                for i in over:
                    under &= _value(moved, i, sizes) < sizes[i] - 1
                kept, moved = kept[under], moved[under]
            take = _Branch(kept, moved)
        for index in step.closes:
            node = self.problem.nodes[index]
            holds = node_holds(self.plan, node, axes, sizes)
            own = [i for i, key in enumerate(axes) if key[0] in ("dim", "flag", "counter") and key[1] == index]
            leave, take = (None if b is None else _close(b, holds, own, axes, sizes) for b in (leave, take))
            axes = [key for i, key in enumerate(axes) if i not in own]
            sizes = [size for i, size in enumerate(sizes) if i not in own]
        return leave, take, axes, sizes

    def _capped(self, key: Axis, size: int) -> bool:
        """Whether the last cell of the axis ``key`` (of ``size`` cells) is past the maximum of its owner."""
        if key[0] == "level":
            _dim, low, high, _members = self.problem.levels[int(str(key[1]))]
        elif key[0] == "dim":
            low, high = self.problem.nodes[int(str(key[1]))].dims.get(str(key[2]), (None, None))
        else:
            return False
        return high is not None and dim_size(low, high) == size

    def _in_time(self, deadline: float | None = None) -> None:
        for stop in (self.deadline, deadline):
            if stop is not None and time.monotonic() > stop:
                raise TimeoutError("the frontier engine ran out of time")

    def choices(self) -> dict[str, tuple[bool, bool]]:
        """For each unit, whether some pathway leaves it and whether some pathway takes it.

        Asked before the first :meth:`count` (which lets the walk's cells go).
        """
        if not self._found:
            raise ValueError("the walk's cells were let go by a count")
        out = {}
        alive = self._alive
        for s, (step, found) in enumerate(zip(self.plan.steps, self._found)):
            ways = {bit for bit, b, at in found if np.any(alive[s][b.rows] & alive[s + 1][at])}
            out[step.unit] = (0 in ways, 1 in ways)
        return out

    # -- the count ---------------------------------------------------------------------

    def work(self) -> int:
        """The counts the count works through: each step's live cells times its open bits' settings."""
        total = 0
        bits = 0
        for s, step in enumerate(self.plan.steps):
            bits += step.bit
            total += len(self.live[s]) << bits
            bits -= len(step.drops)
        return total

    def peak(self) -> int:
        """The most counts one step holds."""
        most = bits = 0
        for s, step in enumerate(self.plan.steps):
            bits += step.bit
            most = max(most, len(self.live[s]) << bits)
            bits -= len(step.drops)
        return most

    def count(self, deadline: float | None = None) -> int:
        """The number of pathways: the counting walk over the live cells, with the barred sets.

        Raises
        ------
        TimeoutError
            When ``deadline`` (a :func:`time.monotonic` time) passes.
        """
        if not all(len(keys) for keys in self.live):
            return 0  # some step has no cell a pathway passes through
        ways = np.ones((1, len(self.live[0])), dtype=np.int64)
        bits: list[str] = []
        for s, step in enumerate(self.plan.steps):
            self._in_time(deadline)
            rows = ways.shape[0]
            out = np.zeros((2 * rows if step.bit else rows, len(self.live[s + 1])), dtype=np.int64)
            for move in self._moves()[s]:
                if len(move.src):
                    half = slice(move.bit * rows, (move.bit + 1) * rows) if step.bit else slice(None)
                    out[half, move.dst] += np.add.reduceat(ways[:, move.src], move.starts, axis=1)
            if step.bit:
                bits.append(step.unit)
            for clause in step.checks:
                out[_broken(clause, bits)] = 0
            for key in step.drops:
                j = bits.index(str(key[1]))
                out = out.reshape(-1, 2, 1 << j, out.shape[1]).sum(axis=1).reshape(-1, out.shape[1])
                bits.pop(j)
            ways = out
        return int(ways.sum())


@functools.cache
def _strides(sizes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(math.prod(sizes[i + 1:]) for i in range(len(sizes)))


def _value(keys: np.ndarray, i: int, sizes: Sequence[int]) -> np.ndarray:
    return (keys // _strides(tuple(sizes))[i]) % sizes[i]


def _set(keys: np.ndarray, i: int, sizes: Sequence[int], value: int) -> np.ndarray:
    out: np.ndarray = keys + (value - _value(keys, i, sizes)) * _strides(tuple(sizes))[i]
    return out


def _shift(keys: np.ndarray, i: int, sizes: Sequence[int], weight: int) -> np.ndarray:
    """Totals on axis ``i`` raised by ``weight``, saturating at the last cell."""
    now = _value(keys, i, sizes)
    out: np.ndarray = keys + (np.minimum(now + weight, sizes[i] - 1) - now) * _strides(tuple(sizes))[i]
    return out


def _below(pairs: Sequence[tuple[Axis, int]], axes: list[Axis], sizes: Sequence[int], keys: np.ndarray) -> Any:
    out = np.zeros(len(keys), dtype=bool)
    for key, bound in pairs:
        out |= _value(keys, axes.index(key), sizes) < bound
    return out


def _where(holds: dict[int, Any], axes: list[Axis], sizes: Sequence[int], keys: np.ndarray) -> Any:
    """Which keys hold every listed axis's 1-d mask."""
    out = np.ones(len(keys), dtype=bool)
    for i, ok in holds.items():
        out &= np.asarray(ok, dtype=bool)[_value(keys, i, sizes)]
    return out


def _close(branch: _Branch, holds: dict[int, Any], own: list[int], axes: list[Axis], sizes: Sequence[int]) -> _Branch:
    """The cells where a requirement holds, its own totals folded away (keys may repeat)."""
    ok = _where(holds, axes, sizes, branch.keys)
    keys = branch.keys[ok]
    if own:
        kept = [i for i in range(len(sizes)) if i not in own]
        new = np.zeros(len(keys), dtype=np.int64)
        for i in kept:
            new = new * sizes[i] + _value(keys, i, sizes)
        keys = new
    return _Branch(branch.rows[ok], keys)


def _unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The keys sorted, each once, and where each of ``keys`` went.

    One sort: numpy's hashing ``unique`` and a search afterwards are both slower here.
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    where = np.empty(len(keys), dtype=np.int64)
    where[order] = np.cumsum(first) - 1
    return ordered[first], where


def _broken(clause: Any, bits: list[str]) -> np.ndarray:
    """The settings of the open bits (bit ``j`` for ``bits[j]``) that break ``clause``."""
    out = np.zeros(1 << len(bits), dtype=bool)
    positions = [bits.index(u) for u in clause.units]
    for setting in itertools.product((0, 1), repeat=len(positions)):
        if not clause.holds({u: bool(b) for u, b in zip(clause.units, setting)}):
            index = sum(b << j for b, j in zip(setting, positions))
            mask = sum(1 << j for j in positions)
            out |= (np.arange(1 << len(bits)) & mask) == index
    return out
