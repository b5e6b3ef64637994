"""The one-page answer a designer wants first, as data.

:func:`summarise` gathers what ``qualpath report`` prints: whether the
structure can be achieved (and if not, which rules clash), how many
pathways and minimal pathways it has, the cheapest pathways by credits and
by units with their ties, and the units in every pathway or in none.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import exact
from ..model.results import NOT_KNOWN, CountResult, Optimum, Status
from ..model.structure import Qualification
from .cheapest import cheapest_pathways
from .count import count_pathways
from .feasible import Feasibility, FeasibilityStatus, check_feasible, exact_feasible

__all__ = ["MINIMAL_SHARE", "Summary", "exact_feasible", "summarise", "unit_presence"]


#: The share of a summary's time limit a minimal count may take when no exact engine counts
#: minimal pathways (its search rarely finishes on such structures; the rest of the page should).
MINIMAL_SHARE = 0.1


def unit_presence(q: Qualification, *, timeout: float | None = None) -> dict[str, int] | None:
    """How many pathways hold each unit (``None`` when only enumeration could tell, or not in time)."""
    try:
        return exact.presence(q, timeout=timeout)
    except (exact.NotSupported, TimeoutError):
        return None


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """Everything ``qualpath report`` shows about one qualification."""

    qualification: Qualification
    feasibility: Feasibility
    count: CountResult | None
    minimal: CountResult | None
    by_credits: Optimum | None
    by_units: Optimum | None
    per_unit: Mapping[str, int] | None

    @property
    def always(self) -> tuple[str, ...]:
        """Units in every pathway (none are claimed from a count that did not finish)."""
        count = self.count
        if self.per_unit is None or count is None or count.status is not Status.COMPLETE or count.pathways == 0:
            return ()
        return tuple(u for u, n in self.per_unit.items() if n == count.pathways)

    @property
    def never(self) -> tuple[str, ...]:
        """Units in no pathway."""
        if self.per_unit is None:
            return ()
        return tuple(u for u, n in self.per_unit.items() if n == 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        q = self.qualification
        return {
            "qualification": q.id,
            "title": q.title,
            "feasible": None if self.feasibility.feasible is NOT_KNOWN else self.feasibility.feasible,
            "feasibility": self.feasibility.to_dict(),
            "pathways": None if self.count is None else self.count.pathways,
            "minimal_pathways": None if self.minimal is None else self.minimal.pathways,
            "count": None if self.count is None else self.count.to_dict(),
            # with its status: a search stopped at the limit gives a lower bound, not the number
            "minimal": None if self.minimal is None else self.minimal.to_dict(),
            "cheapest_by_credits": None if self.by_credits is None else self.by_credits.to_dict(),
            "cheapest_by_units": None if self.by_units is None else self.by_units.to_dict(),
            "always": list(self.always),
            "never": list(self.never),
        }


def summarise(q: Qualification, *, timeout: float | None = 60.0) -> Summary:
    """Gather the one-page summary of ``q`` within ``timeout`` seconds in all.

    Each step gets what is left of the limit; a step that runs out says it is
    partial (counts are lower bounds, a cheapest pathway only the best found), and
    a structure not decided in time is reported undecided with nothing else.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> s = summarise(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> s.count.pathways, s.by_units.optimum, len(s.always)
    (4, {'units': 5}, 4)
    """
    deadline = None if timeout is None else time.monotonic() + timeout

    def left() -> float | None:
        return None if deadline is None else max(0.0, deadline - time.monotonic())

    feasibility = check_feasible(q, is_feasible=exact_feasible, timeout=left())
    if feasibility.status is FeasibilityStatus.UNDECIDED:
        return Summary(qualification=q, feasibility=feasibility, count=None, minimal=None, by_credits=None,
                       by_units=None, per_unit=None)
    if feasibility.status is FeasibilityStatus.INFEASIBLE:
        return Summary(qualification=q, feasibility=feasibility, count=None, minimal=None, by_credits=None,
                       by_units=None, per_unit={u: 0 for u in q.unit_ids()})
    # the exact answers first; a minimal count that only a search can give comes last, with a share
    count = count_pathways(q, timeout=left())
    uses_credits = q.counts_credits()
    by_credits = cheapest_pathways(q, by=["credits", "units"], timeout=left()) if uses_credits else None
    by_units = cheapest_pathways(q, by=["units", "credits"] if uses_credits else ["units"], timeout=left())
    per_unit = unit_presence(q, timeout=left())
    share = left()
    if exact.choose(q, exact.Question.MINIMAL).engine is None and timeout is not None and share is not None:
        share = min(share, MINIMAL_SHARE * timeout)
    minimal = count_pathways(q, minimal=True, timeout=share)
    return Summary(qualification=q, feasibility=feasibility, count=count, minimal=minimal, by_credits=by_credits,
                   by_units=by_units, per_unit=per_unit)
