"""Interleaving fixed sequences of units so that the frontier stays short.

Some programmes must decide each group's units in a given order (the minimal counts of
:mod:`solver.exact.frontier_minimal` decide a group's weak units heaviest first), but the
groups themselves may be interleaved at will. The best interleaving is a shortest path
through the grid of *how far along each sequence* the order has come: a point of the grid
fixes which units are decided, so it fixes which frontier bits are open and which groups
have started and not finished. Each step costs about the table it works on, the product
of the open groups' axes times two per open bit, and the path of least total cost is the
order with the least work. The grid is walked one diagonal at a time with numpy.

Groups whose units meet no barred set or prerequisite open no bits; they come first, one
after another, before any bit is open.

Examples
--------
Two groups of two units each, with a barred pair across them: ``a2`` and ``b1``. Deciding
``b1`` right after ``a2`` holds ``a2``'s bit for no other step.

>>> from decimal import Decimal
>>> from solver.model import Barred, Group, Qualification, Unit
>>> from solver.exact.frontier_problem import shape_problem
>>> q = Qualification(id="Q", title="T",
...     units=tuple(Unit(id=u, title=u, credits=Decimal(1)) for u in ("a1", "a2", "b1", "b2")),
...     requirements=(Group(id="A", units=("a1", "a2"), min_credits=Decimal(1)),
...                   Group(id="B", units=("b1", "b2"), min_credits=Decimal(1))),
...     barred=(Barred(units=("a2", "b1")),))
>>> interleave(shape_problem(q), [["a1", "a2"], ["b1", "b2"]])
['a1', 'a2', 'b1', 'b2']
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .frontier_plan import dim_size
from .frontier_problem import Problem

__all__ = ["MAX_POINTS", "interleave"]

#: Most points of the grid walked (the product of each coupled sequence's length plus one).
MAX_POINTS = 400_000


def interleave(problem: Problem, sequences: Sequence[Sequence[str]]) -> list[str] | None:
    """Every unit of ``sequences`` once, each sequence in its own order, interleaved for the least work.

    ``sequences`` holds one sequence per group. Units of ``problem`` in no sequence come
    first, in the problem's order. ``None`` when the coupled sequences' grid has more than
    :data:`MAX_POINTS` points.
    """
    mates: dict[str, set[str]] = {}
    for clause in problem.clauses:
        for u in clause.units:
            mates.setdefault(u, set()).update(v for v in clause.units if v != u)
    placed = {u for seq in sequences for u in seq}
    head = [u for u in problem.units if u not in placed]
    coupled = [list(seq) for seq in sequences if any(u in mates for u in seq)]
    head += [u for seq in sequences if not any(u in mates for u in seq) for u in seq]
    shape = tuple(len(seq) + 1 for seq in coupled)
    if not coupled or math.prod(shape) > MAX_POINTS:
        return None if coupled else head
    where = {u: (g, i) for g, seq in enumerate(coupled) for i, u in enumerate(seq)}
    grid = np.indices(shape)

    def decided(u: str) -> np.ndarray:
        """Where ``u`` is decided (units outside the coupled sequences are, from the start)."""
        if u not in where:
            return np.ones(shape, dtype=bool)
        g, i = where[u]
        return np.asarray(grid[g] > i)

    open_bits = np.zeros(shape, dtype=np.int64)  # decided units with a mate still to come
    for u in where:
        if u in mates:
            undecided_mate = np.zeros(shape, dtype=bool)
            for v in mates[u]:
                undecided_mate |= ~decided(v)
            open_bits += decided(u) & undecided_mate
    sizes = [_axis_cells(problem, seq) for seq in coupled]
    started = [grid[g] > 0 for g in range(len(coupled))]
    unfinished = [grid[g] < len(coupled[g]) for g in range(len(coupled))]
    costs = []  # the table deciding each sequence's next unit works on
    for g, seq in enumerate(coupled):
        groups = np.ones(shape)
        for h in range(len(coupled)):
            groups *= np.where((started[h] & unfinished[h]) | (h == g), sizes[h], 1)
        own = np.zeros(shape, dtype=np.int64)
        for i, u in enumerate(seq):
            if u in mates:
                undecided_mate = np.zeros(shape, dtype=bool)
                for v in mates[u] - {u}:
                    undecided_mate |= ~decided(v)
                own += (grid[g] == i) & undecided_mate
        costs.append((groups * np.exp2(open_bits + own)).ravel())
    return head + _walk(coupled, shape, costs)


def _axis_cells(problem: Problem, seq: Sequence[str]) -> int:
    """The cells of the totals of the group whose units ``seq`` holds."""
    node = problem.nodes[problem.node_of_unit[seq[0]]] if seq and seq[0] in problem.node_of_unit else None
    return math.prod(dim_size(low, high) for low, high in node.dims.values()) if node is not None else 1


def _walk(coupled: Sequence[Sequence[str]], shape: tuple[int, ...], costs: Sequence[np.ndarray]) -> list[str]:
    """The least-cost path from the grid's first point to its last, one diagonal at a time."""
    strides = np.array([math.prod(shape[g + 1:]) for g in range(len(shape))], dtype=np.int64)
    coords = np.indices(shape).reshape(len(shape), -1)
    level = coords.sum(axis=0)
    best = np.full(level.size, np.inf)
    best[0] = 0.0
    came = np.full(level.size, -1, dtype=np.int64)
    for t in range(int(level.max())):
        here = np.flatnonzero(level == t)
        for g in range(len(shape)):
            sources = here[coords[g, here] < shape[g] - 1]
            targets = sources + strides[g]
            reached = best[sources] + costs[g][sources]
            better = reached < best[targets]
            best[targets[better]] = reached[better]
            came[targets[better]] = g
    out: list[str] = []
    point = level.size - 1
    while point:
        g = int(came[point])
        point -= int(strides[g])
        out.append(coupled[g][int(coords[g, point])])
    out.reverse()
    return out
