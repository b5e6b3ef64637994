"""Synthetic qualification structures for demonstrations and tests of the drawings.

Examples
--------
>>> q = synthetic_qualification(groups=8, units_per_group=25)
>>> len(q.unit_ids()), [r.kind for r in q.requirements]
(200, ['group', 'all_of', 'any_of'])
"""

from __future__ import annotations

import dataclasses
import random
from decimal import Decimal

from solver.model import Combination, Group, Qualification, Requirement, Unit

__all__ = ["revised_diploma", "synthetic_qualification"]

_VERBS = ("Manage", "Support", "Deliver", "Develop", "Plan", "Review", "Monitor", "Coordinate", "Promote",
          "Maintain", "Evaluate", "Contribute to")
_THINGS = ("customer records", "team performance", "digital services", "stock control", "health and safety",
           "quality assurance", "complaint handling", "service improvements", "business communications",
           "workplace projects", "supplier relationships", "event logistics", "data protection",
           "online sales", "induction of new staff", "budgets and resources", "risk assessments",
           "sustainable practice", "product knowledge", "contact centre operations")
_SETTINGS = ("", "", " in a retail environment", " in a contact centre", " for a small business",
             " in health and social care")


def synthetic_qualification(*, groups: int = 8, units_per_group: int = 25, seed: int = 0) -> Qualification:
    """Make a large, plausible structure: a mandatory group, then optional groups (``all_of``, ``any_of``).

    The first group is mandatory, the next ones (up to five) sit in an
    ``all_of`` with credit minima, and the rest in an ``any_of`` of
    specialisms. The same arguments always give the same structure.

    Parameters
    ----------
    groups
        Number of groups (at least 1).
    units_per_group
        Units in each group.
    seed
        Seed of the pseudo-random titles, credits and levels.
    """
    rng = random.Random(seed)
    units: list[Unit] = []
    group_units: list[tuple[str, ...]] = []
    for g in range(groups):
        ids = []
        for i in range(units_per_group):
            uid = f"S{g + 1:02d}-{i + 1:02d}"
            title = f"{rng.choice(_VERBS)} {rng.choice(_THINGS)}{rng.choice(_SETTINGS)}"
            credits, level = Decimal(rng.randint(2, 7)), rng.choice((2, 2, 3))
            units.append(Unit(id=uid, title=title, credits=credits, level=level))
            ids.append(uid)
        group_units.append(tuple(ids))
    letters = [chr(ord("A") + g - 1) for g in range(1, groups)]
    mandatory = Group(id="mandatory", title="Mandatory units", units=group_units[0], mandatory=True)
    core: list[Requirement] = [
        Group(id=letter, title=f"Optional Group {letter}", units=ids, min_credits=Decimal(6 + 2 * n))
        for n, (letter, ids) in enumerate(zip(letters[:5], group_units[1:6], strict=False))
    ]
    special: list[Requirement] = [
        Group(id=letter, title=f"Specialism {letter}", units=ids, min_credits=Decimal(12), max_units=5)
        for letter, ids in zip(letters[5:], group_units[6:], strict=False)
    ]
    requirements: list[Requirement] = [mandatory]
    if core:
        requirements.append(Combination(kind="all_of", id="optional", title="Optional units",
                                        requirements=tuple(core)))
    if special:
        requirements.append(Combination(kind="any_of", id="specialism", title="Specialist pathways",
                                        requirements=tuple(special)))
    return Qualification(id="SYN-200", title="Level 3 Diploma in Synthetic Services (demonstration)", level=3,
                         units=tuple(units), requirements=tuple(requirements), min_credits=Decimal(90))


def revised_diploma(q: Qualification, *, moved: str = "working-relationships") -> Qualification:
    """A what-if revision of the Level 2 Diploma: Group B needs 18 credits (not 16) and ``moved`` goes C → B.

    >>> from solver.model.load import bundled_rules, load_qualification
    >>> new = revised_diploma(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
    >>> [(g.id, g.describe(), len(g.units)) for g in new.iter_groups()][1:]
    [('A', 'min 3 credits', 2), ('B', 'min 18 credits', 18), ('C', 'max 7 credits', 14)]
    """

    def revise(node: Requirement) -> Requirement:
        if isinstance(node, Combination):
            return dataclasses.replace(node, requirements=tuple(revise(c) for c in node.requirements))
        if node.id == "B":
            return dataclasses.replace(node, min_credits=Decimal(18), units=(*node.units, moved))
        if node.id == "C":
            return dataclasses.replace(node, units=tuple(u for u in node.units if u != moved))
        return node

    return dataclasses.replace(q, requirements=tuple(revise(r) for r in q.requirements))
