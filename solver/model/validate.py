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

import difflib
import re
import unicodedata
from collections.abc import Collection, Iterator, Mapping
from decimal import Decimal
from typing import Any

from .errors import Location, RuleError
from .structure import Combination, Group, Qualification, Requirement, Unit, format_number

__all__ = ["iter_requirement_paths", "validate"]


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
    def __init__(self, q: Qualification, sources: Mapping[str, Location] | None,
                 broken: Collection[str]) -> None:
        self.q = q
        self.sources = sources or {}
        self.broken = frozenset(broken)
        self.errors: list[RuleError] = []
        # Unit ids cannot all be known when a unit (or a library) failed to decode; then
        # "unknown unit" would only repeat that problem.
        self.units_known = "units" not in self.broken and not any(
            _UNIT_ENTRY.fullmatch(p) for p in self.broken)

    def at(self, path: str, fallback: Location) -> Location:
        found = self.sources.get(path) if fallback.file == self.q.loc.file else None
        return found if found is not None else fallback.child(path)

    def report(self, path: str, fallback: Location, message: str) -> None:
        self.errors.append(RuleError(self.at(path, fallback), message))

    def was_broken(self, path: str) -> bool:
        """Whether the value at ``path`` (or inside it) was already reported as bad."""
        return any(b == path or b.startswith((f"{path}.", f"{path}[")) for b in self.broken)

    # -- checks ------------------------------------------------------------------
    def units(self) -> None:
        first: dict[str, Unit] = {}
        looks: dict[str, Unit] = {}
        for unit in self.q.units:
            path = _join(unit.loc.path, "id")
            if unit.id in first:
                other = first[unit.id].loc
                self.report(path, unit.loc, f"duplicate unit id {unit.id!r} (first defined at "
                            f"{other.file}:{other.line}); expected each unit id once")
                continue
            first[unit.id] = unit
            if not unit.id.strip() or unit.id.strip() != unit.id:
                self.report(path, unit.loc, f"found the unit id {unit.id!r}; expected an id that is not "
                            "blank and has no spaces at either end")
            hidden = [c for c in unit.id if _invisible(c)]
            if hidden:
                self.report(path, unit.loc, f"found the unit id {unit.id!r}, which holds "
                            f"{_describe_char(hidden[0])}; expected visible characters only")
            twin = looks.setdefault(_skeleton(unit.id), unit)
            if twin is not unit and not hidden:
                where = twin.loc
                self.report(path, unit.loc, f"found the unit id {unit.id!r}, which looks like {twin.id!r} "
                            f"(defined at {where.file}:{where.line}) but {_difference(unit.id, twin.id)}; "
                            "expected ids that cannot be mistaken for each other")

    def printable(self) -> None:
        """Ids and titles hold no control characters.

        Printed, an escape sequence clears or recolours a terminal, and a newline lets
        a file print a line that looks like qualpath's own.
        """
        named: list[tuple[str, Any, bool]] = [("", self.q, True)]
        for unit in self.q.units:
            named.append((unit.loc.path, unit, False))  # unit ids: checked with their look in units()
            named.extend((_join(unit.loc.path, f"elements[{i}]"), e, True) for i, e in enumerate(unit.elements))
        named.extend((path, node, True) for path, node in iter_requirement_paths(self.q))
        for path, thing, check_id in named:
            for key in ("id", "title") if check_id else ("title",):
                text = getattr(thing, key)
                bad = next((c for c in text if _control(c)), None)
                if bad is not None:
                    what = "id" if key == "id" else "title"
                    self.report(_join(path, key), thing.loc, f"found the {what} {_short(text)}, which holds "
                                f"{_describe_char(bad)}; expected printable text (no control characters "
                                "or line breaks)")

    def limits(self, path: str, node: Group | Combination | Qualification, fallback: Location) -> None:
        for what in ("credits", "units"):
            low, high = getattr(node, f"min_{what}"), getattr(node, f"max_{what}")
            if low is not None and high is not None and low > high:
                self.report(_join(path, f"min_{what}"), fallback,
                            f"found {_num(low)}, more than max_{what} {_num(high)}; expected min_{what} "
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
        if not self.q.requirements and not self.was_broken("requirements"):
            self.report("requirements", self.q.loc, "found no requirements; expected at least one group")

    def group(self, path: str, group: Group) -> None:
        if not group.units and not self.was_broken(_join(path, "units")):
            self.report(_join(path, "units"), group.loc, f"found no units in group {group.id!r}; "
                        "expected at least one unit id")
        seen: set[str] = set()
        for i, uid in enumerate(group.units):
            where = f"{path}.units[{i}]"
            if uid in seen:
                self.report(where, group.loc, f"found unit {uid!r} a second time in group {group.id!r}; "
                            "expected each unit once in a group")
            seen.add(uid)
            self.known(where, uid, group.loc)
        n = len(set(group.units))
        for key in ("min_units", "max_units"):
            value = getattr(group, key)
            if key == "min_units" and value is not None and value > n:
                self.report(_join(path, key), group.loc, f"found {value}, more than the {n} units in "
                            f"group {group.id!r}; expected at most {n}")

    def combination(self, path: str, node: Combination) -> None:
        count = len(node.requirements)
        if count == 0 and not self.was_broken(_join(path, "requirements")):
            self.report(_join(path, "requirements"), node.loc, f"found no sub-requirements in "
                        f"{node.kind} {node.id!r}; expected at least one")
        if node.kind == "at_least":
            if node.k is None and not self.was_broken(_join(path, "k")):
                self.report(path, node.loc, f"missing key 'k' in at_least {node.id!r}; expected how "
                            "many sub-requirements must hold")
            elif node.k is not None and count and not 1 <= node.k <= count:
                self.report(_join(path, "k"), node.loc, f"found k: {node.k}; expected 1 to {count} "
                            f"(the number of sub-requirements)")
        elif node.k is not None:
            self.report(_join(path, "k"), node.loc, f"found k on kind {node.kind}; expected k only with "
                        "kind at_least")

    def qualification_limits(self) -> None:
        self.limits("", self.q, self.q.loc)
        for i, rule in enumerate(self.q.level_rules):
            path = f"level_rules[{i}]"
            self.limits(path, rule, rule.loc)  # type: ignore[arg-type]
            if not rule.limits() and not self.was_broken(path):
                self.report(path, rule.loc, "found a level rule with no limit; expected min_credits, "
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
            if unit is None or unit.credits is not None:
                continue
            # A credits value that was given but bad is already reported (in this file, not a library).
            path = _join(unit.loc.path, "credits")
            if self.was_broken(path if unit.loc.file == self.q.loc.file else f"{unit.loc.file}#{path}"):
                continue
            self.errors.append(RuleError(unit.loc, f"found no credits for unit {uid!r}, but the rules "
                                         "count credits; expected a credits value"))

    def combinations_of_units(self) -> None:
        for i, barred in enumerate(self.q.barred):
            path = f"barred[{i}].units"
            for j, uid in enumerate(barred.units):
                self.known(f"{path}[{j}]", uid, barred.loc, listed=True)
            repeated = sorted({u for u in barred.units if barred.units.count(u) > 1})
            if repeated:
                self.report(path, barred.loc, f"found unit {repeated[0]!r} barred with itself; "
                            "expected different unit ids")
            elif len(barred.units) < 2 and not self.was_broken(path):
                self.report(path, barred.loc, f"found {len(barred.units)} unit; expected at least two "
                            "units that may not be taken together")
        graph: dict[str, set[str]] = {}
        for i, prereq in enumerate(self.q.prerequisites):
            path = f"prerequisites[{i}]"
            self.known(f"{path}.unit", prereq.unit, prereq.loc, listed=True)
            for key in ("requires", "requires_one_of"):
                given = getattr(prereq, key)
                for j, uid in enumerate(given):
                    self.known(f"{path}.{key}[{j}]", uid, prereq.loc, listed=True)
                if prereq.unit in given:
                    self.report(f"{path}.{key}", prereq.loc, f"found unit {prereq.unit!r} among its own "
                                "prerequisites; expected other units")
            if not (prereq.requires or prereq.requires_one_of or self.was_broken(f"{path}.requires")
                    or self.was_broken(f"{path}.requires_one_of")):
                self.report(path, prereq.loc, "found no prerequisite units; expected 'requires' or "
                            "'requires_one_of' with at least one unit id")
            graph.setdefault(prereq.unit, set()).update(u for u in prereq.requires if u != prereq.unit)
        cycle = _find_cycle(graph)
        if cycle:
            index = next(i for i, p in enumerate(self.q.prerequisites) if p.unit == cycle[0])
            self.report(f"prerequisites[{index}]", self.q.prerequisites[index].loc,
                        "found a prerequisite cycle " + " -> ".join([*cycle, cycle[0]])
                        + ", so no pathway can hold any of these units; expected no cycles")

    def known(self, path: str, uid: str, fallback: Location, *, listed: bool = False) -> None:
        """Report a reference to a unit that is not defined (or, if ``listed``, in no group)."""
        if not self.q.has_unit(uid):
            if self.units_known:
                self.report(path, fallback, f"unknown unit {uid!r}; expected the id of a unit defined "
                            f"under 'units' or in a library{_suggest(uid, self.q)}")
        elif listed and uid not in self._listed:
            self.report(path, fallback, f"found unit {uid!r}, which is in no group, so no pathway "
                        "can hold it; expected a unit listed in a group")

    @property
    def _listed(self) -> frozenset[str]:
        return frozenset(self.q.unit_ids())


def validate(q: Qualification, *, sources: Mapping[str, Location] | None = None,
             broken: Collection[str] = ()) -> list[RuleError]:
    """Every problem with a decoded qualification, located; empty when it is sound.

    Parameters
    ----------
    q
        The decoded qualification (units from libraries included).
    sources
        Document paths to file locations, as the loader records them; without
        it, problems are located at the enclosing object.
    broken
        Document paths whose values the loader already reported as bad (paths in
        a library are written ``file#path``); checks
        that would only repeat those problems (an empty list, a missing ``k``,
        unknown units when a unit failed to load) are skipped.

    Examples
    --------
    >>> from solver.model import Group, Qualification
    >>> q = Qualification(id="Q", title="T", requirements=(Group(id="A", units=("X",)),))
    >>> [e.message for e in validate(q)]  # doctest: +ELLIPSIS
    ["unknown unit 'X'; expected the id of a unit defined under 'units' or in a library"]
    """
    checker = _Checker(q, sources if sources is not None else getattr(q, "_sources", None), broken)
    checker.units()
    checker.printable()
    checker.requirements()
    checker.qualification_limits()
    checker.credits_present()
    checker.combinations_of_units()
    return sorted(checker.errors, key=lambda e: (e.location, e.message))


def _find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Find a cycle in a directed graph (a list of nodes, or ``[]``) by iterative depth-first search."""
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
    ids = [u.id for u in q.units]
    twin = next((other for other in ids if _skeleton(other) == _skeleton(uid)), None)
    if twin is not None:
        return f"; did you mean {twin!r}? (it {_difference(uid, twin)})"
    close = difflib.get_close_matches(uid, ids, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


_UNIT_ENTRY = re.compile(r"units\[\d+\](?:\.id)?")

# Letters of other scripts drawn like Latin ones (after case folding), mapped to the Latin letter.
_HOMOGLYPHS = str.maketrans(
    "авекмнорстухіјѕһԁԛԝ" "αβεζηικμνορτυχ",
    "abekmhopctyxijshdqw" "abezhikmnoptyx",
)


def _invisible(char: str) -> bool:
    """Characters that show as nothing or as a plain space (zero-width, no-break space, controls)."""
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Zl", "Zp") or (category == "Zs" and char != " ")


def _control(char: str) -> bool:
    """Characters a terminal acts on instead of showing: controls (escape, newline, tab) and line breaks."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


def _short(text: str) -> str:
    shown = repr(text)  # repr, so the control character is named, not acted on
    return shown if len(shown) <= 60 else f"{shown[:57]}...'"


def _skeleton(text: str) -> str:
    """Reduce an id to its look: NFKC, case folded, look-alike letters made Latin, invisibles dropped."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_HOMOGLYPHS)
    return "".join(c for c in folded if not _invisible(c))


#: Names of the control characters most often met (Unicode gives controls no names).
_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x07": "BELL",
                  "\x08": "BACKSPACE", "\x00": "NULL", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED"}


def _describe_char(char: str) -> str:
    name = unicodedata.name(char, _CONTROL_NAMES.get(char, "a control character"))
    return f"U+{ord(char):04X} {name}"


def _difference(a: str, b: str) -> str:
    """Say how two ids that look alike differ, e.g. "'А' is U+0410 CYRILLIC CAPITAL LETTER A"."""
    odd = [c for c in a if not c.isascii() and c not in b] or [c for c in b if not c.isascii() and c not in a]
    if odd:
        return f"differs: {odd[0]!r} is {_describe_char(odd[0])}"
    if _invisible_free(a).casefold() == _invisible_free(b).casefold():
        return "differs only in letter case"
    return "differs in characters that look alike"  # pragma: no cover - the cases above cover ids seen


def _invisible_free(text: str) -> str:
    return "".join(c for c in text if not _invisible(c))


def _num(value: Decimal | int) -> str:
    return format_number(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
