"""The vectorised batch audit itself: cheapest completions for a chunk of learners per numpy pass.

The programme of :mod:`solver.audit.batch` (group tables, backward pass,
forward walk) over the tables of :mod:`solver.audit.batch_tables`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from .batch_tables import Bools, FastTables, GroupPlan, Index, Ints

__all__ = ["FastAuditor", "Outcome"]

_INF = 1 << 61
"""Infinity: unreachable. Held units cost ``-1``, so an unreachable entry may drift a little below."""
_HALF = 1 << 60
"""Anything at or above this is unreachable."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One held set's answer: what every learner holding exactly these units gets."""

    achieved: bool
    remaining: Mapping[str, Decimal | int] | None
    """``None`` only when the structure has no pathway at all."""
    add: tuple[str, ...]
    """The units to add, candidate order (the first cheapest completion)."""
    unused: frozenset[str]
    """Achieved units that completion leaves out (it holds every other achieved unit, and ``add``)."""
    could: frozenset[str]
    """Those of ``unused`` that some other cheapest completion uses."""
    not_met: tuple[str, ...]
    """Rules (progress rows) not met by the achieved units alone."""


# -- moving costs through boxes of capped sums ----------------------------------------------------
def _slicer(ndim: int, axis: int) -> Callable[[int | None, int | None], tuple[slice, ...]]:
    """``at(lo, hi)``: the index that slices ``lo:hi`` along ``axis`` and takes all of the others."""

    def at(lo: int | None, hi: int | None) -> tuple[slice, ...]:
        index = [slice(None)] * ndim
        index[axis] = slice(lo, hi)
        return tuple(index)

    return at


def _push(x: Ints, caps: Sequence[int], step: Sequence[int]) -> Ints:
    """Least cost at each point after adding ``step`` to every point (sums saturate at the caps).

    Capped addition is a product of one map per axis, so the least cost over
    each point's preimage is taken one axis at a time, by slicing.
    """
    rows = x.shape[0]
    y = x.reshape((rows, *(c + 1 for c in caps)))
    for axis, (cap, w) in enumerate(zip(caps, step), start=1):
        if w == 0:
            continue
        out = np.full_like(y, _INF)
        at = _slicer(y.ndim, axis)

        if w < cap:
            out[at(w, cap)] = y[at(0, cap - w)]
        out[at(cap, None)] = y[at(max(cap - w, 0), None)].min(axis=axis, keepdims=True)
        y = out
    return y.reshape(rows, -1)


def _pull(x: Ints, caps: Sequence[int], step: Sequence[int]) -> Ints:
    """The cost at the point ``step`` further on (sums saturate at the caps), for every point."""
    rows = x.shape[0]
    y = x.reshape((rows, *(c + 1 for c in caps)))
    for axis, (cap, w) in enumerate(zip(caps, step), start=1):
        if w == 0:
            continue
        at = _slicer(y.ndim, axis)
        if w <= cap:  # a slice and a repeated edge, cheaper than fancy indexing
            y = np.concatenate([y[at(w, None)], np.repeat(y[at(cap, None)], w, axis=axis)], axis=axis)
        else:  # every point saturates
            y = np.repeat(y[at(cap, None)], cap + 1, axis=axis)
    return y.reshape(rows, -1)


def _pull_min(acc: Ints, x: Ints, caps: Sequence[int], step: Sequence[int], add: Ints) -> None:
    """``acc = min(acc, _pull(x, step) + add)`` in place; by two slices when one axis moves."""
    moving = [a for a, w in enumerate(step) if w]
    if len(moving) != 1 or step[moving[0]] > caps[moving[0]]:
        np.minimum(acc, _pull(x, caps, step) + add, out=acc)
        return
    rows = acc.shape[0]
    shape = (rows, *(c + 1 for c in caps))
    a, y = acc.reshape(shape), x.reshape(shape)
    axis, cap, w = moving[0] + 1, caps[moving[0]], step[moving[0]]
    plus = add.reshape((rows,) + (1,) * len(caps))
    at = _slicer(a.ndim, axis)

    np.minimum(a[at(0, cap - w + 1)], y[at(w, None)] + plus, out=a[at(0, cap - w + 1)])
    np.minimum(a[at(cap - w + 1, None)], y[at(cap, None)] + plus, out=a[at(cap - w + 1, None)])


class FastAuditor(FastTables):
    """The vectorised programme for one product-shaped structure (see :mod:`solver.audit.batch`).

    Parameters
    ----------
    q : Qualification
        The structure.
    by : str or sequence of str
        Criteria for the cost of what remains, as :func:`solver.audit.audit`.
    max_states : int
        Most states a group (or the qualification-wide sums) may have.

    Raises
    ------
    FastNotSupported
        When ``q`` is not a product of groups, or too large.
    """

    # -- the programme -------------------------------------------------------------------------------
    def _table(self, plan: GroupPlan, cost: Ints, forced: Index | None = None) -> Ints:
        """Least cost per global contribution of the group (learners x global states)."""
        rows = cost.shape[0]
        local = np.full((rows, len(plan.valid)), _INF, dtype=np.int64)
        local[:, 0] = 0
        for col, step in zip(plan.cols, plan.steps):
            take = _push(local, plan.caps, step) + cost[:, col : col + 1]
            if plan.mandatory:
                local = take
            elif forced is None:
                local = np.minimum(local, take)
            else:
                local = np.minimum(local + np.where(forced == col, _INF, 0).reshape(-1, 1), take)
            np.minimum(local, _INF, out=local)
        table = np.full((rows, self.size), _INF, dtype=np.int64)
        if len(plan.order):
            table[:, plan.targets] = np.minimum.reduceat(local[:, plan.order], plan.starts, axis=1)
        return table

    def _backward(self, tables: Sequence[Ints], rows: int) -> list[Ints]:
        """``best[j]``: least cost of completing groups ``j..`` from each running sum."""
        best = [np.repeat(np.where(self.final_ok, 0, _INF).astype(np.int64).reshape(1, -1), rows, axis=0)]
        for table in reversed(tables):
            after = best[-1]
            acc = np.full((rows, self.size), _INF, dtype=np.int64)
            for s in np.flatnonzero((table < _HALF).any(axis=0)):
                _pull_min(acc, after, self.caps, self.points[s], table[:, s : s + 1])
            np.minimum(acc, _INF, out=acc)
            best.append(acc)
        best.reverse()
        return best

    def _walk(self, cost: Ints, best: Sequence[Ints]) -> Bools:
        """The first optimal pathway per learner, unit by unit in candidate order."""
        rows = cost.shape[0]
        chosen = np.zeros((rows, self.n), dtype=np.bool_)
        here = np.arange(rows)
        p = np.zeros(rows, dtype=np.intp)
        for j, plan in enumerate(self.groups):
            end = np.take_along_axis(best[j + 1], self.plus[p[:, None], plan.contribution[None, :]], axis=1)
            end[:, ~plan.valid] = _INF
            togo = [end]
            for i in reversed(range(len(plan.cols))):
                nxt = togo[-1]
                take = _pull(nxt, plan.caps, plan.steps[i]) + cost[:, plan.cols[i] : plan.cols[i] + 1]
                cur = take if plan.mandatory else np.minimum(nxt, take)
                togo.append(np.minimum(cur, _INF, out=cur))
            togo.reverse()
            s = np.zeros(rows, dtype=np.intp)
            for i, col in enumerate(plan.cols):
                t = plan.moves[i][s]
                if plan.mandatory:
                    taken = np.ones(rows, dtype=np.bool_)
                else:
                    taken = togo[i + 1][here, t] + cost[:, col] == togo[i][here, s]
                chosen[:, col] = taken
                s = np.where(taken, t, s)
            p = self.plus[p, plan.contribution[s]]
        return chosen

    def _not_met(self, held: Bools) -> Bools:
        """Which progress rows the held units alone do not meet (learners x rules)."""
        h = held.astype(np.int64)
        count, credits = h @ self.rule_units, h @ self.rule_credits
        ok = np.ones(count.shape, dtype=np.bool_)
        for r in reversed(range(len(self.rule_names))):
            lo_c, hi_c, lo_u, hi_u = self.rule_limits[r]
            for column, lo, hi in ((credits[:, r], lo_c, hi_c), (count[:, r], lo_u, hi_u)):
                if lo is not None:
                    ok[:, r] &= column >= lo
                if hi is not None:
                    ok[:, r] &= column <= hi
            if self.rule_whole[r] is not None:
                ok[:, r] &= count[:, r] == self.rule_whole[r]
            kids = self.rule_kids[r]
            if kids:
                ok[:, r] &= ok[:, kids].all(axis=1)
        return ~ok

    # -- learners -----------------------------------------------------------------------------------
    def solve(self, helds: Sequence[frozenset[str]]) -> list[Outcome]:
        """The outcome for each held set (units of the structure only), in order.

        Parameters
        ----------
        helds : sequence of frozenset of str
            Each learner's achieved units that are candidate units of the structure.

        Returns
        -------
        list of Outcome
        """
        out: list[Outcome] = []
        for start in range(0, len(helds), self.rows):
            out.extend(self._solve_chunk(helds[start : start + self.rows]))
        return out

    def _solve_chunk(self, helds: Sequence[frozenset[str]]) -> list[Outcome]:
        rows = len(helds)
        held = np.zeros((rows, self.n), dtype=np.bool_)
        r = [i for i, h in enumerate(helds) for _u in h]
        c = [self.index[u] for h in helds for u in h]
        held[r, c] = True
        cost = np.where(held, -1, self.price.reshape(1, -1))
        tables = [self._table(plan, cost) for plan in self.groups]
        best = self._backward(tables, rows)
        optimum = best[0][:, 0]
        feasible = optimum < _HALF
        chosen = self._walk(cost, best)
        added = chosen & ~held
        remaining = added.astype(np.int64) @ self.crit
        not_met = self._not_met(held)
        spare = held & ~chosen
        unused: dict[int, list[int]] = {}
        for row, col in zip(*(a.tolist() for a in np.nonzero(spare))):
            unused.setdefault(row, []).append(col)
        could = self._could(spare, cost, tables, optimum)
        names = self.candidates
        adds = self._decode(added, names, self._adds)
        unmet = self._decode(not_met, self.rule_names, self._unmet)
        costs: dict[tuple[int, ...], dict[str, Decimal | int]] = {}
        nothing: frozenset[str] = frozenset()
        out = []
        for i, (ok, add, met, left) in enumerate(zip(feasible.tolist(), adds, unmet, remaining.tolist())):
            if not ok:
                out.append(Outcome(achieved=False, remaining=None, add=(), unused=nothing, could=nothing,
                                   not_met=()))
                continue
            key = tuple(left)
            value = costs.get(key)
            if value is None:
                value = costs[key] = self._remaining(key)
            out.append(Outcome(achieved=not add, remaining=value, add=add,
                               unused=frozenset(names[k] for k in unused[i]) if i in unused else nothing,
                               could=frozenset(names[k] for k in could[i]) if i in could else nothing,
                               not_met=met))
        return out

    @staticmethod
    def _decode(matrix: Bools, names: Sequence[str], seen: dict[bytes, tuple[str, ...]]) -> list[tuple[str, ...]]:
        """Each row's names, through a cache keyed by the row's packed bits (rows repeat)."""
        if matrix.shape[1] == 0:
            return [()] * matrix.shape[0]
        packed = np.ascontiguousarray(np.packbits(matrix, axis=1))
        keys: list[Any] = packed.view(np.dtype((np.void, packed.shape[1]))).ravel().tolist()
        out = []
        for key, row in zip(keys, matrix):
            found = seen.get(key)
            if found is None:
                if len(seen) > 20_000:
                    seen.clear()
                found = seen[key] = tuple(names[k] for k in np.flatnonzero(row).tolist())
            out.append(found)
        return out

    def _remaining(self, values: Sequence[int]) -> dict[str, Decimal | int]:
        return {name: v if name == "units" else Decimal(v).scaleb(-d)
                for name, v, d in zip(self.criteria, values, self.digits)}

    def _could(self, spare: Bools, cost: Ints, tables: Sequence[Ints], optimum: Ints) -> dict[int, list[int]]:
        """For achieved units left out of the completion: those some cheapest completion uses.

        Each (learner, unit) pair is solved again with the unit forced in; only
        the unit's own group table changes.
        """
        pr, pc = np.nonzero(spare)
        found: dict[int, list[int]] = {}
        if not len(pr):
            return found
        home = np.empty(self.n, dtype=np.intp)
        for j, plan in enumerate(self.groups):
            home[list(plan.cols)] = j
        primary = (optimum + self.n) // self.primary_unit
        for j, plan in enumerate(self.groups):
            pick = np.flatnonzero(home[pc] == j)
            if not len(pick):
                continue
            rows, cols = pr[pick], pc[pick]
            mine = [t[rows] for t in tables]
            mine[j] = self._table(plan, cost[rows], forced=cols)
            forced = self._backward(mine, len(rows))[0][:, 0]
            hit = (forced < _HALF) & ((forced + self.n) // self.primary_unit == primary[rows])
            for row, col in zip(rows[hit].tolist(), cols[hit].tolist()):
                found.setdefault(row, []).append(col)
        return found
