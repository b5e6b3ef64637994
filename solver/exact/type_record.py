"""The unit-type programme compiled once per structure, then walked for any question.

One counting pass of :func:`~solver.exact.type_pass.table_of` keeps a :data:`Record` of
where every table entry came from: a diagram whose layers are the unit types (and the
coupled units), whose nodes are the entries, and whose edges say how many units of a type,
or whether a coupled unit, were taken. The sum over its paths in any semiring is the pass
in that semiring, so a count, a least cost with its ties, or the first cheapest pathway are
one walk along the edges each, without a pass of their own (:func:`walk`).

Units fixed in or out need no pass either. The units of a type are interchangeable, so
taking ``k`` of them with some fixed in and some out is taking ``k`` minus the fixed-in
of the free ones; a coupled unit fixed keeps only its edges that agree. Entries the
unfixed pass kept that the fixed one would have dropped early (too few units left to
reach a minimum) reach no valid end, so the sums agree.

The records of the structures last compiled are kept (:func:`compiled`, a few structures at
most, and only records of at most :data:`MAX_RECORD_LINKS` edges): the audit of a learner,
the report's answers, lint's checks and the cheapest pathways' best-first walk each ask
many questions of one structure, and from the third on each costs a walk. (The first is a
plain pass: a pass that keeps its record costs a fifth more, which a single question would
pay for nothing; :func:`worth_a_record` tells the second. Uniform samples and the units'
presence walk the record back, and keep it.)

Examples
--------
>>> from solver.exact.kernel import COUNT, MinCount
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")
>>> c = compiled(q)  # one pass; then each answer is a walk, with units fixed or not
>>> walk(c, COUNT), walk(c, COUNT, {"HLTAID011": False}), walk(c, COUNT, {"HLTAID011": True})
(25771, 22060, 3711)
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from ..model.structure import Qualification
from .kernel import COUNT, Semiring
from .type_pass import Record, Table, table_of, valid
from .unit_types import Types, choose_k, types_of

__all__ = ["MAX_RECORD_LINKS", "Compiled", "compiled", "forget", "kept", "walk", "worth_a_record"]

V = TypeVar("V")

#: Records kept, the most recently used last.
MAX_RECORDS = 4

#: Records with more edges than this are not kept: an edge with its share of the table's keys
#: holds about 500 bytes (an Australian package of 300 electives: 75,000 edges, 36 MB), so four
#: records stay under half a gigabyte.
MAX_RECORD_LINKS = 200_000

_RECORDS: OrderedDict[Qualification, Compiled] = OrderedDict()

#: Structures asked about lately: the second question of one makes its record. ``True`` once
#: its record was found too large to keep (its questions are then plain passes).
_ASKED: OrderedDict[Qualification, bool] = OrderedDict()


@dataclass(frozen=True)
class Compiled:
    """A structure's counting pass with no unit fixed: its types, its record, its final counts.

    Each edge's third field is the number of pathway beginnings it brings; walks read only
    where the edges lead.
    """

    types: Types
    record: list[Record]
    table: Table[int]
    verdicts: dict[Any, bool]

    def links(self) -> int:
        """How many edges the record has."""
        return sum(len(ways) for _members, links in self.record for ways in links.values())


def compiled(q: Qualification, deadline: float | None = None) -> Compiled:
    """The record of ``q``: kept from an earlier question, or made by a counting pass (and kept).

    Raises
    ------
    NotSupported
        When the tables would grow beyond :data:`~solver.exact.type_pass.MAX_STATES`.
    TimeoutError
        When ``deadline`` (a :func:`time.monotonic` value) passes.
    """
    found = kept(q)
    if found is not None:
        return found
    t = types_of(q)
    record: list[Record] = []
    table = table_of(t, q, COUNT, None, deadline, record)
    made = Compiled(types=t, record=record, table=table, verdicts={})
    if made.links() <= MAX_RECORD_LINKS:
        _RECORDS[q] = made
        while len(_RECORDS) > MAX_RECORDS:
            _RECORDS.popitem(last=False)
    else:
        _ASKED[q] = True
    return made


def kept(q: Qualification) -> Compiled | None:
    """The record of ``q`` when one is kept (else ``None``)."""
    found = _RECORDS.get(q)
    if found is not None:
        _RECORDS.move_to_end(q)
    return found


def worth_a_record(q: Qualification) -> bool:
    """Whether a record of ``q`` should be made now: asked about before, and not found too large.

    ``q`` is remembered as asked from now on.
    """
    if q in _ASKED:
        _ASKED.move_to_end(q)
        return not _ASKED[q]
    _ASKED[q] = False
    while len(_ASKED) > 4 * MAX_RECORDS:
        _ASKED.popitem(last=False)
    return False


def forget() -> None:
    """Drop every kept record and what was asked (the benchmark times each question from nothing)."""
    _RECORDS.clear()
    _ASKED.clear()


def walk(c: Compiled, ring: Semiring[V], forced: Mapping[str, bool] | None = None) -> V:
    """The semiring sum over the pathways of ``c``'s structure that fix units as ``forced`` does.

    Each edge multiplies its entry's value by what its step took: ``k`` units of a type
    (the semiring sum over the ``k``-sets that hold every fixed-in unit and no fixed-out
    one), a coupled unit, or nothing.
    """
    values = _forward(c, ring, forced or {})
    out = ring.zero
    for key, value in values.items():
        if valid(c.types, key, c.verdicts):
            out = ring.add(out, value)
    return out


def _forward(c: Compiled, ring: Semiring[V], forced: Mapping[str, bool]) -> Table[V]:
    """Every final entry's value, step by step along the record."""
    values: dict[Any, V] | None = None
    for members, links in c.record:
        first = next((k for ways in links.values() for _prev, k, _value in ways), False)
        now: dict[Any, V] = {}
        if isinstance(first, bool):  # a coupled unit (taken or not), or the coupled units' start or end
            uid = members[0] if members else None
            fixed = None if uid is None else forced.get(uid)
            taking = ring.one if uid is None else ring.unit(uid)
            for key, ways in links.items():
                total = ring.zero
                for prev, k, _value in ways:
                    if fixed is not None and k != fixed:
                        continue
                    value = ring.one if values is None else values[prev]
                    total = ring.add(total, ring.mul(value, taking) if k else value)
                now[key] = total
        else:  # k units of a type
            chosen = _choices(ring, members, links, forced)
            for key, ways in links.items():
                total = ring.zero
                for prev, k, _value in ways:
                    if k < len(chosen):
                        value = ring.one if values is None else values[prev]
                        total = ring.add(total, ring.mul(value, chosen[k]))
                now[key] = total
        values = now
    if values is None:  # nothing to decide: the start's one entry
        t = c.types
        return {((0,) * len(t.global_dims), frozenset([(0,) * (2 * len(t.shared))])): ring.one}
    return values


def _choices(ring: Semiring[V], members: list[str], links: dict[Any, list[tuple[Any, Any, Any]]],
             forced: Mapping[str, bool]) -> list[V]:
    """``out[k]``: the semiring sum over the ``k``-sets of ``members`` with every fixed-in unit, no fixed-out one."""
    most = max((k for ways in links.values() for _p, k, _w in ways), default=0)
    taken = [u for u in members if forced.get(u) is True]
    free = [u for u in members if u not in forced]
    base = ring.one
    for u in taken:
        base = ring.mul(base, ring.unit(u))
    rest = choose_k(ring, free, max(0, most - len(taken)))
    return [ring.zero if k < len(taken) or k - len(taken) >= len(rest) else ring.mul(base, rest[k - len(taken)])
            for k in range(most + 1)]
