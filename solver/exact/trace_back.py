"""The first cheapest pathway in one pass, for product-shaped structures, by tracing the programme back.

A best-first search finds optimal pathways by re-solving with units fixed one
at a time, which costs one solve per unit: fine for a seed, hopeless for 5,000
units. When the structure is a product of groups (every group must hold, no
choices, no coupling; the shape :mod:`solver.exact.product` streams), the optimum
decomposes group by group: ``best[j](p)`` is the least cost of completing
groups ``j..`` from the running totals ``p``. One backward pass computes it
(with the number of ways, so the ties come for free), and one forward walk
picks, unit by unit in candidate order, "take" whenever taking still reaches
the optimum: that is the first optimal pathway in the documented order.

:mod:`solver.exact.minplus` runs the same programme over arrays, much faster; this
dictionary version stays for costs that do not pack into 64-bit integers
(and as an independent check of it in the tests).

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> from solver.answers.cheapest import unit_costs
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> cost, ties, units = first_cheapest(q, unit_costs(q, ("credits",)))
>>> cost, ties, len(units)
((Decimal('45'),), 753080, 14)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model.structure import Group, Qualification
from .kernel import MinCount, NotSupported, credit_scale, product_shape, unit_credits, whole_limits, wide_dims

__all__ = ["TracebackNotSupported", "first_cheapest"]

Value = tuple[tuple[Any, ...], int]


class TracebackNotSupported(NotSupported):
    """Not a product of groups; use the best-first search."""


class _Product:
    def __init__(self, q: Qualification, costs: Mapping[str, tuple[Any, ...]], forced: Mapping[str, bool]) -> None:
        reason = product_shape(q)
        if reason is not None:
            raise TracebackNotSupported(reason)
        self.q = q
        self.forced = forced
        self.costs = costs
        width = len(next(iter(costs.values()))) if costs else 0
        self.ring = MinCount(costs, width=width).semiring()
        scale = credit_scale(q)
        self.scale = scale
        self.credit = unit_credits(q, scale)
        self.dims = dims = wide_dims(q, scale, self.credit)
        self.caps = [max(v for v in (lo, hi) if v is not None) + 1 for _w, lo, hi in dims]
        self.groups = list(q.iter_groups())

    # -- sums ------------------------------------------------------------------------------------
    def vec(self, uid: str) -> tuple[int, ...]:
        return tuple(w.get(uid, 0) for w, _l, _h in self.dims)

    def plus(self, a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(min(x + y, c) for x, y, c in zip(a, b, self.caps))

    def final_ok(self, p: tuple[int, ...]) -> bool:
        return all((lo is None or v >= lo) and (hi is None or v <= hi)
                   for v, (_w, lo, hi) in zip(p, self.dims))

    # -- one group ---------------------------------------------------------------------------------
    def local(self, g: Group) -> tuple[list[str], list[tuple[int, int, tuple[int, ...]]], Any]:
        """The group's units, each unit's step (credits, 1, global vector), and its limit checker."""
        lo_c, hi_c, lo_u, hi_u = whole_limits(g, self.scale)
        cap_c = max([v for v in (lo_c, hi_c) if v is not None] + [-1]) + 1
        cap_u = max([v for v in (lo_u, hi_u) if v is not None] + [len(g.units) if g.mandatory else -1]) + 1
        steps = [(self.credit[u], 1, self.vec(u)) for u in g.units]

        def valid(t: tuple[int, int, tuple[int, ...], bool]) -> bool:
            c, n, _v, complete = t
            return complete and (lo_c is None or c >= lo_c) and (hi_c is None or c <= hi_c) \
                and (lo_u is None or n >= lo_u) and (hi_u is None or n <= hi_u)

        self._cap_local = (cap_c, cap_u)
        return list(g.units), steps, valid

    def step(self, t: tuple[int, int, tuple[int, ...], bool], s: tuple[int, int, tuple[int, ...]]
             ) -> tuple[int, int, tuple[int, ...], bool]:
        cap_c, cap_u = self._cap_local
        return (min(t[0] + s[0], cap_c), min(t[1] + s[1], cap_u), self.plus(t[2], s[2]), t[3])

    def options(self, g: Group, uid: str) -> tuple[bool, bool]:
        """(may take, may leave) for a unit of a group."""
        f = self.forced.get(uid)
        return f is not False, f is not True and not g.mandatory

    def group_table(self, g: Group) -> dict[tuple[int, ...], Value]:
        """Global contribution of the group's valid subsets -> (least cost, ways)."""
        ring = self.ring
        units, steps, valid = self.local(g)
        table: dict[Any, Value] = {(0, 0, (0,) * len(self.dims), True): ring.one}
        for uid, s in zip(units, steps):
            take, leave = self.options(g, uid)
            nxt: dict[Any, Value] = {}
            for t, v in table.items():
                if leave:
                    nxt[t] = ring.add(nxt.get(t, ring.zero), v)
                if take:
                    key = self.step(t, s)
                    nxt[key] = ring.add(nxt.get(key, ring.zero), ring.mul(v, ring.unit(uid)))
            table = nxt
        out: dict[tuple[int, ...], Value] = {}
        for t, v in table.items():
            if valid(t):
                out[t[2]] = ring.add(out.get(t[2], ring.zero), v)
        return out

    # -- the whole -----------------------------------------------------------------------------------
    def solve(self) -> tuple[Value, list[str]]:
        ring = self.ring
        tables = [self.group_table(g) for g in self.groups]
        zero = (0,) * len(self.dims)
        reach: list[set[tuple[int, ...]]] = [{zero}]
        for table in tables:
            reach.append({self.plus(p, s) for p in reach[-1] for s in table})
        best: list[dict[tuple[int, ...], Value]] = [dict() for _ in reach]
        best[-1] = {p: (ring.one if self.final_ok(p) else ring.zero) for p in reach[-1]}
        for j in range(len(tables) - 1, -1, -1):
            after = best[j + 1]
            for p in reach[j]:
                total = ring.zero
                for s, v in tables[j].items():
                    total = ring.add(total, ring.mul(v, after[self.plus(p, s)]))
                best[j][p] = total
        optimum = best[0][zero]
        if optimum[1] == 0:
            return optimum, []
        chosen: list[str] = []
        p = zero
        for j, g in enumerate(self.groups):
            taken = self.walk(g, p, best[j + 1])
            chosen.extend(taken)
            for uid in taken:
                p = self.plus(p, self.vec(uid))
        return optimum, chosen

    def walk(self, g: Group, p: tuple[int, ...], after: Mapping[tuple[int, ...], Value]) -> list[str]:
        """The first subset of ``g`` (take-first order) that completes optimally from ``p``."""
        ring = self.ring
        units, steps, valid = self.local(g)
        start = (0, 0, (0,) * len(self.dims), True)
        layers = [{start}]
        for uid, s in zip(units, steps):
            take, leave = self.options(g, uid)
            layer = set()
            for t in layers[-1]:
                if leave:
                    layer.add(t)
                if take:
                    layer.add(self.step(t, s))
            layers.append(layer)
        # cost-to-go from each local state, back to front
        inf = ring.zero
        togo: list[dict[Any, Any]] = [dict() for _ in layers]
        togo[-1] = {t: (after.get(self.plus(p, t[2]), inf)[0] if valid(t) and after.get(self.plus(p, t[2]), inf)[1]
                        else None) for t in layers[-1]}
        for i in range(len(units) - 1, -1, -1):
            uid, s = units[i], steps[i]
            take, leave = self.options(g, uid)
            cost = self.costs[uid]
            here: dict[Any, Any] = {}
            for t in layers[i]:
                options = []
                if leave and togo[i + 1].get(t) is not None:
                    options.append(togo[i + 1][t])
                nxt = togo[i + 1].get(self.step(t, s)) if take else None
                if nxt is not None:
                    options.append(tuple(a + b for a, b in zip(cost, nxt)))
                here[t] = min(options) if options else None
            togo[i] = here
        chosen: list[str] = []
        t = start
        for i, (uid, s) in enumerate(zip(units, steps)):
            take, leave = self.options(g, uid)
            goal = togo[i][t]
            nxt = togo[i + 1].get(self.step(t, s)) if take else None
            if nxt is not None and tuple(a + b for a, b in zip(self.costs[uid], nxt)) == goal:
                chosen.append(uid)
                t = self.step(t, s)
        return chosen


def first_cheapest(
    q: Qualification, costs: Mapping[str, tuple[Any, ...]], *, forced: Mapping[str, bool] | None = None
) -> tuple[tuple[Any, ...], int, Sequence[str]]:
    """``(optimum, ties, units of the first optimal pathway)``; ties is 0 when there is no pathway.

    Raises
    ------
    TracebackNotSupported
        When the structure is not a product of groups.
    """
    (cost, ways), units = _Product(q, costs, dict(forced or {})).solve()
    return cost, ways, units
