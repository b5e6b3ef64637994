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
carry the choices one unit smaller (:func:`solver.exact.types_minimal.count_minimal_types`);
and its record of where each count came from gives uniform samples (:func:`sample_types`).
The reading is :mod:`solver.exact.unit_types`, the pass :mod:`solver.exact.type_pass`. It is exact for every
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
import contextlib
import itertools
import random
from collections.abc import Callable, Iterator, Mapping
from math import comb
from typing import Any, TypeVar

from ..model.structure import Qualification
from .kernel import COUNT, NotSupported, Semiring
from .type_pass import MAX_STATES, Record, Table, finish, table_of, valid
from .type_record import compiled, kept, walk, worth_a_record
from .unit_types import Types, types_of

__all__ = ["MAX_STATES", "presence_types", "sample_types", "solve_types"]

V = TypeVar("V")


def solve_types(q: Qualification, ring: Semiring[V], *, forced: Mapping[str, bool] | None = None,
                deadline: float | None = None) -> V:
    """The semiring sum over every pathway, for any structure (see the module docstring).

    The units no barred set or prerequisite mentions are taken type by type; then the
    units they mention one at a time, in an order that keeps few of them *open* (in a
    barred set or prerequisite not yet decided). A table entry carries which open units it
    took; a barred set or prerequisite is checked when its last unit is decided, and a
    unit is forgotten once nothing reads it any more.

    A structure's first question is one plain pass; its second makes a pass that keeps its
    record, and every question after, in any semiring and with any units fixed, is one walk
    along it (:mod:`solver.exact.type_record`). A record costs a fifth more than a plain
    pass, and pays from the second question on.

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes.
    """
    made = kept(q)
    if made is None and worth_a_record(q):  # a second question: one pass with its record for all the rest
        with contextlib.suppress(NotSupported):  # (fixing units may keep the tables small enough)
            made = compiled(q, deadline)
    if made is None:
        t = types_of(q)
        return finish(t, ring, table_of(t, q, ring, forced, deadline), {})
    return walk(made, ring, forced)


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
    t, record, table, verdicts = _pass(q, forced, deadline)
    finals = [(key, count) for key, count in table.items() if count and valid(t, key, verdicts)]
    if not finals:
        return []
    if sum(count for _key, count in finals) <= n * LIST_WHEN:
        everything = list(_every_pathway(record, finals))
        return [list(everything[rng.randrange(len(everything))]) for _ in range(n)]
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
            elif k == 1:
                units.append(members[rng.randrange(len(members))])
            elif k is not False and k:  # k units of a type, any k of them alike
                units.extend(rng.sample(members, k))
        drawn.append(units)
    return drawn


#: :func:`sample_types` lists every pathway once, and draws from the list, when there are at
#: most this many times as many pathways as draws (a few hundred pathways, a thousand draws):
#: listing costs one step per pathway and type, where walking back costs one per draw and type.
LIST_WHEN = 1


def _every_pathway(record: list[Record], finals: list[tuple[Any, int]]) -> Iterator[tuple[str, ...]]:
    """Every pathway of a counting pass, once each: its record walked back along every way with a count.

    A count is the number of ways back to the start, a type's ``k`` units any ``k`` of
    its members; so every way back, with every choice of members, is one pathway.
    """
    def back(i: int, key: Any) -> Iterator[tuple[str, ...]]:
        if i < 0:
            yield ()
            return
        members, links = record[i]
        for prev, k, _ways in links[key]:  # every way recorded has a count
            if k is True:  # a coupled unit taken
                picks = [tuple(members)]
            elif not k:  # nothing taken
                picks = [()]
            else:  # k units of a type, any k of them
                picks = list(itertools.combinations(members, k))
            for before in back(i - 1, prev):
                for chosen in picks:
                    yield before + chosen

    for key, _count in finals:
        yield from back(len(record) - 1, key)


def _pass(q: Qualification, forced: Mapping[str, bool] | None,
          deadline: float | None) -> tuple[Types, list[Record], Table[int], dict[Any, bool]]:
    """A counting pass with its record: the structure's kept one when no unit is fixed."""
    if not forced:
        made = compiled(q, deadline)
        return made.types, made.record, made.table, made.verdicts
    t = types_of(q)
    record: list[Record] = []
    return t, record, table_of(t, q, COUNT, forced, deadline, record), {}


def presence_types(q: Qualification, *, forced: Mapping[str, bool] | None = None,
                   deadline: float | None = None) -> tuple[int, dict[str, int]]:
    """The number of pathways, and how many of them hold each unit, from one pass and one walk back.

    The counting pass's record says where each entry's count came from. Walking it back
    gives each entry the number of ways to complete it into a pathway; an entry before a
    type's step, taking ``k`` of the type's ``n`` units towards an entry after it, then
    stands for (its count) x C(n - 1, k - 1) x (the completions after) pathways holding any
    one of those units. So every unit's count comes at the cost of one count, not one each.

    Examples
    --------
    "At least 1 from A = [a1, a2]" and "B = [a1, a2, b1]" without limits: the pathways are
    every non-empty set holding a1 or a2 (6 of them); a1 is in {a1}, {a1,a2}, {a1,b1},
    {a1,a2,b1}.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in ("a1", "a2", "b1")),
    ...     requirements=(Group(id="A", units=("a1", "a2"), min_units=1), Group(id="B", units=("a1", "a2", "b1"))))
    >>> presence_types(q)
    (6, {'a1': 4, 'a2': 4, 'b1': 3})

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes.
    """
    t, record, table, verdicts = _pass(q, forced, deadline)
    after: dict[Any, int] = {key: 1 for key in table if valid(t, key, verdicts)}
    total = sum(table[key] for key in after)
    held = dict.fromkeys(q.unit_ids(), 0)
    for members, links in reversed(record):
        before: dict[Any, int] = {}
        for key, completions in after.items():
            for prev, k, ways in links.get(key, ()):
                if isinstance(k, bool):  # a coupled unit's step (taken or not), or the pass's start and end
                    before[prev] = before.get(prev, 0) + completions
                    if k:
                        held[members[0]] += ways * completions
                    continue
                n = len(members)
                before[prev] = before.get(prev, 0) + completions * comb(n, k)
                if k:
                    each = ways // comb(n, k) * comb(n - 1, k - 1) * completions
                    for uid in members:
                        held[uid] += each
        after = before
    return total, held
