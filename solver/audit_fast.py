r"""Batch audits, vectorised: thousands of learners per numpy call, for product-shaped structures.

When every group must hold (no choices, no limits on combinations), every unit
is listed in exactly one group, nothing double-counts and there are no barred
sets or prerequisites (the shape :mod:`solver.traceback` and
:mod:`solver.product` decompose), a learner's cheapest completion is a
min-plus programme that factorises group by group, exactly as in
:mod:`solver.traceback`:

* per group, a table of least cost by the group's *contribution* to the
  qualification-wide sums (credits, units, level rules; capped). Units are
  added one at a time to an array of shape ``(learners, states)``; a held unit
  costs ``-1`` and any other its price, so one numpy operation serves
  thousands of learners;
* a backward pass over the groups: ``best[j][p]``, the least cost of
  completing groups ``j..`` from running sums ``p``;
* a forward walk, unit by unit in candidate order, taking a unit whenever
  taking it still reaches the optimum: the first optimal pathway in the
  documented order, the completion :func:`solver.audit.audit` shows first.

A price is one ``int64``: the criteria (scaled to whole numbers, weighted so
the sum compares lexicographically), then the two hidden tie-breakers of
:func:`solver.audit.audit` (fewer units added, then more achieved units used).
Structures whose prices could overflow, or whose state boxes are too large,
are refused with :class:`FastNotSupported`; :class:`BatchAuditor` then falls
back to :class:`solver.audit.Auditor`, one learner at a time.

Examples
--------
>>> from solver.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> batch = BatchAuditor(q)
>>> s = batch.summaries([["resolve-problems", "develop-relationships", "support-improvements"]])[0]
>>> s.remaining, s.achieved, batch.fast
({'credits': Decimal('34')}, False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import lcm, prod
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .audit import Audit, Auditor, Completion, blocked_units, progress
from .count import DEFAULT_TIMEOUT
from .dp import product_shape
from .model import Combination, Group, Qualification
from .optimise import _unit_cost, parse_criteria
from .results import Method, Pathway, Status

__all__ = ["AuditSummary", "BatchAuditor", "FastAuditor", "FastNotSupported", "Outcome"]

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Index = NDArray[np.intp]

_INF = 1 << 61
"""Infinity: unreachable. Held units cost ``-1``, so an unreachable entry may drift a little below."""
_HALF = 1 << 60
"""Anything at or above this is unreachable."""
_MAX_PRICE = 1 << 56
"""The most a whole pathway may cost for the packed prices to stay exact."""
_CELLS = 1 << 21
"""Array cells (learners x states) per numpy operation: the size of a chunk of learners."""
_PROOF = "exact: dynamic programming over every pathway (least cost of the missing units)"


class FastNotSupported(Exception):
    """The structure is not a product of groups, or too large to vectorise."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSummary:
    """One learner's row of a batch report: what :func:`solver.audit.audit` reports, in brief.

    ``counting`` are the achieved units the first cheapest completion uses
    (in the learner's order); ``not_counting`` the achieved units that count
    towards nothing (unknown, or used by no cheapest completion); ``blocked``
    the units barred with some achieved unit; ``not_met`` the progress rows
    whose status is not ``met``.
    """

    qualification: str
    held: tuple[str, ...]
    objective: tuple[str, ...]
    achieved: bool
    remaining: Mapping[str, Decimal | int] | None
    add: tuple[str, ...]
    counting: tuple[str, ...]
    not_counting: tuple[str, ...]
    unknown: tuple[str, ...]
    blocked: tuple[str, ...]
    not_met: tuple[str, ...]
    status: Status

    @classmethod
    def of(cls, result: Audit) -> AuditSummary:
        """The summary of a full audit."""
        best = result.best
        return cls(qualification=result.qualification, held=result.held, objective=result.objective,
                   achieved=result.achieved, remaining=result.remaining, add=best.add if best else (),
                   counting=tuple(u for u in result.held if best is not None and u in best.pathway.units),
                   not_counting=result.not_counting, unknown=result.unknown, blocked=tuple(result.blocked),
                   not_met=tuple(p.rule for p in result.progress if p.status.value != "met"),
                   status=result.status)


# -- boxes of capped sums -------------------------------------------------------------------------
def _values(caps: Sequence[int]) -> Ints:
    """Every point of the box ``0..cap`` per axis, one row per flat (C-order) index."""
    if not caps:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.meshgrid(*(np.arange(c + 1, dtype=np.int64) for c in caps), indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


def _flat(values: Ints, caps: Sequence[int]) -> Index:
    """Flat indices of (capped) points."""
    strides = [prod(c + 1 for c in caps[i + 1:]) for i in range(len(caps))]
    capped = np.minimum(values, np.asarray(caps, dtype=np.int64))
    return (capped @ np.asarray(strides, dtype=np.int64).reshape(-1, 1)).ravel().astype(np.intp)


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


@dataclass(frozen=True, slots=True, kw_only=True)
class _GroupPlan:
    cols: tuple[int, ...]
    """Candidate indices of the group's units, in listed order."""
    mandatory: bool
    caps: tuple[int, ...]
    steps: tuple[tuple[int, ...], ...]
    moves: Index
    """``moves[i][s]``: the state after taking unit ``i`` from state ``s``."""
    valid: Bools
    contribution: Index
    """The global contribution (flat index) of each local state."""
    targets: Index
    starts: Index
    order: Index


def _cap_for(low: int | None, high: int | None) -> int:
    return max(low or 0, high + 1 if high is not None else 0)


def _scaled(value: Any, scale: int) -> int | None:
    return None if value is None else int(Fraction(value) * scale)


class FastAuditor:
    """The vectorised programme for one product-shaped structure (see the module docstring).

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

    def __init__(self, q: Qualification, *, by: str | Sequence[str] = ("credits",), max_states: int = 2048) -> None:
        self.q = q
        self.criteria = parse_criteria(by)
        self._check_shape(q)
        self.candidates = q.unit_ids()
        self.index = {u: i for i, u in enumerate(self.candidates)}
        self.n = len(self.candidates)
        scale = 1
        for value in [*(q.unit(u).credits or 0 for u in self.candidates),
                      *(getattr(node, name) for node in [q, *q.iter_requirements(), *q.level_rules]
                        for name in ("min_credits", "max_credits"))]:
            if value is not None:
                scale = lcm(scale, Fraction(value).denominator)
        self.scale = scale
        self.credit = np.array([int(Fraction(q.unit(u).credits or 0) * scale) for u in self.candidates],
                               dtype=np.int64)
        self._prices()
        self._global_dims(max_states)
        self.groups = [self._group_plan(g, max_states) for g in q.iter_groups()]
        widest = max([self.size, *(len(p.valid) * (len(p.cols) + 1) for p in self.groups)])
        self.rows = min(1024, max(16, _CELLS // widest))
        """Learners per numpy pass: small enough for the arrays to stay in cache."""
        self._rules()
        self._adds: dict[bytes, tuple[str, ...]] = {}
        self._unmet: dict[bytes, tuple[str, ...]] = {}

    # -- compiling ---------------------------------------------------------------------------------
    @staticmethod
    def _check_shape(q: Qualification) -> None:
        reason = product_shape(q)
        if reason is not None:
            raise FastNotSupported(reason)

    def _prices(self) -> None:
        q, n = self.q, self.n
        values = [[Decimal(v) for v in _unit_cost(q, u, self.criteria)] for u in self.candidates]
        digits = [max([0, *(-int(row[i].as_tuple().exponent) for row in values)]) for i in range(len(self.criteria))]
        self.digits = digits
        self.crit = np.array([[int(row[i].scaleb(d)) for i, d in enumerate(digits)] for row in values],
                             dtype=np.int64).reshape(n, len(self.criteria))
        k = n + 1
        mult = [0] * len(self.criteria)
        m = k * k
        for i in reversed(range(len(self.criteria))):
            mult[i] = m
            m *= int(self.crit[:, i].sum()) + 1
        if m > _MAX_PRICE or int(self.crit.min(initial=0)) < 0:
            raise FastNotSupported("costs too large (or negative) to pack into one integer")
        self.primary_unit = k * k
        self.price = (self.crit @ np.array(mult, dtype=np.int64).reshape(-1, 1)).ravel() + k

    def _global_dims(self, max_states: int) -> None:
        q, scale = self.q, self.scale
        ones = np.ones(self.n, dtype=np.int64)
        dims: list[tuple[Ints, int | None, int | None]] = [
            (self.credit, _scaled(q.min_credits, scale), _scaled(q.max_credits, scale)),
            (ones, q.min_units, q.max_units)]
        for rule in q.level_rules:
            member = np.array([rule.applies_to(q.unit(u).level) for u in self.candidates], dtype=np.int64)
            dims.append((self.credit * member, _scaled(rule.min_credits, scale), _scaled(rule.max_credits, scale)))
            dims.append((member, rule.min_units, rule.max_units))
        dims = [d for d in dims if d[1] is not None or d[2] is not None]
        self.weights = [w for w, _lo, _hi in dims]
        self.caps = tuple(min(_cap_for(lo, hi), int(w.sum())) for w, lo, hi in dims)
        self.size = prod(c + 1 for c in self.caps)
        if self.size > max_states:
            raise FastNotSupported(f"{self.size} qualification-wide states (more than {max_states})")
        points = _values(self.caps)
        self.points = [tuple(int(v) for v in row) for row in points]
        self.final_ok = np.ones(self.size, dtype=np.bool_)
        for axis, (_w, lo, hi) in enumerate(dims):
            if lo is not None:
                self.final_ok &= points[:, axis] >= lo
            if hi is not None:
                self.final_ok &= points[:, axis] <= hi
        self.plus = _flat(points[:, None, :] + points[None, :, :], self.caps).reshape(self.size, self.size)

    def _group_plan(self, g: Group, max_states: int) -> _GroupPlan:
        cols = tuple(self.index[u] for u in g.units)
        at = np.array(cols, dtype=np.intp)
        axes: dict[tuple[int, ...], int] = {}  # weights on the group's units -> cap

        def axis(weights: Ints, cap: int) -> tuple[int, ...]:
            key = tuple(int(v) for v in weights[at])
            axes[key] = min(max(axes.get(key, 0), cap), sum(key))
            return key

        checks: list[tuple[tuple[int, ...], int | None, int | None]] = []
        for weights, lo, hi in ((self.credit, _scaled(g.min_credits, self.scale), _scaled(g.max_credits, self.scale)),
                                (np.ones(self.n, dtype=np.int64), g.min_units, g.max_units)):
            if lo is not None or hi is not None:
                checks.append((axis(weights, _cap_for(lo, hi)), lo, hi))
        feeds = [axis(w, cap) for w, cap in zip(self.weights, self.caps)]
        keys = list(axes)
        caps = tuple(axes[k] for k in keys)
        size = prod(c + 1 for c in caps)
        if size > max_states:
            raise FastNotSupported(f"group {g.id!r} has {size} states (more than {max_states})")
        points = _values(caps)
        steps = tuple(tuple(k[i] for k in keys) for i in range(len(cols)))
        moves = np.array([_flat(points + np.array(s, dtype=np.int64), caps) for s in steps],
                         dtype=np.intp).reshape(len(cols), size)
        valid = np.ones(size, dtype=np.bool_)
        for key, lo, hi in checks:
            column = points[:, keys.index(key)]
            if lo is not None:
                valid &= column >= lo
            if hi is not None:
                valid &= column <= hi
        contribution = _flat(points[:, [keys.index(k) for k in feeds]].reshape(size, len(feeds)), self.caps)
        order = np.flatnonzero(valid)[np.argsort(contribution[valid], kind="stable")]
        targets, starts = np.unique(contribution[order], return_index=True)
        return _GroupPlan(cols=cols, mandatory=g.mandatory, caps=caps, steps=steps, moves=moves, valid=valid,
                          contribution=contribution, targets=targets.astype(np.intp),
                          starts=starts.astype(np.intp), order=order)

    def _rules(self) -> None:
        """Progress rows as matrices: which units each rule counts, its limits, how it is met."""
        q, scale = self.q, self.scale
        names: list[str] = []
        members: list[Ints] = []
        limits: list[tuple[int | None, int | None, int | None, int | None]] = []
        whole: list[int | None] = []  # mandatory groups: how many units they list
        kids: list[list[int]] = []
        position: dict[int, int] = {}
        for node in q.iter_requirements():
            position[id(node)] = len(names)
            if isinstance(node, Group):
                names.append(f"group {node.id}")
                units: set[str] = set(node.units)
                whole.append(len(units) if node.mandatory else None)
                kids.append([])
            else:
                names.append(f"{node.kind} {node.id}")
                units = {u for g in _groups_below(node) for u in g.units}
                whole.append(None)
                kids.append([id(c) for c in node.requirements])
            members.append(np.array([u in units for u in self.candidates], dtype=np.int64))
            limits.append(_limits(node, scale))
        if q.limits():
            names.append("qualification")
            members.append(np.ones(self.n, dtype=np.int64))
            limits.append(_limits(q, scale))
            whole.append(None)
            kids.append([])
        for i, rule in enumerate(q.level_rules):
            names.append(f"level_rules[{i}]")
            members.append(np.array([rule.applies_to(q.unit(u).level) for u in self.candidates], dtype=np.int64))
            limits.append(_limits(rule, scale))
            whole.append(None)
            kids.append([])
        self.rule_names = names
        self.rule_units = np.stack(members, axis=1) if names else np.zeros((self.n, 0), dtype=np.int64)
        self.rule_credits = self.rule_units * self.credit.reshape(-1, 1)
        self.rule_limits = limits
        self.rule_whole = whole
        self.rule_kids = [[position[k] for k in ks] for ks in kids]

    # -- the programme -------------------------------------------------------------------------------
    def _table(self, plan: _GroupPlan, cost: Ints, forced: Index | None = None) -> Ints:
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


def _groups_below(node: Combination) -> list[Group]:
    out: list[Group] = []
    for child in node.requirements:
        out.extend([child] if isinstance(child, Group) else _groups_below(child))
    return out


def _limits(node: Any, scale: int) -> tuple[int | None, int | None, int | None, int | None]:
    return (_scaled(node.min_credits, scale), _scaled(node.max_credits, scale), node.min_units, node.max_units)


class BatchAuditor:
    """Audit many learners against one structure: vectorised when it can be, else one by one.

    Parameters
    ----------
    q : Qualification
        The structure.
    by : str or sequence of str
        Criteria for the cost of what remains.
    cache : int
        Most held sets whose outcome is remembered (learners often hold the same units).
    timeout : float or None
        For the fallback (see :class:`solver.audit.Auditor`).
    """

    def __init__(self, q: Qualification, *, by: str | Sequence[str] = ("credits",), cache: int = 20_000,
                 timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.q = q
        self.criteria = parse_criteria(by)
        self.engine: FastAuditor | None
        try:
            self.engine = FastAuditor(q, by=self.criteria)
        except FastNotSupported as exc:
            self.engine = None
            self.reason = str(exc)
        self.fast = self.engine is not None
        self.candidates = frozenset(q.unit_ids())
        self._fallback: Auditor | None = None if self.fast else Auditor(q, by=self.criteria, timeout=timeout)
        self._cache: dict[frozenset[str], Outcome] = {}
        self._cache_size = cache

    def _outcomes(self, mines: Sequence[frozenset[str]]) -> list[Outcome]:
        engine = self.engine
        if engine is None:
            raise RuntimeError("no vectorised engine for this structure")
        cache = self._cache
        todo = [m for m in dict.fromkeys(mines) if m not in cache]
        solved = dict(zip(todo, engine.solve(todo)))
        out = [cache.get(m) or solved[m] for m in mines]
        if len(cache) + len(solved) > self._cache_size:
            cache.clear()  # flat memory: forget, rather than grow
        cache.update(solved)
        return out

    def summaries(self, learners: Iterable[Sequence[str]]) -> list[AuditSummary]:
        """Each learner's :class:`AuditSummary` (``learners``: each one's achieved unit ids)."""
        helds = [tuple(dict.fromkeys(a)) for a in learners]
        if not self.fast:
            return [AuditSummary.of(self.audit(h)) for h in helds]
        cand = self.candidates
        mines = [cand.intersection(h) for h in helds]
        q_id, criteria, complete = self.q.id, self.criteria, Status.COMPLETE
        out = []
        for held, mine, o in zip(helds, mines, self._outcomes(mines)):
            if len(mine) == len(held) and not o.unused and o.remaining is not None:  # the common case
                unknown: tuple[str, ...] = ()
                counting, not_counting = held, unknown
            else:
                unknown = tuple(u for u in held if u not in cand)
                lost = o.unused - o.could if o.remaining is not None else frozenset()
                counting = tuple(u for u in held if u in mine and u not in o.unused)
                not_counting = tuple(u for u in held if u not in cand or u in lost)
                if o.remaining is None:
                    counting = ()
            out.append(AuditSummary(
                qualification=q_id, held=held, objective=criteria, achieved=o.achieved, remaining=o.remaining,
                add=o.add, counting=counting, not_counting=not_counting, unknown=unknown, blocked=(),
                not_met=o.not_met, status=complete if o.remaining is not None else Status.INFEASIBLE))
        return out

    def audits(self, learners: Iterable[Sequence[str]]) -> list[Audit]:
        """Each learner's full :class:`Audit` (first completion only; ``ties`` is ``None``)."""
        helds = [tuple(dict.fromkeys(a)) for a in learners]
        if not self.fast:
            return [self.audit(h) for h in helds]
        mines = [self.candidates.intersection(h) for h in helds]
        return [self._audit(h, m, o) for h, m, o in zip(helds, mines, self._outcomes(mines))]

    def audit(self, achieved: Iterable[str]) -> Audit:
        """One learner's full :class:`Audit` (see :meth:`audits`)."""
        if self._fallback is not None:
            return self._fallback.audit(achieved)
        return self.audits([tuple(achieved)])[0]

    def _audit(self, held: tuple[str, ...], mine: frozenset[str], o: Outcome) -> Audit:
        q = self.q
        unknown = tuple(u for u in held if u not in self.candidates)
        common: dict[str, Any] = {"qualification": q.id, "held": held, "objective": self.criteria,
                                  "unknown": unknown, "blocked": blocked_units(q, mine) if q.barred else {}}
        if o.remaining is None:
            return Audit(achieved=False, remaining=None, completions=(), ties=None, progress=(),
                         not_counting=unknown, status=Status.INFEASIBLE, method=Method.DYNAMIC_PROGRAMMING,
                         proof="no pathway satisfies the rules", **common)
        lost = o.unused - o.could
        not_counting = tuple(u for u in held if u not in mine or u in lost)
        chosen = (mine - o.unused).union(o.add)
        completion = Completion(add=o.add, cost=o.remaining, pathway=Pathway.of(q, chosen))
        return Audit(achieved=o.achieved, remaining=o.remaining, completions=(completion,), ties=None,
                     progress=progress(q, mine, chosen), not_counting=not_counting,
                     method=Method.DYNAMIC_PROGRAMMING, proof=_PROOF, **common)
