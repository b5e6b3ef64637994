"""Domain results: what the solving stages return, never raw solver dictionaries.

Every result has ``to_dict()`` (JSON-ready, keys in a fixed order, credit
totals as exact numbers) and a readable ``repr``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from typing import Any

from .numbers import whole_numbers
from .structure import Qualification, format_number

__all__ = [
    "Breakdown",
    "CountResult",
    "Method",
    "Optimum",
    "Pathway",
    "PathwayMaker",
    "Status",
    "json_number",
]


class Method(StrEnum):
    """How an answer was computed."""

    DYNAMIC_PROGRAMMING = "dynamic-programming"
    """Exact dynamic programming over the requirement tree (no enumeration)."""
    TYPE_DYNAMIC_PROGRAMMING = "type-dynamic-programming"
    """Exact dynamic programming over types of interchangeable units (overlapping pools)."""
    FRONTIER_DYNAMIC_PROGRAMMING = "frontier-dynamic-programming"
    """Exact dynamic programming unit by unit, carrying the units barred sets and prerequisites still couple."""
    PRODUCT = "product"
    """Streaming each group's valid subsets, combined through exact completion tables."""
    SEARCH = "search"
    """Depth-first search over units with exact pruning (qualpath's own)."""
    CONSTRAINT_ENUMERATION = "constraint-enumeration"
    """python-constraint enumerating solutions, de-duplicated into pathways."""

    def __str__(self) -> str:
        return self.value


class Status(StrEnum):
    """Whether an answer is complete."""

    COMPLETE = "complete"
    INFEASIBLE = "infeasible"
    PARTIAL = "partial"
    """A limit or timeout stopped the work; what is reported is a lower bound / prefix."""

    def __str__(self) -> str:
        return self.value


def json_number(value: Decimal | int | None) -> int | float | None:
    """A number for JSON: an ``int`` when whole, else a float written from its exact decimal.

    >>> json_number(Decimal("45")), json_number(Decimal("7.5"))
    (45, 7.5)
    """
    if value is None:
        return None
    text = format_number(value)
    return int(text) if "." not in text else float(text)


@dataclass(frozen=True, slots=True, kw_only=True)
class Pathway:
    """A set of units that satisfies every rule, with its totals.

    ``units`` lists every unit id of the pathway (mandatory ones included) in
    candidate-unit order.
    """

    units: tuple[str, ...]
    credits: Decimal = Decimal(0)
    glh: Decimal = Decimal(0)
    fee: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)

    @classmethod
    def of(cls, q: Qualification, units: Iterable[str]) -> Pathway:
        """The pathway holding ``units`` of ``q``, with its totals computed."""
        return PathwayMaker(q)(units)

    @classmethod
    def _of(cls, q: Qualification, units: Iterable[str]) -> Pathway:
        chosen = set(units)
        order = [u for u in q.unit_ids() if u in chosen]
        order += sorted(chosen.difference(order))

        def total(name: str) -> Decimal:
            return sum((getattr(q.unit(u), name) or Decimal(0) for u in order if q.has_unit(u)), Decimal(0))

        return cls(units=tuple(order), credits=total("credits"), glh=total("glh"), fee=total("fee"),
                   hours=total("hours"))

    @property
    def unit_count(self) -> int:
        """How many units the pathway holds."""
        return len(self.units)

    def total(self, criterion: str) -> Decimal | int:
        """The pathway's total for a criterion: ``credits``, ``units``, ``glh``, ``fee`` or ``hours``."""
        if criterion == "units":
            return self.unit_count
        value: Decimal = getattr(self, criterion)
        return value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``units``, ``credits``, ``unit_count``, ``glh``, ``fee``."""
        return {"units": list(self.units), "credits": json_number(self.credits),
                "unit_count": self.unit_count, "glh": json_number(self.glh), "fee": json_number(self.fee)}

    def __repr__(self) -> str:
        return f"Pathway({self.unit_count} units, {format_number(self.credits)} credits: {', '.join(self.units)})"


class PathwayMaker:
    """Builds :class:`Pathway` objects for one qualification fast (for streams of millions).

    Unit values are looked up once; a pathway whose units come in candidate order (as every
    engine yields them) is summed without re-sorting.
    """

    def __init__(self, q: Qualification) -> None:
        self.q = q
        self.rank = {u: i for i, u in enumerate(q.unit_ids())}
        zero = Decimal(0)
        columns = [{u.id: getattr(u, name) or zero for u in q.units} for name in ("credits", "glh", "fee", "hours")]
        # whole numbers add faster than Decimals: each total is summed scaled, divided once
        scaled = [whole_numbers(column.values()) for column in columns]
        self.scales = [scale for _w, scale in scaled]
        self.values = {u.id: tuple(whole[i] for whole, _s in scaled) for i, u in enumerate(q.units)}

    def __call__(self, units: Iterable[str]) -> Pathway:
        """The pathway holding ``units``, in candidate order, with its totals."""
        chosen = tuple(units)
        rank = self.rank
        if any(u not in rank for u in chosen) or any(
                rank[a] >= rank[b] for a, b in pairwise(chosen)):
            return Pathway._of(self.q, chosen)
        return self.ordered(chosen)

    def ordered(self, chosen: tuple[str, ...]) -> Pathway:
        """The pathway of ``chosen``, which must be known unit ids in candidate order (unchecked).

        Every engine yields its pathways so; this skips the check for streams of millions.
        """
        credits = glh = fee = hours = 0
        values = self.values
        for uid in chosen:
            c, g, f, h = values[uid]
            credits += c
            glh += g
            fee += f
            hours += h
        s_c, s_g, s_f, s_h = self.scales
        return Pathway(units=chosen, credits=_exact(credits, s_c), glh=_exact(glh, s_g), fee=_exact(fee, s_f),
                       hours=_exact(hours, s_h))


def _exact(total: int, scale: int) -> Decimal:
    return Decimal(total) if scale == 1 else Decimal(total) / Decimal(scale)


@dataclass(frozen=True, slots=True, kw_only=True)
class CountResult:
    """How many pathways a qualification has (or minimal pathways), and how that was found."""

    qualification: str
    pathways: int
    minimal: bool = False
    method: Method = Method.DYNAMIC_PROGRAMMING
    status: Status = Status.COMPLETE
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``qualification``, ``pathways``, ``minimal``, ``method``, ``status``."""
        out: dict[str, Any] = {"qualification": self.qualification, "pathways": self.pathways,
                               "minimal": self.minimal, "method": self.method.value,
                               "status": self.status.value}
        if self.note:
            out["note"] = self.note
        return out

    def __repr__(self) -> str:
        what = "minimal pathways" if self.minimal else "pathways"
        partial = " (partial: at least)" if self.status is Status.PARTIAL else ""
        return f"CountResult({self.qualification}: {self.pathways:,} {what}{partial}, by {self.method.value})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Breakdown:
    """Where the pathways are: by total credits, by credits per group, and per unit."""

    qualification: str
    pathways: int
    by_credits: Mapping[Decimal, int]
    by_group_credits: Mapping[str, Mapping[Decimal, int]]
    per_unit: Mapping[str, int]
    method: Method = Method.DYNAMIC_PROGRAMMING

    @property
    def always(self) -> tuple[str, ...]:
        """Units in every pathway (empty when there are no pathways)."""
        if not self.pathways:
            return ()
        return tuple(u for u, n in self.per_unit.items() if n == self.pathways)

    @property
    def never(self) -> tuple[str, ...]:
        """Units in no pathway (dead units)."""
        return tuple(u for u, n in self.per_unit.items() if n == 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; histogram keys are credit totals written as text."""
        return {
            "qualification": self.qualification,
            "pathways": self.pathways,
            "method": self.method.value,
            "by_credits": {format_number(k): v for k, v in sorted(self.by_credits.items())},
            "by_group_credits": {g: {format_number(k): v for k, v in sorted(h.items())}
                                 for g, h in self.by_group_credits.items()},
            "per_unit": dict(self.per_unit),
            "always": list(self.always),
            "never": list(self.never),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Optimum:
    """The proven cheapest pathways by a list of criteria (lexicographic), with ties and runners-up."""

    qualification: str
    objective: tuple[str, ...]
    optimum: Mapping[str, Decimal | int] | None
    ties: int | None
    """How many pathways reach the optimum; ``None`` when asked not to count them."""
    pathways: tuple[Pathway, ...]
    method: Method = Method.DYNAMIC_PROGRAMMING
    proof: str = ""
    status: Status = Status.COMPLETE
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``qualification``, ``objective``, ``optimum``, ``ties``, ``pathways``, ..."""
        optimum = None if self.optimum is None else {k: json_number(v) for k, v in self.optimum.items()}
        return {
            "qualification": self.qualification,
            "objective": list(self.objective),
            "optimum": optimum,
            "ties": self.ties,
            "pathways": [p.to_dict() for p in self.pathways],
            "status": self.status.value,
            "method": self.method.value,
            "proof": self.proof,
            "include": list(self.include),
            "exclude": list(self.exclude),
        }

    def __repr__(self) -> str:
        if self.optimum is None:
            return f"Optimum({self.qualification}: no pathway)"
        best = ", ".join(f"{k} {format_number(v)}" for k, v in self.optimum.items())
        return f"Optimum({self.qualification}: {best}; {_tied(self.ties)}; {len(self.pathways)} shown)"


def _tied(ties: int | None) -> str:
    return "ties not counted" if ties is None else f"{ties:,} tied"
