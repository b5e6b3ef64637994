"""What the importer asks a designer to review, and the check it runs on what it imported.

Examples
--------
>>> item = ReviewItem(kind=ReviewKind.UNUSED, where=Where(page=2, line=14), text="Units may be imported.")
>>> print(item)
page 2, line 14: not used: Units may be imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..answers.cheapest import cheapest_pathways
from ..answers.count import count_pathways
from ..answers.feasible import check_feasible
from ..model import Group, Qualification, Requirement, Unit, format_number, validate
from .lines import Where

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

    The answers come from qualpath's public API, imported here on first use, so the
    importer itself stays a model-level package.

    Examples
    --------
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> c = check_imported(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> c.valid, c.achievable, c.pathways, c.minimal, c.mismatches
    (True, True, 4, 4, ())
    >>> c.declared[0]
    "The handbook's Units Required: 4 for Mandatory units checks out: it is the fewest units a pathway takes from it."
    """
    problems = validate(q)
    if problems:
        return Check(valid=False, problems=tuple(f"{e.location.path}: {e.message}" for e in problems))
    if not check_feasible(q).feasible:
        return Check(valid=True, achievable=False, pathways=0, minimal=0)
    counted = count_pathways(q, timeout=timeout)
    least = count_pathways(q, minimal=True, timeout=timeout)
    by = ["credits", "units"] if q.counts_credits() else ["units"]
    best = cheapest_pathways(q, by=by, timeout=timeout)
    cheapest = None if best.optimum is None else {
        "optimum": {k: (int(v) if v == int(v) else float(v)) for k, v in best.optimum.items()}, "ties": best.ties}
    declared, mismatches = _declared_figures(q, lambda r: cheapest_pathways(r, by="fee", timeout=timeout).optimum)
    return Check(valid=True, achievable=True, pathways=counted.pathways if counted.status == "complete" else None,
                 minimal=least.pathways if least.status == "complete" else None, cheapest=cheapest,
                 declared=tuple(declared), mismatches=tuple(mismatches))


def _below(node: Requirement) -> tuple[set[str], list[Group]]:
    groups = [node] if isinstance(node, Group) else [g for child in node.requirements for g in _below(child)[1]]
    return {u for g in groups for u in g.units}, groups


def _declared_figures(q: Qualification, cheapest: Callable[[Qualification], Any]) -> tuple[list[str], list[str]]:
    """Each declared figure against what the rules imply: (those that check out, those that do not)."""

    def fewest(inside: set[str] | None, measure: str) -> Decimal | None:
        # the fewest credits (or units) a pathway takes from ``inside``: the cheapest pathway when only
        # those units cost anything, priced through the fee
        def price(u: Unit) -> Decimal:
            if inside is not None and u.id not in inside:
                return Decimal(0)
            return Decimal(1) if measure == "units" else (u.credits or Decimal(0))

        best = cheapest(dataclasses.replace(q, units=tuple(dataclasses.replace(u, fee=price(u)) for u in q.units)))
        return None if best is None else Decimal(best["fee"])

    listed: dict[str, int] = {}
    for g in q.iter_groups():
        for uid in set(g.units):
            listed[uid] = listed.get(uid, 0) + 1
    ok: list[str] = []
    bad: list[str] = []

    def compare(name: str, words: str, stated: Decimal | int, found: Decimal | None, meaning: str) -> None:
        if found is None or found != stated:
            bad.append(f"The handbook states {words}: {format_number(stated)} for {name}, but {meaning} is "
                       f"{'not reached by any pathway' if found is None else format_number(found)}.")
        else:
            ok.append(f"The handbook's {words}: {format_number(stated)} for {name} checks out: it is {meaning}.")

    for node in q.iter_requirements():
        d, name = node.declared, node.title or node.id
        if d is None:
            continue
        units, groups = _below(node)
        if sum(len(set(g.units)) for g in groups) != sum(listed[u] for u in units) or any(
                g.double_counting for g in groups):
            bad.append(f"The figures declared for {name} were not checked: some of its units are also listed "
                       "elsewhere, so what it counts depends on which group each unit counts towards.")
            continue
        if d.credits is not None:
            if isinstance(node, Group) and node.mandatory:
                whole = sum((q.unit(u).credits or Decimal(0) for u in node.units), Decimal(0))
                compare(name, "Credit Value", d.credits, whole, "the sum of its units' credits")
            else:
                compare(name, "Credit Value", d.credits, fewest(units, "credits"),
                        "the fewest credits a pathway takes from it")
        if d.units is not None:
            compare(name, "Units Required", d.units, fewest(units, "units"), "the fewest units a pathway takes from it")
    if q.declared is not None:
        for key, words, measure in (("min_credits", "Minimum Credit Value", "credits"),
                                    ("credits", "Credit Value", "credits"), ("units", "Units Required", "units")):
            value = getattr(q.declared, key)
            if value is not None:
                compare(q.title, words, value, fewest(None, measure), f"the fewest {measure} of any pathway")
    return ok, bad
