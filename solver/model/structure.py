"""The typed, immutable model of a qualification structure.

The YAML rule language is exactly these classes: every YAML key is a field
name here, variants are told apart by ``kind``, and each field's
``metadata["doc"]`` is the text the JSON Schema and ``rules/README.md``
show. Change a model with :func:`dataclasses.replace`, never by mutation.

A *pathway* is a set of units that satisfies every rule. Each unit of a
pathway counts towards exactly one of the groups that list it (its
*allocation*), except that a group with ``double_counting: true`` sees every
pathway unit in its list whether or not that unit also counts elsewhere.

Examples
--------
>>> from decimal import Decimal
>>> u = Unit(id="U1", title="Deliver customer service", credits=Decimal(5), level=2)
>>> g = Group(id="A", title="Group A", units=("U1",), min_credits=Decimal(3))
>>> q = Qualification(id="Q", title="Demo", units=(u,), requirements=(g,))
>>> q.unit("U1").credits
Decimal('5')
>>> g.describe()
'min 3 credits'
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from .errors import Location

__all__ = [
    "Barred",
    "Combination",
    "Declared",
    "Element",
    "Group",
    "LevelRule",
    "Library",
    "Prerequisite",
    "Qualification",
    "Requirement",
    "Unit",
    "format_number",
]

_NOWHERE = Location(file="<memory>")


def _doc(text: str, **extra: object) -> dict[str, object]:
    return {"doc": text, **extra}


def _loc() -> Location:
    return field(default=_NOWHERE, compare=False, repr=False, metadata={"internal": True})


def format_number(value: Decimal | int) -> str:
    """Write a credit figure as a handbook would: ``45``, ``7.5``, never ``45.0``.

    >>> format_number(Decimal("45.0")), format_number(Decimal("7.50"))
    ('45', '7.5')
    """
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    """An element or learning outcome of a unit (an NVQ's ``1.1``, ``1.2``, ...)."""

    id: str = field(metadata=_doc("Its number or code, e.g. `1.1`."))
    title: str = field(metadata=_doc("What the learner does, as the handbook words it."))
    loc: Location = _loc()


@dataclass(frozen=True, slots=True, kw_only=True)
class Unit:
    """A unit (module, unit of competency, course) a learner can achieve."""

    id: str = field(
        metadata=_doc(
            "Stable id: an Ofqual unit reference (`Y/506/1938`), a training-package code "
            "(`SITXFSA005`) or a local code. Unique across the qualification and its libraries."
        )
    )
    title: str = field(metadata=_doc("The unit title as printed in the handbook."))
    credits: Decimal | None = field(
        default=None,
        metadata=_doc(
            "Credit value: a whole number or exact decimal (ECTS `7.5`). "
            "Leave out for structures without credits (NVQ units of competence)."
        ),
    )
    level: int | None = field(default=None, metadata=_doc("Level (UK RQF/QCF 1-8, Entry = 0; AQF level)."))
    glh: Decimal | None = field(default=None, metadata=_doc("Guided learning hours (UK)."))
    hours: Decimal | None = field(
        default=None, metadata=_doc("Nominal or total hours (Australian nominal hours, TQT).")
    )
    fee: Decimal | None = field(default=None, metadata=_doc("Fee charged for the unit, in any one currency."))
    elements: tuple[Element, ...] = field(
        default=(), metadata=_doc("Elements or learning outcomes, in handbook order.")
    )
    tags: tuple[str, ...] = field(default=(), metadata=_doc("Free labels, e.g. `contact-centre`."))
    equivalent: tuple[str, ...] = field(
        default=(),
        metadata=_doc("Ids of units (possibly in other qualifications) accepted in place of this one."),
    )
    loc: Location = _loc()


@dataclass(frozen=True, slots=True, kw_only=True)
class Declared:
    """Figures a handbook states about itself, recorded so they can be checked.

    They are never used to decide whether a pathway is valid.
    """

    credits: Decimal | None = field(
        default=None, metadata=_doc("The stated 'Credit Value' (e.g. Mandatory: 19).")
    )
    units: int | None = field(default=None, metadata=_doc("The stated 'Units Required'."))
    min_credits: Decimal | None = field(
        default=None, metadata=_doc("The stated 'Minimum Credit Value' of the whole qualification.")
    )
    loc: Location = _loc()


_LIMIT_DOCS = {
    "min_credits": "At least this many credits.",
    "max_credits": "At most this many credits.",
    "min_units": "At least this many units.",
    "max_units": "At most this many units.",
}


def _limit(name: str, kind: type) -> Decimal | int | None:
    return field(default=None, metadata=_doc(_LIMIT_DOCS[name]))


class _Limits:
    """Shared reading of the four limits (credits and units, min and max)."""

    __slots__ = ()
    min_credits: Decimal | None
    max_credits: Decimal | None
    min_units: int | None
    max_units: int | None

    def limits(self) -> dict[str, Decimal | int]:
        """The limits that are set, by name."""
        names = ("min_credits", "max_credits", "min_units", "max_units")
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    def describe_limits(self) -> str:
        """The limits in words, e.g. ``'min 16 credits, max 4 units'``."""
        parts = []
        for name, value in self.limits().items():
            bound, what = name.split("_")
            parts.append(f"{bound} {format_number(value)} {what[:-1] if value == 1 else what}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True, kw_only=True)
class Group(_Limits):
    """A list of units with rules on what is taken from it (mandatory or optional group)."""

    kind: Literal["group"] = field(default="group", metadata=_doc("Always `group`."))
    id: str = field(metadata=_doc("Short id used in messages and diagrams, e.g. `B`."))
    title: str = field(default="", metadata=_doc("Title as printed, e.g. `Optional Group B`."))
    units: tuple[str, ...] = field(default=(), metadata=_doc("Ids of the units in this group."))
    mandatory: bool = field(default=False, metadata=_doc("Every unit of the group must be achieved."))
    min_credits: Decimal | None = _limit("min_credits", Decimal)  # type: ignore[assignment]
    max_credits: Decimal | None = _limit("max_credits", Decimal)  # type: ignore[assignment]
    min_units: int | None = _limit("min_units", int)  # type: ignore[assignment]
    max_units: int | None = _limit("max_units", int)  # type: ignore[assignment]
    double_counting: bool = field(
        default=False,
        metadata=_doc(
            "Units counted here may also count towards another requirement. "
            "By default an achieved unit counts towards one requirement only."
        ),
    )
    declared: Declared | None = field(default=None, metadata=_doc("Figures the handbook states for this group."))
    loc: Location = _loc()

    def describe(self) -> str:
        """The group's rule in words, e.g. ``'min 16 credits'`` or ``'all 5 units'``."""
        if self.mandatory:
            words = f"all {len(self.units)} units"
            rest = self.describe_limits()
            return f"{words}, {rest}" if rest else words
        return self.describe_limits() or "any units"


@dataclass(frozen=True, slots=True, kw_only=True)
class Combination(_Limits):
    """Sub-requirements combined: all of them, any one of them, or at least ``k`` of them."""

    kind: Literal["all_of", "any_of", "at_least"] = field(
        metadata=_doc("`all_of`, `any_of` (at least one) or `at_least` (at least `k`).")
    )
    id: str = field(metadata=_doc("Short id used in messages and diagrams, e.g. `specialism`."))
    title: str = field(default="", metadata=_doc("Title as printed."))
    k: int | None = field(default=None, metadata=_doc("For `at_least`: how many sub-requirements must hold."))
    requirements: tuple[Requirement, ...] = field(
        default=(), metadata=_doc("The sub-requirements: groups or further combinations.")
    )
    min_credits: Decimal | None = _limit("min_credits", Decimal)  # type: ignore[assignment]
    max_credits: Decimal | None = _limit("max_credits", Decimal)  # type: ignore[assignment]
    min_units: int | None = _limit("min_units", int)  # type: ignore[assignment]
    max_units: int | None = _limit("max_units", int)  # type: ignore[assignment]
    declared: Declared | None = field(
        default=None, metadata=_doc("Figures the handbook states for this part (e.g. all optional units).")
    )
    loc: Location = _loc()

    def needed(self) -> int:
        """How many sub-requirements must hold."""
        if self.kind == "all_of":
            return len(self.requirements)
        if self.kind == "any_of":
            return 1
        return self.k or 0

    def describe(self) -> str:
        """The combination's rule in words."""
        words = {"all_of": "all of", "any_of": "any one of"}.get(self.kind, f"at least {self.k} of")
        rest = self.describe_limits()
        return f"{words} {len(self.requirements)}" + (f"; {rest}" if rest else "")


Requirement = Group | Combination


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelRule(_Limits):
    """A rule on the units at or above a level, or below it, across the whole qualification."""

    kind: Literal["at_or_above", "below"] = field(
        metadata=_doc("`at_or_above`: units of `level` or higher; `below`: units under `level`.")
    )
    level: int = field(metadata=_doc("The level the rule is about."))
    min_credits: Decimal | None = _limit("min_credits", Decimal)  # type: ignore[assignment]
    max_credits: Decimal | None = _limit("max_credits", Decimal)  # type: ignore[assignment]
    min_units: int | None = _limit("min_units", int)  # type: ignore[assignment]
    max_units: int | None = _limit("max_units", int)  # type: ignore[assignment]
    loc: Location = _loc()

    def applies_to(self, level: int | None) -> bool:
        """Whether a unit of ``level`` falls under the rule (units with no level never do)."""
        if level is None:
            return False
        return level >= self.level if self.kind == "at_or_above" else level < self.level

    def describe(self) -> str:
        """The rule in words, e.g. ``'min 36 credits at level 2 or above'``."""
        where = f"at level {self.level} or above" if self.kind == "at_or_above" else f"below level {self.level}"
        return f"{self.describe_limits()} {where}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Barred:
    """Units that may not be taken together: a pathway holds at most one of them."""

    units: tuple[str, ...] = field(metadata=_doc("Two or more unit ids; no two may be in one pathway."))
    reason: str = field(default="", metadata=_doc("Why, in the handbook's words (e.g. overlapping content)."))
    loc: Location = _loc()


@dataclass(frozen=True, slots=True, kw_only=True)
class Prerequisite:
    """A unit that may only be in a pathway that also holds other units."""

    unit: str = field(metadata=_doc("The unit that has prerequisites."))
    requires: tuple[str, ...] = field(default=(), metadata=_doc("Units that must all be in the pathway too."))
    requires_one_of: tuple[str, ...] = field(
        default=(),
        metadata=_doc("Units of which at least one must be in the pathway too (\"P INFO1110 or INFO1910\")."),
    )
    loc: Location = _loc()

    def holds(self, units: Collection[str]) -> bool:
        """Whether a set of units respects this prerequisite."""
        if self.unit not in units:
            return True
        if any(u not in units for u in self.requires):
            return False
        return not self.requires_one_of or any(u in units for u in self.requires_one_of)


@dataclass(frozen=True, slots=True, kw_only=True)
class Library:
    """A shared unit library: units defined once, used by several qualifications."""

    kind: Literal["library"] = field(default="library", metadata=_doc("Always `library`."))
    id: str = field(metadata=_doc("Name of the library."))
    title: str = field(default="", metadata=_doc("What the library holds."))
    units: tuple[Unit, ...] = field(default=(), metadata=_doc("The units."))
    loc: Location = _loc()


@dataclass(frozen=True, slots=True, kw_only=True)
class Qualification(_Limits):
    """A qualification (or programme) and its rules of combination."""

    kind: Literal["qualification"] = field(default="qualification", metadata=_doc("Always `qualification`."))
    id: str = field(metadata=_doc("Qualification number or code, e.g. `601/1234/5`, `SIT30821`."))
    title: str = field(metadata=_doc("Full title, e.g. `Level 2 Diploma in Customer Service`."))
    level: int | None = field(default=None, metadata=_doc("Level of the qualification."))
    awarding_body: str = field(default="", metadata=_doc("Awarding body, training package or university."))
    source: str = field(default="", metadata=_doc("Where the rules were taken from (document, page, URL)."))
    glh: Decimal | None = field(default=None, metadata=_doc("Guided learning hours of the qualification."))
    tqt: Decimal | None = field(default=None, metadata=_doc("Total qualification time, in hours."))
    library: tuple[str, ...] = field(
        default=(), metadata=_doc("Unit library files to use, relative to this file.")
    )
    units: tuple[Unit, ...] = field(default=(), metadata=_doc("Units defined in this file."))
    requirements: tuple[Requirement, ...] = field(
        default=(), metadata=_doc("The rules of combination; all of them must hold.")
    )
    min_credits: Decimal | None = _limit("min_credits", Decimal)  # type: ignore[assignment]
    max_credits: Decimal | None = _limit("max_credits", Decimal)  # type: ignore[assignment]
    min_units: int | None = _limit("min_units", int)  # type: ignore[assignment]
    max_units: int | None = _limit("max_units", int)  # type: ignore[assignment]
    level_rules: tuple[LevelRule, ...] = field(default=(), metadata=_doc("Rules about credits by level."))
    barred: tuple[Barred, ...] = field(default=(), metadata=_doc("Barred combinations."))
    prerequisites: tuple[Prerequisite, ...] = field(default=(), metadata=_doc("Prerequisite units."))
    declared: Declared | None = field(
        default=None, metadata=_doc("Figures the handbook states about the whole qualification.")
    )
    loc: Location = _loc()
    _index: Mapping[str, Unit] = field(
        init=False, default_factory=dict, compare=False, repr=False, metadata={"internal": True}
    )

    # Document paths to file locations, as the loader saw them; an init field so that
    # dataclasses.replace keeps them on a changed copy.
    _sources: Mapping[str, Location] = field(
        default_factory=dict, compare=False, repr=False, metadata={"internal": True}
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {u.id: u for u in self.units})

    def where(self, path: str, fallback: Location | None = None) -> Location:
        """The file location of a document path such as ``requirements[1].min_credits``."""
        found = self._sources.get(path)
        if found is not None:
            return found
        return (fallback or self.loc).child(path)

    def unit(self, unit_id: str) -> Unit:
        """The unit with this id (raises ``KeyError`` when there is none)."""
        return self._index[unit_id]

    def has_unit(self, unit_id: str) -> bool:
        """Whether a unit with this id is defined."""
        return unit_id in self._index

    def iter_groups(self) -> Iterator[Group]:
        """Every group in the requirement tree, depth first, in file order."""
        stack: list[Requirement] = list(reversed(self.requirements))
        while stack:
            node = stack.pop()
            if isinstance(node, Group):
                yield node
            else:
                stack.extend(reversed(node.requirements))

    def iter_requirements(self) -> Iterator[Requirement]:
        """Every requirement node, depth first, in file order."""
        stack: list[Requirement] = list(reversed(self.requirements))
        while stack:
            node = stack.pop()
            yield node
            if isinstance(node, Combination):
                stack.extend(reversed(node.requirements))

    def unit_ids(self) -> tuple[str, ...]:
        """Ids of the units a pathway can hold: those listed in some group, in first-listed order."""
        seen: dict[str, None] = {}
        for group in self.iter_groups():
            for uid in group.units:
                seen.setdefault(uid, None)
        return tuple(seen)

    def counts_credits(self) -> bool:
        """Whether any rule counts credits (NVQ-style structures have none)."""
        nodes: list[_Limits] = [self, *self.iter_requirements(), *self.level_rules]
        return any(n.min_credits is not None or n.max_credits is not None for n in nodes)

    def mandatory_unit_ids(self) -> frozenset[str]:
        """Units in a mandatory group reached from the root through all-of nodes only."""
        found: set[str] = set()
        stack: list[Requirement] = list(self.requirements)
        while stack:
            node = stack.pop()
            if isinstance(node, Group):
                if node.mandatory:
                    found.update(node.units)
            elif node.kind == "all_of" or (node.kind == "at_least" and node.needed() >= len(node.requirements)):
                stack.extend(node.requirements)
        return frozenset(found)
