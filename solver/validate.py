"""Check a decoded qualification for problems the types alone cannot catch.

:func:`validate` returns every problem at once (it never raises), each
located in the file the designer wrote: duplicate ids, references to units
that do not exist, minimum above maximum, empty groups, impossible
``at_least`` counts, credit rules over units without credits, barred sets
and prerequisites that make no sense, and prerequisite cycles.

Whether the rules can all hold together is a different question, answered
by :func:`solver.check_feasible`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal

from .errors import Location, RuleError
from .model import Combination, Group, Qualification, Requirement

__all__ = ["validate", "iter_requirement_paths"]


def iter_requirement_paths(q: Qualification) -> Iterator[tuple[str, Requirement]]:
    """Every requirement with its document path (``requirements[2].requirements[0]``)."""
    stack = [(f"requirements[{i}]", r) for i, r in reversed(list(enumerate(q.requirements)))]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, Combination):
            stack.extend(
                (f"{path}.requirements[{i}]", r) for i, r in reversed(list(enumerate(node.requirements)))
            )


class _Checker:
    def __init__(self, q: Qualification, sources: Mapping[str, Location] | None) -> None:
        self.q = q
        self.sources = sources or {}
        self.errors: list[RuleError] = []

    def at(self, path: str, fallback: Location) -> Location:
        found = self.sources.get(path)
        return found if found is not None else fallback.child(path)

    def report(self, path: str, fallback: Location, message: str) -> None:
        self.errors.append(RuleError(self.at(path, fallback), message))

    # -- checks ------------------------------------------------------------------
    def units(self) -> None:
        first: dict[str, Location] = {}
        for unit in self.q.units:
            if unit.id in first:
                other = first[unit.id]
                self.errors.append(RuleError(
                    unit.loc.child(unit.loc.path + ".id" if unit.loc.path else "id"),
                    f"duplicate unit id {unit.id!r} (first defined at {other.file}:{other.line}); "
                    "expected each unit id once",
                ))
            else:
                first[unit.id] = unit.loc
            if unit.id.strip() != unit.id or not unit.id:
                self.errors.append(RuleError(unit.loc.child("id"), f"unit id {unit.id!r} is blank "
                                             "or has spaces at either end"))

    def limits(self, path: str, node: Group | Combination | Qualification, fallback: Location) -> None:
        for what in ("credits", "units"):
            low, high = getattr(node, f"min_{what}"), getattr(node, f"max_{what}")
            if low is not None and high is not None and low > high:
                self.report(_join(path, f"min_{what}"), fallback,
                            f"{_num(low)} is more than max_{what} {_num(high)}; expected min_{what} "
                            f"no more than max_{what}")

    def requirements(self) -> None:
        ids: dict[str, str] = {}
        for path, node in iter_requirement_paths(self.q):
            fallback = node.loc
            if node.id in ids:
                self.report(_join(path, "id"), fallback, f"duplicate requirement id {node.id!r} "
                            f"(also {ids[node.id]}); expected each requirement id once")
            ids.setdefault(node.id, path)
            self.limits(path, node, fallback)
            if isinstance(node, Group):
                self.group(path, node)
            else:
                self.combination(path, node)
        if not self.q.requirements:
            self.report("requirements", self.q.loc, "no requirements; expected at least one group")

    def group(self, path: str, group: Group) -> None:
        if not group.units:
            self.report(_join(path, "units"), group.loc, f"group {group.id!r} has no units; "
                        "expected at least one unit id")
        seen: set[str] = set()
        for i, uid in enumerate(group.units):
            where = f"{path}.units[{i}]"
            if uid in seen:
                self.report(where, group.loc, f"unit {uid!r} is listed twice in group {group.id!r}")
            seen.add(uid)
            if not self.q.has_unit(uid):
                self.report(where, group.loc, f"unknown unit {uid!r}; expected the id of a unit "
                            f"defined under 'units'{_suggest(uid, self.q)}")
        n = len(set(group.units))
        for key in ("min_units", "max_units"):
            value = getattr(group, key)
            if key == "min_units" and value is not None and value > n:
                self.report(_join(path, key), group.loc, f"{value} is more than the {n} units in "
                            f"group {group.id!r}; expected at most {n}")

    def combination(self, path: str, node: Combination) -> None:
        count = len(node.requirements)
        if count == 0:
            self.report(_join(path, "requirements"), node.loc, f"{node.kind} {node.id!r} has no "
                        "sub-requirements; expected at least one")
        if node.kind == "at_least":
            if node.k is None:
                self.report(path, node.loc, f"missing key 'k' in at_least {node.id!r}; expected how "
                            "many sub-requirements must hold")
            elif not 1 <= node.k <= max(count, 1):
                self.report(_join(path, "k"), node.loc, f"k is {node.k}; expected 1 to {count} "
                            f"(the number of sub-requirements)")
        elif node.k is not None:
            self.report(_join(path, "k"), node.loc, f"k is only used with kind at_least, not {node.kind}")

    def qualification_limits(self) -> None:
        self.limits("", self.q, self.q.loc)
        for i, rule in enumerate(self.q.level_rules):
            path = f"level_rules[{i}]"
            self.limits(path, rule, rule.loc)  # type: ignore[arg-type]
            if not rule.limits():
                self.report(path, rule.loc, "level rule sets no limit; expected min_credits, "
                            "max_credits, min_units or max_units")

    def credits_present(self) -> None:
        uses_credits = any(
            getattr(node, name) is not None
            for node in (self.q, *self.q.iter_requirements(), *self.q.level_rules)
            for name in ("min_credits", "max_credits")
        )
        if not uses_credits:
            return
        for uid in self.q.unit_ids():
            unit = self.q.unit(uid) if self.q.has_unit(uid) else None
            given = unit is not None and f"{unit.loc.path}.credits" in self.sources
            if unit is not None and unit.credits is None and not given:
                self.errors.append(RuleError(unit.loc.child(unit.loc.path or "units"),
                                             f"unit {uid!r} has no credits, but the rules count "
                                             "credits; expected a credits value"))

    def combinations_of_units(self) -> None:
        for i, barred in enumerate(self.q.barred):
            path = f"barred[{i}].units"
            self.known(path, barred.units, barred.loc)
            if len(set(barred.units)) < len(barred.units):
                self.report(path, barred.loc, "a unit is barred with itself; expected distinct unit ids")
            if len(set(barred.units)) < 2:
                self.report(path, barred.loc, "a barred combination needs at least two different units")
        graph: dict[str, set[str]] = {}
        for i, prereq in enumerate(self.q.prerequisites):
            path = f"prerequisites[{i}]"
            self.known(f"{path}.unit", (prereq.unit,), prereq.loc)
            self.known(f"{path}.requires", prereq.requires, prereq.loc)
            if prereq.unit in prereq.requires:
                self.report(f"{path}.requires", prereq.loc, f"unit {prereq.unit!r} is its own "
                            "prerequisite")
            if not prereq.requires:
                self.report(f"{path}.requires", prereq.loc, "no prerequisite units given")
            graph.setdefault(prereq.unit, set()).update(u for u in prereq.requires if u != prereq.unit)
        cycle = _find_cycle(graph)
        if cycle:
            index = next(i for i, p in enumerate(self.q.prerequisites) if p.unit == cycle[0])
            self.report(f"prerequisites[{index}]", self.q.prerequisites[index].loc,
                        "prerequisite cycle: " + " -> ".join([*cycle, cycle[0]])
                        + "; no pathway can hold any of these units")

    def known(self, path: str, unit_ids: tuple[str, ...], fallback: Location) -> None:
        listed = set(self.q.unit_ids())
        for j, uid in enumerate(unit_ids):
            where = f"{path}[{j}]" if not path.endswith(".unit") else path
            if not self.q.has_unit(uid):
                self.report(where, fallback, f"unknown unit {uid!r}{_suggest(uid, self.q)}")
            elif uid not in listed:
                self.report(where, fallback, f"unit {uid!r} is in no group, so no pathway can hold it")


def validate(q: Qualification, *, sources: Mapping[str, Location] | None = None) -> list[RuleError]:
    """Every problem with a decoded qualification, located; empty when it is sound.

    Parameters
    ----------
    q
        The decoded qualification (units from libraries included).
    sources
        Document paths to file locations, as the loader records them; without
        it, problems are located at the enclosing object.

    Examples
    --------
    >>> from solver.model import Group, Qualification
    >>> q = Qualification(id="Q", title="T", requirements=(Group(id="A", units=("X",)),))
    >>> [e.message for e in validate(q)]  # doctest: +ELLIPSIS
    ["unknown unit 'X'; expected the id of a unit defined under 'units'"]
    """
    checker = _Checker(q, sources if sources is not None else getattr(q, "_sources", None))
    checker.units()
    checker.requirements()
    checker.qualification_limits()
    checker.credits_present()
    checker.combinations_of_units()
    return sorted(checker.errors, key=lambda e: (e.location, e.message))


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """A cycle in a directed graph, as a list of nodes, or ``[]``; iterative depth-first search."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(graph.get(start, ()))))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            nxt = next(children, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(sorted(graph.get(nxt, ())))))
    return []


def _suggest(uid: str, q: Qualification) -> str:
    import difflib

    close = difflib.get_close_matches(uid, [u.id for u in q.units], n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def _num(value: Decimal | int) -> str:
    from .model import format_number

    return format_number(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
