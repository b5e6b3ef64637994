"""Table preparation for the vectorised batch audit: a product-shaped structure as numpy tables.

Unit prices packed into one ``int64``, the boxes of capped qualification-wide
sums, one plan per group (its own box, moves and contribution) and the
progress rules as matrices; :class:`solver.audit.batch_solve.FastAuditor` runs
the programme of :mod:`solver.audit.batch` on them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from math import prod

import numpy as np
from numpy.typing import NDArray

from ..answers.cheapest import parse_criteria, unit_cost
from ..exact.kernel import NotSupported, credit_scale, product_shape, unit_credits, whole_limits, wide_dims
from ..model.structure import Combination, Group, Qualification

__all__ = ["Bools", "FastNotSupported", "FastTables", "Index", "Ints"]

Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Index = NDArray[np.intp]

_MAX_PRICE = 1 << 56
"""The most a whole pathway may cost for the packed prices to stay exact."""
_CELLS = 1 << 21
"""Array cells (learners x states) per numpy operation: the size of a chunk of learners."""


class FastNotSupported(NotSupported):
    """The structure is not a product of groups, or too large to vectorise."""


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


@dataclass(frozen=True, slots=True, kw_only=True)
class GroupPlan:
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


class FastTables:
    """A product-shaped structure compiled into the tables the programme reads.

    The base of :class:`solver.audit.batch_solve.FastAuditor`, which documents the
    parameters; raises :class:`FastNotSupported` when ``q`` is not a product of
    groups, or too large.
    """

    def __init__(self, q: Qualification, *, by: str | Sequence[str] = ("credits",), max_states: int = 2048) -> None:
        self.q = q
        self.criteria = parse_criteria(by)
        self._check_shape(q)
        self.candidates = q.unit_ids()
        self.index = {u: i for i, u in enumerate(self.candidates)}
        self.n = len(self.candidates)
        self.scale = scale = credit_scale(q)
        credits = unit_credits(q, scale)
        self.credit = np.array([credits[u] for u in self.candidates], dtype=np.int64)
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
        values = [[Decimal(v) for v in unit_cost(q, u, self.criteria)] for u in self.candidates]
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
        credits = dict(zip(self.candidates, (int(c) for c in self.credit)))
        dims = [(np.array([w.get(u, 0) for u in self.candidates], dtype=np.int64), lo, hi)
                for w, lo, hi in wide_dims(self.q, self.scale, credits)]
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

    def _group_plan(self, g: Group, max_states: int) -> GroupPlan:
        cols = tuple(self.index[u] for u in g.units)
        at = np.array(cols, dtype=np.intp)
        axes: dict[tuple[int, ...], int] = {}  # weights on the group's units -> cap

        def axis(weights: Ints, cap: int) -> tuple[int, ...]:
            key = tuple(int(v) for v in weights[at])
            axes[key] = min(max(axes.get(key, 0), cap), sum(key))
            return key

        checks: list[tuple[tuple[int, ...], int | None, int | None]] = []
        lo_c, hi_c, lo_u, hi_u = whole_limits(g, self.scale)
        for weights, lo, hi in ((self.credit, lo_c, hi_c), (np.ones(self.n, dtype=np.int64), lo_u, hi_u)):
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
        return GroupPlan(cols=cols, mandatory=g.mandatory, caps=caps, steps=steps, moves=moves, valid=valid,
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
            limits.append(whole_limits(node, scale))
        if q.limits():
            names.append("qualification")
            members.append(np.ones(self.n, dtype=np.int64))
            limits.append(whole_limits(q, scale))
            whole.append(None)
            kids.append([])
        for i, rule in enumerate(q.level_rules):
            names.append(f"level_rules[{i}]")
            members.append(np.array([rule.applies_to(q.unit(u).level) for u in self.candidates], dtype=np.int64))
            limits.append(whole_limits(rule, scale))
            whole.append(None)
            kids.append([])
        self.rule_names = names
        self.rule_units = np.stack(members, axis=1) if names else np.zeros((self.n, 0), dtype=np.int64)
        self.rule_credits = self.rule_units * self.credit.reshape(-1, 1)
        self.rule_limits = limits
        self.rule_whole = whole
        self.rule_kids = [[position[k] for k in ks] for ks in kids]


def _groups_below(node: Combination) -> list[Group]:
    out: list[Group] = []
    for child in node.requirements:
        out.extend([child] if isinstance(child, Group) else _groups_below(child))
    return out

