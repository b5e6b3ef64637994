"""Seeded structures whose units are coupled by many prerequisites and barred pairs (issue 14).

* :func:`university_programme` -- a taught degree of ``courses`` courses worth 6 or 12
  credits at levels 1-3: mandatory core courses, a major of 3-4 specialisations (an
  ``any_of`` of ``all_of``: a mandatory capstone and a list with a credit minimum), free
  electives, a programme total of exactly N credits, a level rule ("at least X credits
  at level 3"), prerequisite chains inside subjects of 2-5 courses (``requires`` the
  course before; where a subject offers a course in two versions, the next course
  ``requires_one_of`` them; the capstone needs two specialisation courses; some
  specialisation courses need one of three foundation electives), at least 0.4
  prerequisite edges per course, and at least 5 barred pairs (an elective whose content
  overlaps a specialisation course, or two electives).
* :func:`uk_diploma` -- a UK credit Diploma shaped like ``rules/l2-diploma-customer-service.yaml``:
  mandatory units, optional groups with credit minima (one with a maximum), a
  qualification-wide minimum, a level rule, units worth 1-15 credits, and ``pairs``
  barred pairs spread over every optional group: most join units of two different
  groups, some two units of one group.

As in :mod:`bench.generate` (whose style this follows), every structure is built around
a *witness* pathway chosen first (its prerequisites closed, no barred pair inside it),
and every limit is set so that the witness meets it: feasible by construction.

>>> q = university_programme(50, seed=1)
>>> len(q.unit_ids()), len(q.barred) >= 5, prerequisite_edges(q) >= 0.4 * 50
(50, True, True)
"""

from __future__ import annotations

import random
from decimal import Decimal

from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Unit

__all__ = ["prerequisite_edges", "uk_diploma", "university_programme"]

_UK_CREDITS = (1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 12, 15)


def _credits(units: list[Unit]) -> Decimal:
    return sum((u.credits or Decimal(0) for u in units), Decimal(0))


def prerequisite_edges(q: Qualification) -> int:
    """Edges of the prerequisite graph: one per unit named in ``requires`` or ``requires_one_of``."""
    return sum(len(p.requires) + len(p.requires_one_of) for p in q.prerequisites)


def university_programme(courses: int, seed: int = 0, *, specialisations: int | None = None,
                         barred: int | None = None) -> Qualification:
    """A degree of ``courses`` courses (see the module docstring); at least 40 courses."""
    rng = random.Random(seed)
    courses = max(40, courses)
    if specialisations is None:
        specialisations = rng.choice((3, 4))
    if barred is None:
        barred = max(5, courses // 20)
    counter = iter(range(10**6))

    def course(prefix: str, level: int) -> Unit:
        credits = Decimal(12) if rng.random() < 0.2 else Decimal(6)
        return Unit(id=f"{prefix}{next(counter):04d}", title=f"{prefix} course, level {level}", credits=credits,
                    level=level)

    core = [course("CORE", rng.choice((1, 1, 2))) for _ in range(max(3, courses // 12))]
    spec_size = max(6, courses * 3 // (10 * specialisations))
    capstones = [course(f"S{s}CAP", 3) for s in range(specialisations)]
    options = [[course(f"S{s}OPT", (1, 2, 2, 3)[i % 4]) for i in range(spec_size)]
               for s in range(specialisations)]
    left = courses - len(core) - specialisations * (spec_size + 1)
    electives = [course("EL", (1, 1, 2, 2, 3)[i % 5]) for i in range(max(6, left))]
    foundations = [u for u in electives if u.level == 1][:3]

    prereqs: list[Prerequisite] = []

    def chain(pool: list[Unit], foundation_chance: float) -> None:
        """Subjects of 2-5 courses, each course after the first needing the one before it.

        Some subjects offer a course in two versions (say a regular and an advanced
        one): the course after it ``requires_one_of`` the two. A level-2 course may also
        need a foundation elective.
        """
        ordered = sorted(pool, key=lambda v: v.level or 0)
        while ordered:
            size = min(len(ordered), rng.randint(2, 5))
            subject = sorted((ordered.pop(rng.randrange(len(ordered))) for _ in range(size)),
                             key=lambda v: v.level or 0)
            if len(subject) < 2:
                continue
            twin = ordered.pop(rng.randrange(len(ordered))) if ordered and size > 2 and rng.random() < 0.5 else None
            spot = rng.randrange(len(subject) - 1)
            for i, u in enumerate(subject):
                if i == spot and twin is not None and i:
                    prereqs.append(Prerequisite(unit=twin.id, requires=(subject[i - 1].id,)))
                if i == 0:
                    continue
                before = subject[i - 1]
                if i - 1 == spot and twin is not None:
                    prereqs.append(Prerequisite(unit=u.id, requires_one_of=(before.id, twin.id)))
                else:
                    prereqs.append(Prerequisite(unit=u.id, requires=(before.id,)))
                if u.level == 2 and foundations and rng.random() < foundation_chance:
                    prereqs.append(Prerequisite(unit=u.id, requires=(rng.choice(foundations).id,)))

    for s in range(specialisations):
        chain(options[s], 0.15)
        level2 = [v for v in options[s] if v.level == 2]
        prereqs.append(Prerequisite(unit=capstones[s].id, requires=tuple(v.id for v in level2[:2])))
    chain(electives, 0.0)
    required_of = {p.unit: p for p in prereqs}

    def closure(chosen: list[Unit]) -> list[Unit]:
        by_id = {u.id: u for u in (*core, *capstones, *electives, *(u for o in options for u in o))}
        out = {u.id: u for u in chosen}
        todo = list(chosen)
        while todo:
            u = todo.pop()
            for p in [q for q in prereqs if q.unit == u.id]:
                for v in (*p.requires, *p.requires_one_of[:1]):
                    if v not in out:
                        out[v] = by_id[v]
                        todo.append(by_id[v])
        return list(out.values())

    need = Decimal(24)
    witness_options: list[Unit] = []
    for u in sorted(options[0], key=lambda v: v.level or 0):
        if _credits(witness_options) >= need:
            break
        witness_options.append(u)
    picked_electives = rng.sample(electives, max(2, len(electives) // 4))
    witness = closure([*core, capstones[0], *witness_options, *picked_electives])
    inside = {u.id for u in witness}
    del required_of

    pairs: list[Barred] = []
    outside_el = [u for u in electives if u.id not in inside]
    outside_spec = [u for o in options[1:] for u in o if u.id not in inside]
    rng.shuffle(outside_el)
    rng.shuffle(outside_spec)
    while len(pairs) < barred and outside_el and (outside_spec or len(outside_el) > 1):
        first = outside_el.pop()
        other = outside_spec.pop() if outside_spec and rng.random() < 0.7 else outside_el.pop() if outside_el else None
        if other is None:
            break
        pairs.append(Barred(units=(first.id, other.id), reason="overlapping content"))

    total = _credits(witness)
    level3 = min(_credits([u for u in witness if u.level == 3]), Decimal(36))
    specs = tuple(
        Combination(kind="all_of", id=f"spec{s}", title=f"Specialisation {s + 1}", requirements=(
            Group(id=f"spec{s}-capstone", title="Capstone", mandatory=True, units=(capstones[s].id,)),
            Group(id=f"spec{s}-options", title="Specialisation courses", min_credits=need,
                  units=tuple(u.id for u in options[s])),
        )) for s in range(specialisations))
    made = (*core, *capstones, *(u for o in options for u in o), *electives)
    return Qualification(
        id=f"FAM-UNI-{courses}-{seed}", title=f"Generated degree ({courses} courses)", units=made,
        min_credits=total, max_credits=total,
        requirements=(
            Group(id="core", title="Core courses", mandatory=True, units=tuple(u.id for u in core)),
            Combination(kind="any_of", id="major", title="One specialisation", requirements=specs),
            Group(id="electives", title="Free electives", units=tuple(u.id for u in electives)),
        ),
        level_rules=(LevelRule(kind="at_or_above", level=3, min_credits=level3),) if level3 else (),
        barred=tuple(pairs), prerequisites=tuple(prereqs))


def uk_diploma(units: int = 60, pairs: int = 20, seed: int = 0, *, groups: int = 3,
               across: float = 0.75) -> Qualification:
    """A UK credit Diploma of ``units`` units with ``pairs`` barred pairs (see the module docstring).

    About ``across`` of the pairs join units of two different optional groups, the rest
    two units of one group.
    """
    rng = random.Random(seed)
    counter = iter(range(10**6))

    def unit() -> Unit:
        return Unit(id=f"U{next(counter):03d}", title="Unit", credits=Decimal(rng.choice(_UK_CREDITS)),
                    level=3 if rng.random() < 0.3 else 2)

    mandatory = [unit() for _ in range(5)]
    rest = units - len(mandatory)
    sizes = [rest // groups + (1 if g < rest % groups else 0) for g in range(groups)]
    members = [[unit() for _ in range(size)] for size in sizes]
    # pairs: each optional unit in at most one pair; most pairs join two groups
    free = [(g, u) for g, m in enumerate(members) for u in m]
    rng.shuffle(free)
    chosen: list[tuple[Unit, Unit]] = []
    used: set[str] = set()
    for g, u in free:
        if len(chosen) >= pairs or u.id in used:
            continue
        apart = rng.random() < across
        options = [v for h, v in free if v.id not in used and v is not u and (h != g) == apart]
        if not options:
            continue
        v = rng.choice(options)
        chosen.append((u, v))
        used.update((u.id, v.id))
    barred_out = {rng.choice(pair).id for pair in chosen}  # the witness leaves one unit of each pair
    minima = [Decimal(rng.randint(3, 16)) for _ in range(groups)]
    capped = rng.randrange(1, groups)
    witness = list(mandatory)
    picked: list[list[Unit]] = []
    for g, m in enumerate(members):
        pool = [u for u in m if u.id not in barred_out]
        rng.shuffle(pool)
        mine: list[Unit] = []
        for u in pool:
            if _credits(mine) >= minima[g]:
                break
            mine.append(u)
        minima[g] = min(minima[g], _credits(mine))
        picked.append(mine)
        witness += mine
    extra = [u for g, m in enumerate(members) if g != capped for u in m
             if u.id not in barred_out and u not in picked[g]]
    rng.shuffle(extra)
    witness += extra[: len(extra) // 3]
    cap = _credits(picked[capped]) + rng.randint(0, 8)
    total = _credits(witness)
    level3 = min(_credits([u for u in witness if u.level == 3]), Decimal(12))
    requirements: list[Group] = [Group(id="M", title="Mandatory units", mandatory=True,
                                       units=tuple(u.id for u in mandatory))]
    for g, m in enumerate(members):
        requirements.append(Group(id="ABCDEFGH"[g], title=f"Optional Group {'ABCDEFGH'[g]}",
                                  units=tuple(u.id for u in m), min_credits=minima[g] or None,
                                  max_credits=cap if g == capped else None))
    made = (*mandatory, *(u for m in members for u in m))
    return Qualification(
        id=f"FAM-UK-{units}-{pairs}-{seed}-{round(across * 100)}",
        title=f"Generated Diploma ({units} units, {pairs} barred pairs)",
        level=2, units=made, requirements=tuple(requirements), min_credits=total,
        level_rules=(LevelRule(kind="at_or_above", level=3, min_credits=level3),) if level3 else (),
        barred=tuple(Barred(units=(u.id, v.id), reason="overlapping content") for u, v in chosen))
