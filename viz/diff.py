"""Change views: what differs between two versions of a structure, drawn on one page.

:func:`diff_status` compares two models in data only (no pathways are
counted): units by id, requirements (groups and combinations) by id, and
rules field by field. :func:`diff_graph` merges the two into one graph to
draw: the new version, plus what was removed drawn from the old one, every
node carrying ``diff`` (``"added"``, ``"removed"`` or ``"changed"``) and
``diff_note``. :func:`render_diff` writes the picture.

A unit has *changed* when one of its values changed (title, credits, level,
hours, fee) or when it moved between groups. A requirement has *changed*
when its own rule changed (kind, title, limits, ``k``, ``mandatory``,
``double_counting``) or it moved under another combination; units joining or
leaving it are recorded (``units_in``, ``units_out``) and shown on the units, and
a group whose list changed is drawn as changed too.

How many units and rules changed is read from the one change list of
:mod:`solver.design.changes`, the list ``qualpath diff`` prints, so the picture
and the text always agree; the caption also gives the pathways before and after.

Examples
--------
>>> import dataclasses
>>> from decimal import Decimal
>>> from solver.model import Group, Qualification, Unit
>>> units = (Unit(id="a", title="A", credits=Decimal(3)), Unit(id="b", title="B", credits=Decimal(2)))
>>> old = Qualification(id="Q", title="T", units=units,
...                     requirements=(Group(id="g", title="G", units=("a", "b"), min_credits=Decimal(3)),))
>>> new = dataclasses.replace(old, units=(units[0], dataclasses.replace(units[1], credits=Decimal(4))),
...                           requirements=(Group(id="g", title="G", units=("a", "b"), min_credits=Decimal(5)),))
>>> d = diff_status(old, new)
>>> d.units["b"].note, d.requirements["g"].note
('credits 2 → 4', 'min 3 → 5 credits')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

import networkx as nx

from solver.answers.count import count_pathways
from solver.design.changes import RuleChange, UnitChange, rule_changes, unit_changes
from solver.model import Combination, CountResult, Group, Qualification, Requirement, Status, format_number
from solver.model.errors import UsageError

from .draw import DIFF_COLOURS
from .graph import to_graph

__all__ = ["DIFF_COLOURS", "Change", "DiffStatus", "ItemChange", "diff_graph", "diff_status", "pathways_effect",
           "render_diff"]


class Change(StrEnum):
    """How an item differs between the old and the new version."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"

    def __str__(self) -> str:
        return self.value


_UNIT_FIELDS = ("title", "credits", "level", "glh", "hours", "fee")
_RULE_FIELDS = ("kind", "title", "mandatory", "double_counting", "k", "min_credits", "max_credits",
                "min_units", "max_units")
_LIMITS = ("min_credits", "max_credits", "min_units", "max_units")


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemChange:
    """One unit or requirement that differs: ``fields`` are ``(name, old, new)``; ``note`` says it in words."""

    key: str
    change: Change
    title: str = ""
    fields: tuple[tuple[str, Any, Any], ...] = ()
    note: str = ""
    short: str = ""
    """A shorter note for a unit box, when ``note`` does not fit (``'from Optional Group C'``)."""
    units_in: tuple[str, ...] = ()
    units_out: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffStatus:
    """Everything that differs between two versions, keyed by unit id and requirement id.

    Items that are the same in both versions are left out. ``qualification``
    lists changes to the whole-qualification fields (its limits, title, id);
    ``other`` describes, in words, changes to level rules, barred sets and
    prerequisites.
    """

    old: str
    new: str
    units: Mapping[str, ItemChange] = field(default_factory=dict)
    requirements: Mapping[str, ItemChange] = field(default_factory=dict)
    membership: Mapping[str, ItemChange] = field(default_factory=dict)
    qualification: tuple[tuple[str, Any, Any], ...] = ()
    other: tuple[str, ...] = ()
    unit_list: tuple[UnitChange, ...] = ()
    """The units changed, as ``qualpath diff`` lists them."""
    rule_list: tuple[RuleChange, ...] = ()
    """The rules changed, as ``qualpath diff`` lists them (limits, moves and group lists)."""
    pathways: str = ""
    """The effect in numbers, for the caption: ``'pathways 67,418,986 → 66,121,784'``."""

    def __bool__(self) -> bool:
        return bool(self.units or self.requirements or self.qualification or self.other)

    def counts(self) -> dict[str, int]:
        """How many units and rules were added, removed, moved and changed, e.g. ``{'units moved': 1, ...}``.

        Counted on the change list ``qualpath diff`` prints, so the two always agree.
        """
        out: dict[str, int] = {}
        for what, items in (("unit", self.unit_list), ("rule", self.rule_list)):
            for item in items:
                key = f"{what}s {item.change}"
                out[key] = out.get(key, 0) + 1
        return out

    def summary(self, *, details: int = 6) -> str:
        """The changes in one paragraph, for a caption; unit by unit when at most ``details`` units changed."""
        parts = [f"{n} {key.split()[0][:-1] if n == 1 else key.split()[0]} {key.split()[1]}"
                 for key, n in sorted(self.counts().items(), key=lambda kv: _ORDER.index(kv[0]))]
        rules = [f"{item.title or item.key}: {item.note}" for item in self.requirements.values()
                 if item.change is Change.CHANGED and item.note]
        whole = _limit_words(dict((n, a) for n, a, _ in self.qualification),
                             dict((n, b) for n, _, b in self.qualification))
        if whole:
            rules.insert(0, f"qualification: {whole}")
        text = ", ".join(parts) if parts else "no unit or group changes"
        if 0 < len(self.units) <= details:
            text += " (" + "; ".join(f"{item.title or item.key}: {item.note}" for item in self.units.values()) + ")"
        if rules:
            text += "; " + "; ".join(rules)
        if self.other:
            text += "; " + "; ".join(self.other)
        versions = f"from {self.old} to {self.new}" if self.old != self.new else "from the old version"
        effect = f" Effect: {self.pathways}." if self.pathways else ""
        return f"Changes {versions}: {text}.{effect}"


_ORDER = [f"{w}s {c}" for w in ("unit", "rule") for c in ("added", "removed", "moved", "changed")]


def _num(value: Any) -> str:
    return format_number(value) if isinstance(value, Decimal | int) and not isinstance(value, bool) else str(value)


def _limit_words(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """Limits as a handbook would show a change: ``'min 16 → 18 credits, max 7 credits (removed)'``."""
    parts = []
    for name in _LIMITS:
        a, b = old.get(name), new.get(name)
        if a is None and b is None:
            continue
        bound, what = name.split("_")
        if a is None:
            parts.append(f"{bound} {_num(b)} {what} (new)")
        elif b is None:
            parts.append(f"{bound} {_num(a)} {what} (removed)")
        elif a == b:
            parts.append(f"{bound} {_num(a)} {what}")
        else:
            parts.append(f"{bound} {_num(a)} → {_num(b)} {what}")
    return ", ".join(parts) if any(a != b for a, b in ((old.get(n), new.get(n)) for n in _LIMITS)) else ""


def _parents(q: Qualification) -> dict[str, str]:
    out: dict[str, str] = {}
    stack: list[tuple[str, Requirement]] = [("", r) for r in q.requirements]
    while stack:
        parent, node = stack.pop()
        out[node.id] = parent
        if isinstance(node, Combination):
            stack.extend((node.id, c) for c in node.requirements)
    return out


def _homes(q: Qualification) -> dict[str, tuple[str, ...]]:
    homes: dict[str, tuple[str, ...]] = {}
    for group in q.iter_groups():
        for uid in group.units:
            homes[uid] = (*homes.get(uid, ()), group.id)
    return homes


def _titles(q: Qualification, ids: Iterable[str]) -> str:
    names = {r.id: r.title or r.id for r in q.iter_requirements()}
    return " and ".join(names.get(i, i) for i in ids)


def _unit_changes(old: Qualification, new: Qualification) -> dict[str, ItemChange]:
    before, after = set(old.unit_ids()), set(new.unit_ids())
    homes_old, homes_new = _homes(old), _homes(new)
    out: dict[str, ItemChange] = {}
    for uid in [*new.unit_ids(), *(u for u in old.unit_ids() if u not in after)]:
        if uid not in before:
            out[uid] = ItemChange(key=uid, change=Change.ADDED, title=new.unit(uid).title, note="added")
            continue
        if uid not in after:
            out[uid] = ItemChange(key=uid, change=Change.REMOVED, title=old.unit(uid).title, note="removed")
            continue
        a, b = old.unit(uid), new.unit(uid)
        fields = [(n, getattr(a, n), getattr(b, n)) for n in _UNIT_FIELDS if getattr(a, n) != getattr(b, n)]
        notes = [f"{n} {_num(x)} → {_num(y)}" if n != "title" else "title changed" for n, x, y in fields]
        if homes_old[uid] != homes_new[uid]:
            fields.append(("groups", homes_old[uid], homes_new[uid]))
            notes.insert(0, f"moved from {_titles(old, homes_old[uid])}")
        if fields:
            short = "; ".join(n.removeprefix("moved ") for n in notes)
            out[uid] = ItemChange(key=uid, change=Change.CHANGED, title=b.title, fields=tuple(fields),
                                  note="; ".join(notes), short=short)
    return out


def _requirement_changes(old: Qualification, new: Qualification) -> tuple[dict[str, ItemChange],
                                                                           dict[str, ItemChange]]:
    olds = {r.id: r for r in old.iter_requirements()}
    news = {r.id: r for r in new.iter_requirements()}
    parents_old, parents_new = _parents(old), _parents(new)
    out: dict[str, ItemChange] = {}
    membership: dict[str, ItemChange] = {}
    for rid in [*news, *(r for r in olds if r not in news)]:
        if rid not in olds:
            out[rid] = ItemChange(key=rid, change=Change.ADDED, title=news[rid].title or rid, note="added")
            continue
        if rid not in news:
            out[rid] = ItemChange(key=rid, change=Change.REMOVED, title=olds[rid].title or rid, note="removed")
            continue
        a, b = olds[rid], news[rid]
        fields = [(n, getattr(a, n, None), getattr(b, n, None)) for n in _RULE_FIELDS
                  if getattr(a, n, None) != getattr(b, n, None)]
        notes = []
        limits = _limit_words(a.limits(), b.limits())
        if limits:
            notes.append(limits)
        notes += [f"{n} {_num(x)} → {_num(y)}" for n, x, y in fields if n in ("kind", "k")]
        notes += [f"now {'mandatory' if y else 'optional'}" for n, _, y in fields if n == "mandatory"]
        notes += [f"double counting {'on' if y else 'off'}" for n, _, y in fields if n == "double_counting"]
        notes += ["title changed" for n, _, _ in fields if n == "title"]
        if parents_old[rid] != parents_new[rid]:
            fields.append(("parent", parents_old[rid], parents_new[rid]))
            notes.append(f"moved from {_titles(old, [parents_old[rid]]) if parents_old[rid] else 'the top level'}")
        if fields:
            out[rid] = ItemChange(key=rid, change=Change.CHANGED, title=b.title or rid, fields=tuple(fields),
                                  note="; ".join(notes))
        if isinstance(a, Group) and isinstance(b, Group) and a.units != b.units:
            units_in = tuple(u for u in b.units if u not in a.units)
            units_out = tuple(u for u in a.units if u not in b.units)
            if units_in or units_out:
                membership[rid] = ItemChange(key=rid, change=Change.CHANGED, title=b.title or rid,
                                             units_in=units_in, units_out=units_out)
    return out, membership


def _other_changes(old: Qualification, new: Qualification) -> tuple[str, ...]:
    out = []
    rules_old = {(r.kind, r.level): r for r in old.level_rules}
    rules_new = {(r.kind, r.level): r for r in new.level_rules}
    for key in [*rules_new, *(k for k in rules_old if k not in rules_new)]:
        a, b = rules_old.get(key), rules_new.get(key)
        if a is None or b is None:
            rule = b or a
            out.append(f"level rule {'added' if a is None else 'removed'}: {rule.describe()}")  # type: ignore[union-attr]
        elif a != b:
            where = b.describe().split(" ", 3)[-1] if b.limits() else f"level {b.level}"
            out.append(f"level rule ({where}): {_limit_words(a.limits(), b.limits())}")
    barred_old = {frozenset(b.units) for b in old.barred}
    barred_new = {frozenset(b.units) for b in new.barred}
    for units in sorted(barred_new - barred_old, key=sorted):
        out.append(f"barred combination added: {', '.join(sorted(units))}")
    for units in sorted(barred_old - barred_new, key=sorted):
        out.append(f"barred combination removed: {', '.join(sorted(units))}")
    pre_old = {(p.unit, p.requires, p.requires_one_of) for p in old.prerequisites}
    pre_new = {(p.unit, p.requires, p.requires_one_of) for p in new.prerequisites}
    for unit in sorted({p[0] for p in pre_old ^ pre_new}):
        out.append(f"prerequisites of {unit} changed")
    return tuple(out)


def diff_status(old: Qualification, new: Qualification, *, old_label: str | None = None,
                new_label: str | None = None) -> DiffStatus:
    """Compare two versions of a structure in data: units by id, requirements by id, rules by field.

    Parameters
    ----------
    old, new
        The two versions (the qualification id may differ).
    old_label, new_label
        How a caption names them (default: their ids, or "the old version").

    Returns
    -------
    DiffStatus
        Only what differs; ``bool(result)`` is false when nothing does.
    """
    requirements, membership = _requirement_changes(old, new)
    whole = tuple((n, getattr(old, n), getattr(new, n)) for n in ("id", "title", *_LIMITS)
                  if getattr(old, n) != getattr(new, n))
    return DiffStatus(old=old_label or old.id, new=new_label or new.id, units=_unit_changes(old, new),
                      requirements=requirements, membership=membership, qualification=whole,
                      other=_other_changes(old, new), unit_list=tuple(unit_changes(old, new)),
                      rule_list=tuple(rule_changes(old, new)))


def pathways_effect(old: Qualification, new: Qualification, *, timeout: float | None = 5.0) -> str:
    """The pathways before and after, in words: ``'pathways 67,418,986 → 66,121,784'``.

    A count that did not finish within ``timeout`` seconds is written ``at least n``.

    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> pathways_effect(q, q)
    'pathways 4 → 4'
    """

    def words(result: CountResult) -> str:
        lead = "at least " if result.status is Status.PARTIAL else ""
        return f"{lead}{result.pathways:,}"

    half = None if timeout is None else timeout / 2
    return f"pathways {words(count_pathways(old, timeout=half))} → {words(count_pathways(new, timeout=half))}"


def _relabel(G: nx.DiGraph, old_id: str, new_id: str) -> nx.DiGraph:
    if old_id == new_id:
        return G

    def key(n: Any) -> Any:
        if n == old_id:
            return new_id
        if isinstance(n, str) and n.startswith(old_id + "/") and G.nodes[n].get("kind") != "unit":
            return new_id + n[len(old_id):]
        return n

    H = nx.relabel_nodes(G, key, copy=True)
    for _, attrs in H.nodes(data=True):
        if attrs.get("group") in G:
            attrs["group"] = key(attrs["group"])
        if "groups" in attrs:
            attrs["groups"] = tuple(key(g) if g in G else g for g in attrs["groups"])
        if "qualifications" in attrs:
            attrs["qualifications"] = tuple(new_id if q == old_id else q for q in attrs["qualifications"])
        if attrs.get("qualification") == old_id:
            attrs["qualification"] = new_id
    return H


def diff_graph(old: Qualification, new: Qualification, status: DiffStatus | None = None) -> nx.DiGraph:
    """Return the graph of ``new`` with what ``old`` had and ``new`` lacks added back, marked by change.

    Removed units go at the end of their old group (or of the old group's
    band when the group went too); removed requirements at the end of their
    old parent. Every group is drawn grey so that the change colours stand
    out (``color`` attribute). Nodes that differ carry ``diff`` and
    ``diff_note``; ``G.graph["diff"]`` is the :class:`DiffStatus`.
    """
    status = status or diff_status(old, new)
    G = to_graph(new)
    H = _relabel(to_graph(old), old.id, new.id)
    for node, attrs in H.nodes(data=True):
        if node not in G:
            G.add_node(node, **attrs)
    for u, v, attrs in H.edges(data=True):
        if not G.has_edge(u, v) and (_was_removed(H, u, status) or _was_removed(H, v, status)):
            G.add_edge(u, v, **attrs)
    prefix = f"{new.id}/"
    for rid, item in status.requirements.items():
        key = prefix + rid
        attrs = G.nodes[key]
        attrs["diff"], attrs["diff_note"] = str(item.change), item.note
        if item.change is Change.CHANGED:
            a = next(r for r in old.iter_requirements() if r.id == rid)
            b = next(r for r in new.iter_requirements() if r.id == rid)
            if _limit_words(a.limits(), b.limits()):
                words = _limit_words(a.limits(), b.limits())
                attrs["rule"] = (f"{b.describe().split(';')[0]}; {words}" if isinstance(b, Combination)
                                 else f"all {len(b.units)} units, {words}" if b.mandatory else words)
        else:
            attrs["title"] = f"{attrs.get('title', rid)} ({item.change})"
    for rid, item in status.membership.items():
        attrs = G.nodes[prefix + rid]
        if "diff" in attrs:
            continue
        # a group that gained or lost a unit asks for something else: it has changed too
        notes = ["now lists " + ", ".join(item.units_in) if item.units_in else "",
                 "lost " + ", ".join(item.units_out) if item.units_out else ""]
        attrs["diff"], attrs["diff_note"] = str(Change.CHANGED), "; ".join(n for n in notes if n)
    for uid, item in status.units.items():
        G.nodes[uid]["diff"], G.nodes[uid]["diff_note"] = str(item.change), item.note
        G.nodes[uid]["diff_short"] = item.short or item.note
    whole = _limit_words(old.limits(), new.limits())
    if whole:
        G.nodes[new.id]["rule"] = whole
    for node, kind in G.nodes(data="kind"):
        if kind == "group":
            G.nodes[node]["color"] = "#7C8A96"
    G.graph["diff"] = status
    return G


def _was_removed(H: nx.DiGraph, v: Any, status: DiffStatus) -> bool:
    """Whether ``v`` exists in the old version only (so its old edges belong in the merged graph)."""
    kind = H.nodes[v].get("kind")
    item = status.units.get(v) if kind == "unit" else status.requirements.get(str(H.nodes[v].get("id", "")))
    return item is not None and item.change is Change.REMOVED


def render_diff(old: Qualification, new: Qualification, path: str | Path, *, old_label: str | None = None,
                new_label: str | None = None, **kwds: Any) -> Path:
    """Draw ``new`` with the changes from ``old`` marked, and write it as PNG, SVG or PDF.

    Unit boxes are drawn (the page may grow past A4) unless there are more
    than ``Style.compact_above`` units or ``compact=True`` is given; in the
    compact view the changed units are coloured segments of the summary strips.

    Parameters
    ----------
    old, new
        The two versions.
    path
        Where to write: ``.png``, ``.svg`` or ``.pdf``.
    old_label, new_label
        How the caption names the versions (e.g. their file names).
    **kwds
        Those of :func:`viz.draw.render` (``title``, ``compact``, ``dpi``,
        sizes ...), except ``highlight`` and ``status``.

    Examples
    --------
    >>> import tempfile
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     render_diff(q, q, Path(folder) / "same.png", dpi=20).name
    'same.png'
    """
    from .draw import render

    for name in ("highlight", "status"):
        if name in kwds:
            raise UsageError(f"{name}= cannot be used with a change view")
    status = diff_status(old, new, old_label=old_label, new_label=new_label)
    status = replace(status, pathways=pathways_effect(old, new))
    G = diff_graph(old, new, status)
    return render(G, path, **kwds)
