"""The shared kernel of the exact engines: how the rules read in engine terms, and the semirings.

Every exact engine adds whole numbers, never Decimals. This module is the one place that
turns the model's limits into those terms:

- unit credits are scaled by the least common multiple of their denominators
  (:func:`credit_scale`: 2 for ECTS 7.5), so every sum of unit credits is a whole number;
- a limit need not be such a sum (``min_credits: 1.5`` over whole-credit units), so a
  *minimum* rounds **up** and a *maximum* rounds **down** (:func:`min_whole`,
  :func:`max_whole`): over whole sums, ``s >= 1.5`` is ``s >= 2`` and ``s <= 7.5`` is
  ``s <= 7``. Nothing is truncated;
- :func:`whole_limits` reads one rule's four limits that way, :func:`bounds` lists them
  by dimension, and :func:`wide_dims` builds the qualification-wide and level-rule
  dimensions every product-shaped engine tracks.

It also holds what the engines share about structure: which units barred sets and
prerequisites couple (:func:`coupled_units`), whether a fixing of them is
:func:`consistent`, and the semirings (:data:`COUNT`, :class:`MinCount`).

Examples
--------
>>> from decimal import Decimal
>>> min_whole(Decimal("1.5"), 1), max_whole(Decimal("1.5"), 1), min_whole(Decimal("7.5"), 2)
(2, 1, 15)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any, Generic, TypeVar

from ..model.structure import Combination, Group, Qualification, Requirement

__all__ = [
    "COUNT",
    "MAX_CONDITIONED_UNITS",
    "Dim",
    "MinCount",
    "NotSupported",
    "Plan",
    "Semiring",
    "add_int",
    "consistent",
    "coupled_units",
    "credit_scale",
    "first_least",
    "from_bits",
    "make_plan",
    "max_whole",
    "min_whole",
    "mul_int",
    "product_shape",
    "rule_bounds",
    "supports",
    "unit_credits",
    "units_below",
    "whole_limits",
    "wide_dims",
]

#: Most units that barred sets and prerequisites may mention before the fast path gives up.
MAX_CONDITIONED_UNITS = 14

V = TypeVar("V")
State = tuple[int, ...]


class NotSupported(Exception):
    """The structure is outside what the dynamic programme can solve exactly."""


@dataclass(frozen=True)
class Semiring(Generic[V]):
    """How values combine: ``add`` over alternatives, ``mul`` over independent parts."""

    zero: V
    one: V
    add: Callable[[V, V], V]
    mul: Callable[[V, V], V]
    unit: Callable[[str], V]
    """The value of taking one unit (its weight)."""
    least: bool = False
    """Values are (least cost, ways) pairs: large convolutions may run as array operations."""
    counting: bool = False
    """Values are plain counts (whole numbers, each unit weighing 1): counting shortcuts apply."""


def add_int(a: int, b: int) -> int:
    """Counts add over alternatives."""
    return a + b


def mul_int(a: int, b: int) -> int:
    """Counts multiply over independent parts."""
    return a * b


#: Plain counting: the semiring sum over the pathways is their number.
COUNT: Semiring[int] = Semiring(zero=0, one=1, add=add_int, mul=mul_int, unit=lambda _u: 1, counting=True)


class MinCount:
    """The semiring of (least cost, number of ways reaching it); costs are tuples compared lexicographically.

    >>> s = MinCount({"a": (1,), "b": (2,)}, width=1).semiring()
    >>> s.add(s.unit("a"), s.unit("b")), s.mul(s.unit("a"), s.unit("b"))
    (((1,), 1), ((3,), 1))
    """

    INF: tuple[Any, ...] = (float("inf"),)

    def __init__(self, costs: Mapping[str, tuple[Any, ...]], *, width: int) -> None:
        self.costs = costs
        self.width = width

    def semiring(self) -> Semiring[tuple[tuple[Any, ...], int]]:
        """The semiring object for :func:`solve`."""
        width = self.width
        zero_cost = (0,) * width

        def add(a: tuple[tuple[Any, ...], int], b: tuple[tuple[Any, ...], int]) -> tuple[tuple[Any, ...], int]:
            if a[1] == 0:
                return b
            if b[1] == 0 or a[0] < b[0]:
                return a
            if b[0] < a[0]:
                return b
            return (a[0], a[1] + b[1])

        def mul(a: tuple[tuple[Any, ...], int], b: tuple[tuple[Any, ...], int]) -> tuple[tuple[Any, ...], int]:
            if a[1] == 0 or b[1] == 0:
                return (self.INF, 0)
            return (tuple(x + y for x, y in zip(a[0], b[0])), a[1] * b[1])

        costs = self.costs
        return Semiring(zero=(self.INF, 0), one=(zero_cost, 1), add=add, mul=mul,
                        unit=lambda u: (costs[u], 1), least=True)


def first_least(costs: Mapping[str, tuple[Any, ...]], order: Sequence[str]) -> Semiring[tuple[Any, int, int]]:
    """(least cost, ways reaching it, the first cheapest set in the documented order): a semiring.

    The set is kept as bits, the first unit of ``order`` highest; a set holding the first
    unit where two differ comes first, so the first set is the one with the larger bits.
    Ways that meet in a table entry share every completion, and completions add units the
    entry has not decided, so the first of them stays first whatever follows.

    >>> s = first_least({"a": (1,), "b": (1,), "c": (2,)}, ["a", "b", "c"])
    >>> either = s.add(s.unit("a"), s.unit("b"))
    >>> either, s.mul(either, s.unit("c"))
    (((1,), 2, 4), ((3,), 2, 5))
    """
    n = len(order)
    bit = {u: 1 << (n - 1 - i) for i, u in enumerate(order)}
    inf = (float("inf"),)

    def add(a: tuple[Any, int, int], b: tuple[Any, int, int]) -> tuple[Any, int, int]:
        if a[1] == 0:
            return b
        if b[1] == 0 or a[0] < b[0]:
            return a
        if b[0] < a[0]:
            return b
        return (a[0], a[1] + b[1], max(a[2], b[2]))

    def mul(a: tuple[Any, int, int], b: tuple[Any, int, int]) -> tuple[Any, int, int]:
        if a[1] == 0 or b[1] == 0:
            return (inf, 0, 0)
        return (tuple(x + y for x, y in zip(a[0], b[0])), a[1] * b[1], a[2] | b[2])

    width = len(next(iter(costs.values()), ()))
    return Semiring(zero=(inf, 0, 0), one=((0,) * width, 1, 0), add=add, mul=mul,
                    unit=lambda u: (costs[u], 1, bit[u]))


def from_bits(bits: int, order: Sequence[str]) -> list[str]:
    """The units of ``order`` whose bits are set (as :func:`first_least` writes them).

    >>> from_bits(5, ["a", "b", "c"])
    ['a', 'c']
    """
    n = len(order)
    return [u for i, u in enumerate(order) if bits >> (n - 1 - i) & 1]


@dataclass(frozen=True)
class Dim:
    """One tracked quantity: ``weights[unit]`` summed over the units taken, saturated at ``cap``.

    ``cap`` is ``None`` for an exact (unsaturated) dimension.
    """

    name: str
    weights: Mapping[str, int]
    cap: int | None


def credit_scale(q: Qualification) -> int:
    """The smallest integer that makes every credit value whole (2 for ECTS 7.5).

    >>> from solver.model import Qualification, Unit
    >>> credit_scale(Qualification(id="Q", title="T", units=(Unit(id="a", title="a", credits=Decimal("7.5")),)))
    2
    """
    scale = 1
    for unit in q.units:
        if unit.credits is not None:
            scale = lcm(scale, Fraction(unit.credits).denominator)
    return scale


def supports(q: Qualification) -> str | None:
    """Why the fast path cannot take ``q``, or ``None`` when it can."""
    seen: dict[str, str] = {}
    for group in q.iter_groups():
        if group.double_counting:
            return f"group {group.id!r} double-counts"
        for uid in group.units:
            if uid in seen and seen[uid] != group.id:
                return f"unit {uid!r} is listed in groups {seen[uid]!r} and {group.id!r}"
            seen[uid] = group.id
    coupled = coupled_units(q)
    if len(coupled) > MAX_CONDITIONED_UNITS:
        return f"barred sets and prerequisites mention {len(coupled)} units (more than {MAX_CONDITIONED_UNITS})"
    return None


def product_shape(q: Qualification) -> str | None:
    """Why ``q`` is not a plain product of groups, or ``None`` when it is.

    A product of groups: every unit in one group, nothing double-counted, no barred sets or
    prerequisites, and every combination an "all of" without limits of its own, so every
    group must hold and pathways are one valid subset per group. The streaming enumerator,
    the array and trace-back optimisers and the vectorised batch audit all need this shape.
    """
    reason = supports(q)
    if reason is not None:
        return reason
    if q.barred or q.prerequisites:
        return "barred sets or prerequisites couple units"
    for node in q.iter_requirements():
        if isinstance(node, Combination) and (node.needed() < len(node.requirements) or node.limits()):
            return f"{node.id!r} is a choice or has limits of its own"
    return None


def coupled_units(q: Qualification) -> list[str]:
    """The units barred sets and prerequisites mention, in the order the structure lists units."""
    found: dict[str, None] = {}
    for barred in q.barred:
        found.update(dict.fromkeys(barred.units))
    for prereq in q.prerequisites:
        found[prereq.unit] = None
        found.update(dict.fromkeys(prereq.requires))
        found.update(dict.fromkeys(prereq.requires_one_of))
    order = {u: i for i, u in enumerate(q.unit_ids())}
    return sorted((u for u in found if u in order), key=order.__getitem__)


@dataclass
class Plan:
    """The dimensions a structure needs and how each rule reads them."""

    dims: list[Dim]
    index: dict[str, int]
    scale: int
    checks: dict[int, list[tuple[int, int | None, int | None]]] = field(default_factory=dict)


def min_whole(value: Decimal | int | Fraction, scale: int | Fraction) -> int:
    """A minimum in whole units of ``1/scale``: rounded up, since sums below it fail."""
    return math.ceil(Fraction(value) * scale)


def max_whole(value: Decimal | int | Fraction, scale: int | Fraction) -> int:
    """A maximum in whole units of ``1/scale``: rounded down, since sums above it fail."""
    return math.floor(Fraction(value) * scale)


def unit_credits(q: Qualification, scale: int) -> dict[str, int]:
    """Every unit's credits in whole units of ``1/scale`` (exact, as ``scale`` is :func:`credit_scale`)."""
    out = {}
    for uid in q.unit_ids():
        value = Fraction(q.unit(uid).credits or 0) * scale
        if value.denominator != 1:
            raise ValueError(f"unit {uid!r}: {q.unit(uid).credits} credits are not whole at scale {scale}")
        out[uid] = int(value)
    return out


def whole_limits(node: Any, scale: int) -> tuple[int | None, int | None, int | None, int | None]:
    """A rule's (min credits, max credits, min units, max units) in engine terms.

    >>> from solver.model import Group
    >>> whole_limits(Group(id="g", min_credits=Decimal("1.5"), max_credits=Decimal("7.5")), 1)
    (2, 7, None, None)
    """
    low = None if node.min_credits is None else min_whole(node.min_credits, scale)
    high = None if node.max_credits is None else max_whole(node.max_credits, scale)
    return low, high, node.min_units, node.max_units


def rule_bounds(node: Any, scale: int) -> list[tuple[str, int | None, int | None]]:
    """A rule's limits by dimension name (``credits``, ``units``), only those it sets."""
    low_c, high_c, low_u, high_u = whole_limits(node, scale)
    out: list[tuple[str, int | None, int | None]] = []
    if low_c is not None or high_c is not None:
        out.append(("credits", low_c, high_c))
    if low_u is not None or high_u is not None:
        out.append(("units", low_u, high_u))
    return out


#: A tracked sum: (each unit's weight, least allowed, most allowed).
WideDim = tuple[Mapping[str, int], int | None, int | None]


def wide_dims(q: Qualification, scale: int, credits: Mapping[str, int]) -> list[WideDim]:
    """The qualification-wide sums the rules read: total credits and units, then each level rule's.

    Only sums some rule limits are listed. ``credits`` is :func:`unit_credits` at ``scale``.
    """
    dims: list[WideDim] = []
    ones = dict.fromkeys(credits, 1)
    nodes: list[tuple[Any, Mapping[str, int], Mapping[str, int]]] = [(q, credits, ones)]
    for rule in q.level_rules:
        members = [u for u in credits if rule.applies_to(q.unit(u).level)]
        nodes.append((rule, {u: credits[u] for u in members}, dict.fromkeys(members, 1)))
    for node, by_credit, by_unit in nodes:
        for name, low, high in rule_bounds(node, scale):
            dims.append((by_credit if name == "credits" else by_unit, low, high))
    return dims


def make_plan(q: Qualification, extra: Sequence[Dim], *, headroom: bool = False) -> Plan:
    """Dimensions and caps.

    With ``headroom``, caps leave room to subtract one unit's weight exactly
    (needed to ask "would the rules still hold without this unit?").
    """
    scale = credit_scale(q)
    units = q.unit_ids()
    wanted: dict[str, int] = {}
    nodes: list[Any] = [q, *q.iter_requirements()]
    for node in nodes:
        for name, low, high in rule_bounds(node, scale):
            top = max(v for v in (low, high) if v is not None)
            wanted[name] = max(wanted.get(name, 0), top)
    credits = unit_credits(q, scale)
    ones = dict.fromkeys(units, 1)
    room = max(max(credits.values(), default=0), 1) if headroom else 1
    dims = [Dim(name, credits if name == "credits" else ones, cap + (room if name == "credits" else 1))
            for name, cap in sorted(wanted.items())]
    for i, rule in enumerate(q.level_rules):
        members = [u for u in units if rule.applies_to(q.unit(u).level)]
        for name, low, high in rule_bounds(rule, scale):
            top = max(v for v in (low, high) if v is not None)
            base = credits if name == "credits" else ones
            dims.append(Dim(f"level_rules[{i}].{name}", {u: base[u] for u in members},
                            top + (room if name == "credits" else 1)))
    dims.extend(extra)
    return Plan(dims=dims, index={d.name: i for i, d in enumerate(dims)}, scale=scale)


def units_below(node: Requirement) -> tuple[str, ...]:
    """Every unit listed in the groups under ``node``, in order (repeats kept)."""
    if isinstance(node, Group):
        return node.units
    return tuple(u for child in node.requirements for u in units_below(child))


def consistent(q: Qualification, fixed: Mapping[str, bool]) -> bool:
    """Whether units fixed in or out break no barred set or prerequisite (every coupled unit fixed)."""
    for barred in q.barred:
        if sum(1 for u in barred.units if fixed.get(u) is True) > 1:
            return False
    # Every coupled unit is fixed here, so each prerequisite can be decided outright.
    taken = {u for u, v in fixed.items() if v}
    return all(prereq.holds(taken) for prereq in q.prerequisites)

