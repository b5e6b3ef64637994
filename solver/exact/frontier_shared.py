"""Units that several groups list, read for the frontier engine's least cost: one copy per group.

A pathway's unit counts towards exactly one of the (not double-counting) groups that list
it, whichever makes the rules hold (``docs/semantics.md``). For the least cost of a
pathway that choice is one more decision, so a unit listed in groups A and A-D becomes two
units, ``u`` counting towards A and ``u`` counting towards A-D, at most one of them taken,
and every rule outside the tree (qualification totals, level rules, barred sets,
prerequisites, the caller's fixed units) reads "some copy is taken". A double-counting
group that every pathway must satisfy counts its units whatever the allocation: a total
over them, as a level rule is.

The pathways of the copied structure are the pairs (pathway, allocation), so counting them
would count allocations; their least cost is the least cost of a pathway, and whether
there is one is whether the structure is feasible. Only those questions read it.

Examples
--------
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
...     requirements=(Group(id="A", units=("a", "b"), min_units=1),
...                   Group(id="AB", units=("a", "b", "c"), min_units=2)))
>>> shares = shares_of(q)
>>> shares.ids("a"), shares.ids("c")
(('a@A', 'a@AB'), ('c',))
>>> split_clauses(shares, [Clause(kind="barred", units=("a", "c"))])
[Clause(kind='barred', units=('a@A', 'a@AB', 'c'), trigger=None, all_of=(), one_of=())]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from ..model.structure import Combination, Group, Qualification, Requirement
from .frontier_clause import Clause, Infeasible

__all__ = ["Shares", "required_groups", "shares_of", "split_clauses", "split_fixed", "supports_sharing"]


@dataclass(frozen=True, slots=True)
class Shares:
    """Which units the problem copies, one copy per group that lists them.

    ``copies`` maps each unit listed in two or more (not double-counting) groups to its
    copies' ids; every other unit keeps its own id. ``origin`` maps a copy back to its
    unit and ``home`` to the id of the group it counts towards.
    """

    copies: Mapping[str, tuple[str, ...]]
    origin: Mapping[str, str]
    home: Mapping[str, str]

    def ids(self, unit: str) -> tuple[str, ...]:
        """The ids ``unit`` has in the problem: its copies, or itself."""
        return self.copies.get(unit, (unit,))

    def copy_in(self, unit: str, group: str) -> str:
        """The id of ``unit`` counting towards ``group``."""
        for pid in self.copies.get(unit, ()):
            if self.home[pid] == group:
                return pid
        return unit

    def all_ids(self, units: Iterable[str]) -> tuple[str, ...]:
        """Every id of every unit of ``units``, in order."""
        return tuple(pid for u in units for pid in self.ids(u))


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
    """Why the copies cannot stand for ``q``'s allocations, or ``None`` when they can.

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


def shares_of(q: Qualification) -> Shares:
    """The copies of ``q``'s units listed in two or more groups that do not double-count."""
    listed: dict[str, list[str]] = {}
    for group in q.iter_groups():
        if not group.double_counting:
            for u in dict.fromkeys(group.units):
                listed.setdefault(u, []).append(group.id)
    taken = set(q.unit_ids())
    mark = "@"
    while any(f"{u}{mark}{g}" in taken for u, groups in listed.items() if len(groups) > 1 for g in groups):
        mark += "@"  # a unit already has a copy's name
    copies: dict[str, tuple[str, ...]] = {}
    origin: dict[str, str] = {}
    home: dict[str, str] = {}
    for u, groups in listed.items():
        if len(groups) > 1:
            copies[u] = tuple(f"{u}{mark}{g}" for g in groups)
            for g, pid in zip(groups, copies[u]):
                origin[pid], home[pid] = u, g
    return Shares(copies=copies, origin=origin, home=home)


def split_fixed(shares: Shares, fixed: Mapping[str, bool], homes_fixed: Mapping[str, Sequence[str]]
                ) -> tuple[dict[str, bool], list[Clause]]:
    """Units fixed in or out, in copies: what each copy is fixed to, and the clauses left to say.

    A unit fixed out has every copy out. A unit fixed in has its copy in the group that
    must count it (``homes_fixed``: the mandatory groups every pathway satisfies), or
    else "some copy is taken" as a clause. Every unit with free copies takes at most one.

    Raises
    ------
    Infeasible
        When two mandatory groups must each count the same unit.
    """
    out: dict[str, bool] = {}
    clauses: list[Clause] = []
    for u, take in fixed.items():
        ids = shares.ids(u)
        if not take or len(ids) == 1:
            out.update(dict.fromkeys(ids, take))
            continue
        must = homes_fixed.get(u, ())
        if len(must) > 1:
            raise Infeasible(f"unit {u!r} must count towards both {must[0]!r} and {must[1]!r}")
        if must:
            out.update({pid: shares.home[pid] == must[0] for pid in ids})
        else:
            clauses.append(Clause(kind="needs", units=ids, one_of=ids))
    for ids in shares.copies.values():
        free = tuple(pid for pid in ids if pid not in out)
        if len(free) > 1:
            clauses.append(Clause(kind="barred", units=free))
    return out, clauses


def split_clauses(shares: Shares, clauses: Sequence[Clause]) -> list[Clause]:
    """Barred sets and prerequisites over units, said over their copies.

    A barred set holds at most one copy of all its units (copies of one unit exclude each
    other anyway). A prerequisite binds each copy of the unit that has it; a unit it
    requires is "one of its copies", so each copied unit of ``all_of`` is a clause of its own.
    """
    out: list[Clause] = []
    for clause in clauses:
        if clause.kind == "barred":
            out.append(Clause(kind="barred", units=shares.all_ids(clause.units)))
            continue
        single = tuple(u for u in clause.all_of if u not in shares.copies)
        needs = [(single, shares.all_ids(clause.one_of))] if single or clause.one_of else []
        needs += [((), shares.copies[u]) for u in clause.all_of if u in shares.copies]
        triggers: tuple[str | None, ...] = shares.ids(clause.trigger) if clause.trigger is not None else (None,)
        for trigger in triggers:
            for all_of, one_of in needs:
                members = tuple(dict.fromkeys(((trigger,) if trigger else ()) + all_of + one_of))
                out.append(Clause(kind="needs", units=members, trigger=trigger, all_of=all_of, one_of=one_of))
    return out
