"""The cheapest pathway of a product of groups, by min-plus arithmetic over dense integer arrays.

:mod:`solver.exact.trace_back` walks the same programme over Python dictionaries, which is
exact for any costs but slow at thousands of units. Here every state of the tracked
totals (credits, units, credits at a level, each saturated at the cap past which no
rule can tell values apart) is one cell of a numpy array, and the lexicographic cost
vector is packed into one 32- or 64-bit integer (criterion by criterion, each in a radix
larger than its largest possible total), so one unit is a shifted ``minimum`` over the
whole array.

The programme runs backwards: ``togo[s]`` is the least cost of finishing from the
running totals ``s``. Inside a group the array gains the group's own totals (what its
limits read); at the group's start they are zero and drop out. One forward walk then
takes each unit, in candidate order, whenever taking it still reaches the optimum:
the first optimal pathway in the documented order.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> from solver.answers.cheapest import unit_costs
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> cost, ties, units = cheapest_dense(q, unit_costs(q, ("credits", "units")))
>>> cost, ties, len(units)
((Decimal('45'), 11), 442, 11)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from ..model.numbers import whole_numbers
from ..model.structure import Group, Qualification
from .kernel import NotSupported, product_shape, rule_bounds, wide_dims

if TYPE_CHECKING:
    import numpy as np

__all__ = ["DenseNotSupported", "cheapest_dense", "supports"]

#: Cost of an unreachable state. Packed totals stay below it, so a cell's value, which is INF or 0
#: plus the costs of some units, stays below 2 * INF and never overflows int64: no clipping needed.
INF = 1 << 61
#: The same for 32-bit arrays, used when every packed total fits: half the memory to stream through.
INF32 = 1 << 30
#: Free units (neither mandatory nor fixed) up to which no count can pass 2**62, so ties are
#: counted in machine integers.
INT64_FREE_UNITS = 62
#: Cells (over all groups and units) below which every layer is kept from the first pass for the walk,
#: instead of solving each group again; about 8 bytes each.
KEEP_CELLS = 2_000_000


def supports(q: Qualification) -> str | None:
    """Why the min-plus programme cannot take ``q`` (not a product of groups), or ``None``.

    Costs it cannot pack into machine integers are found when it runs (:class:`DenseNotSupported`).
    """
    return product_shape(q)


class DenseNotSupported(NotSupported):
    """Outside the array programme: not a product of groups, or costs that do not pack into 64 bits."""


def _integers(values: Mapping[str, Any]) -> tuple[dict[str, int], int]:
    """The values times the least scale that makes every one whole, and that scale."""
    whole, scale = whole_numbers(values.values())
    return dict(zip(values, whole)), scale


def _pack(costs: Mapping[str, tuple[Any, ...]], units: Sequence[str]
          ) -> tuple[dict[str, int], list[int], list[int], int]:
    """Each unit's cost vector as one integer; the per-criterion scales and radices to unpack it; a bound.

    Every packed total is below the bound.
    """
    width = len(costs[units[0]]) if units else 0
    columns = [_integers({u: costs[u][i] for u in units}) for i in range(width)]
    if any(v < 0 for column, _s in columns for v in column.values()):
        raise DenseNotSupported("a cost is negative")
    radices = [1] * width
    for i in range(width - 2, -1, -1):
        radices[i] = radices[i + 1] * (sum(columns[i + 1][0].values()) + 1)
    top = radices[0] * (sum(columns[0][0].values()) + 1) if width else 1
    if top >= INF:
        raise DenseNotSupported("the packed costs would not fit in 64 bits")
    packed = {u: sum(column[u] * r for (column, _s), r in zip(columns, radices)) for u in units}
    return packed, [scale for _c, scale in columns], radices, top


def _padded(core: np.ndarray, pads: Sequence[int]) -> np.ndarray:
    """``core`` with ``pads[a]`` more cells on each axis that repeat its last cell (the saturated total).

    Then the value after adding ``w`` to every total is the slice ``[w : w + n]``: a view, not a copy.
    """
    import numpy as np

    out = np.empty(tuple(n + p for n, p in zip(core.shape, pads)), dtype=core.dtype)
    out[tuple(slice(0, n) for n in core.shape)] = core
    _refresh(out, core.shape, pads)
    return out


def _refresh(arr: np.ndarray, shape: Sequence[int], widths: Sequence[int]) -> None:
    """Copy the last core cell of each axis into the first ``widths[a]`` cells of its padding."""
    for tail, last in _fills(tuple(shape), tuple(widths)):
        arr[tail] = arr[last]


@cache
def _fills(shape: tuple[int, ...], widths: tuple[int, ...]) -> list[tuple[tuple[slice, ...], tuple[slice, ...]]]:
    """The copies :func:`_refresh` makes, axis by axis.

    Each runs over the whole extent of the other axes, which fills the corners.
    """
    out = []
    for axis, (n, width) in enumerate(zip(shape, widths)):
        if width:
            tail: list[slice] = [slice(None)] * len(shape)
            last = list(tail)
            tail[axis] = slice(n, n + width)
            last[axis] = slice(n - 1, n)
            out.append((tuple(tail), tuple(last)))
    return out


class _Axis:
    """One tracked total: ``weights[unit]`` summed, saturated where no limit can tell values apart."""

    def __init__(self, weights: Mapping[str, int], low: int | None, high: int | None) -> None:
        self.weights = weights
        self.low = low
        self.high = high
        # values 0..size-1; the last means "at least that much" (past the maximum, or at the minimum)
        self.size = (high + 2) if high is not None else (low or 0) + 1

    def ok(self, values: Any) -> Any:
        ok = values >= (self.low or 0)
        return ok & (values <= self.high) if self.high is not None else ok


def _mask(axes: Sequence[_Axis]) -> np.ndarray:
    """Where every axis's limits hold, over the grid of their values."""
    import numpy as np

    ok = np.ones(tuple(a.size for a in axes), dtype=bool)
    for i, axis in enumerate(axes):
        ok &= axis.ok(np.arange(axis.size).reshape([-1 if j == i else 1 for j in range(len(axes))]))
    return ok


class _Layers:
    """One group solved backwards: cost to go (and optimal ways) over (totals, the group's own totals)."""

    def __init__(self, sizes: tuple[int, ...], costs: list[np.ndarray], ways: np.ndarray | None) -> None:
        self.sizes = sizes  # core sizes; the arrays are padded
        self.costs = costs  # before each unit; the first is the group's start
        self.ways = ways  # at the start only


class _Programme:
    def __init__(self, q: Qualification, costs: Mapping[str, tuple[Any, ...]], forced: Mapping[str, bool],
                 *, ways: Any = None) -> None:
        reason = product_shape(q)
        if reason is not None:
            raise DenseNotSupported(reason)
        self.q = q
        self.forced = forced
        units = q.unit_ids()
        import numpy as np

        self.packed, self.scales, self.radices, top = _pack(costs, units)
        self.inf: int = INF32 if top < INF32 else INF
        self.dtype: Any = np.int32 if top < INF32 else np.int64
        self.credits, self.scale = _integers({u: q.unit(u).credits or 0 for u in units})
        # the totals the qualification's own limits and its level rules read
        self.axes = [_Axis(weights, low, high) for weights, low, high in wide_dims(q, self.scale, self.credits)]
        self.axes.sort(key=lambda a: a.size)
        self.shape = tuple(a.size for a in self.axes)
        self.groups = list(q.iter_groups())
        self.own = [self.axes_of(g, g.units) for g in self.groups]
        self.ways_dtype = ways

    def axes_of(self, node: Any, members: Sequence[str]) -> list[_Axis]:
        out = []
        for name, low, high in rule_bounds(node, self.scale):
            weights = {u: self.credits[u] for u in members} if name == "credits" else dict.fromkeys(members, 1)
            out.append(_Axis(weights, low, high))
        return out

    def options(self, g: Group, uid: str) -> tuple[bool, bool]:
        """(may take, may leave)."""
        f = self.forced.get(uid)
        return f is not False, f is not True and not g.mandatory

    def layers(self, j: int, after: np.ndarray, after_ways: np.ndarray | None, *, keep: bool) -> _Layers:
        """Group ``j`` solved backwards from ``after``, the cost to go once it is done.

        ``after`` covers the totals, or a corner of them (the totals from some point on: the
        programme only looks ahead, so a corner is solved exactly on its own).
        """
        import numpy as np

        g, own = self.groups[j], self.own[j]
        # the group's own totals go first: numpy runs fastest along the last axis, the largest
        axes = own + self.axes
        sizes = tuple(a.size for a in own) + after.shape
        local = (...,) + (None,) * after.ndim
        spread = (None,) * len(own)
        valid = _mask(own)
        steps = {uid: [min(a.weights.get(uid, 0), n - 1) for a, n in zip(axes, sizes)] for uid in g.units}
        pads = [max([w[i] for w in steps.values()] + [0]) for i in range(len(sizes))]
        # the trailing Ellipsis keeps a selection an array view even with no axes at all
        core: tuple[Any, ...] = (*(slice(0, n) for n in sizes), ...)
        togo = _padded(np.where(valid[local], after[spread], self.inf).astype(self.dtype), pads)
        ways = None if after_ways is None else _padded(np.where(valid[local], after_ways[spread], 0), pads)
        out = [togo]
        # Padding must repeat the last cell before a unit reads it. An axis with a maximum
        # has INF (or more) there for good, so updating in place keeps its padding right
        # (and the ways beside such cells are never counted).
        stale = [keep or axis.high is None for axis in axes]
        stale_ways = [axis.high is None for axis in axes]
        # one scratch array for every unit: a fresh one each time costs page faults at this size
        buffer = np.empty(sizes, dtype=self.dtype)
        for uid in reversed(g.units):
            take, leave = self.options(g, uid)
            nxt = np.empty_like(togo) if keep else togo
            if take:
                step = steps[uid]
                ahead: tuple[Any, ...] = (*(slice(w, w + n) for w, n in zip(step, sizes)), ...)
                widths = [w if s else 0 for w, s in zip(step, stale)]
                _refresh(togo, sizes, widths)
                moved = np.add(togo[ahead], self.packed[uid], out=buffer)
                if ways is not None:
                    _refresh(ways, sizes, [w if s else 0 for w, s in zip(step, stale_ways)])
                    stay = togo[core]
                    best = np.minimum(stay, moved) if leave else moved
                    ways_core = np.where(moved == best, ways[ahead], 0)
                    if leave:
                        ways_core += np.where(stay == best, ways[core], 0)
                    ways[core] = ways_core
                    nxt[core] = best
                elif leave:
                    np.minimum(togo[core], moved, out=nxt[core])
                else:
                    nxt[core] = moved
            elif not leave:
                nxt[core] = self.inf
            elif keep:
                nxt[core] = togo[core]
            togo = nxt
            if keep:
                out.append(togo)
        if not keep:
            out = [togo]
        out.reverse()
        start = (0,) * len(own)
        # np.asarray: an object array's single cell comes out as a Python number
        return _Layers(sizes, out, None if ways is None else np.asarray(ways[core][start]))

    def final(self) -> np.ndarray:
        """0 where the qualification's own limits and level rules hold on the totals, else INF."""
        import numpy as np

        return np.where(_mask(self.axes), 0, self.inf).astype(self.dtype)

    def cells(self) -> int:
        """Cells the first pass would hold if it kept every layer."""
        total = 0
        for g, own in zip(self.groups, self.own):
            size = 1
            for n in self.shape + tuple(a.size for a in own):
                size *= 2 * n
            total += size * (len(g.units) + 1)
        return total

    def solve(self) -> tuple[int, int | None, list[str]]:
        """(packed optimum or INF, number of optimal pathways or None, the first optimal pathway)."""
        import numpy as np

        keep = self.cells() <= KEEP_CELLS
        togo = self.final()
        ways = None if self.ways_dtype is None else np.asarray(togo == 0).astype(self.ways_dtype)
        starts: list[np.ndarray] = [togo]
        kept: list[_Layers] = []
        core = tuple(slice(0, n) for n in self.shape)
        for j in range(len(self.groups) - 1, -1, -1):
            solved = self.layers(j, starts[-1], ways, keep=keep)
            starts.append(solved.costs[0][(0,) * len(self.own[j]) + core])
            ways = solved.ways
            kept.append(solved)
        starts.reverse()
        kept.reverse()
        origin = (0,) * len(self.shape)
        best = int(starts[0][origin])
        if best >= self.inf:
            return INF, 0, []
        count = None if ways is None else int(ways[origin])
        chosen: list[str] = []
        state = [0] * len(self.axes)
        for j, g in enumerate(self.groups):
            if keep:
                solved, base = kept[j], [0] * len(state)
            else:  # only the totals from `state` on can follow: solve that corner
                base = state
                solved = self.layers(j, starts[j + 1][tuple(slice(v, None) for v in state)], None, keep=True)
            axes = self.own[j] + self.axes
            here = [0] * len(self.own[j]) + [v - b for v, b in zip(state, base)]
            for i, uid in enumerate(g.units):
                if not self.options(g, uid)[0]:
                    continue
                there = [min(v + a.weights.get(uid, 0), n - 1) for v, a, n in zip(here, axes, solved.sizes)]
                if int(solved.costs[i + 1][tuple(there)]) + self.packed[uid] == int(solved.costs[i][tuple(here)]):
                    chosen.append(uid)
                    here = there
            state = [b + v for b, v in zip(base, here[len(self.own[j]):])]
        return best, count, chosen


def cheapest_dense(
    q: Qualification,
    costs: Mapping[str, tuple[Any, ...]],
    *,
    forced: Mapping[str, bool] | None = None,
    big_ties: bool = False,
) -> tuple[tuple[Any, ...] | None, int | None, list[str]]:
    """``(optimum, ties, units of the first optimal pathway)``; ``(None, 0, [])`` when there is no pathway.

    The optimum is the chosen pathway's own cost vector, summed from ``costs`` (so its
    numbers have the same types as the costs). Ties are counted in machine integers when
    no count can pass 2**62 (at most 62 units free to choose); otherwise they are counted
    in Python integers with ``big_ties`` (slower), and are ``None`` without it.

    Raises
    ------
    DenseNotSupported
        When ``q`` is not a product of groups, or the costs cannot be packed.
    """
    import numpy as np

    forced = dict(forced or {})
    free = sum(1 for g in q.iter_groups() if not g.mandatory for u in g.units if u not in forced)
    dtype = np.int64 if free <= INT64_FREE_UNITS else object if big_ties else None
    programme = _Programme(q, costs, forced, ways=dtype)
    best, ties, chosen = programme.solve()
    if best >= INF:
        return None, 0, []
    total = tuple(sum(costs[u][i] for u in chosen) for i in range(len(programme.scales)))
    return total, ties, chosen
