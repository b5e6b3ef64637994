"""A structure read as unit *types*: units that sit in the same groups and weigh the same.

The reading behind the unit-type programme (:mod:`solver.exact.interchangeable`): the
groups and what each one's sums are capped at, which sums only minima read and which only
maxima (:meth:`Types.best`), the qualification-wide totals (:attr:`Types.global_dims`)
with the maxima that prune at once and the minima the units still to come must be able
to reach (:meth:`Types.short`), and the validity of a choice's totals against the
requirement tree (:meth:`Types.valid`). :func:`unit_types` groups a structure's units into
types, and :func:`choose_k` sums a semiring over the ways to take ``k`` units of one type.

Examples
--------
Units a1 and a2 are listed in groups A and A-D, b1 in A-D only: two types.

>>> from solver.exact.kernel import COUNT
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in ("a1", "a2", "b1")),
...     requirements=(Group(id="A", units=("a1", "a2"), min_units=1),
...                   Group(id="A-D", units=("a1", "a2", "b1"), min_units=1)))
>>> unit_types(q, types_of(q), COUNT, {})
[['a1', 'a2'], ['b1']]
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from math import comb
from typing import Any, TypeVar

from ..model.structure import Combination, Group, Qualification, Requirement
from .kernel import NotSupported, Semiring, credit_scale, max_whole, rule_bounds, unit_credits, whole_limits

__all__ = ["Types", "choose_k", "compositions", "group_key", "types_of", "unit_types"]

V = TypeVar("V")


def compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    """Every way to split ``total`` into ``parts`` whole numbers, in order.

    >>> list(compositions(2, 2))
    [(0, 2), (1, 1), (2, 0)]
    """
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


class Types:
    """A structure read once for the unit-type programme (see the module docstring)."""

    def __init__(self, q: Qualification) -> None:
        self.q = q
        self.scale = credit_scale(q)
        self.groups = list(q.iter_groups())
        self.gindex = {id(g): i for i, g in enumerate(self.groups)}
        self.credit = unit_credits(q, self.scale)
        self.parents: dict[int, list[Any]] = {}
        self._ancestors(q.requirements, [])
        self.unions = self._unions()
        # per-group thresholds seen by the group and every ancestor combination
        n = len(self.groups)
        self.cap_c = [0] * n
        self.cap_u = [0] * n
        self.need_c = [False] * n
        self.need_u = [False] * n
        bounded: list[tuple[set[str], set[str]]] = []  # per group: (credits, units) x ("min", "max") seen
        for i, g in enumerate(self.groups):
            seen: tuple[set[str], set[str]] = (set(), set())
            for node in (g, *self.parents[i]):
                low_c, high_c, low_u, high_u = whole_limits(node, self.scale)
                for bound, v in (("min", low_c), ("max", high_c)):
                    if v is not None:
                        self.need_c[i] = True
                        self.cap_c[i] = max(self.cap_c[i], v + 1)
                        seen[0].add(bound)
                for bound, v in (("min", low_u), ("max", high_u)):
                    if v is not None:
                        self.need_u[i] = True
                        self.cap_u[i] = max(self.cap_u[i], v + 1)
                        seen[1].add(bound)
            if g.mandatory:
                self.need_u[i] = True
                self.cap_u[i] = max(self.cap_u[i], len(g.units) + 1)
                seen[1].add("min")
            bounded.append(seen)
        self.shared = [i for i, g in enumerate(self.groups) if not g.double_counting]
        self.counting = [i for i, g in enumerate(self.groups) if g.double_counting]
        self.slot = {g: k for k, g in enumerate(self.shared)}
        # Which way each allocation sum is better: up where only minima read it, down where
        # only maxima do, neither where both do. A state better or equal in every sum holds
        # every rule the other holds, so a set of reachable states keeps only the best ones.
        self.better = tuple(1 if kinds == {"min"} else -1 if kinds == {"max"} else 0
                            for gi in self.shared for kinds in bounded[gi])
        self.lists: dict[str, list[int]] = {u: [] for u in q.unit_ids()}
        for i, g in enumerate(self.groups):
            for u in g.units:
                if i not in self.lists[u]:
                    self.lists[u].append(i)
        # global dims: qualification totals, level rules, double-counting groups
        self.global_dims: list[tuple[str, dict[str, int], int | None]] = []
        ones = dict.fromkeys(self.credit, 1)
        wide: list[tuple[str, Any, dict[str, int], dict[str, int]]] = [("q", q, self.credit, ones)]
        for r, rule in enumerate(q.level_rules):
            level = [u for u in self.credit if rule.applies_to(q.unit(u).level)]
            wide.append((f"level_rules[{r}]", rule, {u: self.credit[u] for u in level}, dict.fromkeys(level, 1)))
        # maxima every pathway must keep, by slot: sums only grow, so a passed one prunes at once
        self._global_maxima: list[tuple[int, int]] = []
        # minima every pathway must reach, by slot: a sum that the units still to come cannot
        # lift to its minimum prunes at once
        self.global_minima: list[tuple[int, int]] = []
        for prefix, node, by_credit, by_unit in wide:
            for name, low, high in rule_bounds(node, self.scale):
                top = max(v for v in (low, high) if v is not None)
                if high is not None:
                    self._global_maxima.append((len(self.global_dims), high))
                if low is not None:
                    self.global_minima.append((len(self.global_dims), low))
                self.global_dims.append((f"{prefix}.{name}", by_credit if name == "credits" else by_unit, top + 1))
        for i in self.counting:
            members = set(self.groups[i].units)
            must = all(p.kind == "all_of" for p in self.parents[i])
            low_c, high_c, low_u, high_u = whole_limits(self.groups[i], self.scale)
            for name, weights, cap, low, high in (
                    ("credits", {u: self.credit[u] for u in members}, self.cap_c[i], low_c, high_c),
                    ("units", dict.fromkeys(members, 1), self.cap_u[i], low_u, high_u)):
                if must and high is not None and cap:
                    self._global_maxima.append((len(self.global_dims), high))
                if must and low is not None and cap:
                    self.global_minima.append((len(self.global_dims), low))
                self.global_dims.append((f"g{i}.{name}", weights, cap or None))
        self.gslot = {name: k for k, (name, _w, _c) in enumerate(self.global_dims)}
        self._maxima = self.maxima()

    def _ancestors(self, nodes: Sequence[Requirement], chain: list[Any]) -> None:
        for node in nodes:
            if isinstance(node, Group):
                self.parents[self.gindex[id(node)]] = list(chain)
            else:
                self._ancestors(node.requirements, [node, *chain])

    def _unions(self) -> dict[int, list[int]]:
        """For each combination, the groups whose sums add up to what it counts.

        A combination counts the union of what its parts count. The units allocated to its
        ordinary groups are disjoint, so their sums add up. A double-counting group below it
        adds nothing when every unit it lists counts towards an ordinary group below the same
        combination wherever it is allocated ("at most 2 from Group D" inside the electives,
        Group D's units also listed in "4 more from Groups A-D"); it adds its own sums when
        none of its units can count towards an ordinary group below the combination, and no
        other double-counting group below it that adds its sums lists them too. Any other
        sharing cannot be summed exactly from the groups' sums: the programme declines it.
        """
        ordinary: dict[str, set[int]] = {}
        for i, g in enumerate(self.groups):
            if not g.double_counting:
                for u in g.units:
                    ordinary.setdefault(u, set()).add(i)
        unions: dict[int, list[int]] = {}
        for node in self.q.iter_requirements():
            if not isinstance(node, Combination):
                continue
            below = [i for i, g in enumerate(self.groups) if node in self.parents[i]]
            inside = {i for i in below if not self.groups[i].double_counting}
            adds: list[int] = []
            seen: set[str] = set()
            for i in below:
                g = self.groups[i]
                if not g.double_counting:
                    continue
                absorbed = [bool(ordinary.get(u)) and ordinary[u] <= inside for u in g.units]
                if all(absorbed):
                    continue
                if any(absorbed) or any(ordinary.get(u, set()) & inside for u in g.units) or seen & set(g.units):
                    raise NotSupported(f"double-counting group {g.id!r} shares units with another part of "
                                       f"{node.id!r}")
                seen |= set(g.units)
                adds.append(i)
            unions[id(node)] = sorted(inside) + adds
        return unions

    # -- sums ---------------------------------------------------------------------------------
    def add_alloc(self, state: tuple[int, ...], gi: int, units: int, credits: int) -> tuple[int, ...]:
        """An allocation state with ``units`` more units worth ``credits`` counted towards group ``gi``."""
        k = self.slot[gi] * 2
        out = list(state)
        if self.need_c[gi]:
            out[k] = min(out[k] + credits, self.cap_c[gi])
        if self.need_u[gi]:
            out[k + 1] = min(out[k + 1] + units, self.cap_u[gi])
        return tuple(out)

    def add_global(self, state: tuple[int, ...], uid: str, times: int) -> tuple[int, ...]:
        """Qualification-wide totals with ``times`` more units weighing as ``uid`` does."""
        out = list(state)
        for k, (_name, weights, cap) in enumerate(self.global_dims):
            w = weights.get(uid, 0) * times
            if w:
                out[k] = out[k] + w if cap is None else min(out[k] + w, cap)
        return tuple(out)

    def maxima(self) -> list[tuple[int, int]]:
        """(slot in an allocation state, largest allowed value) for each maximum that must hold."""
        found = []
        for gi in self.shared:
            g = self.groups[gi]
            if not all(p.kind == "all_of" for p in self.parents[gi]):
                continue
            k = self.slot[gi] * 2
            if g.max_credits is not None and self.need_c[gi]:
                found.append((k, max_whole(g.max_credits, self.scale)))
            if g.max_units is not None:
                found.append((k + 1, g.max_units))
        return found

    def best(self, states: Iterable[tuple[int, ...]]) -> frozenset[tuple[int, ...]]:
        """The states no other state of ``states`` is at least as good as in every sum (see :attr:`better`).

        >>> from solver.model import Group, Qualification, Unit
        >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
        ...     requirements=(Group(id="A", units=("a",), min_units=1), Group(id="F", units=("a",), max_units=3)))
        >>> sorted(Types(q).best([(0, 1, 0, 0), (0, 0, 0, 1), (0, 1, 0, 1)]))
        [(0, 1, 0, 0)]
        """
        unique = set(states)
        if len(unique) < 2:
            return frozenset(unique)
        # states compare only when equal in the sums both kinds of limit read; among those, by
        # the others turned so that larger is better
        directed = [(i, d) for i, d in enumerate(self.better) if d]
        equal = [i for i, d in enumerate(self.better) if not d]
        alike: dict[tuple[int, ...], list[tuple[tuple[int, ...], tuple[int, ...]]]] = {}
        for state in unique:
            alike.setdefault(tuple(state[i] for i in equal), []).append(
                (tuple(d * state[i] for i, d in directed), state))
        kept: list[tuple[int, ...]] = []
        for group in alike.values():
            group.sort(reverse=True)  # a state is only ever beaten by one sorted before it
            front: list[tuple[int, ...]] = []
            for goodness, state in group:
                if not any(all(x >= y for x, y in zip(f, goodness)) for f in front):
                    front.append(goodness)
                    kept.append(state)
        return frozenset(kept)

    def over_max(self, state: tuple[int, ...]) -> bool:
        """A group that must hold has passed a maximum (sums only grow, so no completion helps)."""
        return any(state[k] > top for k, top in self._maxima)

    def most(self, uid: str, n: int) -> int:
        """How many of ``n`` units weighing as ``uid`` does can be taken before a must-hold maximum passes."""
        top = n
        for k, high in self._global_maxima:
            w = self.global_dims[k][1].get(uid, 0)
            if w > 0:
                top = min(top, high // w)
        return top

    def to_come(self, units: Iterable[str]) -> dict[int, int]:
        """For each must-reach minimum's slot, what ``units`` could still add to it."""
        return {k: sum(self.global_dims[k][1].get(u, 0) for u in units) for k, _low in self.global_minima}

    def short(self, glob: tuple[int, ...], left: Mapping[int, int]) -> bool:
        """A must-reach minimum stays out of reach even if every unit still to come is taken."""
        return any(glob[k] + left[k] < low for k, low in self.global_minima)

    def over_global_max(self, glob: tuple[int, ...]) -> bool:
        """A qualification-wide, level-rule or must-hold cap maximum is passed (no completion helps)."""
        return any(glob[k] > top for k, top in self._global_maxima)

    # -- validity ------------------------------------------------------------------------------
    def sums(self, gi: int, alloc: tuple[int, ...], glob: tuple[int, ...]) -> tuple[int, int]:
        """Group ``gi``'s (credits, units): from the allocation, or the totals for a double-counting group."""
        if gi in self.slot:
            k = self.slot[gi] * 2
            return alloc[k], alloc[k + 1]
        return glob[self.gslot[f"g{gi}.credits"]], glob[self.gslot[f"g{gi}.units"]]

    def _ok(self, node: Any, c: int, n: int) -> bool:
        low_c, high_c, low_u, high_u = whole_limits(node, self.scale)
        return ((low_c is None or c >= low_c) and (high_c is None or c <= high_c)
                and (low_u is None or n >= low_u) and (high_u is None or n <= high_u))

    def holds(self, node: Requirement, alloc: tuple[int, ...], glob: tuple[int, ...]) -> tuple[bool, int, int]:
        """Whether ``node`` holds for these sums, and the credits and units it counts."""
        if isinstance(node, Group):
            gi = self.gindex[id(node)]
            c, n = self.sums(gi, alloc, glob)
            ok = self._ok(node, c, n) and (not node.mandatory or n >= len(node.units))
            return ok, c, n
        satisfied = sum(self.holds(child, alloc, glob)[0] for child in node.requirements)
        total_c = total_n = 0
        for gi in self.unions[id(node)]:
            c, n = self.sums(gi, alloc, glob)
            total_c += c
            total_n += n
        return satisfied >= node.needed() and self._ok(node, total_c, total_n), total_c, total_n

    def valid(self, alloc: tuple[int, ...], glob: tuple[int, ...]) -> bool:
        """Whether every top-level requirement holds for these sums."""
        return all(self.holds(r, alloc, glob)[0] for r in self.q.requirements)

    def global_ok(self, glob: tuple[int, ...]) -> bool:
        """Whether the qualification's own limits and its level rules hold for these totals."""
        q = self.q
        c = glob[self.gslot["q.credits"]] if "q.credits" in self.gslot else 0
        n = glob[self.gslot["q.units"]] if "q.units" in self.gslot else 0
        if not self._ok(q, c, n):
            return False
        for r, rule in enumerate(q.level_rules):
            rc = glob[self.gslot[f"level_rules[{r}].credits"]] if f"level_rules[{r}].credits" in self.gslot else 0
            rn = glob[self.gslot[f"level_rules[{r}].units"]] if f"level_rules[{r}].units" in self.gslot else 0
            if not self._ok(rule, rc, rn):
                return False
        return True


@functools.lru_cache(maxsize=8)
def types_of(q: Qualification) -> Types:
    """The structure read once (best-first walks solve one structure hundreds of times)."""
    return Types(q)


def group_key(t: Types, uid: str) -> tuple[Any, ...]:
    """Units with equal keys weigh the same everywhere: same lists, credits and totals."""
    return (tuple(t.lists[uid]), t.credit[uid], tuple(w.get(uid, 0) for _n, w, _c in t.global_dims))


def unit_types(q: Qualification, t: Types, ring: Semiring[Any], fixed: Mapping[str, bool]) -> list[list[str]]:
    """Units grouped into types that weigh the same (fixed units stand alone).

    Their values may differ (hours, fees): :func:`choose_k` sums over which ones are taken.
    """
    by_key: dict[Any, list[str]] = {}
    alone: list[list[str]] = []
    for uid in q.unit_ids():
        if uid in fixed:
            if fixed[uid]:
                alone.append([uid])
            continue
        by_key.setdefault(group_key(t, uid), []).append(uid)
    return alone + list(by_key.values())


def choose_k(ring: Semiring[V], members: Sequence[str], most: int | None = None) -> list[V]:
    """``out[k]``: the semiring sum, over every way to take ``k`` of ``members``, of their product.

    The elementary symmetric sums, by adding one member at a time: ``C(n, k)`` when
    counting; the least total of ``k`` of them and how many ``k``-sets reach it when optimising.
    Only ``k`` up to ``most`` (default: all of them), in ``O(n * most)`` steps.

    >>> from solver.exact.kernel import COUNT
    >>> choose_k(COUNT, ["a", "b", "c"]), choose_k(COUNT, ["a", "b", "c"], 1)
    ([1, 3, 3, 1], [1, 3])
    """
    top = len(members) if most is None else min(most, len(members))
    if ring.counting:
        return [comb(len(members), k) for k in range(top + 1)]  # type: ignore[misc]
    out = [ring.one] + [ring.zero] * top
    for taken, uid in enumerate(members, 1):
        value = ring.unit(uid)
        for k in range(min(taken, top), 0, -1):
            out[k] = ring.add(out[k], ring.mul(out[k - 1], value))
    return out
