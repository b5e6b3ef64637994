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

This module names the units with a choice of home; a unit fixed in that has one still
moves the totals, and a mandatory group that must count it sees, through its flag, that
it does.
"""

from __future__ import annotations

from ..model.structure import Qualification

__all__ = ["shared_units"]


def shared_units(q: Qualification) -> set[str]:
    """The units listed in two or more groups that do not double-count: those with a choice of home.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="A", units=("a", "b")), Group(id="B", units=("b", "c")),
    ...                   Group(id="cap", units=("a", "c"), double_counting=True, max_units=1)))
    >>> sorted(shared_units(q))
    ['b']
    """
    listed = [u for group in q.iter_groups() if not group.double_counting for u in dict.fromkeys(group.units)]
    return {u for u in listed if listed.count(u) > 1}
