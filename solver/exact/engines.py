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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..model.structure import Qualification
from . import kernel, minplus, product, search

__all__ = ["ENGINES", "Choice", "EngineInfo", "Question", "choose", "engine"]


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


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The engine chosen for a question (``None``: no exact engine takes it) and those passed over."""

    question: Question
    engine: EngineInfo | None
    passed_over: tuple[tuple[str, str], ...]
    """(engine name, why it does not take the structure), in the order tried."""

    def note(self) -> str:
        """Why the last exact engine tried was passed over, as results word it; empty when none was."""
        return f"fast path not used: {self.passed_over[-1][1]}" if self.passed_over else ""


def _types_supports(q: Qualification) -> str | None:
    coupled = kernel.coupled_units(q)
    if len(coupled) > kernel.MAX_CONDITIONED_UNITS:
        return (f"barred sets and prerequisites mention {len(coupled)} units "
                f"(more than {kernel.MAX_CONDITIONED_UNITS})")
    return None


#: Every exact engine, fastest first for the questions it shares with others.
ENGINES: tuple[EngineInfo, ...] = (
    EngineInfo(name="tree", method="dynamic-programming", module="solver.exact.tree", supports=kernel.supports,
               answers=frozenset({Question.COUNT})),
    EngineInfo(name="types", method="type-dynamic-programming", module="solver.exact.interchangeable",
               supports=_types_supports, answers=frozenset({Question.COUNT})),
    EngineInfo(name="minimal", method="dynamic-programming", module="solver.exact.minimal", supports=kernel.supports,
               answers=frozenset({Question.MINIMAL})),
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
    """The first of ``engines`` that answers ``question`` and takes ``q``, and the reasons for the others."""
    passed: list[tuple[str, str]] = []
    for info in engines:
        if question not in info.answers:
            continue
        reason = info.supports(q)
        if reason is None:
            return Choice(question=question, engine=info, passed_over=tuple(passed))
        passed.append((info.name, reason))
    return Choice(question=question, engine=None, passed_over=tuple(passed))
