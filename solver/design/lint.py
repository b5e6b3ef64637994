"""Is the structure sound? Findings a committee can read, each proved exactly.

:func:`lint` looks for what a designer would want to know before publishing
rules of combination: units no pathway can hold (*dead*) or every pathway
must hold although they are optional (*forced*), rules that change nothing
(*redundant*, proved by exact counts: relaxing a rule only ever adds
pathways, so equal counts mean equal sets) and rules that decide the
minimum (*tight*), declared handbook figures that disagree with what the
rules imply, requirements that cannot be met, and UK regulatory checks
(credit against total qualification time, the size band in the title, units
above the qualification's level).

Every check uses an exact method: the dynamic programmes of :mod:`solver.exact.tree`
when they apply, otherwise counting by enumeration with a time limit. A check
that ran out of time is reported as a ``not-checked`` finding, never guessed.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> report = lint(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
>>> report.worst is Severity.INFO
True
>>> sorted({f.code for f in report.findings})
['declared-ok', 'tight-rule', 'unit-above-level']
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from .. import exact
from ..answers.count import count_pathways
from ..model.errors import Location
from ..model.results import NOT_KNOWN, NotKnown, Status
from ..model.rules import RuleRef, iter_rules, relax
from ..model.structure import Combination, Group, Qualification, Requirement, format_number
from ..model.validate import iter_requirement_paths

__all__ = ["Finding", "LintReport", "Severity", "count_exact", "format_lint", "lint", "minimum",
           "unit_presence_exact"]


class Severity(StrEnum):
    """How much a finding matters: ``error`` > ``warning`` > ``info``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for errors, 1 for warnings, 0 for information."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing lint found: what (``code``), how much it matters, where, and why in one sentence."""

    code: str
    severity: Severity
    message: str
    location: Location
    subject: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``code``, ``severity``, ``subject``, ``message`` and the location."""
        loc = self.location
        return {"code": self.code, "severity": self.severity.value, "subject": self.subject,
                "message": self.message, "file": loc.file, "line": loc.line, "column": loc.column,
                "path": loc.path}

    def __str__(self) -> str:
        loc = self.location
        where = f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file
        return f"{where}: {self.severity.value}: {self.code}: {self.message}"


@dataclass(frozen=True, slots=True, kw_only=True)
class LintReport:
    """The findings about one qualification, in file order within each check."""

    qualification: str
    title: str
    findings: tuple[Finding, ...]
    pathways: int | NotKnown = NOT_KNOWN
    """The exact number of pathways, or :data:`NOT_KNOWN` when the count did not finish."""
    method: str = ""

    @property
    def worst(self) -> Severity | None:
        """The most serious severity found (``None`` when there are no findings)."""
        if not self.findings:
            return None
        return max((f.severity for f in self.findings), key=lambda s: s.rank)

    def fails(self, at: Severity | str = Severity.WARNING) -> bool:
        """Whether any finding is at least as serious as ``at``."""
        level = Severity(at)
        return any(f.severity.rank >= level.rank for f in self.findings)

    def at_least(self, severity: Severity | str) -> LintReport:
        """Return the same report keeping only findings at least as serious as ``severity``."""
        level = Severity(severity)
        kept = tuple(f for f in self.findings if f.severity.rank >= level.rank)
        return LintReport(qualification=self.qualification, title=self.title, findings=kept,
                          pathways=self.pathways, method=self.method)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        pathways = None if self.pathways is NOT_KNOWN else self.pathways
        return {"qualification": self.qualification, "title": self.title, "pathways": pathways,
                "method": self.method, "worst": None if self.worst is None else self.worst.value,
                "findings": [f.to_dict() for f in self.findings]}


# -- exact helpers (shared with solver.design.diff) ------------------------------------------------------
def count_exact(q: Qualification, forced: Mapping[str, bool] | None = None, *,
                timeout: float | None = 10.0) -> int | NotKnown:
    """Count exactly the pathways respecting ``forced``, or :data:`NOT_KNOWN` when it could not be finished.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> count_exact(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    4
    """
    forced = dict(forced or {})
    try:
        return exact.solve(q, exact.COUNT, forced=forced, timeout=timeout)
    except TimeoutError:
        return NOT_KNOWN
    except exact.NotSupported:
        result = count_pathways(q, include=[u for u, v in forced.items() if v],
                                exclude=[u for u, v in forced.items() if not v], timeout=timeout)
        return result.pathways if result.status is Status.COMPLETE else NOT_KNOWN


def minimum(q: Qualification, costs: Mapping[str, Decimal | int], *,
            timeout: float | None = None) -> tuple[Decimal | int, int] | None:
    """Find the least total cost over all pathways and how many pathways reach it.

    ``costs`` maps unit ids to their cost (missing units cost 0). Returns
    ``None`` when there is no pathway, or the exact programme cannot take ``q`` or
    does not finish within ``timeout`` seconds.

    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> minimum(q, dict.fromkeys(q.unit_ids(), 1))
    (5, 4)
    """
    ring = exact.MinCount({u: (costs.get(u, 0),) for u in q.unit_ids()}, width=1).semiring()
    try:
        best, ways = exact.solve(q, ring, timeout=timeout)
    except (exact.NotSupported, TimeoutError):
        return None
    return (best[0], ways) if ways else None


def unit_presence_exact(q: Qualification, *, timeout: float | None = 10.0,
                        units: Sequence[str] | None = None) -> dict[str, int | NotKnown]:
    """How many pathways hold each candidate unit (:data:`NOT_KNOWN` where the count could not be finished).

    ``units`` limits the answer to those units where each is counted on its own (the
    engines that count every unit in one pass answer for all of them).
    """
    wanted = q.unit_ids() if units is None else tuple(units)
    if exact.supports(q) is None:
        engine = exact.Engine(q, exact.COUNT)
        return {u: engine.solve({u: True}) for u in wanted}
    # one limit for all the units, not one each
    deadline = None if timeout is None else time.monotonic() + timeout
    if exact.choose(q, exact.Question.COUNT).engine is not None:
        try:  # every unit's count from one pass of the frontier or unit-type programme
            return dict(exact.presence(q, timeout=timeout))
        except TimeoutError:
            return dict.fromkeys(wanted, NOT_KNOWN)
        except exact.NotSupported:
            pass
    return {u: count_exact(q, {u: True}, timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
            for u in wanted}


def _credits(q: Qualification, uid: str) -> Decimal:
    return q.unit(uid).credits or Decimal(0)


def _units_below(node: Requirement) -> tuple[str, ...]:
    if isinstance(node, Group):
        return node.units
    return tuple(u for child in node.requirements for u in _units_below(child))


def _plural(n: int | Decimal, word: str) -> str:
    return f"{format_number(n)} {word}{'' if n == 1 else 's'}"


def _breaking(q: Qualification, rule: RuleRef) -> list[dict[str, bool]] | None:
    """The ways a pathway breaks a barred set or prerequisite, as units fixed in and out (``None``: another rule).

    A barred set is broken by any two of its units taken; a prerequisite by its unit taken
    with one of the units it requires left out, or every unit of its "one of" left out.

    >>> from solver.model import Barred, Group, Prerequisite, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abcd"),
    ...     requirements=(Group(id="G", units=tuple("abcd")),), barred=(Barred(units=("a", "b", "c")),),
    ...     prerequisites=(Prerequisite(unit="d", requires=("a",), requires_one_of=("b", "c")),))
    >>> barred, needs = [_breaking(q, r) for r in iter_rules(q) if r.field in ("barred", "prerequisite")]
    >>> barred
    [{'a': True, 'b': True}, {'a': True, 'c': True}, {'b': True, 'c': True}]
    >>> needs
    [{'d': True, 'a': False}, {'d': True, 'b': False, 'c': False}]
    """
    if rule.field not in ("barred", "prerequisite"):
        return None
    index = int(rule.path[rule.path.index("[") + 1:-1])  # "barred[3]", "prerequisites[0]"
    if rule.field == "barred":
        units = list(dict.fromkeys(q.barred[index].units))
        return [{u: True, v: True} for i, u in enumerate(units) for v in units[i + 1:]]
    if rule.field == "prerequisite":
        p = q.prerequisites[index]
        ways = [{p.unit: True, r: False} for r in dict.fromkeys(p.requires) if r != p.unit]
        if p.requires_one_of:
            ways.append({p.unit: True, **dict.fromkeys(p.requires_one_of, False)})
    return ways


#: Less than any step between two totals of unit credits: "below 12 credits" is "at most 12 - _STEP".
_STEP = Decimal("1e-9")


def _broken_limit(q: Qualification, rule: RuleRef, relaxed: Qualification) -> Qualification | None:
    """``relaxed`` (``q`` without ``rule``) limited to the pathways that break ``rule``, a limit.

    A minimum becomes a maximum just below it, a maximum a minimum just above it (each
    joined with the other limit the rule's holder has). That is exact where every pathway
    must keep the limit: the qualification's totals and level rules (whatever the groups), and
    requirements reached through "all of" only, in a structure whose units each count in one
    group. Elsewhere (a choice's child, overlapping pools) ``None``: breaking the limit need not
    gain a pathway.

    >>> from decimal import Decimal
    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u, credits=Decimal(5)) for u in "ab"),
    ...     requirements=(Group(id="G", units=("a", "b"), min_credits=Decimal(5), max_credits=Decimal(8)),))
    >>> rule = next(r for r in iter_rules(q) if r.field == "min_credits")
    >>> group = _broken_limit(q, rule, relax(q, [rule])).requirements[0]
    >>> group.min_credits, group.max_credits
    (None, Decimal('4.999999999'))
    """
    if rule.field == "mandatory":
        return _short_of_all(q, rule, relaxed)
    if rule.field not in ("min_credits", "max_credits", "min_units", "max_units"):
        return None
    # the qualification's totals and its level rules count every unit taken, once, however the
    # units are allocated to groups
    if rule.path == "":
        return dataclasses.replace(relaxed, **_broken_of(q, relaxed, rule))
    if rule.path.startswith("level_rules["):
        i = int(rule.path[len("level_rules["):-1])
        rules = list(relaxed.level_rules)
        rules[i] = dataclasses.replace(rules[i], **_broken_of(q.level_rules[i], rules[i], rule))
        return dataclasses.replace(relaxed, level_rules=tuple(rules))
    listed = [u for g in q.iter_groups() for u in g.units]
    if any(g.double_counting for g in q.iter_groups()) or len(listed) != len(set(listed)):
        return None
    return _changed_at(q, relaxed, rule.path, lambda original, node: dataclasses.replace(
        node, **_broken_of(original, node, rule)))


def _short_of_all(q: Qualification, rule: RuleRef, relaxed: Qualification) -> Qualification | None:
    """``relaxed`` limited to the pathways that leave out a unit of the mandatory group ``rule`` names.

    The group, no longer mandatory, may hold one unit fewer than it lists. Exact when every
    pathway must hold the group (:func:`_changed_at`) and no other group lists its units
    (taking them is then counting them towards it); else ``None``.

    >>> from solver.model import Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="M", units=("a", "b"), mandatory=True), Group(id="G", units=("c",))))
    >>> rule = next(r for r in iter_rules(q) if r.field == "mandatory")
    >>> group = _short_of_all(q, rule, relax(q, [rule])).requirements[0]
    >>> group.mandatory, group.max_units
    (False, 1)
    """
    mine = dict(iter_requirement_paths(q))[rule.path]
    if {u for g in q.iter_groups() if g is not mine for u in g.units} & set(_units_below(mine)):
        return None

    def short(original: Any, node: Any) -> Any:
        listed = len(dict.fromkeys(original.units))
        return dataclasses.replace(node, max_units=listed - 1 if node.max_units is None
                                   else min(node.max_units, listed - 1))

    return _changed_at(q, relaxed, rule.path, short)


def _changed_at(q: Qualification, relaxed: Qualification, path: str,
                change: Callable[[Any, Any], Any]) -> Qualification | None:
    """``relaxed`` with its requirement at ``path`` changed (``change(original, relaxed_node)``).

    ``None`` where a choice lies on the way: one of its parts may fail while the choice holds,
    so changing the part does not limit every pathway.
    """
    def down(originals: tuple[Requirement, ...], parts: tuple[Requirement, ...],
             rest: list[int]) -> tuple[Requirement, ...] | None:
        i, original, node = rest[0], originals[rest[0]], parts[rest[0]]
        if len(rest) == 1:
            changed: Requirement = change(original, node)
        elif (not isinstance(node, Combination) or not isinstance(original, Combination)
              or node.needed() < len(node.requirements)):
            return None  # not a combination, or a choice
        else:
            below = down(original.requirements, node.requirements, rest[1:])
            if below is None:
                return None
            changed = dataclasses.replace(node, requirements=below)
        return (*parts[:i], changed, *parts[i + 1:])

    steps = [int(part[part.index("[") + 1:-1]) for part in path.split(".")]  # requirements[1].requirements[0]
    limited = down(q.requirements, relaxed.requirements, steps)
    return None if limited is None else dataclasses.replace(relaxed, requirements=limited)


def _broken_of(original: Any, relaxed: Any, rule: RuleRef) -> dict[str, Any]:
    """The limit that keeps to where ``original``'s limit ``rule`` fails, joined with ``relaxed``'s other one."""
    bound, what = rule.field.split("_")
    other = f"{'max' if bound == 'min' else 'min'}_{what}"
    step: Decimal | int = 1 if what == "units" else _STEP
    value = getattr(original, rule.field)
    kept = getattr(relaxed, other)
    edge = value - step if bound == "min" else value + step
    if kept is not None:
        edge = min(kept, edge) if bound == "min" else max(kept, edge)
    return {other: edge}


# -- the checks ------------------------------------------------------------------------------------
class _Linter:
    def __init__(self, q: Qualification, timeout: float | None) -> None:
        self.q = q
        self.timeout = timeout
        # one limit for the whole lint: each count gets what is left of it
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.findings: list[Finding] = []
        self.declined = False  # the last check left undone was declined by the engines, not cut short
        self.total = count_exact(q, timeout=timeout)

    def left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def add(self, code: str, severity: Severity, message: str, location: Location, subject: str = "") -> None:
        self.findings.append(Finding(code=code, severity=severity, message=message, location=location,
                                     subject=subject))

    def count(self, q: Qualification, forced: Mapping[str, bool] | None = None) -> int | NotKnown:
        """:func:`count_exact` within what is left of the limit; not tried once it has passed.

        Every count plans its structure first (about a tenth of a second at 200 courses): a lint
        of hundreds of rules would otherwise run on long past its limit.
        """
        self.declined = False  # a count not finished ran out of time
        left = self.left()
        return NOT_KNOWN if left == 0 else count_exact(q, forced, timeout=left)

    def least(self, q: Qualification, costs: Mapping[str, Decimal | int]) -> tuple[Decimal | int, int] | None:
        """:func:`minimum` within what is left of the limit (``None`` once it has passed)."""
        left = self.left()
        return None if left == 0 else minimum(q, costs, timeout=left)

    def lowest(self, q: Qualification, costs: Mapping[str, Decimal | int]) -> Decimal | int | None:
        """The least total of ``costs`` over ``q``'s pathways alone, within what is left of the limit.

        :func:`solver.exact.least`; ``None`` when there is no pathway or it did not finish.
        """
        found = self.lowest_breaking(q, [costs], [{}])[0]
        return None if found is NOT_KNOWN else found

    def lowest_breaking(self, q: Qualification, objectives: list[Mapping[str, Decimal | int]],
                        ways: list[dict[str, bool]]) -> list[Decimal | int | NotKnown | None]:
        """Each objective's least total over the pathways of ``q`` that fix units as one of ``ways`` does.

        The objectives side by side in one pass per way (:func:`solver.exact.least_each`).
        ``None`` where no pathway does; :data:`NOT_KNOWN` (for every objective) when a solve
        did not finish within what is left of the limit, or no exact engine takes ``q``.
        """
        self.declined = False
        values: list[list[Decimal | int]] = [[] for _ in objectives]
        for forced in ways:
            left = self.left()
            if left == 0:
                return [NOT_KNOWN] * len(objectives)
            try:
                found = exact.least_each(q, objectives, forced=forced, timeout=left)
            except (exact.NotSupported, TimeoutError) as exc:
                self.declined = isinstance(exc, exact.NotSupported)
                return [NOT_KNOWN] * len(objectives)
            for kept, value in zip(values, found):
                if value is not None:
                    kept.append(value)
        return [min(kept) if kept else None for kept in values]

    def why_not(self) -> str:
        """Why the last check left undone was: no exact engine took its structure, or lint's time ran out."""
        if self.timeout is None or self.declined:
            return "no exact engine could work it out"
        return f"lint's {self.timeout:g} s ran out before it (--timeout allows more)"

    def not_checked(self, what: str, location: Location, subject: str = "") -> None:
        self.add("not-checked", Severity.INFO, f"{what} was not checked: {self.why_not()}.", location, subject)

    def run(self) -> None:
        self.unreachable()
        if self.total is NOT_KNOWN:
            self.not_checked("Whether the structure can be achieved", self.q.loc, self.q.id)
        elif self.total == 0:
            self.infeasible()
            self.regulatory()
            return
        else:
            self.units()
            self.rules()
            self.declared()
        self.regulatory()
        self.unused()

    # unreachable requirements: a minimum its own units cannot meet
    def unreachable(self) -> None:
        q = self.q
        for path, node in iter_requirement_paths(q):
            units = list(dict.fromkeys(_units_below(node)))
            most = sum((_credits(q, u) for u in units), Decimal(0))
            where = q.where(f"{path}.min_credits", node.loc)
            if node.min_credits is not None and node.min_credits > most:
                self.add("unreachable", Severity.ERROR,
                         f"{node.id} asks for at least {_plural(node.min_credits, 'credit')} but all its "
                         f"units together are worth {_plural(most, 'credit')}.", where, node.id)
            if node.min_units is not None and node.min_units > len(units):
                self.add("unreachable", Severity.ERROR,
                         f"{node.id} asks for at least {_plural(node.min_units, 'unit')} but lists only "
                         f"{len(units)}.", q.where(f"{path}.min_units", node.loc), node.id)
        for i, rule in enumerate(q.level_rules):
            members = [u for u in q.unit_ids() if rule.applies_to(q.unit(u).level)]
            most = sum((_credits(q, u) for u in members), Decimal(0))
            if rule.min_credits is not None and rule.min_credits > most:
                self.add("unreachable", Severity.ERROR,
                         f"The level rule asks for {_plural(rule.min_credits, 'credit')} "
                         f"{rule.describe().split(' ', 3)[-1]} but the units it applies to are worth "
                         f"{_plural(most, 'credit')} in all.", q.where(f"level_rules[{i}]", rule.loc))
            if rule.min_units is not None and rule.min_units > len(members):
                self.add("unreachable", Severity.ERROR,
                         f"The level rule asks for {_plural(rule.min_units, 'unit')} but only "
                         f"{len(members)} units fall under it.", q.where(f"level_rules[{i}]", rule.loc))

    def infeasible(self) -> None:
        from ..answers.feasible import check_feasible
        from ..answers.summary import exact_feasible

        clash = check_feasible(self.q, is_feasible=exact_feasible).conflict
        names = "; ".join(r.label for r in clash)
        self.add("infeasible", Severity.ERROR,
                 f"No pathway satisfies every rule; these {len(clash)} rules cannot all hold together: "
                 f"{names}.",
                 clash[0].location if clash else self.q.loc, self.q.id)

    # dead and forced units
    def units(self) -> None:
        q, total = self.q, self.total
        presence = unit_presence_exact(q, timeout=self.left())
        mandatory = {u for g in q.iter_groups() if g.mandatory for u in g.units}
        dead = [uid for uid, n in presence.items() if n == 0 and total is not NOT_KNOWN]
        why = self.why_dead(dead)
        for uid, n in presence.items():
            unit = q.unit(uid)
            if n is NOT_KNOWN or total is NOT_KNOWN:
                self.not_checked(f"Whether unit {uid} is dead or forced", unit.loc, uid)
            elif n == 0:
                self.add("dead-unit", Severity.WARNING,
                         f"Unit {uid} ({_plural(_credits(q, uid), 'credit')}) is in no valid pathway"
                         f"{why[uid]}.", unit.loc, uid)
            elif n == total and uid not in mandatory:
                self.add("forced-unit", Severity.WARNING,
                         f"Unit {uid} is listed as optional but every one of the {total:,} pathways "
                         "holds it.", unit.loc, uid)

    def why_dead(self, dead: Sequence[str]) -> dict[str, str]:
        """For each dead unit, the single rules without which it would be in a pathway.

        Each rule relaxed is one structure: every dead unit is looked up in one count of
        each unit of it (one pass back through the frontier or unit-type programme's
        tables), not counted on its own with every rule relaxed.
        """
        revive: dict[str, list[RuleRef]] = {u: [] for u in dead}
        unknown: dict[str, list[RuleRef]] = {u: [] for u in dead}
        for rule in iter_rules(self.q) if dead else ():
            relaxed = relax(self.q, [rule])
            left = self.left()
            if len(dead) == 1:
                held = {dead[0]: self.count(relaxed, {dead[0]: True})}
            else:
                held = (dict.fromkeys(dead, NOT_KNOWN) if left == 0
                        else unit_presence_exact(relaxed, timeout=left, units=dead))
            for uid in dead:
                n = held.get(uid, NOT_KNOWN)
                if n is NOT_KNOWN:
                    unknown[uid].append(rule)
                elif n > 0:
                    revive[uid].append(rule)
        return {uid: self.blame(revive[uid], unknown[uid]) for uid in dead}

    def blame(self, revive: list[RuleRef], unknown: list[RuleRef]) -> str:
        """The end of a dead unit's message: which rules revive it, and which were not checked."""
        text = ("; it becomes possible without " + " or ".join(f"'{r.label}'" for r in revive)) if revive else ""
        if unknown:
            # a rule whose count did not finish may revive it too: say so rather than guess
            return text + (f"; whether it becomes possible without {_quoted(unknown)} was not checked "
                           f"({self.why_not()})")
        if not revive:
            return "; no single rule is to blame"
        return text.replace("possible without", "possible only without")

    # redundant and tight rules
    def rules(self) -> None:
        """Redundant and tight rules; then, in the time left, which rules imply each redundant one.

        Naming the implying rules takes two counts per other rule, so it waits until every
        rule has been checked: on a large structure the limit goes to checking more rules.
        """
        q, total = self.q, self.total
        credits = {u: _credits(q, u) for u in q.unit_ids()}
        measure = "credits" if q.counts_credits() else "units"
        costs: dict[str, Decimal | int] = dict(credits) if measure == "credits" else dict.fromkeys(credits, 1)
        best = self.lowest(q, costs)
        fewest = self.lowest(q, dict.fromkeys(credits, 1)) if measure == "credits" else None
        redundant: list[tuple[int, RuleRef]] = []
        for rule in iter_rules(q):
            relaxed = relax(q, [rule])
            ways = _breaking(q, rule)
            breaking = _broken_limit(q, rule, relaxed) if ways is None else relaxed
            if breaking is not None and total is not NOT_KNOWN:
                self.by_breaking(rule, breaking, ways or [{}], costs, best, fewest, redundant)
                continue
            n = self.count(relaxed)
            if n is NOT_KNOWN or total is NOT_KNOWN:
                self.not_checked(f"Whether '{rule.label}' is redundant", rule.location, rule.label)
            elif n == total:
                self.found_redundant(rule, redundant)
            elif rule.field != "mandatory":  # a mandatory group decides every minimum it touches
                low = self.lowest(relaxed, costs)
                tight = best is not None and low is not None and low < best
                units = self.lowest(relaxed, dict.fromkeys(credits, 1)) if fewest is not None and not tight else None
                self.found_tight(rule, measure, (low, best), (units, fewest))
        # the rules whose trials are least costs first (barred sets, prerequisites, mandatory
        # groups, the totals, level rules); those that need two counts a trial after
        quick = ("barred", "prerequisite", "mandatory")
        for index, rule in sorted(redundant, key=lambda found: not (
                found[1].field in quick or found[1].path == "" or found[1].path.startswith("level_rules["))):
            finding = self.findings[index]
            self.findings[index] = dataclasses.replace(
                finding, message=f"{finding.message}: {self.implied_by(rule)}.")

    def by_breaking(self, rule: RuleRef, breaking: Qualification, ways: list[dict[str, bool]],
                    costs: Mapping[str, Decimal | int], best: Decimal | int | None, fewest: Decimal | int | None,
                    redundant: list[tuple[int, RuleRef]]) -> None:
        """Whether ``rule`` is redundant or tight, from the pathways that break it.

        Without the rule, the pathways gained are exactly those that break it: the pathways
        of ``breaking`` that fix units as one of ``ways`` does (:func:`_breaking`,
        :func:`_broken_limit`). The rule is redundant when none exists, and it decides the
        minimum when the cheapest of them is cheaper than the cheapest pathway. A least cost
        is one number per cell of the tables, where counting the pathways of the relaxed
        structure to compare with the total takes several (residues past 62 units): about
        six times less work on a 200-course programme.
        """
        measure = "credits" if self.q.counts_credits() else "units"
        objectives = [costs] if fewest is None else [costs, dict.fromkeys(self.q.unit_ids(), 1)]
        low, *rest = self.lowest_breaking(breaking, objectives, ways)
        if low is NOT_KNOWN:
            self.not_checked(f"Whether '{rule.label}' is redundant", rule.location, rule.label)
        elif low is None:
            self.found_redundant(rule, redundant)
        elif rule.field != "mandatory":  # a mandatory group decides every minimum it touches
            units = rest[0] if rest and rest[0] is not NOT_KNOWN else None
            self.found_tight(rule, measure, (low, best), (units, fewest))

    def found_redundant(self, rule: RuleRef, redundant: list[tuple[int, RuleRef]]) -> None:
        """Say that dropping ``rule`` changes no pathway; which rules imply it is added at the end."""
        # info, not warning: handbooks often restate a total the groups already imply
        redundant.append((len(self.findings), rule))
        self.add("redundant-rule", Severity.INFO,
                 f"Removing '{rule.label}' on its own leaves the {self.total:,} pathways exactly as they "
                 "are", rule.location, rule.label)

    def found_tight(self, rule: RuleRef, measure: str, least: tuple[Any, Any], fewest: tuple[Any, Any]) -> None:
        """Say whether ``rule`` decides the minimum, or else the fewest units.

        ``least`` and ``fewest`` pair the least cost and fewest units without the rule with
        those with it (``None`` where not known).
        """
        (low, best), (units, most) = least, fewest
        if best is not None and low is not None and low < best:
            self.add("tight-rule", Severity.INFO,
                     f"'{rule.label}' decides the minimum: without it a pathway could have "
                     f"{_plural(low, measure[:-1])} instead of {format_number(best)}.", rule.location, rule.label)
        elif most is not None and units is not None and units < most:
            self.add("tight-rule", Severity.INFO,
                     f"'{rule.label}' decides the fewest units: without it a pathway could have "
                     f"{_plural(units, 'unit')} instead of {most}.", rule.location, rule.label)

    def implied_by(self, rule: RuleRef) -> str:
        """Name the other rules that imply ``rule``: a set found by deletion filtering.

        ``rule`` is implied by a set ``S`` of rules when, with every rule outside ``S`` removed,
        removing ``rule`` too changes no pathway. Starting from all the other rules, each is
        dropped for good when the rest still imply ``rule``. Where every rule is a fixed
        condition on a pathway (groups directly under the qualification), more rules imply
        whatever fewer do, and the set left is minimal; inside a choice a group's limits
        decide whether the choice holds, and a smaller set may exist. Each trial asks, as
        :meth:`by_breaking` does, whether some pathway without ``rule`` breaks it: one least
        cost, where comparing two counts took two passes with residues.
        """
        q = self.q
        others = [r for r in iter_rules(q) if r != rule]
        ways = _breaking(q, rule)
        fewest: list[Mapping[str, Decimal | int]] = [dict.fromkeys(q.unit_ids(), 1)]

        def implies(kept: list[RuleRef]) -> bool | None:
            dropped = [r for r in others if r not in kept]
            without = relax(q, [*dropped, rule])
            breaking = _broken_limit(relax(q, dropped), rule, without) if ways is None else without
            if breaking is not None:
                low = self.lowest_breaking(breaking, fewest, ways or [{}])[0]
                return None if low is NOT_KNOWN else low is None
            with_rule = self.count(relax(q, dropped))
            count = self.count(without)
            if with_rule is NOT_KNOWN or count is NOT_KNOWN:
                return None
            return with_rule == count

        kept = list(others)
        for other in others:
            trial = [r for r in kept if r != other]
            verdict = implies(trial)
            if verdict is None:
                return "the other rules already imply it (which of them was not worked out within the time limit)"
            if verdict:
                kept = trial
        if not kept:
            return "it limits nothing a pathway could do (the units it counts cannot break it)"
        return f"{_quoted(kept)} already {'implies' if len(kept) == 1 else 'imply'} it"

    # declared figures
    def declared(self) -> None:
        q = self.q
        outside: dict[str, int] = {}
        for group in q.iter_groups():
            for uid in set(group.units):
                outside[uid] = outside.get(uid, 0) + 1
        for path, node in iter_requirement_paths(q):
            if node.declared is None:
                continue
            units = set(_units_below(node))
            listings = sum(len(set(g.units)) for g in _groups_below(node))
            shared = listings != sum(outside[u] for u in units) or any(
                g.double_counting for g in _groups_below(node))
            if shared:
                self.add("not-checked", Severity.INFO,
                         f"The figures declared for {node.id} were not checked: some of its units are also "
                         "listed elsewhere, so what it counts depends on the allocation.",
                         q.where(f"{path}.declared", node.loc), node.id)
                continue
            self.declared_node(path, node, units)
        self.declared_total()

    def declared_node(self, path: str, node: Requirement, units: set[str]) -> None:
        q = self.q
        if node.declared is None:
            return
        name = node.title or node.id
        if node.declared.credits is not None:
            if isinstance(node, Group) and node.mandatory:
                whole = sum((_credits(q, u) for u in node.units), Decimal(0))
                self.compare(f"{path}.declared.credits", node, "Credit Value", node.declared.credits,
                             (whole, self.total), "the sum of its mandatory units' credits")
            else:
                low = self.least(q, {u: _credits(q, u) for u in units})
                self.compare(f"{path}.declared.credits", node, "Credit Value", node.declared.credits, low,
                             f"the fewest credits a pathway takes from {name}")
        if node.declared.units is not None:
            low = self.least(q, dict.fromkeys(units, 1))
            self.compare(f"{path}.declared.units", node, "Units Required", node.declared.units, low,
                         f"the fewest units a pathway takes from {name}")

    def declared_total(self) -> None:
        q = self.q
        d = q.declared
        if d is None:
            return
        credits = {u: _credits(q, u) for u in q.unit_ids()}
        for key, words, costs in (("min_credits", "Minimum Credit Value", credits),
                                  ("credits", "Credit Value", credits),
                                  ("units", "Units Required", dict.fromkeys(credits, 1))):
            value = getattr(d, key)
            if value is not None:
                low = self.least(q, costs)
                what = "units" if key == "units" else "credits"
                self.compare(f"declared.{key}", q, words, value, low, f"the fewest {what} of any pathway")

    def compare(self, path: str, node: Requirement | Qualification, words: str, stated: Decimal | int,
                low: tuple[Decimal | int, int | NotKnown] | None, meaning: str) -> None:
        where = self.q.where(path, node.loc)
        name = node.title or node.id
        if low is None:
            self.add("not-checked", Severity.INFO, f"The declared {words} of {name} was not checked: "
                     "the exact minimum could not be computed.", where, node.id)
        elif low[0] != stated:
            self.add("declared-mismatch", Severity.ERROR,
                     f"The handbook states {words}: {format_number(stated)} for {name}, but {meaning} is "
                     f"{format_number(low[0])}.", where, node.id)
        else:
            ways = "" if low[1] is NOT_KNOWN else f" ({low[1]:,} pathways take exactly that)"
            self.add("declared-ok", Severity.INFO,
                     f"The handbook's {words}: {format_number(stated)} for {name} checks out: "
                     f"it is {meaning}{ways}.", where, node.id)

    # UK regulatory checks
    def regulatory(self) -> None:
        q = self.q
        value = self.credit_value()
        if q.tqt is not None and value is not None:
            expected = (q.tqt / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            if expected != value:
                self.add("credit-tqt", Severity.WARNING,
                         f"The credit value {format_number(value)} should be one tenth of the total "
                         f"qualification time ({format_number(q.tqt)} hours), rounded: "
                         f"{format_number(expected)}.", q.where("tqt"), q.id)
        match = re.search(r"\b(Award|Certificate|Diploma)\b", q.title, re.IGNORECASE)
        if match and value is not None and q.level is not None and q.counts_credits():
            word = match.group(1).title()
            low, high = _BANDS[word]
            if value < low or (high is not None and value > high):
                band = f"{low} to {high}" if high is not None else f"{low} or more"
                self.add("size-band", Severity.WARNING,
                         f"The title says {word}, which under the Ofqual (QCF) size bands means {band} "
                         f"credits, but the credit value is {format_number(value)}.", q.where("title"), q.id)
        if q.level is not None and self.total is not NOT_KNOWN and self.total > 0:
            self.above_level(q.level)

    def credit_value(self) -> Decimal | None:
        q = self.q
        d = q.declared
        for value in (d.credits if d else None, d.min_credits if d else None, q.min_credits):
            if value is not None:
                return value
        if not q.counts_credits() or self.total is NOT_KNOWN or self.total == 0:
            return None
        low = self.least(q, {u: _credits(q, u) for u in q.unit_ids()})
        return None if low is None else Decimal(low[0])

    def above_level(self, level: int) -> None:
        q = self.q
        above = [u for u in q.unit_ids() if (q.unit(u).level or 0) > level]
        if not above:
            return
        most = self.least(q, {u: -_credits(q, u) for u in above})
        fewest_units = self.least(q, {u: -1 for u in above})
        share = "" if most is None or fewest_units is None else (
            f"; the {len(above)} units above level {level} can contribute at most "
            f"{_plural(-most[0], 'credit')} ({_plural(-fewest_units[0], 'unit')}) to one pathway")
        for uid in above:
            unit = q.unit(uid)
            self.add("unit-above-level", Severity.INFO,
                     f"Unit {uid} is level {unit.level}, above the qualification's level {level}{share}.",
                     unit.loc, uid)

    def unused(self) -> None:
        q = self.q
        listed = set(q.unit_ids())
        for unit in q.units:
            if unit.id not in listed and unit.loc.file == q.loc.file:
                self.add("unused-unit", Severity.INFO,
                         f"Unit {unit.id} is defined but listed in no group, so no pathway can hold it.",
                         unit.loc, unit.id)


#: Ofqual (QCF) size bands by credit value: Award 1-12, Certificate 13-36, Diploma 37 or more.
_BANDS: dict[str, tuple[int, int | None]] = {"Award": (1, 12), "Certificate": (13, 36), "Diploma": (37, None)}


def _quoted(rules: list[RuleRef]) -> str:
    labels = [f"'{r.label}'" for r in rules]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _groups_below(node: Requirement) -> list[Group]:
    if isinstance(node, Group):
        return [node]
    return [g for child in node.requirements for g in _groups_below(child)]


def lint(q: Qualification, *, severity: Severity | str = Severity.INFO,
         timeout: float | None = 10.0) -> LintReport:
    """Check the structure of ``q`` and return every finding at least as serious as ``severity``.

    Parameters
    ----------
    q
        The qualification (already loaded and valid).
    severity
        The least serious findings to keep: ``"info"`` (all), ``"warning"`` or ``"error"``.
    timeout
        Seconds the whole lint may take beyond what the exact programmes answer at once;
        a check that runs out of time becomes a ``not-checked`` finding.

    Returns
    -------
    LintReport
        Findings in the order the checks run (requirements, units, rules, declared
        figures, regulatory checks).

    Examples
    --------
    >>> from solver.model import Group, Qualification, Unit
    >>> units = tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in (("a", 2), ("b", 9)))
    >>> g = Group(id="G", units=("a", "b"), max_credits=Decimal(5))
    >>> report = lint(Qualification(id="Q", title="Q", units=units, requirements=(g,)), severity="warning")
    >>> [(f.code, f.subject) for f in report.findings]
    [('dead-unit', 'b')]
    >>> report.findings[0].message
    "Unit b (9 credits) is in no valid pathway; it becomes possible only without 'G: max 5 credits'."
    """
    linter = _Linter(q, timeout)
    linter.run()
    method = "dynamic-programming" if exact.supports(q) is None else "type-dynamic-programming or enumeration"
    report = LintReport(qualification=q.id, title=q.title, findings=tuple(linter.findings),
                        pathways=linter.total, method=method)
    return report.at_least(severity)


def format_lint(report: LintReport, path: str = "") -> str:
    """Write the report as text for a committee: a headline, then one finding per line."""
    head = f"{report.title} ({report.qualification})"
    lines = [head, f"rules: {path}" if path else "", ""]
    lines = [line for line in lines[:2] if line] + [""]
    if report.pathways is NOT_KNOWN:
        lines.append("Pathways: not known (the count did not finish within the time limit)")
    else:
        lines.append(f"Pathways: {report.pathways:,}")
    counts = {s: sum(1 for f in report.findings if f.severity is s) for s in Severity}
    lines.append(", ".join(_plural(counts[s], s.value) for s in Severity) + " found")
    for f in report.findings:
        lines.append(f"  {f}")
    return "\n".join(lines)
