"""Decide whether the rules can all hold together, and if not, which of them clash.

:func:`check_feasible` answers with a :class:`Feasibility`: an example
pathway when there is one, else a *minimal* set of clashing rules (remove any
one of them and the rest can hold), found by deletion filtering: go through
the rules of :func:`solver.model.rules.iter_rules` in file order, drop each one for
good if the structure is still infeasible without it (:func:`solver.model.rules.relax`),
keep it otherwise. Which engine decides each step is pluggable.

Deciding can take longer than anyone will wait (structures the general engine
must search). Past ``timeout`` the answer is *undecided*, its own outcome
(``qualpath check`` exits 3 for it), never "cannot be achieved"; a set of
clashing rules whose minimising ran out of time is still a set that clashes,
marked ``conflict_minimal = False``.

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

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .. import exact
from ..csp.problem import compile_problem
from ..csp.stream import iter_csp_pathways
from ..model.results import NOT_KNOWN, NotKnown
from ..model.rules import RuleRef, iter_rules, relax
from ..model.structure import Qualification
from .cheapest import first_pathway
from .pathways import iter_pathways

__all__ = ["FEASIBILITY_TIMEOUT", "Feasibility", "FeasibilityStatus", "check_feasible", "csp_is_feasible",
           "exact_feasible"]

#: Seconds deciding may take before the answer is "undecided" (``qualpath check --timeout``).
FEASIBILITY_TIMEOUT = 60.0

#: The name :attr:`Feasibility.method` gives the default engine.
CSP_METHOD = "constraint-search"


class FeasibilityStatus(StrEnum):
    """Whether some pathway exists."""

    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNDECIDED = "undecided"
    """Not decided within the time limit: neither answer is known."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Feasibility:
    """The answer of :func:`check_feasible`.

    ``feasible`` is :data:`NOT_KNOWN` when undecided (``status`` says so too).
    ``example`` is the first pathway in the documented order when feasible
    (``None`` if it was not found within the limit); ``conflict`` a set of
    clashing rules when not (file order), minimal unless ``conflict_minimal`` is
    false; ``method`` the engine that decided.
    """

    qualification: str
    feasible: bool | NotKnown
    status: FeasibilityStatus
    example: frozenset[str] | None
    conflict: tuple[RuleRef, ...]
    method: str
    conflict_minimal: bool = True
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``qualification``, ``status``, ``example`` (sorted ids), ``conflict``, ``method``, ..."""
        return {"qualification": self.qualification, "status": self.status.value,
                "example": sorted(self.example) if self.example is not None else None,
                "conflict": [r.to_dict() for r in self.conflict], "conflict_minimal": self.conflict_minimal,
                "method": self.method, "note": self.note}

    def __str__(self) -> str:
        if self.status is FeasibilityStatus.UNDECIDED:
            return f"{self.qualification}: undecided (by {self.method}): {self.note}"
        if self.status is FeasibilityStatus.FEASIBLE:
            size = len(self.example) if self.example is not None else 0
            return f"{self.qualification}: feasible (by {self.method}); e.g. a pathway of {size} units"
        lines = [f"{self.qualification}: infeasible (by {self.method}); these "
                 f"{len(self.conflict)} rules cannot all hold (drop any one and the rest can):"]
        lines += [f"  {rule}" for rule in self.conflict]
        return "\n".join(lines)

    def __repr__(self) -> str:
        if self.status is FeasibilityStatus.UNDECIDED:
            return f"Feasibility({self.qualification}: undecided, by {self.method})"
        if self.status is FeasibilityStatus.FEASIBLE:
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


def exact_feasible(q: Qualification, *, deadline: float | None = None) -> bool:
    """Whether any pathway exists: an exact engine's least cost, else python-constraint's search.

    With a ``deadline`` the exact engine has half the time left; the search has the rest
    when it does not decide (a pathway is often quick to find where the tables are large).

    Parameters
    ----------
    q
        The structure.
    deadline
        A :func:`time.monotonic` value; default :data:`FEASIBILITY_TIMEOUT` seconds from now.

    Raises
    ------
    TimeoutError
        When neither has decided by ``deadline``.
    """
    try:
        # a least cost (every unit free) exists exactly when a pathway does: the lightest
        # table any exact engine keeps, and it reads units several groups list (issue 14);
        # given half the time, so that a search may still find a pathway where its tables are large
        half = None if deadline is None else max(0.0, deadline - time.monotonic()) / 2
        return exact.least(q, {}, timeout=half) is not None
    except (exact.NotSupported, TimeoutError):
        if deadline is None:
            deadline = time.monotonic() + FEASIBILITY_TIMEOUT
        return next(compile_problem(q).iter_solutions(deadline=deadline), None) is not None


def check_feasible(
    q: Qualification, *, is_feasible: Callable[[Qualification], bool] | None = None,
    timeout: float | None = None,
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
        a tenth of a second). A predicate that raises :class:`TimeoutError` leaves the
        answer undecided.
    timeout : float, optional
        Seconds for the whole question (with the default or :func:`exact_feasible`);
        past it the answer is undecided, or the clash found so far is returned unminimised.

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
    deadline = None if timeout is None else time.monotonic() + timeout
    decide: Callable[[Qualification], bool]
    if is_feasible is None:
        method = CSP_METHOD

        def decide(x: Qualification) -> bool:
            found = next(iter_csp_pathways(x, deadline=deadline), None)
            return found is not None
    elif is_feasible is exact_feasible:
        method = "exact_feasible"

        def decide(x: Qualification) -> bool:
            return exact_feasible(x, deadline=deadline)
    else:
        decide, method = is_feasible, getattr(is_feasible, "__name__", type(is_feasible).__name__)
    try:
        feasible = decide(q)
    except TimeoutError:
        return Feasibility(qualification=q.id, feasible=NOT_KNOWN, status=FeasibilityStatus.UNDECIDED,
                           example=None, conflict=(), method=method,
                           note=f"not decided within {_limit(timeout)} whether any pathway exists")
    if feasible:
        left = None if deadline is None else max(0.001, deadline - time.monotonic())
        example = _first_example(q, left)
        return Feasibility(qualification=q.id, feasible=True, status=FeasibilityStatus.FEASIBLE,
                           example=example, conflict=(), method=method,
                           note="" if example is not None else f"no example pathway was found within {_limit(timeout)}")
    rules = list(iter_rules(q))
    keep = list(rules)
    minimal = True
    for rule in rules:
        trial = [r for r in keep if r != rule]
        try:
            still_infeasible = not decide(relax(q, [r for r in rules if r not in trial]))
        except TimeoutError:
            minimal = False  # keep the rule: the set kept is still proven to clash
            continue
        if still_infeasible:
            keep = trial
    note = "" if minimal else f"the clash was not narrowed down to a minimal set within {_limit(timeout)}"
    return Feasibility(qualification=q.id, feasible=False, status=FeasibilityStatus.INFEASIBLE,
                       example=None, conflict=tuple(keep), method=method, conflict_minimal=minimal, note=note)


def _first_example(q: Qualification, timeout: float | None) -> frozenset[str] | None:
    """The first pathway in the documented order: from one exact pass where one takes ``q``, else the search.

    Both within ``timeout`` in all.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        units = first_pathway(q, timeout=timeout)
    except TimeoutError:
        units = None
    if units:
        return frozenset(units)
    try:
        left = None if deadline is None else max(0.001, deadline - time.monotonic())
        first = next(iter_pathways(q, limit=1, timeout=left), None)
    except TimeoutError:
        return None  # proven feasible; the first pathway in order was not found in time
    return frozenset(first.units) if first is not None else None


def _limit(timeout: float | None) -> str:
    return f"the {timeout:g} s limit" if timeout is not None else "the time limit"
