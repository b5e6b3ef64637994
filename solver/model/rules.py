"""Rules as named, located things: list them, describe them, and remove them.

A *rule* here is one limit or condition a designer wrote: Group C's
``max_credits``, the qualification's ``min_credits``, a mandatory group's
"all units", a combination's "at least k of", one barred set, one
prerequisite. Explanations (which rules clash, which rule produced a
constraint) are given in these terms, and :func:`relax` removes rules from a
model so any engine can ask "what if this rule were not there?".

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> [r.label for r in iter_rules(q)][:3]
['mandatory: all 5 units', 'A: min 3 credits', 'B: min 16 credits']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import Location
from .structure import Combination, Group, Qualification, Requirement, format_number
from .validate import iter_requirement_paths

__all__ = ["RuleRef", "iter_rules", "relax"]

_LIMITS = ("min_credits", "max_credits", "min_units", "max_units")


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class RuleRef:
    """One rule of a qualification.

    ``path`` is the document path of the object that holds the rule
    (``""`` for the qualification itself) and ``field`` the part of it:
    a limit name, ``mandatory``, ``needed`` (a combination's count),
    ``barred`` or ``prerequisite``.
    """

    path: str
    field: str
    label: str = dataclasses.field(compare=False)
    location: Location = dataclasses.field(compare=False)

    def __str__(self) -> str:
        loc = self.location
        where = f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file
        return f"{where}: {self.label}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description."""
        loc = self.location
        return {"rule": self.label, "path": self.path, "field": self.field,
                "file": loc.file, "line": loc.line, "column": loc.column}


def _word(limit: str, value: Any) -> str:
    bound, what = limit.split("_")
    return f"{bound} {format_number(value)} {what[:-1] if value == 1 else what}"


def iter_rules(q: Qualification) -> Iterator[RuleRef]:
    """Every rule of ``q`` in file order (requirements, then totals, level rules, barred, prerequisites)."""
    for path, node in iter_requirement_paths(q):
        yield from _node_rules(q, path, node)
    for limit in _LIMITS:
        value = getattr(q, limit)
        if value is not None:
            yield RuleRef(path="", field=limit, label=f"qualification: {_word(limit, value)} in total",
                          location=q.where(limit))
    for i, rule in enumerate(q.level_rules):
        for limit, value in rule.limits().items():
            yield RuleRef(path=f"level_rules[{i}]", field=limit,
                          label=f"level rule: {_word(limit, value)} "
                          + (f"at level {rule.level} or above" if rule.kind == "at_or_above"
                             else f"below level {rule.level}"),
                          location=q.where(f"level_rules[{i}].{limit}", rule.loc))
    for i, barred in enumerate(q.barred):
        yield RuleRef(path=f"barred[{i}]", field="barred",
                      label="barred: at most one of " + ", ".join(barred.units),
                      location=q.where(f"barred[{i}]", barred.loc))
    for i, prereq in enumerate(q.prerequisites):
        yield RuleRef(path=f"prerequisites[{i}]", field="prerequisite",
                      label=f"prerequisite: {prereq.unit} needs " + ", ".join(prereq.requires)
                      + (" and one of " if prereq.requires and prereq.requires_one_of else "")
                      + (" or ".join(prereq.requires_one_of) if prereq.requires_one_of else ""),
                      location=q.where(f"prerequisites[{i}]", prereq.loc))


def _node_rules(q: Qualification, path: str, node: Requirement) -> Iterator[RuleRef]:
    if isinstance(node, Group) and node.mandatory:
        yield RuleRef(path=path, field="mandatory", label=f"{node.id}: all {len(node.units)} units",
                      location=q.where(f"{path}.mandatory", node.loc))
    if isinstance(node, Combination) and node.kind != "all_of":
        yield RuleRef(path=path, field="needed",
                      label=f"{node.id}: at least {node.needed()} of {len(node.requirements)}",
                      location=q.where(f"{path}.kind", node.loc))
    for limit in _LIMITS:
        value = getattr(node, limit)
        if value is not None:
            yield RuleRef(path=path, field=limit, label=f"{node.id}: {_word(limit, value)}",
                          location=q.where(f"{path}.{limit}", node.loc))


def relax(q: Qualification, rules: Collection[RuleRef]) -> Qualification:
    """A copy of ``q`` without ``rules``.

    Limits are cleared, mandatory groups made optional, combinations made to
    need 0 sub-requirements, barred sets and prerequisites dropped.

    The copy may need ``at_least`` with ``k = 0``, which a rule file cannot say
    but every engine accepts (it always holds).

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> c_max = next(r for r in iter_rules(q) if r.label == "C: max 7 credits")
    >>> [g.max_credits for g in relax(q, [c_max]).iter_groups()]
    [None, None, None, None]
    """
    by_path: dict[str, set[str]] = {}
    for rule in rules:
        by_path.setdefault(rule.path, set()).add(rule.field)

    def strip(path: str, node: Requirement) -> Requirement:
        fields = by_path.get(path, set())
        changes: dict[str, Any] = {f: None for f in fields if f in _LIMITS}
        if isinstance(node, Group):
            if "mandatory" in fields:
                changes["mandatory"] = False
            return dataclasses.replace(node, **changes) if changes else node
        children = tuple(strip(f"{path}.requirements[{i}]", r) for i, r in enumerate(node.requirements))
        if "needed" in fields:
            changes.update(kind="at_least", k=0)
        if children != node.requirements or any(a is not b for a, b in zip(children, node.requirements)):
            changes["requirements"] = children
        return dataclasses.replace(node, **changes) if changes else node

    top = by_path.get("", set())
    level_rules = tuple(
        dataclasses.replace(r, **dict.fromkeys(by_path.get(f"level_rules[{i}]", ()), None))  # type: ignore[arg-type]
        for i, r in enumerate(q.level_rules)
    )
    relaxed = dataclasses.replace(
        q,
        requirements=tuple(strip(f"requirements[{i}]", r) for i, r in enumerate(q.requirements)),
        level_rules=level_rules,
        barred=tuple(b for i, b in enumerate(q.barred) if f"barred[{i}]" not in by_path),
        prerequisites=tuple(p for i, p in enumerate(q.prerequisites) if f"prerequisites[{i}]" not in by_path),
        **dict.fromkeys((f for f in top if f in _LIMITS), None),  # type: ignore[arg-type]
    )
    return relaxed
