"""The exact engines behind one interface: what each answers, whether it takes a structure, and why not.

Every engine is described by an :class:`EngineInfo`: its name (the ``method`` a result
reports), the :class:`Question` kinds it answers, and a ``supports(q)`` that returns
``None`` when it takes ``q`` and otherwise the reason, in words a designer can read.
:func:`choose` picks the first engine, in the order given, that answers a question for a
structure, and says why each engine before it was passed over; the questions in
:mod:`solver.answers` read that choice, so the ``method`` and ``note`` of every result are
made the same way. An engine may still find at run time that a structure is beyond it
(a table past its size limit): it then raises :class:`~solver.exact.kernel.NotSupported`
(every engine's exception derives from it), and the caller moves to the next choice.

Examples
--------
>>> from solver.model import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "chc33021-individual-support.yaml")
>>> choice = choose(q, Question.COUNT)
>>> choice.engine.name, choice.engine.method, choice.passed_over[0][0]
('types', 'type-dynamic-programming', 'tree')
>>> choice.note()
"fast path not used: unit 'CHCAGE011' is listed in groups 'A-or-B' and 'A-B-or-C'"
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from ..model.structure import Qualification
from . import frontier, frontier_minimal, kernel, minplus, product, search, tree
from .interchangeable import presence_types, solve_types
from .minimal import count_minimal
from .types_minimal import count_minimal_types

__all__ = ["ENGINES", "Choice", "EngineInfo", "Question", "choose", "engine", "least", "least_each", "presence",
           "solve", "solve_minimal"]

V = TypeVar("V")


class Question(StrEnum):
    """The kinds of question an engine can answer."""

    COUNT = "count"
    """How many pathways (and any semiring sum over them: optimum with ties, breakdowns)."""
    MINIMAL = "minimal"
    """How many minimal pathways (no unit can be dropped)."""
    FIRST_OPTIMUM = "first-optimum"
    """The optimum, its ties and the first optimal pathway in one pass."""
    STREAM = "stream"
    """Pathways one by one in the documented order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineInfo:
    """One exact engine: its name, what it answers, and whether it takes a structure."""

    name: str
    """What the engine is called here (unique)."""
    method: str
    """The ``method`` its results report (a :class:`solver.model.results.Method` value)."""
    answers: frozenset[Question]
    supports: Callable[[Qualification], str | None]
    """``None`` when the engine takes the structure, else why not."""
    module: str
    """Where it lives, for readers."""
    defers: Callable[[Qualification], bool] | None = None
    """Whether to leave a structure it takes to the next engine that takes it (which answers the
    same question quicker there); ``None``: never."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The engine chosen for a question (``None``: no exact engine takes it) and those passed over."""

    question: Question
    engine: EngineInfo | None
    passed_over: tuple[tuple[str, str], ...]
    """(engine name, why it does not take the structure), in the order tried."""

    def note(self) -> str:
        """Why the exact engines tried were passed over (each reason once), as results word it; empty when none was.

        >>> Choice(question=Question.MINIMAL, engine=None, passed_over=(("minimal", "40 units are coupled"),
        ...     ("types-minimal", "40 units are coupled"), ("frontier-total", "the total is not exact"))).note()
        'fast path not used: 40 units are coupled; and the total is not exact'
        """
        reasons = list(dict.fromkeys(reason for _name, reason in self.passed_over))
        return f"fast path not used: {'; and '.join(reasons)}" if reasons else ""


def _tree_defers(q: Qualification) -> bool:
    """Whether the frontier programme should count ``q`` rather than the tree programme.

    The tree programme solves once per choice of the units barred sets and prerequisites
    mention (up to 2 ** 14 solves); the frontier programme decides them one at a time. As
    soon as one unit is coupled the frontier is quicker (a 100-unit diploma with one barred
    pair: 74 ms against 9 ms; with three, 611 ms against 10 ms).
    """
    return bool(kernel.coupled_units(q)) and frontier.supports(q) is None


def _types_supports(q: Qualification) -> str | None:
    coupled = kernel.coupled_units(q)
    if len(coupled) > kernel.MAX_CONDITIONED_UNITS:
        return (f"barred sets and prerequisites mention {len(coupled)} units "
                f"(more than {kernel.MAX_CONDITIONED_UNITS})")
    return None


def every_pathway_minimal(q: Qualification) -> str | None:
    """``None`` when no pathway of ``q`` keeps a unit it can drop, else why that is not known.

    So when the qualification's total is exact ("exactly 180 credits", "16 units") and every
    unit adds to it: a pathway less any unit falls short of the total.

    >>> import dataclasses
    >>> from decimal import Decimal
    >>> from solver.model import Group, Qualification, Unit
    >>> units = tuple(Unit(id=u, title=u, credits=Decimal("7.5")) for u in "abc")
    >>> q = Qualification(id="Q", title="T", units=units, min_credits=Decimal(15), max_credits=Decimal(15),
    ...                   requirements=(Group(id="G", units=("a", "b", "c")),))
    >>> every_pathway_minimal(q) is None
    True
    >>> every_pathway_minimal(dataclasses.replace(q, max_credits=None))
    'the qualification has no exact total every unit adds to'
    """
    scale = kernel.credit_scale(q)
    low_c, high_c, low_u, high_u = kernel.whole_limits(q, scale)
    if low_u is not None and low_u == high_u:
        return None
    credits = kernel.unit_credits(q, scale)
    listed = {u for g in q.iter_groups() for u in g.units}
    if low_c is not None and low_c == high_c and all(credits[u] > 0 for u in listed):
        return None
    return "the qualification has no exact total every unit adds to"


def _frontier_minimal_supports(q: Qualification) -> str | None:
    return frontier.supports(q) or every_pathway_minimal(q)


#: Every exact engine, fastest first for the questions it shares with others.
ENGINES: tuple[EngineInfo, ...] = (
    EngineInfo(name="tree", method="dynamic-programming", module="solver.exact.tree", supports=kernel.supports,
               answers=frozenset({Question.COUNT}), defers=_tree_defers),
    EngineInfo(name="frontier", method="frontier-dynamic-programming", module="solver.exact.frontier",
               supports=frontier.supports, answers=frozenset({Question.COUNT, Question.FIRST_OPTIMUM})),
    EngineInfo(name="frontier-minimal", method="frontier-dynamic-programming", module="solver.exact.frontier_minimal",
               supports=frontier_minimal.supports, answers=frozenset({Question.MINIMAL})),
    EngineInfo(name="minimal", method="dynamic-programming", module="solver.exact.minimal", supports=kernel.supports,
               answers=frozenset({Question.MINIMAL})),
    EngineInfo(name="types", method="type-dynamic-programming", module="solver.exact.interchangeable",
               supports=lambda q: None, answers=frozenset({Question.COUNT})),
    EngineInfo(name="types-minimal", method="type-dynamic-programming", module="solver.exact.types_minimal",
               supports=_types_supports, answers=frozenset({Question.MINIMAL})),
    EngineInfo(name="frontier-total", method="frontier-dynamic-programming", module="solver.exact.frontier",
               supports=_frontier_minimal_supports, answers=frozenset({Question.MINIMAL})),
    EngineInfo(name="min-plus", method="dynamic-programming", module="solver.exact.minplus", supports=minplus.supports,
               answers=frozenset({Question.FIRST_OPTIMUM})),
    EngineInfo(name="product", method="product", module="solver.exact.product", supports=product.supports,
               answers=frozenset({Question.STREAM})),
    EngineInfo(name="search", method="search", module="solver.exact.search", supports=search.supports,
               answers=frozenset({Question.STREAM})),
)

_BY_NAME = {e.name: e for e in ENGINES}


def engine(name: str) -> EngineInfo:
    """The engine of that name.

    >>> engine("search").module
    'solver.exact.search'
    """
    return _BY_NAME[name]


def choose(q: Qualification, question: Question, engines: Sequence[EngineInfo] = ENGINES) -> Choice:
    """The first of ``engines`` that answers ``question`` and takes ``q``, and the reasons for the others.

    An engine that takes ``q`` but :attr:`~EngineInfo.defers` leaves it to the next one that
    takes it (and answers where none does); that is a preference, not a reason.
    """
    passed: list[tuple[str, str]] = []
    deferred: Choice | None = None
    for info in engines:
        if question not in info.answers:
            continue
        reason = info.supports(q)
        if reason is None:
            chosen = Choice(question=question, engine=info, passed_over=tuple(passed))
            if deferred is None and info.defers is not None and info.defers(q):
                deferred = chosen
                continue
            return chosen
        if deferred is None:
            passed.append((info.name, reason))
    return deferred or Choice(question=question, engine=None, passed_over=tuple(passed))


def solve(q: Qualification, ring: kernel.Semiring[V], *, forced: Mapping[str, bool] | None = None,
          timeout: float | None = None) -> V:
    """The semiring sum over every pathway of ``q``, by the first engine that takes it.

    Counting (:data:`~solver.exact.kernel.COUNT`) and least cost with ties
    (:class:`~solver.exact.kernel.MinCount`) are answered by the tree programme when few units
    are coupled, by the frontier programme when many are, and by the unit-type programme
    when pools overlap. ``timeout`` bounds the frontier and unit-type programmes
    (:class:`TimeoutError`); the tree programme answers in milliseconds where it applies.

    Raises
    ------
    NotSupported
        When no exact engine takes ``q`` (the reason of the last one tried).

    Examples
    --------
    >>> from solver.model import bundled_rules, load_qualification
    >>> solve(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"), kernel.COUNT)
    4
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    choice = choose(q, Question.COUNT)
    if choice.engine is None:
        raise kernel.NotSupported(choice.passed_over[-1][1])
    if choice.engine.name == "tree":
        return tree.solve(q, ring, forced=forced)
    if choice.engine.name == "frontier" and (ring.counting or ring.least):
        try:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            found: V = _frontier(q, ring, forced, left)
        except frontier.NotSupported:
            pass  # its tables would be too large: the type programme may still take it
        else:
            return found
    return solve_types(q, ring, forced=forced, deadline=deadline)


def least(q: Qualification, costs: Mapping[str, Any], *, forced: Mapping[str, bool] | None = None,
          timeout: float | None = None) -> Any | None:
    """The least total cost of a pathway of ``q`` (``costs`` maps units to numbers; missing ones cost 0).

    Only pathways that hold the units ``forced`` maps to ``True`` and none mapped to ``False``.

    Only the value: the frontier programme's tables then hold one cost per cell
    (:func:`~solver.exact.frontier.least`, a third of the work of the optimum with its
    ties), for the structures it counts and, reading a unit several groups list as one
    decision with a home in each, for those only the unit-type programme counts; elsewhere,
    and where its tables would be too large, the least cost of :func:`solve`. ``None`` when
    there is no pathway.

    Raises
    ------
    NotSupported
        When no exact engine takes ``q``.
    TimeoutError
        When ``timeout`` passes.

    Examples
    --------
    >>> from solver.model import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> least(q, dict.fromkeys(q.unit_ids(), 1))
    5
    """
    return least_each(q, [costs], forced=forced, timeout=timeout)[0]


def least_each(q: Qualification, objectives: Sequence[Mapping[str, Any]], *,
               forced: Mapping[str, bool] | None = None, timeout: float | None = None) -> list[Any | None]:
    """:func:`least` for several cost maps: side by side in one pass of the frontier programme.

    >>> from solver.model import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> least_each(q, [dict.fromkeys(q.unit_ids(), 1), {u: -1 for u in q.unit_ids()}])
    [5, -5]
    """
    vectors = [{u: (costs.get(u, 0),) for u in q.unit_ids()} for costs in objectives]
    choice = choose(q, Question.COUNT)
    frontier_counts = choice.engine is not None and choice.engine.name == "frontier"
    # units several groups list, and double-counting groups, are outside what the frontier
    # programme counts; for a least cost it decides such a unit once, with a home in each group
    sharing = not frontier_counts and frontier.supports_shape(q) is not None
    if frontier_counts or sharing:
        try:
            found = frontier.least_each(q, vectors, forced=forced, timeout=timeout, sharing=sharing)
        except frontier.NotSupported:
            pass  # its tables would be too large: the type programme may still take it
        else:
            return [None if value is None else value[0] for value in found]
    deadline = None if timeout is None else time.monotonic() + timeout
    out = []
    for costs in vectors:
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        best, ways = solve(q, kernel.MinCount(costs, width=1).semiring(), forced=forced, timeout=left)
        out.append(best[0] if ways else None)
    return out


def solve_minimal(q: Qualification, *, forced: Mapping[str, bool] | None = None,
                  timeout: float | None = None) -> int:
    """The number of minimal pathways of ``q``, by the first engine that takes it.

    The frontier programme, one pass per guess of how far the totals overshoot, where
    every rule must hold and no unit has prerequisites (:mod:`.frontier_minimal`: a
    60-unit credit diploma in about 0.2 s, under a second with 20 barred pairs across its
    groups); else the tree programme's antichains where the
    requirement tree decomposes, else the unit-type programme (overlapping pools, caps
    inside combinations); where many units are coupled and the total is exact, every
    pathway is minimal and the frontier programme counts them.

    Raises
    ------
    NotSupported
        When no exact engine takes ``q``, or its tables grow past their limit.
    TimeoutError
        When ``timeout`` passes (the unit-type programme).

    Examples
    --------
    >>> from solver.model import bundled_rules, load_qualification
    >>> solve_minimal(load_qualification(bundled_rules() / "chc33021-individual-support.yaml"))
    25771
    """
    choice = choose(q, Question.MINIMAL)
    if choice.engine is None:
        raise kernel.NotSupported(choice.passed_over[-1][1])
    deadline = None if timeout is None else time.monotonic() + timeout
    if choice.engine.name == "frontier-minimal":
        return frontier_minimal.count_minimal(q, forced=forced, timeout=timeout)
    every = every_pathway_minimal(q) is None  # then counting them all is quicker, by the same engine
    if choice.engine.name == "minimal":
        return tree.solve(q, kernel.COUNT, forced=forced) if every else count_minimal(q, forced=forced)
    if choice.engine.name == "types-minimal":
        return (solve_types(q, kernel.COUNT, forced=forced, deadline=deadline) if every
                else count_minimal_types(q, forced=forced, deadline=deadline))
    return frontier.count(q, forced=forced, timeout=timeout)


def presence(q: Qualification, *, timeout: float | None = None) -> dict[str, int]:
    """How many pathways of ``q`` hold each unit, by the engine that counts it.

    The tree programme answers one cached count per unit; the unit-type programme all of
    them in one pass and one walk back (:func:`~solver.exact.interchangeable.presence_types`),
    and the frontier programme in one counting pass and one pass back through its tables
    (:func:`~solver.exact.frontier.presence`); where those give up (tables too large), one
    exact count per unit, within ``timeout`` for them all.

    Raises
    ------
    NotSupported
        When no exact engine counts ``q``.
    TimeoutError
        When ``timeout`` passes.

    Examples
    --------
    >>> from solver.model import bundled_rules, load_qualification
    >>> presence(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))["promote-products"]
    1
    """
    choice = choose(q, Question.COUNT)
    deadline = None if timeout is None else time.monotonic() + timeout
    if choice.engine is not None and choice.engine.name == "tree":
        engine = tree.Engine(q, kernel.COUNT)
        return {u: engine.solve({u: True}) for u in q.unit_ids()}
    if choice.engine is not None and choice.engine.name == "frontier":
        try:
            return frontier.presence(q, timeout=timeout)[1]
        except frontier.NotSupported:
            pass  # its tables would be too large: the counts one by one may still be taken
    if choice.engine is not None and choice.engine.name == "types":
        try:
            return presence_types(q, deadline=deadline)[1]
        except kernel.NotSupported:
            pass  # its tables grew too large: the counts one by one may still finish
    found = {}
    for u in q.unit_ids():
        left = None if deadline is None else max(0.0, deadline - time.monotonic())
        found[u] = solve(q, kernel.COUNT, forced={u: True}, timeout=left)
    return found


def _frontier(q: Qualification, ring: kernel.Semiring[Any], forced: Mapping[str, bool] | None,
              timeout: float | None) -> Any:
    if ring.counting:
        return frontier.count(q, forced=forced, timeout=timeout)
    costs = {u: ring.unit(u)[0] for u in q.unit_ids()}
    found = frontier.optimum(q, costs, forced=forced, timeout=timeout)
    if found is None:
        return ring.zero
    best, ties, _first = found
    return (best, ties)

