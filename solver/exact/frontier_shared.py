"""Units that several groups list, read for the frontier engine's least cost: one unit, several homes.

A pathway's unit counts towards exactly one of the groups that list it and do not
double-count, whichever makes the rules hold; a double-counting group counts every
pathway unit it lists (``docs/semantics.md``). For the least cost of a pathway the
allocation is one more choice: deciding a unit listed in groups A and A-D is leaving it,
taking it for A, or taking it for A-D, the cheaper way kept in each cell of the tables,
and taking it adds it to the double-counting groups that list it whichever way it is
taken (:func:`solver.exact.frontier_problem.shape_problem` with ``sharing``,
:func:`solver.exact.frontier_plan.make_plan`). Every rule outside the tree
(qualification totals, level rules, barred sets, prerequisites) reads only whether it is
taken.

A cell reached by two allocations of one pathway holds the pathway's cost once either
way, so the least cost is right and whether there is a pathway at all is whether it
exists; a count would count allocations. Only those questions read structures this way
(:func:`solver.exact.frontier.least_each` with ``sharing``).

This module says where units fixed in must count.

Examples
--------
>>> from solver.model import Combination, Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
...     requirements=(Group(id="core", units=("a",), mandatory=True),
...                   Group(id="A", units=("a", "b"), min_units=1),
...                   Combination(kind="any_of", id="C", requirements=(
...                       Group(id="AB", units=("b", "c"), min_units=2), Group(id="D", units=("c",))))))
>>> [g.id for g in required_groups(q)]
['core', 'A']
>>> homes_of_fixed(q, {"a": True, "b": True})
({'a': ['core']}, {'b'})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..model.structure import Combination, Group, Qualification, Requirement

__all__ = ["homes_of_fixed", "required_groups"]


def _walk(q: Qualification) -> Iterable[tuple[Group, bool, tuple[Combination, ...]]]:
    """Every group with whether every pathway must satisfy it and the combinations above it."""
    stack: list[tuple[Requirement, bool, tuple[Combination, ...]]] = [(r, True, ()) for r in reversed(q.requirements)]
    while stack:
        req, required, above = stack.pop()
        if isinstance(req, Group):
            yield req, required, above
            continue
        every = required and req.needed() >= len(req.requirements)
        stack.extend((child, every, (*above, req)) for child in reversed(req.requirements))


def required_groups(q: Qualification) -> list[Group]:
    """The groups every pathway must satisfy: reached from the root through "all of" nodes only."""
    return [group for group, required, _above in _walk(q) if required]


def homes_of_fixed(q: Qualification, fixed: Mapping[str, bool]) -> tuple[dict[str, list[str]], set[str]]:
    """Units fixed in that several groups list, by where they count.

    Those that mandatory groups every pathway satisfies must count towards, with those
    groups' ids (two or more: no pathway, as a unit counts towards one); and the rest,
    which may count towards any of theirs.
    """
    listing: dict[str, list[str]] = {}
    for group in q.iter_groups():
        if not group.double_counting:
            for u in dict.fromkeys(group.units):
                listing.setdefault(u, []).append(group.id)
    must: dict[str, list[str]] = {}
    for group in required_groups(q):
        if group.mandatory and not group.double_counting:
            for u in group.units:
                must.setdefault(u, []).append(group.id)
    pinned: dict[str, list[str]] = {}
    loose: set[str] = set()
    for u, take in fixed.items():
        if take and len(listing.get(u, ())) > 1:
            if u in must:
                pinned[u] = must[u]
            else:
                loose.add(u)
    return pinned, loose
