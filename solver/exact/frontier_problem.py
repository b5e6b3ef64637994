"""A structure read for the frontier engine: the requirement tree, the limits in whole numbers, the couplings.

This is the part of :mod:`solver.exact.frontier` that knows the rule language. It reads a
:class:`~solver.model.Qualification` once into plain integers:

* every rule's limits on a common whole-number credit lattice (:func:`read_limit`:
  a minimum off the lattice is rounded up, a maximum down);
* the requirement tree as :class:`Node` records (which nodes every pathway must
  satisfy, what each one counts);
* units fixed in or out (mandatory groups every pathway needs, the caller's
  ``forced``) and what that implies through barred sets and prerequisites;
* what is left of the barred sets and prerequisites as :class:`Clause` records over
  the units still free.

Examples
--------
>>> from fractions import Fraction
>>> read_limit(Fraction(3, 2), Fraction(1), "min"), read_limit(Fraction(3, 2), Fraction(1), "max")
(2, 1)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from ..model.structure import Combination, Group, Qualification, Requirement
from .frontier_shared import shared_units
from .kernel import max_whole, min_whole

__all__ = [
    "Clause",
    "Infeasible",
    "Node",
    "Problem",
    "credit_lattice",
    "read_limit",
    "shape_problem",
    "supports_shape",
]


def credit_lattice(values: Iterable[Decimal | int | None]) -> Fraction:
    """The factor that turns unit credit values into coprime whole numbers.

    Every value times the factor is whole, and the whole numbers have no common
    divisor (ECTS 7.5, 5 and 15 become 3, 2 and 6): fewer distinct sums, smaller
    tables. Values that are ``None`` or 0 are ignored; with none left the factor is 1.

    >>> credit_lattice([Decimal("7.5"), Decimal(5), Decimal(15)])
    Fraction(2, 5)
    >>> credit_lattice([Decimal(6), Decimal(12), None])
    Fraction(1, 6)
    """
    fractions = [Fraction(v) for v in values if v]
    if not fractions:
        return Fraction(1)
    scale = math.lcm(*(f.denominator for f in fractions))
    whole = [int(f * scale) for f in fractions]
    return Fraction(scale, math.gcd(*whole))


def read_limit(value: Decimal | int | Fraction, factor: Fraction, bound: Literal["min", "max"]) -> int:
    """A limit on the whole-number lattice of ``factor``: a minimum rounded up, a maximum down.

    Sums of unit values are whole numbers on the lattice, so "at least 1.5 credits" over
    whole-credit units means "at least 2", and "at most 1.5" means "at most 1". Truncating
    both (issue 12) would let 1 credit pass a 1.5 minimum.

    >>> read_limit(Decimal("7.5"), Fraction(1), "min"), read_limit(Decimal("7.5"), Fraction(1), "max")
    (8, 7)
    >>> read_limit(Decimal("7.5"), Fraction(2), "min")
    15
    """
    return min_whole(value, factor) if bound == "min" else max_whole(value, factor)


class Infeasible(Exception):
    """No pathway: the fixed units already break a rule."""


@dataclass(slots=True)
class Node:
    """One requirement (or the qualification itself, the root) in whole-number terms.

    ``dims`` maps ``"credits"`` / ``"units"`` to ``(low, high)`` limits that can bind
    (``None`` for no limit). ``required`` nodes must hold in every pathway (the root and
    every node reached from it through "all of" nodes); their failing states are dropped
    at once. Other nodes report whether they hold to their parent's ``counter``:
    ``"flag"`` (an "all of": has any child failed?), ``"count"`` (how many children hold,
    up to ``needed``) or ``None`` (the parent needs no child, or is required and needs all).
    """

    index: int
    name: str
    parent: int | None
    children: list[int] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    dims: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    mandatory: bool = False
    needed: int = 0
    required: bool = False
    counter: Literal["flag", "count"] | None = None
    is_group: bool = False


@dataclass(frozen=True, slots=True)
class Clause:
    """What is left of a barred set or a prerequisite once fixed units are known.

    ``kind`` ``"barred"``: at most one of ``units`` is taken. ``kind`` ``"needs"``: if
    ``trigger`` is taken (or always, when it is ``None``) then every unit of ``all_of``
    is taken and, when ``one_of`` is not empty, at least one of ``one_of``.
    """

    kind: Literal["barred", "needs"]
    units: tuple[str, ...]
    trigger: str | None = None
    all_of: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()

    def holds(self, taken: Mapping[str, bool]) -> bool:
        """Whether the clause holds when each of its units is taken or not as ``taken`` says."""
        if self.kind == "barred":
            return sum(1 for u in self.units if taken[u]) <= 1
        if self.trigger is not None and not taken[self.trigger]:
            return True
        return all(taken[u] for u in self.all_of) and (not self.one_of or any(taken[u] for u in self.one_of))


@dataclass
class Problem:
    """A structure in the frontier engine's terms (see the module docstring)."""

    units: tuple[str, ...]
    """Candidate units, in the documented order."""
    nodes: list[Node]
    """The root first, then every requirement depth first."""
    node_of_unit: dict[str, int]
    """The group node of each candidate unit."""
    weights: dict[str, dict[str, int]]
    """What taking each unit adds: whole-number credits (``"credits"``) and 1 (``"units"``); 0 for units
    fixed in, whose values are taken off the limits instead."""
    levels: list[tuple[str, int | None, int | None, frozenset[str]]]
    """Level rules: the dimension, its limits and the units they apply to."""
    fixed: dict[str, bool]
    clauses: list[Clause]
    factor: Fraction
    homes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Read with ``sharing``: the group nodes of each unit that several groups list; taking it
    counts it towards one of them (``node_of_unit`` holds the first)."""
    counted_by: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Read with ``sharing``: the double-counting group nodes that list each unit, which count
    it whenever it is taken (a unit only they list has no ``node_of_unit``)."""


def _limits(node: Group | Combination | Qualification | object, factor: Fraction, top: Mapping[str, int],
            offset: Mapping[str, int]) -> dict[str, tuple[int | None, int | None]]:
    """The limits of a rule that can bind on what its undecided units add.

    ``offset`` is what its units fixed in already add (taken off the limits); ``top``
    the most its undecided units can add.
    """
    out: dict[str, tuple[int | None, int | None]] = {}
    for dim in ("credits", "units"):
        low_value = getattr(node, f"min_{dim}")
        high_value = getattr(node, f"max_{dim}")
        f = factor if dim == "credits" else Fraction(1)
        low = read_limit(low_value, f, "min") - offset[dim] if low_value is not None else None
        high = read_limit(high_value, f, "max") - offset[dim] if high_value is not None else None
        if high is not None and high < 0:
            high = -1  # broken already: no cell holds
        if low is not None and low <= 0:
            low = None
        if high is not None and high >= top[dim] and (low is None or low <= high):
            high = None
        if low is not None or high is not None:
            out[dim] = (low, high)
    return out


def supports_shape(q: Qualification) -> str | None:
    """Why the requirement tree is outside the engine's shape, or ``None``."""
    seen: dict[str, str] = {}
    for group in q.iter_groups():
        if group.double_counting:
            return f"group {group.id!r} double-counts"
        for uid in group.units:
            if uid in seen:
                return f"unit {uid!r} is listed in groups {seen[uid]!r} and {group.id!r}"
            seen[uid] = group.id
    return None


def shape_problem(q: Qualification, forced: Mapping[str, bool] | None = None, *,
                  sharing: bool = False) -> Problem:
    """Read ``q`` (whose shape :func:`supports_shape` accepts) with ``forced`` units fixed.

    With ``sharing`` (for a least cost only: :mod:`solver.exact.frontier_shared`) a unit
    several groups list has each of them as a home, and the double-counting groups that
    list it count it whenever it is taken.

    Raises
    ------
    Infeasible
        When the fixed units already break a barred set or a prerequisite, or a unit
        outside the candidates is forced in.
    """
    units = q.unit_ids()
    candidates = set(units)
    factor = credit_lattice(q.unit(u).credits for u in units)
    weights = {u: {"credits": int(Fraction(q.unit(u).credits or 0) * factor), "units": 1} for u in units}
    nodes: list[Node] = []
    homes: dict[str, list[int]] = {}

    fixed = {u: True for u in q.mandatory_unit_ids() if u in candidates}
    for u, take in (forced or {}).items():
        if u not in candidates:
            if take:
                raise Infeasible(f"unit {u!r} is in no group")
            continue
        if fixed.get(u, take) != take:
            raise Infeasible(f"unit {u!r} is both required and excluded")
        fixed[u] = take
    clauses = _propagate(q, candidates, fixed)
    # a unit fixed in that several groups list may count towards any of them: it still moves
    # the totals (a mandatory group that must count it sees to where, through its flag)
    loose = shared_units(q) & {u for u, take in fixed.items() if take} if sharing else set()
    counted_by: dict[str, list[int]] = {}

    # a unit fixed in adds its values to the limits it counts towards, not to the totals;
    # one fixed in that could count towards several groups (loose) still adds to the totals
    def top_of(members: Sequence[str]) -> dict[str, int]:
        return {d: sum(weights[u][d] for u in members if u not in fixed or u in loose) for d in ("credits", "units")}

    def offset_of(members: Sequence[str]) -> dict[str, int]:
        return {d: sum(weights[u][d] for u in members if fixed.get(u) is True and u not in loose)
                for d in ("credits", "units")}

    def walk(req: Requirement, parent: int, required: bool) -> list[str]:
        node = Node(index=len(nodes), name=req.id, parent=parent, required=required)
        nodes.append(node)
        if isinstance(req, Group):
            node.is_group = True
            node.units = list(req.units)
            node.mandatory = req.mandatory
            for u in node.units:
                (counted_by if req.double_counting else homes).setdefault(u, []).append(node.index)
        else:
            node.needed = max(0, req.needed())
            every = node.needed >= len(req.requirements)
            for child in req.requirements:
                node.children.append(len(nodes))
                node.units += walk(child, node.index, required and every)
            if not (required and every):
                node.counter = "flag" if every else ("count" if node.needed > 0 else None)
        node.units = list(dict.fromkeys(node.units))  # a unit two of its groups list, once
        node.dims = _limits(req, factor, top_of(node.units), offset_of(node.units))
        return node.units

    root = Node(index=0, name=q.id, parent=None, required=True)
    nodes.append(root)
    for req in q.requirements:
        root.children.append(len(nodes))
        root.units += walk(req, 0, True)
    root.units = list(dict.fromkeys(root.units))
    root.needed = len(root.children)
    root.dims = _limits(q, factor, top_of(units), offset_of(units))
    # level rules over the same units and measure are one total: their limits joined, one axis
    # (two copies of a rule, as diff's structure of both versions holds, would square the table)
    joined: dict[tuple[str, frozenset[str]], tuple[int | None, int | None]] = {}
    for rule in q.level_rules:
        members = [u for u in units if rule.applies_to(q.unit(u).level)]
        for dim, (low, high) in _limits(rule, factor, top_of(members), offset_of(members)).items():
            key = (dim, frozenset(members))
            if key in joined:
                was_low, was_high = joined[key]
                low = was_low if low is None else low if was_low is None else max(low, was_low)
                high = was_high if high is None else high if was_high is None else min(high, was_high)
            joined[key] = (low, high)
    levels = [(dim, low, high, members) for (dim, members), (low, high) in joined.items()]
    # what fixed units add is in the offsets: taking them moves no total
    moving = {u: ({"credits": 0, "units": 0} if fixed.get(u) and u not in loose else w) for u, w in weights.items()}
    return Problem(units=units, nodes=nodes, node_of_unit={u: found[0] for u, found in homes.items()},
                   weights=moving, levels=levels, fixed=fixed, clauses=clauses, factor=factor,
                   homes={u: tuple(found) for u, found in homes.items() if len(found) > 1},
                   counted_by={u: tuple(found) for u, found in counted_by.items()})


def _fix(fixed: dict[str, bool], u: str, take: bool) -> bool:
    """Fix ``u``; whether that changed anything."""
    if u in fixed:
        if fixed[u] != take:
            raise Infeasible(f"unit {u!r} must be both taken and left")
        return False
    fixed[u] = take
    return True


def _propagate(q: Qualification, candidates: set[str], fixed: dict[str, bool]) -> list[Clause]:
    """Fix what the fixed units force through barred sets and prerequisites; the clauses left."""
    # a prerequisite outside the candidates can never be met: "\0never" stands for it
    barred = [tuple(dict.fromkeys(u for u in b.units if u in candidates)) for b in q.barred]
    prereqs: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for p in q.prerequisites:
        if p.unit not in candidates:
            continue
        if any(u not in candidates for u in p.requires):
            prereqs.append((p.unit, ("\0never",), ()))
            continue
        one_of = tuple(u for u in p.requires_one_of if u in candidates)
        if p.requires_one_of and not one_of:
            prereqs.append((p.unit, ("\0never",), ()))
            continue
        prereqs.append((p.unit, tuple(dict.fromkeys(p.requires)), tuple(dict.fromkeys(one_of))))
    changed = True
    while changed:
        changed = False
        for members in barred:
            taken = [u for u in members if fixed.get(u) is True]
            if len(taken) > 1:
                raise Infeasible(f"barred units {taken[0]!r} and {taken[1]!r} are both fixed in")
            if taken:
                for u in members:
                    if u != taken[0]:
                        changed |= _fix(fixed, u, False)
        for unit, all_of, one_of in prereqs:
            if "\0never" in all_of:
                changed |= _fix(fixed, unit, False)
                continue
            open_one = [u for u in one_of if fixed.get(u) is not False]
            if any(fixed.get(u) is False for u in all_of) or (one_of and not open_one):
                changed |= _fix(fixed, unit, False)
            elif fixed.get(unit) is True:
                for u in all_of:
                    changed |= _fix(fixed, u, True)
                if len(open_one) == 1:
                    changed |= _fix(fixed, open_one[0], True)
    clauses: list[Clause] = []
    for members in barred:
        free = tuple(u for u in members if u not in fixed)
        if len(free) > 1:
            clauses.append(Clause(kind="barred", units=free))
    for unit, all_of, one_of in prereqs:
        if fixed.get(unit) is False or "\0never" in all_of:
            continue
        need_all = tuple(u for u in all_of if u not in fixed)
        need_one = () if any(fixed.get(u) is True for u in one_of) else tuple(u for u in one_of if u not in fixed)
        if not need_all and not need_one:
            continue
        trigger = None if fixed.get(unit) is True else unit
        members = tuple(dict.fromkeys(((trigger,) if trigger else ()) + need_all + need_one))
        clauses.append(Clause(kind="needs", units=members, trigger=trigger, all_of=need_all, one_of=need_one))
    return clauses
