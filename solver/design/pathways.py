"""Pathways lost and gained between two versions: counted exactly through a structure of both, or scanned.

:func:`intersection` (the same units and groups, only limits differ) and
:func:`combined` (the groups differ, ``new`` allocates each unit to one
group) build one structure whose pathways are exactly those valid under
both versions, for the dynamic programmes to count. The first few lost or
gained pathways come from copies of one version that break a rule the other
tightened (:func:`_complements`); otherwise :func:`scan_pathways` enumerates one
version and checks each pathway against the other, with a deadline.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import Any

from .. import exact
from ..answers.cheapest import cheapest_pathways, first_pathways
from ..answers.pathways import iter_pathways
from ..model.check import PathwayChecker
from ..model.results import Pathway
from ..model.structure import Combination, Group, Qualification, Requirement

__all__ = ["combined", "intersection"]

_LIMITS = ("min_credits", "max_credits", "min_units", "max_units")

#: How many cheapest pathways holding a moved unit :func:`example_pathways` looks at.
_CHEAP = 50


# -- the intersection ------------------------------------------------------------------------------
def _signature(node: Requirement) -> Any:
    """Everything about a node that decides which unit sets satisfy it."""
    if isinstance(node, Group):
        return ("group", frozenset(node.units), node.mandatory, node.double_counting,
                tuple(getattr(node, f) for f in _LIMITS))
    return (node.needed(), tuple(getattr(node, f) for f in _LIMITS),
            tuple(_signature(c) for c in node.requirements))


def _shape_same(a: Requirement, b: Requirement) -> bool:
    if isinstance(a, Group) or isinstance(b, Group):
        return (isinstance(a, Group) and isinstance(b, Group) and set(a.units) == set(b.units)
                and a.double_counting == b.double_counting)
    if len(a.requirements) != len(b.requirements):
        return False
    every = a.needed() >= len(a.requirements) and b.needed() >= len(b.requirements)
    # Under "k of n" a child counts as satisfied under each version's own limits, so tightening
    # the children together would not give the intersection; only identical subtrees are safe.
    if not every and _signature(a) != _signature(b):
        return False
    return all(_shape_same(x, y) for x, y in zip(a.requirements, b.requirements, strict=True))


def _tighter(a: Any, b: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _LIMITS:
        x, y = getattr(a, f), getattr(b, f)
        if x is None or y is None:
            out[f] = y if x is None else x
        else:
            out[f] = max(x, y) if f.startswith("min") else min(x, y)
    return out


def _allocated(q: Qualification) -> bool:
    """Whether some unit is listed in two groups that do not double-count (so it has an allocation)."""
    listed = [u for g in q.iter_groups() if not g.double_counting for u in dict.fromkeys(g.units)]
    return len(listed) != len(set(listed))


def _allocation_limits(node: Requirement) -> Any:
    """The limits an allocation must meet: every node's but the double-counting groups'.

    A double-counting group counts its units whatever the allocation, as the
    qualification-wide limits, level rules, barred sets and prerequisites do.
    """
    if isinstance(node, Group):
        return None if node.double_counting else (node.mandatory, tuple(getattr(node, f) for f in _LIMITS))
    return (node.needed(), tuple(getattr(node, f) for f in _LIMITS),
            tuple(_allocation_limits(c) for c in node.requirements))


def _merge(a: Requirement, b: Requirement) -> Requirement:
    if isinstance(a, Group) and isinstance(b, Group):
        return dataclasses.replace(a, mandatory=a.mandatory or b.mandatory, **_tighter(a, b))
    if not (isinstance(a, Combination) and isinstance(b, Combination)):
        raise TypeError("only structures of the same shape can be merged")
    children = tuple(_merge(x, y) for x, y in zip(a.requirements, b.requirements, strict=True))
    return dataclasses.replace(a, requirements=children, **_tighter(a, b))


def intersection(old: Qualification, new: Qualification) -> Qualification | None:
    """Build a structure whose pathways are exactly those valid under both (``None`` when none is known).

    Each rule with the tighter of its two versions' limits, which is exact where a pathway's
    allocation cannot differ between them: no unit is listed in two groups that do not
    double-count, or only rules that count whatever the allocation changed (the
    qualification-wide limits, double-counting groups, level rules, barred sets, prerequisites).

    >>> from solver.model import Group, Qualification, Unit
    >>> units = (Unit(id="a", title="a"), Unit(id="b", title="b"))
    >>> old = Qualification(id="Q", title="T", units=units, requirements=(
    ...     Group(id="A", units=("a", "b"), min_units=2), Group(id="B", units=("a", "b"))))
    >>> new = Qualification(id="Q", title="T", units=units, requirements=(
    ...     Group(id="A", units=("a", "b")), Group(id="B", units=("a", "b"), min_units=2)))
    >>> intersection(old, new) is None  # {a, b} counts towards A in one version, B in the other
    True
    """
    units = set(old.unit_ids())
    if units != set(new.unit_ids()):
        return None
    for uid in units:
        a, b = old.unit(uid), new.unit(uid)
        if (a.credits or 0) != (b.credits or 0) or a.level != b.level:
            return None
    if len(old.requirements) != len(new.requirements) or not all(
            _shape_same(a, b) for a, b in zip(old.requirements, new.requirements, strict=True)):
        return None
    if _allocated(old) and any(_allocation_limits(a) != _allocation_limits(b)
                               for a, b in zip(old.requirements, new.requirements, strict=True)):
        # a unit two groups list counts towards one of them: a pathway of both versions may
        # need a different allocation in each, which one structure with both limits cannot give
        return None
    merged = tuple(_merge(a, b) for a, b in zip(old.requirements, new.requirements, strict=True))
    return dataclasses.replace(
        old, requirements=merged,
        level_rules=old.level_rules + new.level_rules, barred=old.barred + new.barred,
        prerequisites=old.prerequisites + new.prerequisites, **_tighter(old, new))


def combined(old: Qualification, new: Qualification) -> Qualification | None:
    """Both versions' rules in one structure, when the groups differ (say, a unit moved).

    The same units with the same values, and ``new`` with a fixed allocation (each unit in one
    group, nothing double-counted): then ``new``'s groups can count as double-counting groups
    beside ``old``'s, which is exactly "a pathway of ``new`` too". The unit-type programme
    counts the result; ``None`` when the conditions do not hold.
    """
    units = set(old.unit_ids())
    if units != set(new.unit_ids()) or any(old.unit(u) != new.unit(u) for u in units):
        return None
    listed = [u for g in new.iter_groups() for u in g.units]
    if any(g.double_counting for g in new.iter_groups()) or len(listed) != len(set(listed)):
        return None

    def counting(node: Requirement) -> Requirement:
        if isinstance(node, Group):
            return dataclasses.replace(node, double_counting=True)
        return dataclasses.replace(node, requirements=tuple(counting(c) for c in node.requirements))

    return dataclasses.replace(
        old, requirements=old.requirements + tuple(counting(r) for r in new.requirements),
        level_rules=old.level_rules + new.level_rules, barred=old.barred + new.barred,
        prerequisites=old.prerequisites + new.prerequisites, **_tighter(old, new))


# -- examples: pathways of one version that break a rule the other tightened -------------------------
def _all_paths(q: Qualification) -> Iterator[tuple[str, Requirement]]:
    """Yield the nodes every pathway must satisfy (reached through "all of" nodes only), with paths."""
    stack = [(f"requirements[{i}]", r) for i, r in enumerate(q.requirements)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, Combination) and node.needed() >= len(node.requirements):
            stack.extend((f"{path}.requirements[{i}]", c) for i, c in enumerate(node.requirements))


def _node_at(q: Qualification, path: str) -> Requirement | None:
    for p, node in _all_paths(q):
        if p == path:
            return node
    return None


def _with_node(q: Qualification, path: str, changes: dict[str, Any]) -> Qualification:
    def walk(node: Requirement, here: str) -> Requirement:
        if here == path:
            return dataclasses.replace(node, **changes)
        if isinstance(node, Combination):
            return dataclasses.replace(node, requirements=tuple(
                walk(c, f"{here}.requirements[{i}]") for i, c in enumerate(node.requirements)))
        return node

    if not path:
        return dataclasses.replace(q, **changes)
    return dataclasses.replace(q, requirements=tuple(walk(r, f"requirements[{i}]")
                                                     for i, r in enumerate(q.requirements)))


def _complements(base: Qualification, other: Qualification) -> list[Qualification] | None:
    """Build copies of ``base`` whose pathways are those of ``base`` breaking one rule ``other`` tightened.

    Their union is exactly the pathways of ``base`` that are not pathways of ``other``; ``None``
    when some tightening cannot be written as a limit (the caller then scans).
    """
    if (base.level_rules != other.level_rules or base.barred != other.barred
            or base.prerequisites != other.prerequisites):
        return None
    scale = exact.credit_scale(base)
    pairs: list[tuple[str, Any, Any]] = [("", base, other)]
    for path, node in _all_paths(other):
        mine = _node_at(base, path)
        if mine is None:
            return None
        pairs.append((path, mine, node))
    out = []
    seen_paths = {p for p, _n in _all_paths(base)} | {""}
    for path, mine, theirs in pairs:
        if isinstance(theirs, Group) and theirs.mandatory and not mine.mandatory:
            return None
        for f in _LIMITS:
            a, b = getattr(mine, f), getattr(theirs, f)
            if b is None or (a is not None and (a >= b if f.startswith("min") else a <= b)):
                continue
            step = scale if f.endswith("credits") else 1
            opposite = ("max_" if f.startswith("min") else "min_") + f.split("_")[1]
            scaled = Fraction(b) * step
            bound: Any = ceil(scaled) - 1 if f.startswith("min") else floor(scaled) + 1
            value: Any = Decimal(bound) / step if f.endswith("credits") else bound
            held = getattr(mine, opposite)
            if held is not None:
                value = min(held, value) if opposite.startswith("max") else max(held, value)
            out.append(_with_node(base, path, {opposite: value}))
    if any(p not in seen_paths for p, _n in _all_paths(other)):
        return None
    return out


def _order_key(q: Qualification, units: Iterable[str]) -> tuple[int, ...]:
    held = set(units)
    return tuple(0 if u in held else 1 for u in q.unit_ids())


def _examples_from(parts: list[Qualification], base: Qualification, k: int,
                   timeout: float | None) -> tuple[Pathway, ...]:
    found: dict[tuple[str, ...], Pathway] = {}
    for part in parts:
        # one exact pass per pathway where the frontier or unit-type programme counts the part:
        # a search in the documented order can go a long way before a pathway that breaks the rule
        first = first_pathways(part, k, timeout=timeout)
        for pathway in first if first is not None else iter_pathways(part, limit=k, timeout=timeout):
            found[pathway.units] = Pathway.of(base, pathway.units)
    ordered = sorted(found.values(), key=lambda p: _order_key(base, p.units))
    return tuple(ordered[:k])


def scan_pathways(a: Qualification, b: Qualification, k: int,
          deadline: float | None, *, stop_after: bool = False) -> tuple[int, tuple[Pathway, ...], bool]:
    """Pathways of ``a`` that are not pathways of ``b``: (how many, the first ``k``, complete?).

    With ``stop_after`` it returns as soon as it has ``k`` examples (the count is then partial).
    """
    checker = PathwayChecker(b)
    n = 0
    examples: list[Pathway] = []
    # the deadline goes into the enumeration too: between two pathways it can search for minutes
    timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
    for i, pathway in enumerate(iter_pathways(a, limit=None if not stop_after else 10**9, timeout=timeout)):
        if deadline is not None and i % 256 == 0 and time.monotonic() > deadline:
            return n, tuple(examples), False
        if not checker.is_pathway(pathway.units):
            n += 1
            if len(examples) < k:
                examples.append(pathway)
            elif stop_after:
                return n, tuple(examples), False
    return n, tuple(examples), deadline is None or time.monotonic() <= deadline


def example_pathways(base: Qualification, other: Qualification, n: int, k: int,
              timeout: float | None, *, same_shape: bool = True) -> tuple[Pathway, ...]:
    """The first ``k`` of the ``n`` pathways of ``base`` that are not pathways of ``other``.

    With the same shape they come from copies of ``base`` breaking a rule ``other``
    tightened. Otherwise the first in the documented order, when they come within half
    the time; failing that (the order can go millions of pathways before the first one
    lost), those copies and the cheapest pathways holding a unit that moved between
    groups are *candidates*, each checked against ``other``.
    """
    if n == 0 or k == 0:
        return ()
    parts = _complements(base, other)
    if parts is not None and same_shape:
        return _examples_from(parts, base, k, timeout)
    deadline = None if timeout is None else time.monotonic() + timeout
    # The first in the documented order, when they come within half the time left ...
    half = None if timeout is None else time.monotonic() + timeout / 2
    first = scan_pathways(base, other, k, half, stop_after=True)[1]
    if len(first) >= k or (half is not None and time.monotonic() <= half):
        return first
    # ... else candidates near the limits, each checked against ``other``.
    checker = PathwayChecker(other)
    found: dict[tuple[str, ...], Pathway] = {p.units: p for p in first}
    homes_base = {u: {g.id for g in base.iter_groups() if u in g.units} for u in base.unit_ids()}
    homes_other = {u: {g.id for g in other.iter_groups() if u in g.units} for u in other.unit_ids()}
    moved = [u for u in base.unit_ids() if homes_base[u] != homes_other.get(u, set())]
    sources: list[Iterator[Pathway]] = [iter_pathways(part, timeout=_left(deadline)) for part in parts or []]
    # the cheapest pathways sit at the limits, where a tightened or re-drawn rule bites first
    sources += [iter(cheapest_pathways(base, by=[c], top=_CHEAP, include=[u], timeout=_left(deadline)).pathways)
                for u in moved for c in ("credits", "units")]
    for source in sources:
        for looked, pathway in enumerate(source):
            if len(found) >= k or looked > 20_000 or (deadline is not None and time.monotonic() > deadline):
                break
            if not checker.is_pathway(pathway.units):
                found[pathway.units] = Pathway.of(base, pathway.units)
    return tuple(sorted(found.values(), key=lambda p: _order_key(base, p.units))[:k])


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())
