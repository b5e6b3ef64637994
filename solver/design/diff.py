"""What-if: compare two versions of a structure, in data and in effect.

:func:`diff` says what changed in the data (units added, removed or
re-valued; rules added, removed or changed, keyed by where they sit and
what they limit) and what that does: exact pathway counts before and after,
the least credits and units before and after, units that became dead or
forced, and how many pathways were lost and gained, with the first few of
each in the documented order.

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

from ..model.check import PathwayChecker
from ..model.errors import UsageError
from ..model.results import Pathway, Status
from ..model.rules import RuleRef, iter_rules, relax
from ..model.structure import Combination, Qualification, Requirement, format_number
from .changes import RuleChange, UnitChange, plain_number, rule_changes, unit_changes
from .lint import count_exact, minimum, unit_presence_exact
from .pathways import combined, example_pathways, intersection, scan_pathways

__all__ = ["Diff", "LearnerChange", "RuleChange", "UnitChange", "check_learners", "diff", "format_diff",
           "replace_requirement"]


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
    says how (``intersection``: exact by dynamic programming; ``enumeration``:
    every pathway checked against the other version) and ``status`` whether the
    counts are complete. Minimum figures are ``None`` when there is no pathway.
    """

    old: str
    new: str
    units: tuple[UnitChange, ...]
    rules: tuple[RuleChange, ...]
    pathways_before: int | None
    pathways_after: int | None
    min_credits_before: Decimal | None
    min_credits_after: Decimal | None
    min_units_before: int | None
    min_units_after: int | None
    newly_dead: tuple[str, ...]
    newly_forced: tuple[str, ...]
    lost: int | None
    gained: int | None
    lost_examples: tuple[Pathway, ...]
    gained_examples: tuple[Pathway, ...]
    method: str
    status: Status
    note: str = ""
    learners: tuple[LearnerChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, keys in a fixed order."""
        return {
            "old": self.old, "new": self.new,
            "units": [u.to_dict() for u in self.units], "rules": [r.to_dict() for r in self.rules],
            "pathways": {"before": self.pathways_before, "after": self.pathways_after},
            "min_credits": {"before": plain_number(self.min_credits_before),
                            "after": plain_number(self.min_credits_after)},
            "min_units": {"before": self.min_units_before, "after": self.min_units_after},
            "newly_dead": list(self.newly_dead), "newly_forced": list(self.newly_forced),
            "lost": self.lost, "gained": self.gained,
            "lost_examples": [p.to_dict() for p in self.lost_examples],
            "gained_examples": [p.to_dict() for p in self.gained_examples],
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
def _least(q: Qualification, by: str) -> Any:
    costs = {u: (q.unit(u).credits or Decimal(0)) if by == "credits" else 1 for u in q.unit_ids()}
    found = minimum(q, costs)
    return None if found is None else found[0]


def _dead_and_forced(q: Qualification, total: int | None, timeout: float | None) -> tuple[set[str], set[str]]:
    if not total:
        return set(q.unit_ids()), set()
    presence = unit_presence_exact(q, timeout=timeout)
    return ({u for u, n in presence.items() if n == 0}, {u for u, n in presence.items() if n == total})


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
        Seconds each enumeration fallback may take; counts it could not finish are
        ``None`` (or lower bounds, with ``status`` ``partial``).
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
    before = count_exact(old, timeout=timeout)
    after = count_exact(new, timeout=timeout)
    dead_old, forced_old = _dead_and_forced(old, before, timeout)
    dead_new, forced_new = _dead_and_forced(new, after, timeout)
    order = [u for u in new.unit_ids()]
    newly_dead = tuple(u for u in order if u in dead_new and u not in dead_old)
    newly_forced = tuple(u for u in order if u in forced_new and u not in forced_old)
    both_q = intersection(old, new)
    method = "intersection"
    if both_q is None:
        both_q, method = combined(old, new), "combined"
    both = None if both_q is None else count_exact(both_q, timeout=timeout)
    status, note = Status.COMPLETE, ""
    lost: int | None
    gained: int | None
    if both is not None and before is not None and after is not None and both_q is not None:
        lost, gained = before - both, after - both
        same = method == "intersection"
        lost_ex = example_pathways(old, new, lost, examples, timeout, same_shape=same)
        gained_ex = example_pathways(new, old, gained, examples, timeout, same_shape=same)
    else:
        method = "enumeration"
        deadline = None if timeout is None else time.monotonic() + timeout
        lost_n, lost_ex, done_lost = scan_pathways(old, new, examples, deadline)
        deadline = None if timeout is None else time.monotonic() + timeout
        gained_n, gained_ex, done_gained = scan_pathways(new, old, examples, deadline)
        lost = lost_n if done_lost else None
        gained = gained_n if done_gained else None
        if not (done_lost and done_gained):
            status = Status.PARTIAL
            note = (f"enumeration stopped at the {timeout:g} s limit; lost at least {lost_n:,}, "
                    f"gained at least {gained_n:,}")
    return Diff(old=old.id, new=new.id, units=tuple(unit_changes(old, new)),
                rules=tuple(rule_changes(old, new)),
                pathways_before=before, pathways_after=after,
                min_credits_before=_least(old, "credits"), min_credits_after=_least(new, "credits"),
                min_units_before=_least(old, "units"), min_units_after=_least(new, "units"),
                newly_dead=newly_dead, newly_forced=newly_forced, lost=lost, gained=gained,
                lost_examples=lost_ex, gained_examples=gained_ex, method=method, status=status, note=note,
                learners=tuple(check_learners(old, new, learners)))


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
    """Write the comparison as text for a committee."""
    from ..answers.report import format_pathway

    def num(value: Any) -> str:
        if value is None:
            return "unknown"
        return f"{value:,}" if isinstance(value, int) else format_number(value)

    lines = [f"Comparing {d.old} (old) with {d.new} (new)", "", "What changed in the data:"]
    changes = [str(c) for c in d.units] + [str(c) for c in d.rules]
    lines += [f"  {c}" for c in changes] or ["  nothing"]
    lines += ["", "What that does:",
              f"  pathways: {num(d.pathways_before)} -> {num(d.pathways_after)}",
              f"  least credits: {num(d.min_credits_before)} -> {num(d.min_credits_after)}",
              f"  fewest units: {num(d.min_units_before)} -> {num(d.min_units_after)}",
              f"  pathways lost: {num(d.lost)}; gained: {num(d.gained)} (by {d.method}, {d.status.value})"]
    if d.note:
        lines.append(f"  note: {d.note}")
    if d.newly_dead:
        lines.append("  units now in no pathway: " + ", ".join(d.newly_dead))
    if d.newly_forced:
        lines.append("  units now in every pathway: " + ", ".join(d.newly_forced))
    for title, found, q in (("lost", d.lost_examples, old_q), ("gained", d.gained_examples, new_q)):
        if found:
            lines.append(f"  e.g. {title}:")
            lines += [f"    {format_pathway(q, p)}" for p in found]
    if d.learners:
        lines += ["", f"Learners valid before and not now: {len(d.learners)}"]
        lines += [f"  {c.learner}: " + "; ".join(c.reasons) for c in d.learners]
    return "\n".join(lines)
