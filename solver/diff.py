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

Examples
--------
>>> from solver.load import load_qualification, bundled_rules
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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import Any

from . import dp
from .check import PathwayChecker
from .enumerate import iter_pathways
from .errors import Location, UsageError
from .lint import count_exact, minimum, unit_presence_exact
from .model import Combination, Group, Qualification, Requirement, format_number
from .results import Pathway, Status
from .rules import RuleRef, iter_rules, relax

__all__ = ["Diff", "LearnerChange", "RuleChange", "UnitChange", "check_learners", "diff", "format_diff",
           "replace_requirement"]

_LIMITS = ("min_credits", "max_credits", "min_units", "max_units")
_UNIT_FIELDS = ("title", "credits", "level", "glh", "hours", "fee")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitChange:
    """A unit added, removed, or with changed values (``fields``: name -> (old, new))."""

    unit: str
    change: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"unit": self.unit, "change": self.change,
                "fields": {name: {"old": _plain(a), "new": _plain(b)} for name, a, b in self.fields}}

    def __str__(self) -> str:
        if self.change != "changed":
            return f"unit {self.change}: {self.unit}"
        parts = ", ".join(f"{name} {_text(a)} -> {_text(b)}" for name, a, b in self.fields)
        return f"unit changed: {self.unit}: {parts}"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleChange:
    """A rule added, removed or changed, keyed by where it sits (``path``) and what it limits (``field``)."""

    path: str
    field: str
    change: str
    label_old: str = ""
    label_new: str = ""
    location: Location | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        loc = self.location
        return {"path": self.path, "field": self.field, "change": self.change,
                "old": self.label_old or None, "new": self.label_new or None,
                "file": loc.file if loc else None, "line": loc.line if loc else None}

    def __str__(self) -> str:
        if self.change == "added":
            return f"rule added: {self.label_new}"
        if self.change == "removed":
            return f"rule removed: {self.label_old}"
        return f"rule changed: {self.label_old} -> {self.label_new}"


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
            "min_credits": {"before": _plain(self.min_credits_before),
                            "after": _plain(self.min_credits_after)},
            "min_units": {"before": self.min_units_before, "after": self.min_units_after},
            "newly_dead": list(self.newly_dead), "newly_forced": list(self.newly_forced),
            "lost": self.lost, "gained": self.gained,
            "lost_examples": [p.to_dict() for p in self.lost_examples],
            "gained_examples": [p.to_dict() for p in self.gained_examples],
            "method": self.method, "status": self.status.value, "note": self.note,
            "learners": [c.to_dict() for c in self.learners],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format_number(value)
        return int(text) if "." not in text else float(text)
    return value


def _text(value: Any) -> str:
    if value is None:
        return "none"
    return format_number(value) if isinstance(value, Decimal) else str(value)


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
    >>> from solver.load import load_qualification, bundled_rules
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


# -- what changed in the data -----------------------------------------------------------------------
def _unit_changes(old: Qualification, new: Qualification) -> list[UnitChange]:
    before = {u.id: u for u in old.units}
    after = {u.id: u for u in new.units}
    out = [UnitChange(unit=u, change="added") for u in after if u not in before]
    out += [UnitChange(unit=u, change="removed") for u in before if u not in after]
    for uid, unit in before.items():
        if uid in after:
            fields = tuple((f, getattr(unit, f), getattr(after[uid], f)) for f in _UNIT_FIELDS
                           if getattr(unit, f) != getattr(after[uid], f))
            if fields:
                out.append(UnitChange(unit=uid, change="changed", fields=fields))
    return out


def _rule_changes(old: Qualification, new: Qualification) -> list[RuleChange]:
    before = {(r.path, r.field): r for r in iter_rules(old)}
    after = {(r.path, r.field): r for r in iter_rules(new)}
    out = []
    for key, rule in after.items():
        if key not in before:
            out.append(RuleChange(path=key[0], field=key[1], change="added", label_new=rule.label,
                                  location=rule.location))
        elif before[key].label != rule.label:
            out.append(RuleChange(path=key[0], field=key[1], change="changed", label_old=before[key].label,
                                  label_new=rule.label, location=rule.location))
    out += [RuleChange(path=k[0], field=k[1], change="removed", label_old=r.label, location=r.location)
            for k, r in before.items() if k not in after]
    # Group membership is part of the rules too: a unit moved into or out of a group.
    groups_old = {g.id: g for g in old.iter_groups()}
    for g in new.iter_groups():
        h = groups_old.get(g.id)
        if h is not None and set(h.units) != set(g.units):
            added = [u for u in g.units if u not in h.units]
            removed = [u for u in h.units if u not in g.units]
            words = "; ".join(p for p in (f"now lists {', '.join(added)}" if added else "",
                                          f"no longer lists {', '.join(removed)}" if removed else "") if p)
            out.append(RuleChange(path=g.id, field="units", change="changed", label_old=f"{g.id}: units",
                                  label_new=f"{g.id}: {words}", location=g.loc))
    return out


# -- the intersection ------------------------------------------------------------------------------
def _signature(node: Requirement) -> Any:
    """Everything about a node that decides which unit sets satisfy it."""
    if isinstance(node, Group):
        return ("group", frozenset(node.units), node.mandatory, node.double_counting,
                tuple(getattr(node, f) for f in _LIMITS))
    return (node.needed(), tuple(getattr(node, f) for f in _LIMITS),
            tuple(_signature(c) for c in node.requirements))


def _shape_same(a: Requirement, b: Requirement) -> bool:
    if isinstance(a, Group) or isinstance(b, Group):
        return (isinstance(a, Group) and isinstance(b, Group) and set(a.units) == set(b.units)
                and not a.double_counting and not b.double_counting)
    if len(a.requirements) != len(b.requirements):
        return False
    every = a.needed() >= len(a.requirements) and b.needed() >= len(b.requirements)
    # Under "k of n" a child counts as satisfied under each version's own limits, so tightening
    # the children together would not give the intersection; only identical subtrees are safe.
    if not every and _signature(a) != _signature(b):
        return False
    return all(_shape_same(x, y) for x, y in zip(a.requirements, b.requirements, strict=True))


def _tighter(a: Any, b: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in _LIMITS:
        x, y = getattr(a, f), getattr(b, f)
        if x is None or y is None:
            out[f] = y if x is None else x
        else:
            out[f] = max(x, y) if f.startswith("min") else min(x, y)
    return out


def _merge(a: Requirement, b: Requirement) -> Requirement:
    if isinstance(a, Group) and isinstance(b, Group):
        return dataclasses.replace(a, mandatory=a.mandatory or b.mandatory, **_tighter(a, b))
    if not (isinstance(a, Combination) and isinstance(b, Combination)):
        raise TypeError("only structures of the same shape can be merged")
    children = tuple(_merge(x, y) for x, y in zip(a.requirements, b.requirements, strict=True))
    return dataclasses.replace(a, requirements=children, **_tighter(a, b))


def intersection(old: Qualification, new: Qualification) -> Qualification | None:
    """Build a structure whose pathways are exactly those valid under both (``None`` when none is known)."""
    units = set(old.unit_ids())
    if units != set(new.unit_ids()) or dp.supports(old) is not None or dp.supports(new) is not None:
        return None
    for uid in units:
        a, b = old.unit(uid), new.unit(uid)
        if (a.credits or 0) != (b.credits or 0) or a.level != b.level:
            return None
    if len(old.requirements) != len(new.requirements) or not all(
            _shape_same(a, b) for a, b in zip(old.requirements, new.requirements, strict=True)):
        return None
    merged = tuple(_merge(a, b) for a, b in zip(old.requirements, new.requirements, strict=True))
    return dataclasses.replace(
        old, requirements=merged,
        level_rules=old.level_rules + new.level_rules, barred=old.barred + new.barred,
        prerequisites=old.prerequisites + new.prerequisites, **_tighter(old, new))


def combined(old: Qualification, new: Qualification) -> Qualification | None:
    """Both versions' rules in one structure, when the groups differ (say, a unit moved).

    The same units with the same values, and ``new`` with a fixed allocation (each unit in one
    group, nothing double-counted): then ``new``'s groups can count as double-counting groups
    beside ``old``'s, which is exactly "a pathway of ``new`` too". The unit-type programme
    counts the result; ``None`` when the conditions do not hold.
    """
    units = set(old.unit_ids())
    if units != set(new.unit_ids()) or any(old.unit(u) != new.unit(u) for u in units):
        return None
    listed = [u for g in new.iter_groups() for u in g.units]
    if any(g.double_counting for g in new.iter_groups()) or len(listed) != len(set(listed)):
        return None

    def counting(node: Requirement) -> Requirement:
        if isinstance(node, Group):
            return dataclasses.replace(node, double_counting=True)
        return dataclasses.replace(node, requirements=tuple(counting(c) for c in node.requirements))

    return dataclasses.replace(
        old, requirements=old.requirements + tuple(counting(r) for r in new.requirements),
        level_rules=old.level_rules + new.level_rules, barred=old.barred + new.barred,
        prerequisites=old.prerequisites + new.prerequisites, **_tighter(old, new))


# -- examples: pathways of one version that break a rule the other tightened -------------------------
def _all_paths(q: Qualification) -> Iterator[tuple[str, Requirement]]:
    """Yield the nodes every pathway must satisfy (reached through "all of" nodes only), with paths."""
    stack = [(f"requirements[{i}]", r) for i, r in enumerate(q.requirements)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, Combination) and node.needed() >= len(node.requirements):
            stack.extend((f"{path}.requirements[{i}]", c) for i, c in enumerate(node.requirements))


def _node_at(q: Qualification, path: str) -> Requirement | None:
    for p, node in _all_paths(q):
        if p == path:
            return node
    return None


def _with_node(q: Qualification, path: str, changes: dict[str, Any]) -> Qualification:
    def walk(node: Requirement, here: str) -> Requirement:
        if here == path:
            return dataclasses.replace(node, **changes)
        if isinstance(node, Combination):
            return dataclasses.replace(node, requirements=tuple(
                walk(c, f"{here}.requirements[{i}]") for i, c in enumerate(node.requirements)))
        return node

    if not path:
        return dataclasses.replace(q, **changes)
    return dataclasses.replace(q, requirements=tuple(walk(r, f"requirements[{i}]")
                                                     for i, r in enumerate(q.requirements)))


def _complements(base: Qualification, other: Qualification) -> list[Qualification] | None:
    """Build copies of ``base`` whose pathways are those of ``base`` breaking one rule ``other`` tightened.

    Their union is exactly the pathways of ``base`` that are not pathways of ``other``; ``None``
    when some tightening cannot be written as a limit (the caller then scans).
    """
    if (base.level_rules != other.level_rules or base.barred != other.barred
            or base.prerequisites != other.prerequisites):
        return None
    scale = dp.credit_scale(base)
    pairs: list[tuple[str, Any, Any]] = [("", base, other)]
    for path, node in _all_paths(other):
        mine = _node_at(base, path)
        if mine is None:
            return None
        pairs.append((path, mine, node))
    out = []
    seen_paths = {p for p, _n in _all_paths(base)} | {""}
    for path, mine, theirs in pairs:
        if isinstance(theirs, Group) and theirs.mandatory and not mine.mandatory:
            return None
        for f in _LIMITS:
            a, b = getattr(mine, f), getattr(theirs, f)
            if b is None or (a is not None and (a >= b if f.startswith("min") else a <= b)):
                continue
            step = scale if f.endswith("credits") else 1
            opposite = ("max_" if f.startswith("min") else "min_") + f.split("_")[1]
            scaled = Fraction(b) * step
            bound: Any = ceil(scaled) - 1 if f.startswith("min") else floor(scaled) + 1
            value: Any = Decimal(bound) / step if f.endswith("credits") else bound
            held = getattr(mine, opposite)
            if held is not None:
                value = min(held, value) if opposite.startswith("max") else max(held, value)
            out.append(_with_node(base, path, {opposite: value}))
    if any(p not in seen_paths for p, _n in _all_paths(other)):
        return None
    return out


def _order_key(q: Qualification, units: Iterable[str]) -> tuple[int, ...]:
    held = set(units)
    return tuple(0 if u in held else 1 for u in q.unit_ids())


def _examples_from(parts: list[Qualification], base: Qualification, k: int,
                   timeout: float | None) -> tuple[Pathway, ...]:
    found: dict[tuple[str, ...], Pathway] = {}
    for part in parts:
        for pathway in iter_pathways(part, limit=k, timeout=timeout):
            found[pathway.units] = Pathway.of(base, pathway.units)
    ordered = sorted(found.values(), key=lambda p: _order_key(base, p.units))
    return tuple(ordered[:k])


def _scan(a: Qualification, b: Qualification, k: int,
          deadline: float | None, *, stop_after: bool = False) -> tuple[int, tuple[Pathway, ...], bool]:
    """Pathways of ``a`` that are not pathways of ``b``: (how many, the first ``k``, complete?).

    With ``stop_after`` it returns as soon as it has ``k`` examples (the count is then partial).
    """
    checker = PathwayChecker(b)
    n = 0
    examples: list[Pathway] = []
    for i, pathway in enumerate(iter_pathways(a, limit=None if not stop_after else 10**9)):
        if deadline is not None and i % 256 == 0 and time.monotonic() > deadline:
            return n, tuple(examples), False
        if not checker.is_pathway(pathway.units):
            n += 1
            if len(examples) < k:
                examples.append(pathway)
            elif stop_after:
                return n, tuple(examples), False
    return n, tuple(examples), deadline is None or time.monotonic() <= deadline


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
    >>> from solver.load import load_qualification, bundled_rules
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
        lost_ex = _examples(old, new, lost, examples, timeout, same_shape=same)
        gained_ex = _examples(new, old, gained, examples, timeout, same_shape=same)
    else:
        method = "enumeration"
        deadline = None if timeout is None else time.monotonic() + timeout
        lost_n, lost_ex, done_lost = _scan(old, new, examples, deadline)
        deadline = None if timeout is None else time.monotonic() + timeout
        gained_n, gained_ex, done_gained = _scan(new, old, examples, deadline)
        lost = lost_n if done_lost else None
        gained = gained_n if done_gained else None
        if not (done_lost and done_gained):
            status = Status.PARTIAL
            note = (f"enumeration stopped at the {timeout:g} s limit; lost at least {lost_n:,}, "
                    f"gained at least {gained_n:,}")
    return Diff(old=old.id, new=new.id, units=tuple(_unit_changes(old, new)),
                rules=tuple(_rule_changes(old, new)),
                pathways_before=before, pathways_after=after,
                min_credits_before=_least(old, "credits"), min_credits_after=_least(new, "credits"),
                min_units_before=_least(old, "units"), min_units_after=_least(new, "units"),
                newly_dead=newly_dead, newly_forced=newly_forced, lost=lost, gained=gained,
                lost_examples=lost_ex, gained_examples=gained_ex, method=method, status=status, note=note,
                learners=tuple(check_learners(old, new, learners)))


def _examples(base: Qualification, other: Qualification, n: int, k: int,
              timeout: float | None, *, same_shape: bool = True) -> tuple[Pathway, ...]:
    if n == 0 or k == 0:
        return ()
    parts = _complements(base, other) if same_shape else None
    if parts is not None:
        return _examples_from(parts, base, k, timeout)
    return _scan(base, other, k, None if timeout is None else time.monotonic() + timeout, stop_after=True)[1]


def check_learners(old: Qualification, new: Qualification,
                   learners: Iterable[tuple[str, frozenset[str]]]) -> list[LearnerChange]:
    """Learners whose units are a pathway under ``old`` but not under ``new``, with the reasons.

    A reason is a unit no longer listed in any group, or a rule of ``new`` without
    which the units would be a pathway again; when no single rule is to blame the
    reason says so.

    Examples
    --------
    >>> from solver.load import load_qualification, bundled_rules
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
    from .report import format_pathway

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
