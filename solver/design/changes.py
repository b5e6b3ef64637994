"""What changed in the data between two versions of a structure: units, and rules keyed by where they sit.

:class:`UnitChange` and :class:`RuleChange` are the items of a
:class:`solver.design.diff.Diff`; a unit moved into or out of a group counts as a
changed rule of that group.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..model.errors import Location
from ..model.rules import iter_rules
from ..model.structure import Qualification, format_number
from ..model.validate import iter_requirement_paths

__all__ = ["RuleChange", "UnitChange"]

_UNIT_FIELDS = ("title", "credits", "level", "glh", "hours", "fee")


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitChange:
    """A unit added, removed, moved between groups, or with changed values (``fields``: name -> (old, new)).

    A moved unit has one field, ``group``: the groups listing it before and after.
    """

    unit: str
    change: str
    fields: tuple[tuple[str, Any, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"unit": self.unit, "change": self.change,
                "fields": {name: {"old": plain_number(a), "new": plain_number(b)} for name, a, b in self.fields}}

    def __str__(self) -> str:
        if self.change == "moved":
            _name, before, after = self.fields[0]
            return f"unit moved: {self.unit}: from {before} to {after}"
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
    path_old: str = ""
    """Where a moved rule sat before (``path`` is where it sits now)."""
    where: str = ""
    """For a moved rule, in words: ``from the top level into programme``."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        loc = self.location
        out = {"path": self.path, "field": self.field, "change": self.change,
               "old": self.label_old or None, "new": self.label_new or None,
               "file": loc.file if loc else None, "line": loc.line if loc else None}
        if self.change == "moved":
            out["path_old"] = self.path_old
        return out

    def __str__(self) -> str:
        if self.change == "moved":
            return f"rule moved: {self.label_new} ({self.where})"
        if self.change == "added":
            return f"rule added: {self.label_new}"
        if self.change == "removed":
            return f"rule removed: {self.label_old}"
        return f"rule changed: {self.label_old} -> {self.label_new}"


def plain_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        text = format_number(value)
        return int(text) if "." not in text else float(text)
    return value


def _text(value: Any) -> str:
    if value is None:
        return "none"
    return format_number(value) if isinstance(value, Decimal) else str(value)


# -- what changed in the data -----------------------------------------------------------------------
def group_name(q: Qualification, group_id: str) -> str:
    """How a change names a group: ``group C``."""
    return f"group {group_id}"


def _homes(q: Qualification) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for g in q.iter_groups():
        for uid in g.units:
            out.setdefault(uid, []).append(g.id)
    return {u: tuple(dict.fromkeys(v)) for u, v in out.items()}


def moved_units(old: Qualification, new: Qualification) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Units listed in both versions but by different groups: id -> (groups before, groups after)."""
    before, after = _homes(old), _homes(new)
    return {u: (before[u], after[u]) for u in after if u in before and set(before[u]) != set(after[u])}


def unit_changes(old: Qualification, new: Qualification) -> list[UnitChange]:
    before = {u.id: u for u in old.units}
    after = {u.id: u for u in new.units}
    out = [UnitChange(unit=u, change="added") for u in after if u not in before]
    out += [UnitChange(unit=u, change="removed") for u in before if u not in after]
    for uid, (was, now) in moved_units(old, new).items():
        out.append(UnitChange(unit=uid, change="moved", fields=(
            ("group", " and ".join(group_name(old, g) for g in was), " and ".join(group_name(new, g) for g in now)),)))
    for uid, unit in before.items():
        if uid in after:
            fields = tuple((f, getattr(unit, f), getattr(after[uid], f)) for f in _UNIT_FIELDS
                           if getattr(unit, f) != getattr(after[uid], f))
            if fields:
                out.append(UnitChange(unit=uid, change="changed", fields=fields))
    return out


def _identity(q: Qualification, path: str, field: str) -> tuple[Any, ...]:
    """What a rule is, whatever its place in a list: a barred set by its units, a prerequisite by its unit.

    A prerequisite is told apart from the unit's other entries by their order; any other rule
    is known by where it sits.

    >>> from solver.model import Barred, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"), Unit(id="b", title="b")),
    ...                   barred=(Barred(units=("b", "a")),))
    >>> _identity(q, "barred[0]", "barred") == ("barred", frozenset({"a", "b"}))
    True
    """
    if field == "barred":
        return ("barred", frozenset(q.barred[int(path[7:-1])].units))
    if field == "prerequisite":
        i = int(path[14:-1])
        unit = q.prerequisites[i].unit
        return ("prerequisite", unit, sum(1 for p in q.prerequisites[:i] if p.unit == unit))
    return (path, field)


def rule_changes(old: Qualification, new: Qualification) -> list[RuleChange]:
    # barred sets and prerequisites are lists: one removed is one change, not a shift of the rest
    before = {_identity(old, r.path, r.field): r for r in iter_rules(old)}
    after = {_identity(new, r.path, r.field): r for r in iter_rules(new)}
    out = []
    for key, rule in after.items():
        if key not in before:
            out.append(RuleChange(path=rule.path, field=rule.field, change="added", label_new=rule.label,
                                  location=rule.location))
        elif before[key].label != rule.label:
            out.append(RuleChange(path=rule.path, field=rule.field, change="changed", label_old=before[key].label,
                                  label_new=rule.label, location=rule.location))
    removed = [RuleChange(path=r.path, field=r.field, change="removed", label_old=r.label, location=r.location)
               for k, r in before.items() if k not in after]
    # A rule whose node moved (same label, another path) is one change, not an addition and a removal.
    for change in removed:
        twin = next((c for c in out if c.change == "added" and c.label_new == change.label_old
                     and c.field == change.field), None)
        if twin is None:
            out.append(change)
        else:
            out[out.index(twin)] = RuleChange(path=twin.path, field=twin.field, change="moved",
                                              label_old=change.label_old, label_new=twin.label_new,
                                              location=twin.location, path_old=change.path,
                                              where=f"from {_parent(old, change.path)} into {_parent(new, twin.path)}")
    # Group membership is part of the rules too: a unit moved into or out of a group.
    groups_old = {g.id: g for g in old.iter_groups()}
    moved = moved_units(old, new)
    for g in new.iter_groups():
        h = groups_old.get(g.id)
        if h is not None and set(h.units) != set(g.units):
            added = [u + _from(old, moved, u, g.id) for u in g.units if u not in h.units]
            gone = [u + _to(new, moved, u, g.id) for u in h.units if u not in g.units]
            words = "; ".join(p for p in (f"now lists {', '.join(added)}" if added else "",
                                          f"no longer lists {', '.join(gone)}" if gone else "") if p)
            out.append(RuleChange(path=g.id, field="units", change="changed", label_old=f"{g.id}: units",
                                  label_new=f"{g.id}: {words}", location=g.loc))
    return out


def _from(old: Qualification, moved: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], uid: str, here: str) -> str:
    if uid not in moved:
        return ""
    was = [g for g in moved[uid][0] if g != here]
    return f" (moved from {' and '.join(group_name(old, g) for g in was)})" if was else ""


def _to(new: Qualification, moved: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], uid: str, here: str) -> str:
    if uid not in moved:
        return ""
    now = [g for g in moved[uid][1] if g != here]
    return f" (moved to {' and '.join(group_name(new, g) for g in now)})" if now else ""


def _parent(q: Qualification, path: str) -> str:
    """The requirement holding the node at ``path``, by id, or ``the top level``."""
    parent = path.rsplit(".", 1)[0] if "." in path else ""
    for where, node in iter_requirement_paths(q):
        if where == parent:
            return node.id
    return "the top level"
