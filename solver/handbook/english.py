"""The rule of combination in plain English, generated from the rules.

The sentences are the ones handbooks print, and the ones :mod:`.read` reads
back: a structure written out by :func:`overview` and :func:`node_sentences`
imports to the same pathways.

Examples
--------
>>> from solver.model.load import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
>>> print(overview(q, names(q)))  # doctest: +NORMALIZE_WHITESPACE
The learner must achieve a minimum of 45 credits: 19 credits from Mandatory units, a minimum of 3 credits
from Optional Group A, a minimum of 16 credits from Optional Group B and a maximum of 7 credits from
Optional Group C.
>>> node_sentences(next(q.iter_groups()), q)
['The learner must achieve all 5 units in this group.']
"""

from __future__ import annotations

from decimal import Decimal

from ..model import Combination, Group, LevelRule, Qualification, Requirement, format_number

__all__ = ["barred_sentences", "level_sentences", "limits_words", "names", "node_sentences", "overview",
           "prerequisite_sentences"]


def _count(value: Decimal | int, measure: str) -> str:
    word = measure[:-1] if value == 1 else measure
    return f"{format_number(value)} {word}"


def limits_words(node: Qualification | Requirement | LevelRule) -> list[str]:
    """The limits of a node as phrases: ``a minimum of 3 credits``, ``exactly 6 units``."""
    out = []
    for measure in ("credits", "units"):
        low, high = getattr(node, f"min_{measure}"), getattr(node, f"max_{measure}")
        if low is not None and low == high:
            out.append(f"exactly {_count(low, measure)}")
            continue
        if low is not None:
            out.append(f"a minimum of {_count(low, measure)}")
        if high is not None:
            out.append(f"a maximum of {_count(high, measure)}")
    return out


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def names(q: Qualification) -> dict[str, str]:
    """A printed name for every requirement, unique in the document: its title, or its id."""
    out: dict[str, str] = {}
    used: set[str] = {q.title.lower()}
    for node in q.iter_requirements():
        name = node.title or f"Group {node.id}"
        if name.lower() in used:
            name = f"{name} ({node.id})"
        used.add(name.lower())
        out[node.id] = name
    return out


def _credits(q: Qualification, group: Group) -> Decimal | None:
    values = [q.unit(u).credits for u in group.units]
    if not values or any(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


def overview(q: Qualification, printed: dict[str, str]) -> str:
    """One sentence: the qualification's totals, then what each group and part contributes."""
    clauses = []
    for node in q.iter_requirements():
        name = printed[node.id]
        if isinstance(node, Group) and node.mandatory:
            credits = _credits(q, node) if q.counts_credits() else None
            clauses.append(f"{format_number(credits)} credits from {name}" if credits else
                           f"all {len(node.units)} units of {name}")
        words = limits_words(node)
        if words:
            clauses.append(f"{_join(words)} from {name}")
    totals = limits_words(q)
    if not totals and not clauses:
        return ""
    head = f"The learner must achieve {_join(totals)}" if totals else "The learner must achieve"
    if not clauses:
        return head + "."
    return f"{head}{':' if totals else ''} {_join(clauses)}."


def node_sentences(node: Requirement, q: Qualification) -> list[str]:
    """The sentences printed under a group's or part's heading, about ``this group``."""
    del q
    out = []
    if isinstance(node, Group):
        if node.mandatory:
            out.append(f"The learner must achieve all {len(node.units)} units in this group.")
        words = limits_words(node)
        if words:
            out.append(f"The learner must achieve {_join(words)} in this group.")
        if not node.mandatory and not words:
            out.append("The learner may take any number of units from this group.")
        if node.double_counting:
            out.append("Units in this group also count towards other groups.")
        return out
    return _combination_sentences(node)


def _combination_sentences(node: Combination) -> list[str]:
    out = []
    n = len(node.requirements)
    which = {"all_of": "all", "any_of": "at least 1"}.get(node.kind, f"at least {node.k}")
    out.append(f"The learner must meet the rules of {which} of the following {n} groups.")
    words = limits_words(node)
    if words:
        out.append(f"The learner must achieve {_join(words)} from these groups.")
    return out


def level_sentences(q: Qualification) -> list[str]:
    """Level rules as sentences: ``A minimum of 36 credits must be at Level 2 or above.``."""
    out = []
    for rule in q.level_rules:
        where = f"at Level {rule.level} or above" if rule.kind == "at_or_above" else f"below Level {rule.level}"
        for phrase in limits_words(rule):
            out.append(f"{phrase[0].upper()}{phrase[1:]} must be {where}.")
    return out


def barred_sentences(q: Qualification) -> list[str]:
    """Barred units as sentences: ``Unit X is barred against Unit Y.``."""
    out = []
    for bar in q.barred:
        units = [f"Unit {u}" for u in bar.units]
        if len(units) == 2:
            out.append(f"{units[0]} is barred against {units[1]}.")
        else:
            out.append(f"{_join(units)} are barred against each other.")
    return out


def prerequisite_sentences(q: Qualification) -> list[str]:
    """Prerequisites as sentences: ``Unit X requires Unit Y.``, ``Unit X requires one of Unit Y or Unit Z.``."""
    out = []
    for p in q.prerequisites:
        if p.requires:
            out.append(f"Unit {p.unit} requires {_join([f'Unit {u}' for u in p.requires])}.")
        if p.requires_one_of:
            listed = [f"Unit {u}" for u in p.requires_one_of]
            joined = listed[0] if len(listed) == 1 else ", ".join(listed[:-1]) + " or " + listed[-1]
            out.append(f"Unit {p.unit} requires one of {joined}.")
    return out
