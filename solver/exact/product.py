"""Fast streaming of pathways for the commonest shape: groups that must all hold.

Most rules of combination are "all of these groups, each with its own
limits, plus qualification-wide totals". Then a pathway is one valid subset
per group, chosen so that the totals work out, and pathways can be streamed
as a product: each group's valid subsets are listed once (in the documented
order), and a table of which partial totals can still be completed tells,
for every prefix of groups, exactly which subsets of the next group to take.
No branch is ever a dead end, and each pathway costs a tuple concatenation.

For minimal pathways each subset also carries the smallest weights of the
units it could drop without breaking its group (see :mod:`solver.exact.minimal`);
a pathway is minimal when none of them could be dropped without breaking a
qualification-wide rule.

:class:`ProductNotSupported` is raised for anything else (choices between
groups, limits on combinations, barred sets, prerequisites, overlapping pools,
groups too large to list), and the callers use :class:`solver.exact.search.Searcher`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..model.structure import Group, Qualification
from .kernel import NotSupported, credit_scale, product_shape, unit_credits, whole_limits, wide_dims
from .minimal import KEEP, prune_dominated

__all__ = ["MAX_GROUP_UNITS", "ProductEnumerator", "ProductNotSupported", "supports"]

#: Groups with more units than this are not listed subset by subset.
MAX_GROUP_UNITS = 18
#: Groups of at least this many units are listed with array operations over every subset at once.
_ARRAY_FROM = 10
_MAX_CACHED = 1_000_000


def supports(q: Qualification) -> str | None:
    """Why the product enumerator cannot take ``q`` (not a product of groups, or a group too large), or ``None``."""
    reason = product_shape(q)
    if reason is None and any(len(g.units) > MAX_GROUP_UNITS for g in q.iter_groups()):
        reason = "a group is too large to list its subsets"
    return reason


class ProductNotSupported(NotSupported):
    """The structure is not a plain product of groups."""


class ProductEnumerator:
    """Stream the pathways (or minimal pathways) of a product-shaped structure.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> e = ProductEnumerator(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> sum(1 for _ in e.iter_pathways())
    4
    """

    def __init__(self, q: Qualification, *, minimal: bool = False, forced: Mapping[str, bool] | None = None) -> None:
        reason = supports(q)
        if reason is not None:
            raise ProductNotSupported(reason)
        self.q = q
        self.minimal = minimal
        forced = dict(forced or {})
        self.groups = list(q.iter_groups())
        scale = credit_scale(q)
        self.scale = scale
        credit = unit_credits(q, scale)
        self.dims = dims = wide_dims(q, scale, credit)
        room = max([max(w.values(), default=0) for w, _l, _h in dims] + [1]) if minimal else 1
        self.caps = [max(v for v in (low, high) if v is not None) + room for _w, low, high in dims]
        self.lows = [low for _w, low, _h in dims]
        self.highs = [high for _w, _l, high in dims]
        # antichains are few and repeat: each union is pruned once
        self._unions: dict[tuple[Any, Any], Any] = {}
        self.lists = [self._subsets(g, credit, forced) for g in self.groups]
        self._completable = self._tables()
        self._cache: dict[Any, list[Any]] = {}
        self._cached = 0

    # -- per group ---------------------------------------------------------------------------
    def _vector(self, uid: str) -> tuple[int, ...]:
        return tuple(w.get(uid, 0) for w, _l, _h in self.dims)

    def _subsets(
        self, g: Group, credit: Mapping[str, int], forced: Mapping[str, bool]
    ) -> list[tuple[tuple[str, ...], Any]]:
        """Valid subsets of the group in the documented order, with their keys."""
        units = list(g.units)
        m = len(units)
        vecs = [self._vector(u) for u in units]
        lo_c, hi_c, lo_u, hi_u = whole_limits(g, self.scale)
        out: list[tuple[tuple[str, ...], Any]] = []
        fixed = [forced.get(u) for u in units]
        if g.mandatory:
            if any(f is False for f in fixed):
                return out
            fixed = [True] * m
        cred = [credit[u] for u in units]
        if m >= _ARRAY_FROM:
            return self._subsets_array(units, vecs, cred, fixed, (lo_c, hi_c, lo_u, hi_u),
                                       self.minimal and not g.mandatory)
        rest_c = [sum(cred[i:]) for i in range(m + 1)]
        ndims = len(self.dims)
        minimal = self.minimal and not g.mandatory
        # depth-first, taking a unit before leaving it: the documented order
        chosen: list[int] = []

        def visit(i: int, c: int, n: int) -> Iterator[None]:
            if (hi_c is not None and c > hi_c) or (hi_u is not None and n > hi_u):
                return
            if (lo_c is not None and c + rest_c[i] < lo_c) or (lo_u is not None and n + m - i < lo_u):
                return
            if i == m:
                yield None
                return
            if fixed[i] is not False:
                chosen.append(i)
                yield from visit(i + 1, c + cred[i], n + 1)
                chosen.pop()
            if fixed[i] is not True:
                yield from visit(i + 1, c, n)

        for _ in visit(0, 0, 0):
            c = sum(cred[i] for i in chosen)
            n = len(chosen)
            total = tuple(sum(vecs[i][d] for i in chosen) for d in range(ndims))
            anti: Any = frozenset()
            if minimal:
                anti = prune_dominated((vecs[i], KEEP) for i in chosen
                              if (lo_c is None or c - cred[i] >= lo_c) and (lo_u is None or n - 1 >= lo_u))
            out.append((tuple(units[i] for i in chosen), (self._cap(total), anti)))
        return out

    def _subsets_array(self, units: list[str], vecs: list[tuple[int, ...]], cred: list[int],
                       fixed: list[bool | None], limits: tuple[int | None, ...], minimal: bool,
                       ) -> list[tuple[tuple[str, ...], Any]]:
        """:meth:`_subsets` for larger groups: every subset at once as rows of a 0/1 matrix.

        Subset ``r`` holds unit ``i`` when bit ``m-1-i`` of ``r`` is set, so the documented
        order (take before leave, first unit first) is descending ``r``. Units with equal
        weight vectors share a class; the droppable units' antichain depends only on the
        set of classes they fall in, and is computed once per set.
        """
        import numpy as np

        m = len(units)
        lo_c, hi_c, lo_u, hi_u = limits
        rows = np.arange((1 << m) - 1, -1, -1, dtype=np.int64)
        bits = ((rows[:, None] >> np.arange(m - 1, -1, -1, dtype=np.int64)) & 1).astype(bool)
        keep = np.ones(len(rows), dtype=bool)
        for i, f in enumerate(fixed):
            if f is not None:
                keep &= bits[:, i] == f
        cred_a = np.array(cred, dtype=np.int64)
        c = bits @ cred_a
        n = bits.sum(axis=1)
        if lo_c is not None:
            keep &= c >= lo_c
        if hi_c is not None:
            keep &= c <= hi_c
        if lo_u is not None:
            keep &= n >= lo_u
        if hi_u is not None:
            keep &= n <= hi_u
        bits, c, n, rows = bits[keep], c[keep], n[keep], rows[keep]
        totals = np.minimum(bits @ np.array(vecs, dtype=np.int64).reshape(m, len(self.dims)),
                            np.array(self.caps, dtype=np.int64))
        classes: dict[tuple[int, ...], int] = {}
        unit_class = np.array([1 << classes.setdefault(v, len(classes)) for v in vecs], dtype=np.int64)
        vec_of = {bit: v for v, bit in classes.items()}
        if minimal:
            drop = bits.copy()
            if lo_c is not None:
                drop &= (c[:, None] - cred_a[None, :]) >= lo_c
            if lo_u is not None:
                drop &= (n - 1 >= lo_u)[:, None]
            class_sets = np.bitwise_or.reduce(np.where(drop, unit_class[None, :], 0), axis=1).tolist()
        else:
            class_sets = [0] * len(c)
        antis: dict[int, Any] = {}
        # a subset's units: those of its high bits, then those of its low bits (two small tables)
        low = m // 2
        lows = [tuple(units[m - 1 - b] for b in range(low - 1, -1, -1) if r >> b & 1) for r in range(1 << low)]
        highs = [tuple(units[m - 1 - b] for b in range(m - 1, low - 1, -1) if r >> (b - low) & 1)
                 for r in range(1 << (m - low))]
        out: list[tuple[tuple[str, ...], Any]] = []
        for row, total, mask in zip(rows.tolist(), map(tuple, totals.tolist()), class_sets):
            anti = antis.get(mask)
            if anti is None:
                anti = antis[mask] = prune_dominated((vec_of[k], KEEP) for k in range(len(classes)) if mask >> k & 1) \
                    if mask else frozenset()
            out.append((highs[row >> low] + lows[row & ((1 << low) - 1)], (total, anti)))
        return out

    def _cap(self, state: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(min(v, c) for v, c in zip(state, self.caps))

    def _plus(self, a: Any, b: Any) -> Any:
        state = tuple(min(x + y, c) for x, y, c in zip(a[0], b[0], self.caps))
        if not self.minimal:
            return (state, a[1])
        anti = self._unions.get((a[1], b[1]))
        if anti is None:
            anti = self._unions[(a[1], b[1])] = prune_dominated(a[1] | b[1])
        return (state, anti)

    def _final(self, key: Any) -> bool:
        state, anti = key
        if not self._within(state):
            return False
        if self.minimal:
            for w, _t in anti:
                if self._within(tuple(s - x for s, x in zip(state, w))):
                    return False  # a unit could be dropped: not minimal
        return True

    def _within(self, state: tuple[int, ...]) -> bool:
        for v, low, high in zip(state, self.lows, self.highs):
            if (low is not None and v < low) or (high is not None and v > high):
                return False
        return True

    # -- which prefixes can be completed ----------------------------------------------------------
    def _tables(self) -> list[set[Any]]:
        start: Any = (tuple(0 for _ in self.dims), frozenset())
        keys = [sorted({k for _s, k in lst}, key=repr) for lst in self.lists]
        reach: list[set[Any]] = [{start}]
        for group_keys in keys:
            reach.append({self._plus(p, k) for p in reach[-1] for k in group_keys})
        ok: list[set[Any]] = [set() for _ in reach]
        ok[-1] = {p for p in reach[-1] if self._final(p)}
        for j in range(len(keys) - 1, -1, -1):
            ok[j] = {p for p in reach[j] if any(self._plus(p, k) in ok[j + 1] for k in keys[j])}
        return ok

    def _next(self, j: int, prefix: Any) -> list[tuple[tuple[str, ...], Any]]:
        """Subsets of group ``j`` that keep ``prefix`` completable, in order (cached by prefix)."""
        found = self._cache.get((j, prefix))
        if found is None:
            target = self._completable[j + 1]
            found = [(s, self._plus(prefix, k)) for s, k in self.lists[j] if self._plus(prefix, k) in target]
            if self._cached < _MAX_CACHED:
                self._cache[(j, prefix)] = found
                self._cached += len(found)
        return found

    def iter_pathways(self) -> Iterator[tuple[str, ...]]:
        """Yield every pathway (unit ids in candidate order), in the documented order."""
        start: Any = (tuple(0 for _ in self.dims), frozenset())
        if start not in self._completable[0]:
            return
        n = len(self.groups)
        if n == 0:
            yield ()
            return
        stack: list[tuple[int, tuple[str, ...], Iterator[tuple[tuple[str, ...], Any]]]] = [
            (0, (), iter(self._next(0, start)))]
        while stack:
            j, prefix, items = stack[-1]
            item = next(items, None)
            if item is None:
                stack.pop()
                continue
            subset, key = item
            if j == n - 1:
                yield prefix + subset
                for subset, _key in items:  # the rest of the last group, without the stack
                    yield prefix + subset
                stack.pop()
            else:
                stack.append((j + 1, prefix + subset, iter(self._next(j + 1, key))))
