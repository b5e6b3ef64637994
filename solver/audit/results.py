"""What an audit reports: the verdict, each rule's progress, and the ways to finish (see :mod:`solver.audit`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..model.results import Method, Pathway, Status, json_number
from ..model.structure import format_number

__all__ = ["Audit", "Completion", "Progress", "RequirementProgress"]


class Progress(StrEnum):
    """Where a learner stands on one rule, counting only what they have achieved."""

    MET = "met"
    NOT_YET = "not yet"
    EXCEEDED = "exceeded"
    """A maximum is passed: some achieved units cannot all count here."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class RequirementProgress:
    """One rule: what the achieved units count towards it, against its limits.

    ``held_*`` count the achieved units (a unit listed in several groups is
    placed as in the cheapest completion); ``after_*`` count the units of the
    cheapest completion (achieved and added), i.e. where the learner ends up.
    """

    rule: str
    """``group B``, ``all_of optional``, ``qualification`` or ``level_rules[0]``."""
    title: str
    wants: str
    """The rule in words (``min 16 credits``)."""
    held_units: tuple[str, ...]
    held_credits: Decimal
    after_units: int
    after_credits: Decimal
    status: Progress
    missing: tuple[str, ...] = ()
    """For a mandatory group: the units not yet achieved."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        return {"rule": self.rule, "title": self.title, "wants": self.wants, "status": self.status.value,
                "held_credits": json_number(self.held_credits), "held_units": list(self.held_units),
                "after_credits": json_number(self.after_credits), "after_units": self.after_units,
                "missing": list(self.missing)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Completion:
    """One way to finish: the units to add, what they cost, and the pathway they make."""

    add: tuple[str, ...]
    cost: Mapping[str, Decimal | int]
    pathway: Pathway

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``add``, ``cost``, ``pathway``."""
        return {"add": list(self.add), "cost": {k: json_number(v) for k, v in self.cost.items()},
                "pathway": self.pathway.to_dict()}


@dataclass(frozen=True, slots=True, kw_only=True)
class Audit:
    r"""A learner's standing on one qualification (see :mod:`solver.audit`).

    ``remaining`` is the proven least cost of the units still to add (``None``
    only when the structure has no pathway at all: ``status`` infeasible);
    ``completions`` lists the cheapest completion first, then alternatives,
    cheapest first, each adding a different set of units. ``ties`` counts the
    pathways ``P`` whose missing units ``P \ A`` cost exactly ``remaining``
    (two of them may add the same units and use different achieved ones);
    ``None`` when not counted (batch audits).
    """

    qualification: str
    held: tuple[str, ...]
    objective: tuple[str, ...]
    achieved: bool
    remaining: Mapping[str, Decimal | int] | None
    completions: tuple[Completion, ...]
    ties: int | None
    progress: tuple[RequirementProgress, ...]
    not_counting: tuple[str, ...]
    """Achieved units that count towards nothing: not in the qualification, or left out of
    every cheapest completion."""
    unknown: tuple[str, ...]
    """Achieved ids that are not units a pathway of this qualification can hold."""
    blocked: Mapping[str, tuple[str, ...]]
    """Units that can no longer help: each is barred with the achieved units listed."""
    method: Method = Method.DYNAMIC_PROGRAMMING
    status: Status = Status.COMPLETE
    proof: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> Completion | None:
        """The cheapest completion (``None`` when there is none)."""
        return self.completions[0] if self.completions else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        remaining = None if self.remaining is None else {k: json_number(v) for k, v in self.remaining.items()}
        return {
            "qualification": self.qualification,
            "held": list(self.held),
            "achieved": self.achieved,
            "objective": list(self.objective),
            "remaining": remaining,
            "completions": [c.to_dict() for c in self.completions],
            "ties": self.ties,
            "progress": [p.to_dict() for p in self.progress],
            "not_counting": list(self.not_counting),
            "unknown": list(self.unknown),
            "blocked": {u: list(v) for u, v in self.blocked.items()},
            "status": self.status.value,
            "method": self.method.value,
            "proof": self.proof,
            **dict(self.extra),
        }

    def __repr__(self) -> str:
        if self.remaining is None:
            return f"Audit({self.qualification}: no pathway)"
        if self.achieved:
            return f"Audit({self.qualification}: achieved)"
        left = ", ".join(f"{format_number(v)} {k}" for k, v in self.remaining.items())
        return f"Audit({self.qualification}: not achieved; {left} to add)"
