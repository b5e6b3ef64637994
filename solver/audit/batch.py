r"""Batch audits, vectorised: thousands of learners per numpy call, for product-shaped structures.

When every group must hold (no choices, no limits on combinations), every unit
is listed in exactly one group, nothing double-counts and there are no barred
sets or prerequisites (the shape :mod:`solver.exact.trace_back` and
:mod:`solver.exact.product` decompose), a learner's cheapest completion is a
min-plus programme that factorises group by group, exactly as in
:mod:`solver.exact.trace_back`:

* per group, a table of least cost by the group's *contribution* to the
  qualification-wide sums (credits, units, level rules; capped). Units are
  added one at a time to an array of shape ``(learners, states)``; a held unit
  costs ``-1`` and any other its price, so one numpy operation serves
  thousands of learners;
* a backward pass over the groups: ``best[j][p]``, the least cost of
  completing groups ``j..`` from running sums ``p``;
* a forward walk, unit by unit in candidate order, taking a unit whenever
  taking it still reaches the optimum: the first optimal pathway in the
  documented order, the completion :func:`solver.audit.audit` shows first.

A price is one ``int64``: the criteria (scaled to whole numbers, weighted so
the sum compares lexicographically), then the two hidden tie-breakers of
:func:`solver.audit.audit` (fewer units added, then more achieved units used).
Structures whose prices could overflow, or whose state boxes are too large,
are refused with :class:`FastNotSupported`; :class:`BatchAuditor` then falls
back to :class:`solver.audit.Auditor`, one learner at a time.

The code is split by what it does: :mod:`solver.audit.batch_tables` (the
structure as numpy tables), :mod:`solver.audit.batch_solve` (the programme,
:class:`FastAuditor`); this module holds :class:`BatchAuditor` and the rows it
reports, :class:`AuditSummary`.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> batch = BatchAuditor(q)
>>> s = batch.summaries([["resolve-problems", "develop-relationships", "support-improvements"]])[0]
>>> s.remaining, s.achieved, batch.fast
({'credits': Decimal('34')}, False, True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..answers.cheapest import parse_criteria
from ..answers.options import DEFAULT_TIMEOUT
from ..model.results import Method, Pathway, Status
from ..model.structure import Qualification
from .batch_solve import FastAuditor, Outcome
from .batch_tables import FastNotSupported
from .many import Auditor
from .progress import blocked_units, progress
from .results import Audit, Completion

__all__ = ["AuditSummary", "BatchAuditor", "FastAuditor", "FastNotSupported", "Outcome"]

_PROOF = "exact: dynamic programming over every pathway (least cost of the missing units)"


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditSummary:
    """One learner's row of a batch report: what :func:`solver.audit.audit` reports, in brief.

    ``counting`` are the achieved units the first cheapest completion uses
    (in the learner's order); ``not_counting`` the achieved units that count
    towards nothing (unknown, or used by no cheapest completion); ``blocked``
    the units barred with some achieved unit; ``not_met`` the progress rows
    whose status is not ``met``.
    """

    qualification: str
    held: tuple[str, ...]
    objective: tuple[str, ...]
    achieved: bool
    remaining: Mapping[str, Decimal | int] | None
    add: tuple[str, ...]
    counting: tuple[str, ...]
    not_counting: tuple[str, ...]
    unknown: tuple[str, ...]
    blocked: tuple[str, ...]
    not_met: tuple[str, ...]
    status: Status

    @classmethod
    def of(cls, result: Audit) -> AuditSummary:
        """The summary of a full audit."""
        best = result.best
        return cls(qualification=result.qualification, held=result.held, objective=result.objective,
                   achieved=result.achieved, remaining=result.remaining, add=best.add if best else (),
                   counting=tuple(u for u in result.held if best is not None and u in best.pathway.units),
                   not_counting=result.not_counting, unknown=result.unknown, blocked=tuple(result.blocked),
                   not_met=tuple(p.rule for p in result.progress if p.status.value != "met"),
                   status=result.status)


class BatchAuditor:
    """Audit many learners against one structure: vectorised when it can be, else one by one.

    Parameters
    ----------
    q : Qualification
        The structure.
    by : str or sequence of str
        Criteria for the cost of what remains.
    cache : int
        Most held sets whose outcome is remembered (learners often hold the same units).
    timeout : float or None
        For the fallback (see :class:`solver.audit.Auditor`).
    """

    def __init__(self, q: Qualification, *, by: str | Sequence[str] = ("credits",), cache: int = 20_000,
                 timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.q = q
        self.criteria = parse_criteria(by)
        self.engine: FastAuditor | None
        try:
            self.engine = FastAuditor(q, by=self.criteria)
        except FastNotSupported as exc:
            self.engine = None
            self.reason = str(exc)
        self.fast = self.engine is not None
        self.candidates = frozenset(q.unit_ids())
        self._fallback: Auditor | None = None if self.fast else Auditor(q, by=self.criteria, timeout=timeout)
        self._cache: dict[frozenset[str], Outcome] = {}
        self._cache_size = cache

    def _outcomes(self, mines: Sequence[frozenset[str]]) -> list[Outcome]:
        engine = self.engine
        if engine is None:
            raise RuntimeError("no vectorised engine for this structure")
        cache = self._cache
        todo = [m for m in dict.fromkeys(mines) if m not in cache]
        solved = dict(zip(todo, engine.solve(todo)))
        out = [cache.get(m) or solved[m] for m in mines]
        if len(cache) + len(solved) > self._cache_size:
            cache.clear()  # flat memory: forget, rather than grow
        cache.update(solved)
        return out

    def summaries(self, learners: Iterable[Sequence[str]]) -> list[AuditSummary]:
        """Each learner's :class:`AuditSummary` (``learners``: each one's achieved unit ids)."""
        helds = [tuple(dict.fromkeys(a)) for a in learners]
        if not self.fast:
            return [AuditSummary.of(self.audit(h)) for h in helds]
        cand = self.candidates
        mines = [cand.intersection(h) for h in helds]
        q_id, criteria, complete = self.q.id, self.criteria, Status.COMPLETE
        out = []
        for held, mine, o in zip(helds, mines, self._outcomes(mines)):
            if len(mine) == len(held) and not o.unused and o.remaining is not None:  # the common case
                unknown: tuple[str, ...] = ()
                counting, not_counting = held, unknown
            else:
                unknown = tuple(u for u in held if u not in cand)
                lost = o.unused - o.could if o.remaining is not None else frozenset()
                counting = tuple(u for u in held if u in mine and u not in o.unused)
                not_counting = tuple(u for u in held if u not in cand or u in lost)
                if o.remaining is None:
                    counting = ()
            out.append(AuditSummary(
                qualification=q_id, held=held, objective=criteria, achieved=o.achieved, remaining=o.remaining,
                add=o.add, counting=counting, not_counting=not_counting, unknown=unknown, blocked=(),
                not_met=o.not_met, status=complete if o.remaining is not None else Status.INFEASIBLE))
        return out

    def audits(self, learners: Iterable[Sequence[str]]) -> list[Audit]:
        """Each learner's full :class:`Audit` (first completion only; ``ties`` is ``None``)."""
        helds = [tuple(dict.fromkeys(a)) for a in learners]
        if not self.fast:
            return [self.audit(h) for h in helds]
        mines = [self.candidates.intersection(h) for h in helds]
        return [self._audit(h, m, o) for h, m, o in zip(helds, mines, self._outcomes(mines))]

    def audit(self, achieved: Iterable[str]) -> Audit:
        """One learner's full :class:`Audit` (see :meth:`audits`)."""
        if self._fallback is not None:
            return self._fallback.audit(achieved)
        return self.audits([tuple(achieved)])[0]

    def _audit(self, held: tuple[str, ...], mine: frozenset[str], o: Outcome) -> Audit:
        q = self.q
        unknown = tuple(u for u in held if u not in self.candidates)
        common: dict[str, Any] = {"qualification": q.id, "held": held, "objective": self.criteria,
                                  "unknown": unknown, "blocked": blocked_units(q, mine) if q.barred else {}}
        if o.remaining is None:
            return Audit(achieved=False, remaining=None, completions=(), ties=None, progress=(),
                         not_counting=unknown, status=Status.INFEASIBLE, method=Method.DYNAMIC_PROGRAMMING,
                         proof="no pathway satisfies the rules", **common)
        lost = o.unused - o.could
        not_counting = tuple(u for u in held if u not in mine or u in lost)
        chosen = (mine - o.unused).union(o.add)
        completion = Completion(add=o.add, cost=o.remaining, pathway=Pathway.of(q, chosen))
        return Audit(achieved=o.achieved, remaining=o.remaining, completions=(completion,), ties=None,
                     progress=progress(q, mine, chosen), not_counting=not_counting,
                     method=Method.DYNAMIC_PROGRAMMING, proof=_PROOF, **common)
