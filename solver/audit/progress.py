"""What a learner's achieved units count towards: every rule's progress, and the units they bar."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..model.structure import Group, LevelRule, Qualification, Requirement
from .results import Progress, RequirementProgress

__all__ = ["blocked_units", "progress"]

_ZERO = Decimal(0)


def blocked_units(q: Qualification, held: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Units not held that can no longer help: each barred with some held unit.

    >>> from solver.model import Barred, Group, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     requirements=(Group(id="G", units=("a", "b", "c")),), barred=(Barred(units=("a", "b")),))
    >>> blocked_units(q, ["a"])
    {'b': ('a',)}
    """
    mine = set(held)
    out: dict[str, list[str]] = {}
    for barred in q.barred:
        present = [u for u in barred.units if u in mine]
        for uid in barred.units:
            if uid in mine:
                continue
            for other in present:
                if other not in out.setdefault(uid, []):
                    out[uid].append(other)
    order = {u: i for i, u in enumerate(q.unit_ids())}
    return {u: tuple(out[u]) for u in sorted(out, key=lambda u: order.get(u, len(order))) if out[u]}


def _allocation(q: Qualification, pathway: frozenset[str]) -> dict[str, int | None]:
    """A group (index in depth-first order) for each unit of a pathway under which the rules hold.

    Units listed in one non-double-counting group have no choice; for the others the first
    allocation found that satisfies the tree is used (tried in order, at most a few
    thousand; past that, each unit goes to the first group listing it).
    """
    groups = list(q.iter_groups())
    options: dict[str, list[int | None]] = {}
    for uid in pathway:
        homes: list[int | None] = [i for i, g in enumerate(groups) if uid in g.units and not g.double_counting]
        options[uid] = homes or [None]
    fixed = {u: o[0] for u, o in options.items() if len(o) == 1}
    free = sorted(u for u, o in options.items() if len(o) > 1)
    if not free:
        return fixed
    for tries, pick in enumerate(itertools.product(*(options[u] for u in free))):
        alloc = {**fixed, **dict(zip(free, pick))}
        if tries > 5000 or all(ok for ok, _c in _walk(q, pathway, alloc)[: len(q.requirements)]):
            return alloc
    return {**fixed, **{u: options[u][0] for u in free}}


def _limits_hold(q: Qualification, node: Any, units: Sequence[str]) -> tuple[bool, bool]:
    """(every limit holds, some maximum is passed) for these counted units."""
    credits = sum((q.unit(u).credits or _ZERO for u in units), _ZERO)
    low = ((node.min_credits is None or credits >= node.min_credits)
           and (node.min_units is None or len(units) >= node.min_units))
    over = ((node.max_credits is not None and credits > node.max_credits)
            or (node.max_units is not None and len(units) > node.max_units))
    return low and not over, over


def _walk(q: Qualification, units: Iterable[str], alloc: Mapping[str, int | None]) -> list[tuple[bool, list[str]]]:
    """(satisfied, counted units) for the top-level requirements, then every node depth first."""
    chosen = [u for u in q.unit_ids() if u in set(units)]
    position = itertools.count()
    rows: list[tuple[bool, list[str]]] = []

    def visit(node: Requirement) -> tuple[bool, list[str]]:
        slot = len(rows)
        rows.append((False, []))
        if isinstance(node, Group):
            index = next(position)
            counted = [u for u in chosen if (u in node.units if node.double_counting else alloc.get(u) == index)]
            ok, _over = _limits_hold(q, node, counted)
            ok = ok and (not node.mandatory or len(counted) == len(set(node.units)))
        else:
            parts = [visit(child) for child in node.requirements]
            seen = {u for _ok, c in parts for u in c}
            counted = [u for u in chosen if u in seen]
            ok, _over = _limits_hold(q, node, counted)
            ok = ok and sum(1 for done, _c in parts if done) >= node.needed()
        rows[slot] = (ok, counted)
        return ok, counted

    tops = [visit(r) for r in q.requirements]
    return tops + rows


def progress(q: Qualification, held: Iterable[str], pathway: Iterable[str]) -> tuple[RequirementProgress, ...]:
    """Each rule's standing: every requirement, then qualification-wide limits and level rules.

    Requirements come depth first, in file order.

    ``held`` are the learner's units of ``q``; ``pathway`` is the completion (achieved units
    and added ones) that decides where a unit listed in several groups counts.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> rows = progress(q, ["promote-products", "support-improvements"], [])
    >>> [(r.rule, str(r.status), len(r.held_units)) for r in rows]
    [('group mandatory', 'not yet', 0), ('group optional', 'exceeded', 2)]
    """
    given = set(held)
    mine = [u for u in q.unit_ids() if u in given]
    final = frozenset(pathway)
    groups = list(q.iter_groups())
    alloc = dict(_allocation(q, final))
    for uid in mine:  # achieved units left out of the completion count where first listed
        if uid not in alloc:
            homes = [i for i, g in enumerate(groups) if uid in g.units and not g.double_counting]
            alloc[uid] = homes[0] if homes else None
    top = len(q.requirements)
    now = _walk(q, mine, alloc)[top:]
    then = _walk(q, final, alloc)[top:]
    out: list[RequirementProgress] = []

    def row(rule: str, title: str, node: Any, have: list[str], after: list[str], ok: bool,
            missing: tuple[str, ...] = ()) -> None:
        _ok, over = _limits_hold(q, node, have)
        out.append(RequirementProgress(
            rule=rule, title=title, wants=node.describe(),
            held_units=tuple(have), held_credits=sum((q.unit(u).credits or _ZERO for u in have), _ZERO),
            after_units=len(after), after_credits=sum((q.unit(u).credits or _ZERO for u in after), _ZERO),
            status=Progress.EXCEEDED if over else Progress.MET if ok else Progress.NOT_YET, missing=missing))

    for node, (ok, have), (_done, after) in zip(q.iter_requirements(), now, then):
        missing = tuple(u for u in node.units if u not in given) if isinstance(node, Group) and node.mandatory else ()
        name = f"group {node.id}" if isinstance(node, Group) else f"{node.kind} {node.id}"
        row(name, node.title, node, have, after, ok, missing)
    if q.limits():
        row("qualification", q.title, _Whole(q), mine, sorted(final), _limits_hold(q, q, mine)[0])
    for i, rule in enumerate(q.level_rules):
        have = [u for u in mine if rule.applies_to(q.unit(u).level)]
        after = [u for u in final if rule.applies_to(q.unit(u).level)]
        row(f"level_rules[{i}]", _level_title(rule), rule, have, after, _limits_hold(q, rule, have)[0])
    return tuple(out)


class _Whole:
    """The qualification-wide limits, read like a rule."""

    def __init__(self, q: Qualification) -> None:
        self.min_credits, self.max_credits = q.min_credits, q.max_credits
        self.min_units, self.max_units = q.min_units, q.max_units
        self.q = q

    def describe(self) -> str:
        return self.q.describe_limits()


def _level_title(rule: LevelRule) -> str:
    return f"units at level {rule.level} or above" if rule.kind == "at_or_above" else f"units below level {rule.level}"
