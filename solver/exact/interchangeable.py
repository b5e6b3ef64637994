"""Exact counting and optimising when pools overlap, by grouping interchangeable units into types.

When a unit is listed in several groups (the Australian "6 units from Group A,
and 4 further units from Groups A, B, C or D"), which group it counts towards
is chosen per pathway, so the requirement tree no longer decomposes. But
units that sit in the same groups and weigh the same (credits, level) are
interchangeable: a pathway is valid or not whatever *which* of them it holds,
only *how many*. This programme walks the types, choosing how many units of
each to take (``C(n, k)`` ways; when optimising, the least total of ``k`` of
them and how many ``k``-sets reach it, so units of different hours or fees
still share a type), and carries, for every choice so far, the *set* of
per-group sums some allocation can reach. At the end a choice is a pathway
exactly when one of its reachable allocations satisfies the tree.

Only the best of those sums are kept (a sum that only minima read is better higher, one
only maxima read is better lower), and a choice whose qualification-wide totals the units
still to come cannot lift to their minima is dropped at once. Units that barred sets and
prerequisites mention are decided one at a time after the types, carrying only those a
rule not yet decided still reads.

The same pass answers counts and optima with ties (any semiring: with
:func:`~solver.exact.kernel.first_least`, the first optimal pathway too); minimal counts
carry the choices one unit smaller (:func:`count_minimal_types`); and its record of where
each count came from gives uniform samples (:func:`sample_types`). It is exact for every
structure; it gives up (:class:`~solver.exact.kernel.NotSupported`) only when the tables
grow too large (credits so varied that few units share a type, many coupled units open at
once) or a cap inside a combination is counted by only some of the groups below it.

Examples
--------
>>> from solver.exact import COUNT
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")  # electives in two pools
>>> solve_types(q, COUNT)
25771
"""

from __future__ import annotations

import bisect
import functools
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from math import comb
from typing import Any, TypeVar

from ..model.structure import Combination, Group, Qualification, Requirement
from .kernel import (
    COUNT as COUNT_RING,
)
from .kernel import (
    NotSupported,
    Semiring,
    consistent,
    coupled_units,
    credit_scale,
    max_whole,
    rule_bounds,
    unit_credits,
    whole_limits,
)

__all__ = ["MAX_STATES", "count_minimal_types", "sample_types", "solve_types"]

#: Largest table (choices x reachable allocations) before giving up.
MAX_STATES = 400_000

V = TypeVar("V")

#: What one step of a pass did: the units it decided (a type's, or one coupled unit), and for
#: each entry after it, where its value came from: (entry before, how many taken or whether
#: taken, the ways that brings).
_Record = tuple[list[str], dict[Any, list[tuple[Any, Any, Any]]]]

#: A table key: the qualification-wide totals, and the set of per-group sums some allocation reaches.
_Key = tuple[tuple[int, ...], frozenset[tuple[int, ...]]]
_Table = dict[_Key, V]
_Reached = dict[frozenset[tuple[int, ...]], frozenset[tuple[int, ...]]]


@dataclass
class _Layout:
    groups: list[Group]
    shared: list[int]  # indices of groups units are allocated to (not double counting)
    counting: list[int]  # double-counting groups
    slot: dict[int, int]  # group index -> position in an allocation state (shared groups only)
    need_c: list[bool]
    need_u: list[bool]
    cap_c: list[int]
    cap_u: list[int]


def _compositions(total: int, parts: int) -> Iterator[tuple[int, ...]]:
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


class _Types:
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
        k = self.slot[gi] * 2
        out = list(state)
        if self.need_c[gi]:
            out[k] = min(out[k] + credits, self.cap_c[gi])
        if self.need_u[gi]:
            out[k + 1] = min(out[k + 1] + units, self.cap_u[gi])
        return tuple(out)

    def add_global(self, state: tuple[int, ...], uid: str, times: int) -> tuple[int, ...]:
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
        >>> sorted(_Types(q).best([(0, 1, 0, 0), (0, 0, 0, 1), (0, 1, 0, 1)]))
        [(0, 1, 0, 0)]
        """
        found = sorted(set(states), key=lambda s: tuple(-d * v for d, v in zip(self.better, s)))
        kept: list[tuple[int, ...]] = []
        for state in found:  # a state is only ever beaten by one sorted before it
            if not any(self._as_good(k, state) for k in kept):
                kept.append(state)
        return frozenset(kept)

    def _as_good(self, a: tuple[int, ...], b: tuple[int, ...]) -> bool:
        return all(x >= y if d > 0 else x <= y if d < 0 else x == y for d, x, y in zip(self.better, a, b))

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
        if gi in self.slot:
            k = self.slot[gi] * 2
            return alloc[k], alloc[k + 1]
        return glob[self.gslot[f"g{gi}.credits"]], glob[self.gslot[f"g{gi}.units"]]

    def _ok(self, node: Any, c: int, n: int) -> bool:
        low_c, high_c, low_u, high_u = whole_limits(node, self.scale)
        return ((low_c is None or c >= low_c) and (high_c is None or c <= high_c)
                and (low_u is None or n >= low_u) and (high_u is None or n <= high_u))

    def holds(self, node: Requirement, alloc: tuple[int, ...], glob: tuple[int, ...]) -> tuple[bool, int, int]:
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
        return all(self.holds(r, alloc, glob)[0] for r in self.q.requirements)

    def global_ok(self, glob: tuple[int, ...]) -> bool:
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
def _types_of(q: Qualification) -> _Types:
    """The structure read once (best-first walks solve one structure hundreds of times)."""
    return _Types(q)


def _group_key(t: _Types, uid: str) -> tuple[Any, ...]:
    """Units with equal keys weigh the same everywhere: same lists, credits and totals."""
    return (tuple(t.lists[uid]), t.credit[uid], tuple(w.get(uid, 0) for _n, w, _c in t.global_dims))


def _types(q: Qualification, t: _Types, ring: Semiring[Any], fixed: Mapping[str, bool]) -> list[list[str]]:
    """Units grouped into types that weigh the same (fixed units stand alone).

    Their values may differ (hours, fees): :func:`_choose` sums over which ones are taken.
    """
    by_key: dict[Any, list[str]] = {}
    alone: list[list[str]] = []
    for uid in q.unit_ids():
        if uid in fixed:
            if fixed[uid]:
                alone.append([uid])
            continue
        by_key.setdefault(_group_key(t, uid), []).append(uid)
    return alone + list(by_key.values())


def _choose(ring: Semiring[V], members: Sequence[str], most: int | None = None) -> list[V]:
    """``out[k]``: the semiring sum, over every way to take ``k`` of ``members``, of their product.

    The elementary symmetric sums, by adding one member at a time: ``C(n, k)`` when
    counting; the least total of ``k`` of them and how many ``k``-sets reach it when optimising.
    Only ``k`` up to ``most`` (default: all of them), in ``O(n * most)`` steps.

    >>> from solver.exact.kernel import COUNT
    >>> _choose(COUNT, ["a", "b", "c"]), _choose(COUNT, ["a", "b", "c"], 1)
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


def solve_types(q: Qualification, ring: Semiring[V], *, forced: Mapping[str, bool] | None = None,
                deadline: float | None = None) -> V:
    """The semiring sum over every pathway, for any structure (see the module docstring).

    The units no barred set or prerequisite mentions are taken type by type; then the
    units they mention one at a time, in an order that keeps few of them *open* (in a
    barred set or prerequisite not yet decided). A table entry carries which open units it
    took; a barred set or prerequisite is checked when its last unit is decided, and a
    unit is forgotten once nothing reads it any more.

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes.
    """
    t = _types_of(q)
    return _finish(t, ring, _table(t, q, ring, forced, deadline), {})


def _table(t: _Types, q: Qualification, ring: Semiring[V], forced: Mapping[str, bool] | None,
           deadline: float | None, record: list[_Record] | None = None) -> _Table[V]:
    """The table once every unit is decided: types first, then the coupled units (see :func:`solve_types`)."""
    forced = dict(forced or {})
    coupled = coupled_units(q)
    shared = {**forced, **dict.fromkeys(coupled, False)}
    start: _Table[V] = {((0,) * len(t.global_dims), frozenset([(0,) * (2 * len(t.shared))])): ring.one}
    types = _types(q, t, ring, shared)
    left = t.to_come([u for members in types for u in members]
                     + [u for u in coupled if forced.get(u) is not False])
    table = _advance(t, ring, start, types, shared, deadline=deadline, left=left, record=record)
    if coupled:
        table = _couple(t, ring, table, q, forced, deadline, left, record)
    return table


def sample_types(q: Qualification, n: int, rng: random.Random, *, forced: Mapping[str, bool] | None = None,
                 deadline: float | None = None) -> list[list[str]]:
    """``n`` pathways drawn independently and uniformly, from one pass of the programme and its record.

    The counting pass records, for every table entry, the entries and choices its count
    came from. A draw picks a final entry in proportion to its count, then walks back,
    picking at each step where the entry came from in proportion to the ways that way
    brings (its count times the ways to take ``k`` of the type's units), and takes ``k``
    of the type's units uniformly at random: every pathway is equally likely, and each
    draw costs one step per type and coupled unit.

    Examples
    --------
    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="A", units=("a", "b"), min_units=1), Group(id="B", units=("a", "b", "c"))))
    >>> drawn = sample_types(q, 200, random.Random(1))
    >>> sorted({"".join(sorted(p)) for p in drawn})
    ['a', 'ab', 'abc', 'ac', 'b', 'bc']

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes before the counting pass ends.
    """
    t = _types_of(q)
    record: list[_Record] = []
    table = _table(t, q, COUNT_RING, forced, deadline, record)
    verdicts: dict[Any, bool] = {}
    finals = [(key, count) for key, count in table.items() if count and _valid(t, key, verdicts)]
    if not finals:
        return []
    cumulative: dict[tuple[int, Any], tuple[list[Any], list[int]]] = {}

    def pick(step: int, key: Any, options: list[Any], weight: Callable[[Any], int]) -> Any:
        """One of ``options``, each in proportion to its weight (sums kept by step and entry)."""
        if (step, key) not in cumulative:
            cumulative[(step, key)] = (options, list(itertools.accumulate(weight(o) for o in options)))
        options, sums = cumulative[(step, key)]
        return options[bisect.bisect_right(sums, rng.randrange(sums[-1]))]

    drawn = []
    for _ in range(n):
        key, _count = pick(len(record), None, finals, lambda f: f[1])
        units: list[str] = []
        for i in range(len(record) - 1, -1, -1):
            members, links = record[i]
            key, k, _ways = pick(i, key, links[key], lambda link: link[2])
            if k is True:  # a coupled unit taken
                units.extend(members)
            elif k is not False and k:  # k units of a type, any k of them alike
                units.extend(rng.sample(members, k))
        drawn.append(units)
    return drawn


_Rule = tuple[frozenset[str], Callable[[frozenset[str]], bool]]


def _rules(q: Qualification) -> list[_Rule]:
    """Each barred set and prerequisite as (the units it mentions, whether a set of taken ones keeps it)."""
    found: list[_Rule] = []
    for barred in q.barred:
        found.append((frozenset(barred.units), lambda taken: len(taken) <= 1))
    for p in q.prerequisites:
        found.append((frozenset((p.unit, *p.requires, *p.requires_one_of)), p.holds))
    return found


def coupling_order(units: Sequence[str], rules: Sequence[frozenset[str]]) -> list[str]:
    """The coupled units in an order that keeps few open at once (greedy: fewest open next).

    A unit is open while a rule that mentions it mentions a unit not yet placed.

    >>> coupling_order(["a", "b", "c", "d"], [frozenset("ab"), frozenset("cd"), frozenset("bc")])
    ['a', 'b', 'c', 'd']
    """
    placed: list[str] = []
    left = list(units)
    while left:
        def cost(u: str) -> tuple[int, int]:
            done = {*placed, u}
            open_units = {v for r in rules if not r <= done for v in r & done}
            return len(open_units), left.index(u)
        best = min(left, key=cost)
        placed.append(best)
        left.remove(best)
    return placed


def _couple(t: _Types, ring: Semiring[V], table: _Table[V], q: Qualification, forced: Mapping[str, bool],
            deadline: float | None, left: dict[int, int], record: list[_Record] | None = None) -> _Table[V]:
    """The table after deciding every coupled unit, keeping its barred sets and prerequisites.

    ``left`` and ``record`` are as for :func:`_advance` (a coupled unit's step records
    ``True`` when it was taken, ``False`` when not).
    """
    rules = _rules(q)
    order = coupling_order(coupled_units(q), [r for r, _check in rules])
    position = {u: i for i, u in enumerate(order)}
    closes: dict[str, list[_Rule]] = {}
    last_read: dict[str, int] = {}
    for units, check in rules:
        last = max(units, key=position.__getitem__)
        closes.setdefault(last, []).append((units, check))
        for u in units:
            last_read[u] = max(last_read.get(u, -1), position[last])
    rows: dict[tuple[_Key, frozenset[str]], V] = {(key, frozenset()): value for key, value in table.items()}
    if record is not None:
        record.append(([], {(key, frozenset()): [(key, False, value)] for key, value in table.items()}))
    for i, uid in enumerate(order):
        if deadline is not None and len(rows) > 1024 and time.monotonic() > deadline:
            raise TimeoutError("the unit-type programme passed its time limit")
        lists = [g for g in t.lists[uid] if g in t.slot]
        moves: list[tuple[int, ...]] = list(_compositions(1, len(lists))) if lists else [()]
        reached: _Reached = {}
        value = ring.unit(uid)
        options = [forced[uid]] if uid in forced else [True, False]
        if True in options:
            for k in left:
                left[k] -= t.global_dims[k][1].get(uid, 0)
        nxt: dict[tuple[_Key, frozenset[str]], V] = {}
        links: dict[Any, list[tuple[Any, Any, Any]]] = {}
        for (key, taken), row in rows.items():
            for take in options:
                now = taken | {uid} if take else taken
                if not all(check(now & units) for units, check in closes.get(uid, ())):
                    continue
                new = _step(t, key, uid, 1, moves, lists, reached) if take else key
                if new is None or t.short(new[0], left):
                    continue
                kept = frozenset(u for u in now if last_read[u] > i)
                part = ring.mul(row, value) if take else row
                old = nxt.get((new, kept))
                nxt[(new, kept)] = part if old is None else ring.add(old, part)
                if record is not None:
                    links.setdefault((new, kept), []).append(((key, taken), take, part))
        rows = nxt
        if record is not None:
            record.append(([uid], links))
        if len(rows) > MAX_STATES:
            raise NotSupported("too many open barred sets and prerequisites for the overlapping-pools programme")
    out: _Table[V] = {}
    ends: dict[Any, list[tuple[Any, Any, Any]]] = {}
    for (key, taken), row in rows.items():
        old = out.get(key)
        out[key] = row if old is None else ring.add(old, row)
        ends.setdefault(key, []).append(((key, taken), False, row))
    if record is not None:
        record.append(([], ends))
    return out


def _advance(t: _Types, ring: Semiring[V], table: _Table[V], types: list[list[str]],
             fixed: Mapping[str, bool], *, deadline: float | None = None,
             left: dict[int, int] | None = None, record: list[_Record] | None = None) -> _Table[V]:
    """The table after choosing how many units of each type to take (a fixed unit: taken).

    ``left`` is what the units not yet decided could add to each must-reach minimum
    (:meth:`_Types.to_come`); it is lowered as the types are decided, and entries that
    can no longer reach a minimum are dropped. ``record`` collects, type by type, where
    each entry's value came from (for :func:`sample_types`).
    """
    for members in types:
        if left is not None:
            for k in left:
                left[k] -= sum(t.global_dims[k][1].get(u, 0) for u in members)
        # small tables finish in microseconds whatever the limit; large ones stop at it
        if deadline is not None and len(table) > 1024 and time.monotonic() > deadline:
            raise TimeoutError("the unit-type programme passed its time limit")
        uid = members[0]
        n = len(members)
        lists = [g for g in t.lists[uid] if g in t.slot]
        most = t.most(uid, n)
        chosen = _choose(ring, members, most)
        choices = [1] if uid in fixed else range(most + 1)
        nxt: _Table[V] = {}
        links: dict[Any, list[tuple[Any, Any, Any]]] = {}
        for k in choices:
            moves: list[tuple[int, ...]] = list(_compositions(k, len(lists))) if lists else [()]
            grew = False
            reached: _Reached = {}  # entries share allocations
            for (glob, allocs), value in table.items():
                key = _step(t, (glob, allocs), uid, k, moves, lists, reached)
                if key is None:
                    continue
                grew = True  # within the maxima; taking more may still reach a minimum
                if left is not None and t.short(key[0], left):
                    continue
                part = ring.mul(value, chosen[k])
                old = nxt.get(key)
                nxt[key] = part if old is None else ring.add(old, part)
                if record is not None:
                    links.setdefault(key, []).append(((glob, allocs), k, part))
            if not grew:
                break  # every choice passed a maximum: taking more of the type only passes it further
        table = nxt
        if record is not None:
            record.append((members, links))
        if sum(len(a) for _g, a in table) > MAX_STATES:
            raise NotSupported("too many distinct unit types for the overlapping-pools programme")
    return table




def _step(t: _Types, key: _Key, uid: str, k: int, moves: list[tuple[int, ...]], lists: list[int],
          reached: _Reached) -> _Key | None:
    """(totals, reachable allocations) after taking ``k`` more units like ``uid``; ``None``: past a maximum.

    ``moves`` are the ways to split ``k`` units between ``lists``; ``reached`` keeps the
    allocations reached from each set of allocations by them.
    """
    glob, allocs = key
    new_glob = t.add_global(glob, uid, k)
    if t.over_global_max(new_glob):
        return None
    reach = reached.get(allocs)
    if reach is None:
        reach = reached[allocs] = t.best(_allocate(t, allocs, moves, lists, t.credit[uid]))
    return (new_glob, reach) if reach else None


def _allocate(t: _Types, allocs: frozenset[tuple[int, ...]], moves: list[tuple[int, ...]], lists: list[int],
              credit: int) -> Iterator[tuple[int, ...]]:
    """The allocation states reached from ``allocs`` by splitting the taken units between ``lists`` as in ``moves``."""
    for alloc in allocs:
        for split in moves:
            state = alloc
            for gi, j in zip(lists, split):
                if j:
                    state = t.add_alloc(state, gi, j, j * credit)
            if not t.over_max(state):
                yield state


def _finish(t: _Types, ring: Semiring[V], table: _Table[V], verdicts: dict[Any, bool]) -> V:
    """The sum over the table's choices some allocation of which satisfies the tree.

    ``verdicts`` remembers each (totals, allocations) answer across calls.
    """
    total = ring.zero
    for key, value in table.items():
        ok = verdicts.get(key)
        if ok is None:
            glob, allocs = key
            ok = verdicts[key] = t.global_ok(glob) and any(t.valid(a, glob) for a in allocs)
        if ok:
            total = ring.add(total, value)
    return total


# -- minimal pathways ---------------------------------------------------------------------------

#: A minimal-count key: a choice's key, and the keys of that choice with one unit dropped, each
#: tagged with the unit dropped when dropping it could break a barred set or prerequisite
#: (``None``: a unit no barred set or prerequisite mentions).
_MinKey = tuple[_Key, frozenset[tuple[str | None, _Key]]]


def count_minimal_types(q: Qualification, *, forced: Mapping[str, bool] | None = None,
                        deadline: float | None = None) -> int:
    """The exact number of minimal pathways (no unit can be dropped), for any structure the programme takes.

    A choice of units is a minimal pathway when it is a pathway and none of the choices one
    unit smaller is. So next to each choice's key the table carries the keys of the choices
    one unit smaller: taking ``k`` units of a type adds the key of taking ``k - 1`` of them,
    and moves every key already carried on by ``k``. Keys past a maximum are dropped (no
    completion makes them a pathway). Units of one type are interchangeable, so one key
    stands for dropping any of them.

    Examples
    --------
    "6 units from A and 4 more from A-D" shape, small: at least 1 from A = [a1, a2] and
    at least 1 more from A-D = [a1, a2, b1]; the minimal pathways are the 2-unit ones,
    {a1, a2}, {a1, b1}, {a2, b1}.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in ("a1", "a2", "b1")),
    ...     requirements=(Group(id="A", units=("a1", "a2"), min_units=1),
    ...                   Group(id="A-D", units=("a1", "a2", "b1"), min_units=1)))
    >>> count_minimal_types(q)
    3

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes.
    """
    t = _types_of(q)
    forced = dict(forced or {})
    coupled = [u for u in coupled_units(q) if u not in forced]
    if len(coupled) > 14:
        raise NotSupported(f"barred sets and prerequisites mention {len(coupled)} units")
    shared = {**forced, **dict.fromkeys(coupled, False)}
    start: dict[_MinKey, int] = {(((0,) * len(t.global_dims), frozenset([(0,) * (2 * len(t.shared))])),
                                  frozenset()): 1}
    alone = {u for u, v in forced.items() if v}
    first = _advance_minimal(t, start, _types(q, t, COUNT_RING, shared), shared, alone, deadline)
    tables: dict[tuple[Any, ...], dict[_MinKey, int]] = {(): first}
    verdicts: dict[Any, bool] = {}
    total = 0
    for values in itertools.product((True, False), repeat=len(coupled)):
        fixed = {**forced, **dict(zip(coupled, values))}
        if not consistent(q, fixed):
            continue
        taken = sorted((_group_key(t, u), u) for u, v in zip(coupled, values) if v)
        keys = tuple(k for k, _u in taken)
        for i, (_key, uid) in enumerate(taken):
            if keys[:i + 1] not in tables:
                # the tag is the unit's place among the taken ones: tables are shared between choices
                tables[keys[:i + 1]] = _advance_minimal(t, tables[keys[:i]], [[uid]], {uid: True}, {uid},
                                                        deadline, tag=f"#{i}")
        names = {f"#{i}": uid for i, (_key, uid) in enumerate(taken)}
        droppable = {tag: consistent(q, {**fixed, uid: False}) for tag, uid in names.items()}
        droppable.update({uid: consistent(q, {**fixed, uid: False}) for uid in alone})
        for (key, smaller), n in tables[keys].items():
            if _valid(t, key, verdicts) and not any(
                    (tag is None or droppable[tag]) and _valid(t, less, verdicts) for tag, less in smaller):
                total += n
    return total


def _valid(t: _Types, key: _Key, verdicts: dict[Any, bool]) -> bool:
    ok = verdicts.get(key)
    if ok is None:
        glob, allocs = key
        ok = verdicts[key] = t.global_ok(glob) and any(t.valid(a, glob) for a in allocs)
    return ok


def _advance_minimal(t: _Types, table: dict[_MinKey, int], types: list[list[str]], fixed: Mapping[str, bool],
                     tagged: set[str], deadline: float | None, *, tag: str | None = None) -> dict[_MinKey, int]:
    """:func:`_advance` for counting, carrying the keys one unit smaller (units in ``tagged`` drop by name)."""
    for members in types:
        if deadline is not None and len(table) > 1024 and time.monotonic() > deadline:
            raise TimeoutError("the unit-type programme passed its time limit")
        uid = members[0]
        n = len(members)
        lists = [g for g in t.lists[uid] if g in t.slot]
        most = t.most(uid, n)
        choices = [1] if uid in fixed else range(most + 1)
        drop = tag if tag is not None else uid if uid in tagged else None
        moves: dict[int, list[tuple[int, ...]]] = {
            k: list(_compositions(k, len(lists))) if lists else [()] for k in range(max(choices) + 1)}
        reached: dict[int, _Reached] = {k: {} for k in moves}
        nxt: dict[_MinKey, int] = {}
        for k in choices:
            ways = 1 if uid in fixed else comb(n, k)
            grew = False
            for (key, smaller), count in table.items():
                new = _step(t, key, uid, k, moves[k], lists, reached[k])
                if new is None:
                    continue
                grew = True
                moved = {(d, less) for d, old in smaller
                         if (less := _step(t, old, uid, k, moves[k], lists, reached[k])) is not None}
                if k:
                    less = _step(t, key, uid, k - 1, moves[k - 1], lists, reached[k - 1])
                    if less is not None:
                        moved.add((drop, less))
                entry = (new, frozenset(moved))
                nxt[entry] = nxt.get(entry, 0) + count * ways
            if not grew:
                break
        table = nxt
        if sum(len(key[1]) + sum(len(less[1]) for _d, less in smaller) for key, smaller in table) > MAX_STATES:
            raise NotSupported("too many distinct unit types for the overlapping-pools programme")
    return table
