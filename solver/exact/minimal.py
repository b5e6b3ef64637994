"""Count *minimal* pathways exactly by dynamic programming, without enumerating them.

A pathway is minimal when no single unit can be dropped. Dropping unit ``u``
only ever lowers sums by ``u``'s weight vector ``w`` (its credits, 1 unit,
its credits at a level, ...), so whether the rules still hold depends on the
sums and on ``w`` alone. Minimum rules are monotone: if dropping a unit of
weight ``w'`` keeps a rule, so does dropping any unit with ``w <= w'``. The
programme therefore carries, next to the sums, the *antichain* of smallest
weight vectors of the units that could still be dropped, each tagged with
what dropping it would do to the enclosing requirement:

* ``KEEP``: the requirement still holds (or did not hold and loses nothing);
* ``FLIP``: the requirement would stop holding; an ``any_of`` with a spare
  satisfied child can absorb that.

At the root, a pathway is minimal exactly when no ``KEEP`` vector survives
the qualification-wide checks.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> count_minimal(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
4
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import Any

from ..model.structure import Combination, Group, Qualification, Requirement
from .kernel import NotSupported, Plan, consistent, coupled_units, make_plan, rule_bounds, supports

__all__ = ["count_minimal"]

KEEP, FLIP = 0, 1
Vec = tuple[int, ...]
Anti = frozenset[tuple[Vec, int]]
Key = tuple[tuple[int, ...], Anti]


def prune_dominated(items: Iterable[tuple[Vec, int]]) -> Anti:
    """Drop entries dominated by another: smaller-or-equal vector and same-or-better tag."""
    entries = sorted(set(items))
    kept: list[tuple[Vec, int]] = []
    for w, tag in entries:
        dominated = False
        for v, t in kept:
            if t <= tag and all(a <= b for a, b in zip(v, w)):
                dominated = True
                break
        if not dominated:
            kept = [(v, t) for v, t in kept if not (tag <= t and all(a <= b for a, b in zip(w, v)))]
            kept.append((w, tag))
    return frozenset(kept)


def _as_keep(anti: Anti) -> Anti:
    return prune_dominated((w, KEEP) for w, _t in anti)


class _Minimal:
    def __init__(self, q: Qualification, plan: Plan, fixed: Mapping[str, bool], never: set[str]) -> None:
        self.q = q
        self.plan = plan
        self.fixed = fixed
        self.never = never
        self.caps = [d.cap for d in plan.dims]
        self.zero: tuple[int, ...] = (0,) * len(plan.dims)

    def vector(self, uid: str) -> Vec:
        return tuple(d.weights.get(uid, 0) for d in self.plan.dims)

    def plus(self, a: Vec, b: Vec) -> Vec:
        return tuple(min(x + y, c) if c is not None else x + y for x, y, c in zip(a, b, self.caps))

    def ok(self, node: Any, state: Vec, minus: Vec | None = None, prefix: str = "") -> bool:
        for name, low, high in rule_bounds(node, self.plan.scale):
            i = self.plan.index[prefix + name]
            value = state[i] - (minus[i] if minus is not None else 0)
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        return True

    @staticmethod
    def add(table: dict[Any, int], key: Any, n: int) -> None:
        table[key] = table.get(key, 0) + n

    def group(self, g: Group) -> tuple[dict[Key, int], dict[Key, int]]:
        table: dict[tuple[Vec, bool, Anti], int] = {(self.zero, True, frozenset()): 1}
        for uid in g.units:
            fixed = self.fixed.get(uid)
            vec = self.vector(uid)
            nxt: dict[tuple[Vec, bool, Anti], int] = {}
            for (state, complete, anti), n in table.items():
                if fixed is not True:
                    self.add(nxt, (state, complete and not g.mandatory, anti), n)
                if fixed is not False:
                    grown = anti if uid in self.never else prune_dominated([*anti, (vec, KEEP)])
                    self.add(nxt, (self.plus(state, vec), complete, grown), n)
            table = nxt
        sat: dict[Key, int] = {}
        unsat: dict[Key, int] = {}
        for (state, complete, anti), n in table.items():
            if complete and self.ok(g, state):
                tagged = prune_dominated((w, FLIP if g.mandatory or not self.ok(g, state, w) else KEEP)
                                         for w, _t in anti)
                self.add(sat, (state, tagged), n)
            else:
                self.add(unsat, (state, anti), n)
        return sat, unsat

    def node(self, node: Requirement) -> tuple[dict[Key, int], dict[Key, int]]:
        if isinstance(node, Group):
            return self.group(node)
        return self.combine(node, node.requirements, node.needed())

    def combine(self, node: Combination | Qualification, children: tuple[Requirement, ...],
                needed: int) -> tuple[dict[Key, int], dict[Key, int]]:
        cap = needed + 1
        table: dict[tuple[Vec, int, Anti], int] = {(self.zero, 0, frozenset()): 1}
        for child in children:
            sat, unsat = self.node(child)
            nxt: dict[tuple[Vec, int, Anti], int] = {}
            for (state, count, anti), n in table.items():
                for got, part in ((1, sat), (0, unsat)):
                    for (cstate, canti), m in part.items():
                        # units of a child that does not hold can be dropped without costing a count
                        incoming = canti if got else _as_keep(canti)
                        self.add(nxt, (self.plus(state, cstate), min(count + got, cap),
                                      prune_dominated(anti | incoming)), n * m)
            table = nxt
        sat_out: dict[Key, int] = {}
        unsat_out: dict[Key, int] = {}
        for (state, count, anti), n in table.items():
            if count >= needed and self.ok(node, state):
                spare = count > needed
                tagged = prune_dominated(
                    (w, KEEP if (t == KEEP or spare) and self.ok(node, state, w) else FLIP) for w, t in anti
                )
                self.add(sat_out, (state, tagged), n)
            else:
                self.add(unsat_out, (state, _as_keep(anti)), n)
        return sat_out, unsat_out

    def count(self) -> int:
        q = self.q
        sat, _unsat = self.combine(q, q.requirements, len(q.requirements))
        rules = list(enumerate(q.level_rules))
        total = 0
        for (state, anti), n in sat.items():
            if not all(self.ok(rule, state, None, f"level_rules[{i}].") for i, rule in rules):
                continue
            droppable = any(
                t == KEEP and all(self.ok(rule, state, w, f"level_rules[{i}].") for i, rule in rules)
                for w, t in anti
            )
            if not droppable:
                total += n
        return total


def count_minimal(q: Qualification, *, forced: Mapping[str, bool] | None = None) -> int:
    """The exact number of minimal pathways of ``q`` (with units fixed in or out by ``forced``).

    Raises
    ------
    NotSupported
        Outside the family :func:`solver.exact.tree.supports` accepts.
    """
    reason = supports(q)
    if reason:
        raise NotSupported(reason)
    forced = dict(forced or {})
    plan = make_plan(q, (), headroom=True)
    coupled = coupled_units(q)
    free = [u for u in coupled if u not in forced]
    total = 0
    for values in itertools.product((True, False), repeat=len(free)):
        fixed = {**forced, **dict(zip(free, values))}
        if not consistent(q, fixed):
            continue
        taken = {u for u in coupled if fixed.get(u)}
        # a coupled unit that another taken unit needs can never be dropped
        never = {u for u in taken if not all(p.holds(taken - {u}) for p in q.prerequisites)}
        total += _Minimal(q, plan, fixed, never).count()
    return total
