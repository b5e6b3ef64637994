"""Units that several groups list, read for the frontier engine's least cost: one unit, several homes.

A pathway's unit counts towards exactly one of the (not double-counting) groups that list
it, whichever makes the rules hold (``docs/semantics.md``). For the least cost of a
pathway that is one more choice: deciding a unit listed in groups A and A-D is leaving
it, taking it for A, or taking it for A-D, the cheaper way kept in each cell of the
tables. Every rule outside the tree (qualification totals, level rules, barred sets,
prerequisites, the caller's fixed units) reads only whether it is taken. A
double-counting group that every pathway must satisfy counts its units whatever the
allocation: a total over them, as a level rule is.

A cell reached by two allocations of one pathway holds the pathway's cost once either
way, so the least cost is right; a count would count allocations, and whether there is a
pathway at all is whether the least cost exists. Only those questions read structures
this way (:func:`solver.exact.frontier.least_each` with ``sharing``).

Examples
--------
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
...     requirements=(Group(id="A", units=("a", "b"), min_units=1),
...                   Group(id="AB", units=("a", "b", "c"), min_units=2),
...                   Group(id="cap", units=("b", "c"), double_counting=True, max_units=1)))
>>> supports_sharing(q) is None, [g.id for g in required_groups(q)]
(True, ['A', 'AB', 'cap'])
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.structure import Combination, Group, Qualification, Requirement

__all__ = ["required_groups", "supports_sharing"]


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


def _limited(node: Combination) -> bool:
    return any(getattr(node, f"{b}_{d}") is not None for b in ("min", "max") for d in ("credits", "units"))


def supports_sharing(q: Qualification) -> str | None:
    """Why a unit's homes cannot stand for ``q``'s allocations, or ``None`` when they can.

    They can when every double-counting group must hold in every pathway, each of its
    units also counts towards some other group, and no combination with limits of its
    own holds the double-counting group but not all the groups its units count towards
    (a combination counts what its parts count: the double-counting part would add units
    counted elsewhere).

    >>> from solver.model import Combination, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
    ...     requirements=(Combination(kind="any_of", id="C", requirements=(
    ...         Group(id="A", units=("a",)), Group(id="cap", units=("a",), double_counting=True, max_units=0))),))
    >>> supports_sharing(q)
    "double-counting group 'cap' is not needed in every pathway"
    """
    walked = list(_walk(q))
    homes: dict[str, list[int]] = {}
    for group, _required, _above in walked:
        if not group.double_counting:
            for u in group.units:
                homes.setdefault(u, []).append(id(group))
    for group, required, above in walked:
        if not group.double_counting:
            continue
        if not required:
            return f"double-counting group {group.id!r} is not needed in every pathway"
        for u in group.units:
            if u not in homes:
                return f"unit {u!r} is listed only in double-counting groups"
        for combination in above:
            if not _limited(combination):
                continue
            inside = {id(g) for g in _groups_under(combination)}
            for u in group.units:
                if any(home not in inside for home in homes[u]):
                    return (f"double-counting group {group.id!r} inside {combination.id!r} lists unit {u!r}, "
                            f"which can count towards a group outside it")
    return None


def _groups_under(node: Combination) -> Iterable[Group]:
    stack: list[Requirement] = list(node.requirements)
    while stack:
        req = stack.pop()
        if isinstance(req, Group):
            yield req
        else:
            stack.extend(req.requirements)
