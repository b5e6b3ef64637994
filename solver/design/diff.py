"""What-if: compare two versions of a structure, in data and in effect.

:func:`diff` says what changed in the data (units added, removed or
re-valued; rules added, removed or changed, keyed by where they sit and
what they limit) and what that does: exact pathway counts before and after,
the least credits and units before and after, units that became dead or
forced, and how many pathways were lost and gained, with the first few of
each in the documented order (or, when those lie too far down the order to reach
in time, the first found among the cheapest pathways near a changed rule), each
with the rules it breaks.

Lost and gained pathways are counted exactly through the *intersection*: a
pathway valid under both versions. When the two versions have the same
units with the same values and the same groups, and differ only in limits
(and in rules on the whole set, such as barred sets), the pathways of both are
exactly those of one structure whose limits are the tighter of the two,
which the dynamic programmes count in milliseconds. Otherwise the pathways
are enumerated and checked one by one against the other version, with a
time limit; a count that stops early is marked ``partial``.

:func:`replace_requirement` makes a changed copy in memory, so a notebook can
ask "what if Group B needed 18 credits?" without editing a file.

The code is split by what it does: :mod:`solver.design.changes` (what changed
in the data) and :mod:`solver.design.pathways` (pathways lost and gained, and
the first few of each); this module puts them together and writes the text.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> old = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> new = replace_requirement(old, "B", min_credits=18)
>>> d = diff(old, new)
>>> d.pathways_before, d.pathways_after, d.lost, d.gained, d.method
(67418986, 66121784, 1297202, 0, 'intersection')
>>> [c.label_new for c in d.rules]
['B: min 18 credits']
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .. import exact
from ..answers.cheapest import cheapest_pathways
from ..model.check import PathwayChecker
from ..model.errors import UsageError
from ..model.results import NOT_KNOWN, NotKnown, Pathway, Status
from ..model.rules import RuleRef, iter_rules, relax
from ..model.structure import Combination, Qualification, Requirement, format_number
from .changes import RuleChange, UnitChange, plain_number, rule_changes, unit_changes
from .lint import count_exact, unit_presence_exact
from .pathways import combined, example_pathways, intersection, scan_pathways

__all__ = ["Diff", "LearnerChange", "RuleChange", "UnitChange", "check_learners", "diff", "format_diff",
           "replace_requirement", "why_not"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnerChange:
    """A learner whose units were a pathway under the old rules but are not under the new ones."""

    learner: str
    units: tuple[str, ...]
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"learner": self.learner, "units": list(self.units), "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True, kw_only=True)
class Diff:
    """What changed between two versions and what it does to the pathways.

    ``lost`` / ``gained`` count pathways valid under one version only; ``method``
    says how (``intersection`` or ``combined``: exact by dynamic programming over one
    structure of both; ``enumeration``: every pathway checked against the other
    version) and ``status`` whether every figure is complete.

    A figure that did not finish within the time limit is :data:`NOT_KNOWN`, never 0:
    a count, a minimum, the dead and forced units (nothing is concluded from a count
    that did not finish). ``lost_at_least`` / ``gained_at_least`` are what was found
    (equal to ``lost`` / ``gained`` when those are known). Minimum figures are
    ``None`` when there is no pathway. ``lost_reasons[i]`` says why
    ``lost_examples[i]`` is not a pathway of the new version (the rules it breaks),
    ``gained_reasons[i]`` why ``gained_examples[i]`` was not one of the old.
    """

    old: str
    new: str
    units: tuple[UnitChange, ...]
    rules: tuple[RuleChange, ...]
    pathways_before: int | NotKnown
    pathways_after: int | NotKnown
    min_credits_before: Decimal | NotKnown | None
    min_credits_after: Decimal | NotKnown | None
    min_units_before: int | NotKnown | None
    min_units_after: int | NotKnown | None
    newly_dead: tuple[str, ...] | NotKnown
    newly_forced: tuple[str, ...] | NotKnown
    lost: int | NotKnown
    gained: int | NotKnown
    lost_examples: tuple[Pathway, ...]
    gained_examples: tuple[Pathway, ...]
    method: str
    status: Status
    note: str = ""
    learners: tuple[LearnerChange, ...] = ()
    lost_at_least: int = 0
    gained_at_least: int = 0
    lost_reasons: tuple[tuple[str, ...], ...] = ()
    gained_reasons: tuple[tuple[str, ...], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order; a figure that is not known is ``null``."""

        def known(value: Any) -> Any:
            return None if value is NOT_KNOWN else plain_number(value)

        def names(value: tuple[str, ...] | NotKnown) -> list[str] | None:
            return None if value is NOT_KNOWN else list(value)

        return {
            "old": self.old, "new": self.new,
            "units": [u.to_dict() for u in self.units], "rules": [r.to_dict() for r in self.rules],
            "pathways": {"before": known(self.pathways_before), "after": known(self.pathways_after)},
            "min_credits": {"before": known(self.min_credits_before), "after": known(self.min_credits_after)},
            "min_units": {"before": known(self.min_units_before), "after": known(self.min_units_after)},
            "newly_dead": names(self.newly_dead), "newly_forced": names(self.newly_forced),
            "lost": known(self.lost), "gained": known(self.gained),
            "lost_at_least": self.lost_at_least, "gained_at_least": self.gained_at_least,
            "lost_examples": [{**p.to_dict(), "reasons": list(r)}
                              for p, r in zip(self.lost_examples, self.lost_reasons or [()] * 99)],
            "gained_examples": [{**p.to_dict(), "reasons": list(r)}
                                for p, r in zip(self.gained_examples, self.gained_reasons or [()] * 99)],
            "method": self.method, "status": self.status.value, "note": self.note,
            "learners": [c.to_dict() for c in self.learners],
        }


# -- a changed copy in memory -----------------------------------------------------------------------
def replace_requirement(q: Qualification, node_id: str, **changes: Any) -> Qualification:
    """Return a copy of ``q`` with fields of one requirement (or, with ``node_id = q.id``, of ``q``) replaced.

    Credit limits may be given as ``int``; they are stored as exact decimals.

    Raises
    ------
    UsageError
        When no requirement has the id, or a field does not exist.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> [g.min_credits for g in replace_requirement(q, "B", min_credits=18).iter_groups()]
    [None, Decimal('3'), Decimal('18'), None]
    """
    fixed = {k: Decimal(v) if k in ("min_credits", "max_credits") and isinstance(v, int) else v
             for k, v in changes.items()}
    found = []

    def swap(node: Requirement) -> Requirement:
        if isinstance(node, Combination):
            children = tuple(swap(c) for c in node.requirements)
            if any(a is not b for a, b in zip(children, node.requirements, strict=True)):
                node = dataclasses.replace(node, requirements=children)
        if node.id == node_id:
            found.append(node)
            changed: Requirement = _replace(node, fixed)
            return changed
        return node

    if node_id == q.id:
        copy: Qualification = _replace(q, fixed)
    else:
        copy = dataclasses.replace(q, requirements=tuple(swap(r) for r in q.requirements))
        if not found:
            ids = ", ".join(n.id for n in q.iter_requirements())
            raise UsageError(f"no requirement {node_id!r} in {q.id}; expected one of: {ids}")
    object.__setattr__(copy, "_sources", getattr(q, "_sources", {}))
    return copy


def _replace(node: Any, changes: dict[str, Any]) -> Any:
    try:
        return dataclasses.replace(node, **changes)
    except TypeError as exc:
        raise UsageError(f"cannot change {node.id!r}: {exc}") from None


# -- the effects -----------------------------------------------------------------------------------
class _Clock:
    """One time limit for the whole comparison: each step gets what is left of it."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout

    def left(self) -> float | None:
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())


def _least(q: Qualification, by: str, clock: _Clock) -> Decimal | int | NotKnown | None:
    """The least total credits (or units) of a pathway; ``None`` when there is no pathway."""
    costs = {u: ((q.unit(u).credits or Decimal(0)) if by == "credits" else 1,) for u in q.unit_ids()}
    try:
        best, ways = exact.solve(q, exact.MinCount(costs, width=1).semiring())
    except exact.NotSupported:
        found = cheapest_pathways(q, by=[by], timeout=clock.left())
        if found.status is Status.PARTIAL:
            return NOT_KNOWN
        return None if found.optimum is None else found.optimum[by]
    value: Decimal | int = best[0]
    return value if ways else None


def _dead_and_forced(q: Qualification, total: int | NotKnown,
                     clock: _Clock) -> tuple[set[str], set[str]] | NotKnown:
    """Units in no pathway and in every pathway, or :data:`NOT_KNOWN` when a count did not finish."""
    if total is NOT_KNOWN:
        return NOT_KNOWN
    if total == 0:
        return set(q.unit_ids()), set()
    presence = unit_presence_exact(q, timeout=clock.left())
    counts = [n for n in presence.values() if n is not NOT_KNOWN]
    if len(counts) < len(presence):
        return NOT_KNOWN
    return ({u for u, n in presence.items() if n == 0}, {u for u, n in presence.items() if n == total})


def _newly(order: list[str], old: tuple[set[str], set[str]] | NotKnown, new: tuple[set[str], set[str]] | NotKnown,
           which: int) -> tuple[str, ...] | NotKnown:
    if old is NOT_KNOWN or new is NOT_KNOWN:
        return NOT_KNOWN
    return tuple(u for u in order if u in new[which] and u not in old[which])


def why_not(q: Qualification, units: frozenset[str], *, rules: list[RuleRef] | None = None) -> tuple[str, ...]:
    """Why ``units`` is not a pathway of ``q``: units it does not list, or each rule without which it would be.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = replace_requirement(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"),
    ...                         "optional", min_units=2)
    >>> why_not(q, frozenset({"nvq-positive-impression", "nvq-reliable-service", "develop-relationships",
    ...                       "resolve-problems", "promote-products"}))
    ('breaks optional: min 2 units',)
    """
    listed = set(q.unit_ids())
    reasons = [f"unit {u} is no longer in any group" for u in sorted(units - listed)]
    if reasons:
        return tuple(reasons)
    rules = list(iter_rules(q)) if rules is None else rules
    blame = [r.label for r in rules if PathwayChecker(relax(q, [r])).is_pathway(units)]
    return (tuple(f"breaks {label}" for label in blame) if blame
            else ("breaks several rules at once (no single rule is to blame)",))


def diff(old: Qualification, new: Qualification, *, examples: int = 3, timeout: float | None = 10.0,
         learners: Iterable[tuple[str, frozenset[str]]] = ()) -> Diff:
    """Compare two versions of a structure: what changed in the data, and what it does.

    Parameters
    ----------
    old, new
        The two versions.
    examples
        How many lost and gained pathways to show (the first in the documented order).
    timeout
        Seconds the whole comparison may take beyond what the exact programmes answer at
        once; a figure it could not finish is :data:`NOT_KNOWN` (with what was found as a
        lower bound, and ``status`` ``partial``), never read as 0.
    learners
        ``(learner id, units)`` pairs to check: who was on a valid pathway under
        ``old`` and is not under ``new``, and why (see :func:`check_learners`).

    Returns
    -------
    Diff

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> old = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> new = replace_requirement(old, "optional", max_units=2)
    >>> d = diff(old, new)
    >>> d.pathways_before, d.pathways_after, d.gained, len(d.gained_examples[0].units)
    (4, 10, 6, 6)
    """
    clock = _Clock(timeout)
    before = count_exact(old, timeout=clock.left())
    after = count_exact(new, timeout=clock.left())
    order = list(new.unit_ids())
    presence_old = _dead_and_forced(old, before, clock)
    presence_new = _dead_and_forced(new, after, clock)
    both_q = intersection(old, new)
    method = "intersection"
    if both_q is None:
        both_q, method = combined(old, new), "combined"
    both = NOT_KNOWN if both_q is None else count_exact(both_q, timeout=clock.left())
    lost: int | NotKnown
    gained: int | NotKnown
    if both is not NOT_KNOWN and before is not NOT_KNOWN and after is not NOT_KNOWN:
        lost, gained = before - both, after - both
        lost_n, gained_n = lost, gained
        same = method == "intersection"
        lost_ex = example_pathways(old, new, lost, examples, clock.left(), same_shape=same)
        gained_ex = example_pathways(new, old, gained, examples, clock.left(), same_shape=same)
    else:
        method = "enumeration"
        deadline = clock.deadline
        lost_n, lost_ex, done_lost = scan_pathways(old, new, examples, deadline)
        gained_n, gained_ex, done_gained = scan_pathways(new, old, examples, deadline)
        lost = lost_n if done_lost else NOT_KNOWN
        gained = gained_n if done_gained else NOT_KNOWN
    least = {(when, by): _least(q, by, clock) for when, q in (("before", old), ("after", new))
             for by in ("credits", "units")}
    figures: list[Any] = [before, after, lost, gained, presence_old, presence_new, *least.values()]
    unknown = [f for f in figures if f is NOT_KNOWN]
    status = Status.PARTIAL if unknown else Status.COMPLETE
    note = "" if not unknown else (
        f"not every figure was finished within the {timeout:g} s limit: those not known are "
        "marked so, and nothing is concluded from them")
    rules = list(iter_rules(new))
    old_rules = list(iter_rules(old))
    return Diff(old=old.id, new=new.id, units=tuple(unit_changes(old, new)),
                rules=tuple(rule_changes(old, new)),
                pathways_before=before, pathways_after=after,
                min_credits_before=_exact(least["before", "credits"]),
                min_credits_after=_exact(least["after", "credits"]),
                min_units_before=_whole(least["before", "units"]), min_units_after=_whole(least["after", "units"]),
                newly_dead=_newly(order, presence_old, presence_new, 0),
                newly_forced=_newly(order, presence_old, presence_new, 1), lost=lost, gained=gained,
                lost_at_least=lost_n, gained_at_least=gained_n,
                lost_examples=lost_ex, gained_examples=gained_ex,
                lost_reasons=tuple(why_not(new, frozenset(p.units), rules=rules) for p in lost_ex),
                gained_reasons=tuple(why_not(old, frozenset(p.units), rules=old_rules) for p in gained_ex),
                method=method, status=status, note=note,
                learners=tuple(check_learners(old, new, learners)))


def _exact(value: Decimal | int | NotKnown | None) -> Decimal | NotKnown | None:
    return Decimal(value) if isinstance(value, int) else value


def _whole(value: Decimal | int | NotKnown | None) -> int | NotKnown | None:
    return int(value) if isinstance(value, Decimal) else value


def check_learners(old: Qualification, new: Qualification,
                   learners: Iterable[tuple[str, frozenset[str]]]) -> list[LearnerChange]:
    """Learners whose units are a pathway under ``old`` but not under ``new``, with the reasons.

    A reason is a unit no longer listed in any group, or a rule of ``new`` without
    which the units would be a pathway again; when no single rule is to blame the
    reason says so.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> old = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> new = replace_requirement(old, "optional", min_units=2)
    >>> plan = frozenset({"nvq-positive-impression", "nvq-reliable-service", "develop-relationships",
    ...                   "resolve-problems", "promote-products"})
    >>> [c.reasons for c in check_learners(old, new, [("L1", plan)])]
    [('valid again without: optional: min 2 units',)]
    """
    was, now = PathwayChecker(old), PathwayChecker(new)
    listed = set(new.unit_ids())
    rules: list[RuleRef] | None = None
    out = []
    for learner, units in learners:
        if not was.is_pathway(units) or now.is_pathway(units):
            continue
        reasons = [f"unit {u} is no longer in any group" for u in sorted(units - listed)]
        if not reasons:
            rules = list(iter_rules(new)) if rules is None else rules
            blame = [r.label for r in rules if PathwayChecker(relax(new, [r])).is_pathway(units)]
            reasons = ([f"valid again without: {label}" for label in blame] if blame
                       else ["no single rule is to blame: several of the new rules fail together"])
        ordered = tuple(u for u in old.unit_ids() if u in units)
        out.append(LearnerChange(learner=learner, units=ordered, reasons=tuple(reasons)))
    return out


def format_diff(d: Diff, old_q: Qualification, new_q: Qualification) -> str:
    """Write the comparison as text for a committee; a figure that did not finish says so."""
    from ..answers.report import format_pathway

    def num(value: Any) -> str:
        if value is NOT_KNOWN:
            return "not known (not finished within the time limit)"
        if value is None:
            return "none (no pathway)"
        return f"{value:,}" if isinstance(value, int) else format_number(value)

    def moved(value: int | NotKnown, found: int) -> str:
        if value is NOT_KNOWN:
            return f"at least {found:,} (not finished within the time limit)"
        return f"{value:,}"

    lines = [f"Comparing {d.old} (old) with {d.new} (new)", "", "What changed in the data:"]
    changes = [str(c) for c in d.units] + [str(c) for c in d.rules]
    lines += [f"  {c}" for c in changes] or ["  nothing"]
    lines += ["", "What that does:",
              f"  pathways: {num(d.pathways_before)} -> {num(d.pathways_after)}"]
    if old_q.counts_credits() or new_q.counts_credits():
        lines.append(f"  least credits: {num(d.min_credits_before)} -> {num(d.min_credits_after)}")
    lines += [f"  fewest units: {num(d.min_units_before)} -> {num(d.min_units_after)}",
              f"  pathways lost: {moved(d.lost, d.lost_at_least)}; gained: {moved(d.gained, d.gained_at_least)}"]
    if d.status is Status.PARTIAL:
        lines.append(f"  partial: {d.note}")
    if d.newly_dead is NOT_KNOWN or d.newly_forced is NOT_KNOWN:
        lines.append("  units now in no pathway / in every pathway: not known (a count did not finish)")
    else:
        if d.newly_dead:
            lines.append("  units now in no pathway: " + ", ".join(d.newly_dead))
        if d.newly_forced:
            lines.append("  units now in every pathway: " + ", ".join(d.newly_forced))
    for title, found, why, q, n in (("lost", d.lost_examples, d.lost_reasons, old_q, d.lost_at_least),
                                    ("gained", d.gained_examples, d.gained_reasons, new_q, d.gained_at_least)):
        if n and not found:
            lines.append(f"  e.g. {title}: none found within the time limit")
        if found:
            lines.append(f"  e.g. {title}:")
            for i, p in enumerate(found):
                lines.append(f"    {format_pathway(q, p)}")
                if i < len(why) and why[i]:
                    reason = "; ".join(why[i])
                    lines.append(f"      {'now ' if title == 'lost' else 'was not a pathway: '}{reason}")
    if d.learners:
        lines += ["", f"Learners valid before and not now: {len(d.learners)}"]
        lines += [f"  {c.learner}: " + "; ".join(c.reasons) for c in d.learners]
    return "\n".join(lines)
