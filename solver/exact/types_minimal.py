"""Minimal pathways (no unit can be dropped) counted by the unit-type programme.

Overlapping pools, caps and double-counting groups, where the requirement tree does not
decompose and :mod:`solver.exact.minimal`'s antichains do not apply. See
:func:`count_minimal_types`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from math import comb
from typing import Any

from ..model.structure import Qualification
from .kernel import COUNT, NotSupported, consistent, coupled_units
from .type_pass import MAX_STATES, Key, Reached, deciding, step, valid
from .unit_types import Types, compositions, group_key, types_of, unit_types

__all__ = ["count_minimal_types"]


#: A minimal-count key: a choice's key, and the keys of that choice with one unit dropped, each
#: tagged with the unit dropped when dropping it could break a barred set or prerequisite
#: (``None``: a unit no barred set or prerequisite mentions).
_MinKey = tuple[Key, frozenset[tuple[str | None, Key]]]


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
    t = types_of(q)
    forced = dict(forced or {})
    coupled = [u for u in coupled_units(q) if u not in forced]
    if len(coupled) > 14:
        raise NotSupported(f"barred sets and prerequisites mention {len(coupled)} units")
    shared = {**forced, **dict.fromkeys(coupled, False)}
    start: dict[_MinKey, int] = {(((0,) * len(t.global_dims), frozenset([(0,) * (2 * len(t.shared))])),
                                  frozenset()): 1}
    alone = {u for u, v in forced.items() if v}
    first = _advance_minimal(t, start, unit_types(q, t, COUNT, shared), shared, alone, deadline)
    tables: dict[tuple[Any, ...], dict[_MinKey, int]] = {(): first}
    verdicts: dict[Any, bool] = {}
    total = 0
    for values in itertools.product((True, False), repeat=len(coupled)):
        fixed = {**forced, **dict(zip(coupled, values))}
        if not consistent(q, fixed):
            continue
        taken = sorted((group_key(t, u), u) for u, v in zip(coupled, values) if v)
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
            if valid(t, key, verdicts) and not any(
                    (tag is None or droppable[tag]) and valid(t, less, verdicts) for tag, less in smaller):
                total += n
    return total


def _advance_minimal(t: Types, table: dict[_MinKey, int], types: list[list[str]], fixed: Mapping[str, bool],
                     tagged: set[str], deadline: float | None, *, tag: str | None = None) -> dict[_MinKey, int]:
    """:func:`advance` for counting, carrying the keys one unit smaller (units in ``tagged`` drop by name)."""
    for members in types:
        uid, lists, _most, choices = deciding(t, members, fixed, len(table), deadline)
        n = len(members)
        drop = tag if tag is not None else uid if uid in tagged else None
        moves: dict[int, list[tuple[int, ...]]] = {
            k: list(compositions(k, len(lists))) if lists else [()] for k in range(max(choices) + 1)}
        reached: dict[int, Reached] = {k: {} for k in moves}
        nxt: dict[_MinKey, int] = {}
        for k in choices:
            ways = 1 if uid in fixed else comb(n, k)
            grew = False
            for (key, smaller), count in table.items():
                new = step(t, key, uid, k, moves[k], lists, reached[k])
                if new is None:
                    continue
                grew = True
                moved = {(d, less) for d, old in smaller
                         if (less := step(t, old, uid, k, moves[k], lists, reached[k])) is not None}
                if k:
                    less = step(t, key, uid, k - 1, moves[k - 1], lists, reached[k - 1])
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
