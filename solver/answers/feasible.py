"""Decide whether the rules can all hold together, and if not, which of them clash.

:func:`check_feasible` answers with a :class:`Feasibility`: an example
pathway when there is one, else a *minimal* set of clashing rules (remove any
one of them and the rest can hold), found by deletion filtering: go through
the rules of :func:`solver.model.rules.iter_rules` in file order, drop each one for
good if the structure is still infeasible without it (:func:`solver.model.rules.relax`),
keep it otherwise. Which engine decides each step is pluggable.

Examples
--------
>>> import dataclasses
>>> from decimal import Decimal
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> check_feasible(q).status.value
'feasible'
>>> too_much = dataclasses.replace(q, min_credits=Decimal(100))
>>> [r.label for r in check_feasible(too_much).conflict]
['C: max 7 credits', 'qualification: min 100 credits in total']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..csp.stream import iter_csp_pathways
from ..model.rules import RuleRef, iter_rules, relax
from ..model.structure import Qualification
from .pathways import iter_pathways

__all__ = ["Feasibility", "FeasibilityStatus", "check_feasible", "csp_is_feasible"]

#: The name :attr:`Feasibility.method` gives the default engine.
CSP_METHOD = "constraint-search"


class FeasibilityStatus(StrEnum):
    """Whether some pathway exists."""

    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"


@dataclass(frozen=True, slots=True, kw_only=True)
class Feasibility:
    """The answer of :func:`check_feasible`.

    ``example`` is the first pathway in the documented order when feasible;
    ``conflict`` a minimal set of clashing rules when not (file order);
    ``method`` the engine that decided.
    """

    qualification: str
    feasible: bool
    status: FeasibilityStatus
    example: frozenset[str] | None
    conflict: tuple[RuleRef, ...]
    method: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``qualification``, ``status``, ``example`` (sorted ids), ``conflict``, ``method``."""
        return {"qualification": self.qualification, "status": self.status.value,
                "example": sorted(self.example) if self.example is not None else None,
                "conflict": [r.to_dict() for r in self.conflict], "method": self.method}

    def __str__(self) -> str:
        if self.feasible:
            size = len(self.example) if self.example is not None else 0
            return f"{self.qualification}: feasible (by {self.method}); e.g. a pathway of {size} units"
        lines = [f"{self.qualification}: infeasible (by {self.method}); these "
                 f"{len(self.conflict)} rules cannot all hold (drop any one and the rest can):"]
        lines += [f"  {rule}" for rule in self.conflict]
        return "\n".join(lines)

    def __repr__(self) -> str:
        if self.feasible:
            return f"Feasibility({self.qualification}: feasible, by {self.method})"
        return (f"Feasibility({self.qualification}: infeasible, by {self.method}; conflict: "
                + "; ".join(str(r) for r in self.conflict) + ")")


def csp_is_feasible(q: Qualification) -> bool:
    """Whether the constraint engine finds any pathway of ``q``.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> csp_is_feasible(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    True
    """
    return next(iter_csp_pathways(q), None) is not None


def check_feasible(
    q: Qualification, *, is_feasible: Callable[[Qualification], bool] | None = None
) -> Feasibility:
    """Whether ``q`` has a pathway; if not, a minimal set of rules that clash.

    Parameters
    ----------
    q : Qualification
        The structure.
    is_feasible : callable, optional
        An exact predicate ``Qualification -> bool`` (it must accept relaxed
        copies, including ``at_least`` with ``k = 0``). Default:
        :func:`csp_is_feasible`. The example pathway is the first in the
        documented order, from the fastest engine that lists pathways
        (:func:`solver.answers.pathways.iter_pathways`; on 10,000 groups the
        constraint engine's search took a minute to find it, the search engine
        a tenth of a second).

    Returns
    -------
    Feasibility
        ``method`` names the engine: ``constraint-search`` or the predicate's name.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> r = check_feasible(q)
    >>> r.feasible, sorted(r.example)[0]
    (True, 'develop-relationships')
    """
    decide: Callable[[Qualification], bool]
    if is_feasible is None:
        decide, method = csp_is_feasible, CSP_METHOD
    else:
        decide, method = is_feasible, getattr(is_feasible, "__name__", type(is_feasible).__name__)
    if decide(q):
        first = next(iter_pathways(q, limit=1), None)
        example = frozenset(first.units) if first is not None else None
        return Feasibility(qualification=q.id, feasible=True, status=FeasibilityStatus.FEASIBLE,
                           example=example, conflict=(), method=method)
    rules = list(iter_rules(q))
    keep = list(rules)
    for rule in rules:
        trial = [r for r in keep if r != rule]
        if not decide(relax(q, [r for r in rules if r not in trial])):
            keep = trial
    return Feasibility(qualification=q.id, feasible=False, status=FeasibilityStatus.INFEASIBLE,
                       example=None, conflict=tuple(keep), method=method)
