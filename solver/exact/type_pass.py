"""One pass of the unit-type programme: the table of choices, type by type, then coupled unit by unit.

A table maps a :data:`Key` (the qualification-wide totals, and the best per-group sums
some allocation of the units taken reaches) to a semiring value. :func:`table_of` builds
it: :func:`advance` decides how many units of each type to take, :func:`couple` decides
the units barred sets and prerequisites mention one at a time, and :func:`finish` adds up
the entries some allocation of which satisfies the requirement tree. A :data:`Record`
kept on the way says where each entry's value came from (for uniform samples).

Examples
--------
>>> from solver.exact.kernel import COUNT
>>> from solver.exact.unit_types import types_of
>>> from solver.model import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")
>>> t = types_of(q)
>>> finish(t, COUNT, table_of(t, q, COUNT, None, None), {})
25771
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from ..model.structure import Qualification
from .kernel import NotSupported, Semiring, coupled_units
from .unit_types import Types, choose_k, compositions, unit_types

__all__ = ["MAX_STATES", "Key", "Reached", "Record", "Table", "advance", "allocate", "couple", "coupling_order",
           "coupling_rules", "deciding", "finish", "step", "table_of", "valid"]

#: Largest table (choices x reachable allocations) before giving up.
MAX_STATES = 400_000

V = TypeVar("V")

#: What one step of a pass did: the units it decided (a type's, or one coupled unit), and for
#: each entry after it, where its value came from: (entry before, how many taken or whether
#: taken, the ways that brings).
Record = tuple[list[str], dict[Any, list[tuple[Any, Any, Any]]]]

#: A table key: the qualification-wide totals, and the set of per-group sums some allocation reaches.
Key = tuple[tuple[int, ...], frozenset[tuple[int, ...]]]
Table = dict[Key, V]
Reached = dict[frozenset[tuple[int, ...]], frozenset[tuple[int, ...]]]


def table_of(t: Types, q: Qualification, ring: Semiring[V], forced: Mapping[str, bool] | None,
           deadline: float | None, record: list[Record] | None = None) -> Table[V]:
    """The table once every unit is decided: types first, then the coupled units (see :func:`solve_types`)."""
    forced = dict(forced or {})
    coupled = coupled_units(q)
    shared = {**forced, **dict.fromkeys(coupled, False)}
    start: Table[V] = {((0,) * len(t.global_dims), frozenset([(0,) * (2 * len(t.shared))])): ring.one}
    types = unit_types(q, t, ring, shared)
    left = t.to_come([u for members in types for u in members]
                     + [u for u in coupled if forced.get(u) is not False])
    table = advance(t, ring, start, types, shared, deadline=deadline, left=left, record=record)
    if coupled:
        table = couple(t, ring, table, q, forced, deadline, left, record)
    return table


Rule = tuple[frozenset[str], Callable[[frozenset[str]], bool]]


def coupling_rules(q: Qualification) -> list[Rule]:
    """Each barred set and prerequisite as (the units it mentions, whether a set of taken ones keeps it)."""
    found: list[Rule] = []
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


def couple(t: Types, ring: Semiring[V], table: Table[V], q: Qualification, forced: Mapping[str, bool],
            deadline: float | None, left: dict[int, int], record: list[Record] | None = None) -> Table[V]:
    """The table after deciding every coupled unit, keeping its barred sets and prerequisites.

    ``left`` and ``record`` are as for :func:`advance` (a coupled unit's step records
    ``True`` when it was taken, ``False`` when not).
    """
    rules = coupling_rules(q)
    order = coupling_order(coupled_units(q), [r for r, _check in rules])
    position = {u: i for i, u in enumerate(order)}
    closes: dict[str, list[Rule]] = {}
    last_read: dict[str, int] = {}
    for units, check in rules:
        last = max(units, key=position.__getitem__)
        closes.setdefault(last, []).append((units, check))
        for u in units:
            last_read[u] = max(last_read.get(u, -1), position[last])
    rows: dict[tuple[Key, frozenset[str]], V] = {(key, frozenset()): value for key, value in table.items()}
    if record is not None:
        record.append(([], {(key, frozenset()): [(key, False, value)] for key, value in table.items()}))
    for i, uid in enumerate(order):
        if deadline is not None and len(rows) > 1024 and time.monotonic() > deadline:
            raise TimeoutError("the unit-type programme passed its time limit")
        lists = [g for g in t.lists[uid] if g in t.slot]
        moves: list[tuple[int, ...]] = list(compositions(1, len(lists))) if lists else [()]
        reached: Reached = {}
        value = ring.unit(uid)
        options = [forced[uid]] if uid in forced else [True, False]
        if True in options:
            for k in left:
                left[k] -= t.global_dims[k][1].get(uid, 0)
        nxt: dict[tuple[Key, frozenset[str]], V] = {}
        links: dict[Any, list[tuple[Any, Any, Any]]] = {}
        # many rows took the same open units: decide each (open units, taken?) once
        opened: dict[tuple[frozenset[str], bool], frozenset[str] | None] = {}
        for (key, taken), row in rows.items():
            for take in options:
                if (taken, take) not in opened:
                    now = taken | {uid} if take else taken
                    opened[(taken, take)] = (frozenset(u for u in now if last_read[u] > i)
                                             if all(check(now & units) for units, check in closes.get(uid, ()))
                                             else None)
                kept = opened[(taken, take)]
                if kept is None:
                    continue
                new = step(t, key, uid, 1, moves, lists, reached) if take else key
                if new is None or t.short(new[0], left):
                    continue
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
    out: Table[V] = {}
    ends: dict[Any, list[tuple[Any, Any, Any]]] = {}
    for (key, taken), row in rows.items():
        old = out.get(key)
        out[key] = row if old is None else ring.add(old, row)
        ends.setdefault(key, []).append(((key, taken), False, row))
    if record is not None:
        record.append(([], ends))
    return out


def advance(t: Types, ring: Semiring[V], table: Table[V], types: list[list[str]],
             fixed: Mapping[str, bool], *, deadline: float | None = None,
             left: dict[int, int] | None = None, record: list[Record] | None = None) -> Table[V]:
    """The table after choosing how many units of each type to take (a fixed unit: taken).

    ``left`` is what the units not yet decided could add to each must-reach minimum
    (:meth:`Types.to_come`); it is lowered as the types are decided, and entries that
    can no longer reach a minimum are dropped. ``record`` collects, type by type, where
    each entry's value came from (for :func:`sample_types`).
    """
    for members in types:
        if left is not None:
            for k in left:
                left[k] -= sum(t.global_dims[k][1].get(u, 0) for u in members)
        uid, lists, most, choices = deciding(t, members, fixed, len(table), deadline)
        chosen = choose_k(ring, members, most)
        nxt: Table[V] = {}
        links: dict[Any, list[tuple[Any, Any, Any]]] = {}
        for k in choices:
            moves: list[tuple[int, ...]] = list(compositions(k, len(lists))) if lists else [()]
            grew = False
            reached: Reached = {}  # entries share allocations
            for (glob, allocs), value in table.items():
                key = step(t, (glob, allocs), uid, k, moves, lists, reached)
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




def deciding(t: Types, members: Sequence[str], fixed: Mapping[str, bool], entries: int,
             deadline: float | None) -> tuple[str, list[int], int, Sequence[int]]:
    """What deciding one type involves: a unit of it, its groups, how many can be taken, which numbers to try.

    How many can be taken is where a must-hold maximum would pass; a fixed unit is taken.

    Raises
    ------
    TimeoutError
        When ``deadline`` has passed and the table has more than 1,024 ``entries`` (small
        tables finish in microseconds whatever the limit).
    """
    if deadline is not None and entries > 1024 and time.monotonic() > deadline:
        raise TimeoutError("the unit-type programme passed its time limit")
    uid = members[0]
    most = t.most(uid, len(members))
    return uid, [g for g in t.lists[uid] if g in t.slot], most, [1] if uid in fixed else range(most + 1)


def step(t: Types, key: Key, uid: str, k: int, moves: list[tuple[int, ...]], lists: list[int],
          reached: Reached) -> Key | None:
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
        reach = reached[allocs] = t.best(allocate(t, allocs, moves, lists, t.credit[uid]))
    return (new_glob, reach) if reach else None


def allocate(t: Types, allocs: frozenset[tuple[int, ...]], moves: list[tuple[int, ...]], lists: list[int],
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


def finish(t: Types, ring: Semiring[V], table: Table[V], verdicts: dict[Any, bool]) -> V:
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


def valid(t: Types, key: Key, verdicts: dict[Any, bool]) -> bool:
    """Whether some allocation of a table entry satisfies every rule (``verdicts`` remembers answers)."""
    ok = verdicts.get(key)
    if ok is None:
        glob, allocs = key
        ok = verdicts[key] = t.global_ok(glob) and any(t.valid(a, glob) for a in allocs)
    return ok
