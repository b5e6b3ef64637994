"""A brute-force reference for what a pathway is, written straight from docs/semantics.md.

Nothing here is clever: every subset of candidate units is tried, and for each
subset every allocation of its units to groups is tried. Speed does not
matter (structures under test have at most a dozen candidate units); being
obviously right does. This module must not import any solver code except the
model, so that tests compare two independent computations.

Groups are told apart by their *position* in the requirement tree (the order
in which a depth-first walk meets them), never by id or by equality, so two
groups that happen to be equal are still two groups.

>>> from decimal import Decimal
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T",
...     units=(Unit(id="a", title="a", credits=Decimal(3)), Unit(id="b", title="b", credits=Decimal(3))),
...     requirements=(Group(id="A", units=("a", "b"), min_credits=Decimal(3)),))
>>> [sorted(p) for p in all_pathways(q)]
[['a', 'b'], ['a'], ['b']]
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

from solver.model import Combination, Group, LevelRule, Qualification, Requirement

Limited = Group | Combination | LevelRule | Qualification

__all__ = [
    "all_pathways",
    "brute_optimum",
    "candidate_units",
    "groups_in_order",
    "is_pathway",
    "minimal_pathways",
    "pathway_order_key",
    "totals",
]

TOTALS = ("credits", "units", "glh", "fee", "hours")


# -- the tree -----------------------------------------------------------------------------------

def groups_in_order(q: Qualification) -> list[Group]:
    """Every group of the tree, depth first in file order; a group's index is its identity."""
    found: list[Group] = []

    def walk(node: Requirement) -> None:
        if isinstance(node, Group):
            found.append(node)
        else:
            for child in node.requirements:
                walk(child)

    for top in q.requirements:
        walk(top)
    return found


def candidate_units(q: Qualification) -> tuple[str, ...]:
    """Units listed in at least one group, in the order they are first listed."""
    out: list[str] = []
    for group in groups_in_order(q):
        for uid in group.units:
            if uid not in out:
                out.append(uid)
    return tuple(out)


def _credits(q: Qualification, uid: str) -> Decimal:
    value = q.unit(uid).credits
    return Decimal(0) if value is None else value


def _limits_hold(node: Limited, q: Qualification, units: Iterable[str]) -> bool:
    """The node's min/max credits/units hold on exactly these units."""
    chosen = set(units)
    credits = sum((_credits(q, u) for u in chosen), Decimal(0))
    count = len(chosen)
    if node.min_credits is not None and credits < node.min_credits:
        return False
    if node.max_credits is not None and credits > node.max_credits:
        return False
    if node.min_units is not None and count < node.min_units:
        return False
    return node.max_units is None or count <= node.max_units


def _needed(node: Combination) -> int:
    if node.kind == "all_of":
        return len(node.requirements)
    if node.kind == "any_of":
        return 1
    assert node.k is not None  # validated structures only
    return node.k


# -- one set of units ---------------------------------------------------------------------------

def _whole_set_rules_hold(q: Qualification, s: frozenset[str]) -> bool:
    """Rules 5-8: they look at the whole set, so no allocation can change them."""
    if not _limits_hold(q, q, s):
        return False
    for rule in q.level_rules:
        levels = {u: q.unit(u).level for u in s}
        if rule.kind == "at_or_above":
            applies = [u for u, lv in levels.items() if lv is not None and lv >= rule.level]
        else:
            applies = [u for u, lv in levels.items() if lv is not None and lv < rule.level]
        if not _limits_hold(rule, q, applies):
            return False
    for barred in q.barred:
        if len(set(barred.units) & s) > 1:
            return False
    # A prerequisite only binds when its unit is held: then all of `requires` and,
    # when `requires_one_of` is given, at least one of those.
    for p in q.prerequisites:
        if p.unit in s and not set(p.requires) <= s:
            return False
        if p.unit in s and p.requires_one_of and not set(p.requires_one_of) & s:
            return False
    return True


def _tree_holds(
    q: Qualification, s: frozenset[str], groups: list[Group], alloc: dict[str, int | None]
) -> bool:
    """Rules 1-4 for one allocation (unit -> index of its group, or None)."""
    position = itertools.count()

    def evaluate(node: Requirement) -> tuple[bool, frozenset[str]]:
        if isinstance(node, Group):
            index = next(position)
            assert groups[index] is node  # the walk meets groups in that order
            if node.double_counting:
                counted = frozenset(u for u in node.units if u in s)
            else:
                counted = frozenset(u for u in s if alloc[u] == index)
            ok = _limits_hold(node, q, counted)
            if node.mandatory and not set(node.units) <= counted:
                ok = False
            return ok, counted
        results = [evaluate(child) for child in node.requirements]
        counted = frozenset().union(*(c for _ok, c in results))
        satisfied = sum(1 for ok, _c in results if ok)
        return satisfied >= _needed(node) and _limits_hold(node, q, counted), counted

    return all([evaluate(top)[0] for top in q.requirements])


def allocations(q: Qualification, s: frozenset[str]) -> Iterable[dict[str, int | None]]:
    """Every allocation of the units of ``s``: each to one non-double-counting group listing it."""
    groups = groups_in_order(q)
    order = sorted(s)
    choices: list[Sequence[int | None]] = []
    for uid in order:
        options = [i for i, g in enumerate(groups) if uid in g.units and not g.double_counting]
        choices.append(options if options else [None])
    for pick in itertools.product(*choices):
        yield dict(zip(order, pick, strict=True))


def is_pathway(q: Qualification, units: frozenset[str]) -> bool:
    """Whether ``units`` is a pathway: some allocation makes every rule hold."""
    s = frozenset(units)
    if not s <= set(candidate_units(q)):
        return False
    if not _whole_set_rules_hold(q, s):
        return False
    groups = groups_in_order(q)
    return any(_tree_holds(q, s, groups, alloc) for alloc in allocations(q, s))


# -- all sets -----------------------------------------------------------------------------------

def pathway_order_key(q: Qualification, s: frozenset[str]) -> tuple[int, ...]:
    """Sort key of the documented order: holding the lowest-numbered differing unit comes first."""
    return tuple(0 if uid in s else 1 for uid in candidate_units(q))


def all_pathways(q: Qualification) -> list[frozenset[str]]:
    """Every pathway, in the documented order."""
    cands = candidate_units(q)
    found = []
    for bits in itertools.product((True, False), repeat=len(cands)):
        s = frozenset(u for u, take in zip(cands, bits, strict=True) if take)
        if is_pathway(q, s):
            found.append(s)
    return sorted(found, key=lambda p: pathway_order_key(q, p))


def minimal_pathways(q: Qualification) -> list[frozenset[str]]:
    """Pathways from which no single unit can be dropped, in the documented order."""
    every = all_pathways(q)
    known = set(every)
    return [s for s in every if not any(s - {u} in known for u in s)]


def totals(q: Qualification, s: Iterable[str]) -> dict[str, Decimal | int]:
    """Sums over all units of ``s``; a missing value counts 0."""
    s = set(s)

    def total(name: str) -> Decimal:
        return sum((getattr(q.unit(u), name) or Decimal(0) for u in s), Decimal(0))

    return {"credits": total("credits"), "units": len(s), "glh": total("glh"),
            "fee": total("fee"), "hours": total("hours")}


def brute_optimum(
    q: Qualification,
    by: Sequence[str],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> tuple[tuple[Decimal | int, ...] | None, int, list[frozenset[str]]]:
    """The least value of the totals named in ``by`` (compared in that order).

    Only pathways holding every unit of ``include`` and none of ``exclude``
    are considered. A name prefixed with ``-`` is maximised instead. Returns
    the optimum (``None`` when no pathway qualifies), how many pathways reach
    it, and those pathways in the documented order.
    """
    include, exclude = set(include), set(exclude)

    def value(s: frozenset[str]) -> tuple[Decimal | int, ...]:
        t = totals(q, s)
        return tuple(-t[name[1:]] if name.startswith("-") else t[name] for name in by)

    pool = [s for s in all_pathways(q) if include <= s and not (exclude & s)]
    if not pool:
        return None, 0, []
    best = min(value(s) for s in pool)
    ties = [s for s in pool if value(s) == best]  # all_pathways is already in documented order
    shown = tuple(-v if name.startswith("-") else v for v, name in zip(best, by, strict=True))
    return shown, len(ties), ties
