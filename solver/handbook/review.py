"""What the importer asks a designer to review, and the check it runs on what it imported.

Examples
--------
>>> item = ReviewItem(kind=ReviewKind.UNUSED, where=Where(page=2, line=14), text="Units may be imported.")
>>> print(item)
page 2, line 14: not used: Units may be imported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from solver.model import Qualification

from .sources import Where

__all__ = ["Check", "ImportResult", "ReviewItem", "ReviewKind", "check_imported", "format_review"]


class ReviewKind(StrEnum):
    """Why an item needs a designer's eye."""

    UNUSED = "not used"
    INFERRED = "inferred"
    CONFLICT = "conflict"
    DECLARED = "declared figure"
    NOTE = "note"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewItem:
    """One thing to review: what kind, where in the handbook, and the words concerned."""

    kind: ReviewKind
    where: Where
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.kind.value}: {self.text}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"kind": self.kind.value, "where": str(self.where), "text": self.text}


@dataclass(frozen=True, slots=True, kw_only=True)
class Check:
    """The check run on an imported structure: valid, achievable, counts, cheapest, declared figures."""

    valid: bool
    problems: tuple[str, ...] = ()
    achievable: bool | None = None
    pathways: int | None = None  # None when the count was cut short by the timeout
    minimal: int | None = None
    cheapest: dict[str, Any] | None = None
    declared: tuple[str, ...] = ()
    mismatches: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"valid": self.valid, "problems": list(self.problems), "achievable": self.achievable,
                "pathways": self.pathways, "minimal": self.minimal, "cheapest": self.cheapest,
                "declared": list(self.declared), "mismatches": list(self.mismatches)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportResult:
    """A handbook read into a qualification, with where each part came from and what to review.

    ``sources`` maps document paths (``units[3]``, ``requirements[1].min_credits``) to the
    place in the handbook each value was read from; ``skipped`` holds prose that states no
    figure, unit or rule (kept out of the review list).
    """

    qualification: Qualification
    source: str
    kind: str
    sources: dict[str, Where] = field(default_factory=dict)
    review: tuple[ReviewItem, ...] = ()
    skipped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def format_review(items: tuple[ReviewItem, ...] | list[ReviewItem]) -> str:
    """The review list as text, one item a line (``nothing to review`` when empty).

    >>> format_review([])
    'Review: nothing to review (every sentence and table row was used).'
    """
    if not items:
        return "Review: nothing to review (every sentence and table row was used)."
    head = f"Review: {len(items)} item{'s' if len(items) != 1 else ''}"
    return "\n".join([head, *(f"  {item}" for item in items)])


def check_imported(q: Qualification, *, timeout: float = 10.0) -> Check:
    """Validate an imported structure, then say whether it is achievable, count it and check declared figures.

    The answers come from qualpath's public API (imported here, on first use, so
    the importer itself stays a model-level module).

    Examples
    --------
    >>> from solver.load import bundled_rules, load_qualification
    >>> c = check_imported(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> c.valid, c.achievable, c.pathways, c.minimal, c.mismatches
    (True, True, 4, 4, ())
    """
    from solver.validate import validate

    problems = validate(q)
    if problems:
        return Check(valid=False, problems=tuple(f"{e.location.path}: {e.message}" for e in problems))
    from solver import cheapest_pathways, check_feasible, count_pathways
    from solver.lint import lint  # the declared-figure checks of `qualpath lint`

    feasible = check_feasible(q).feasible
    if not feasible:
        return Check(valid=True, achievable=False, pathways=0, minimal=0)
    counted = count_pathways(q, timeout=timeout)
    least = count_pathways(q, minimal=True, timeout=timeout)
    pathways = counted.pathways if counted.status == "complete" else None
    minimal = least.pathways if least.status == "complete" else None
    by = ["credits", "units"] if q.counts_credits() else ["units"]
    best = cheapest_pathways(q, by=by, timeout=timeout)
    cheapest = None if best.optimum is None else {
        "optimum": {k: (int(v) if v == int(v) else float(v)) for k, v in best.optimum.items()}, "ties": best.ties}
    findings = lint(q, severity="info", timeout=timeout).findings
    declared = tuple(f.message for f in findings if f.code == "declared-ok")
    mismatches = tuple(f.message for f in findings if f.code in ("declared-mismatch", "not-checked"))
    return Check(valid=True, achievable=True, pathways=pathways, minimal=minimal, cheapest=cheapest,
                 declared=declared, mismatches=mismatches)
