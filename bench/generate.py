"""Seeded synthetic structures in the rule language, in three families that resemble real ones.

* :func:`uk_credit` -- UK rules of combination (RQF/QCF Diplomas): a mandatory group, ``G``
  optional groups of units worth 1-15 credits with group minima and maxima, a
  qualification-wide minimum and a level rule ("at least N credits at level 3 or above").
* :func:`australian` -- training-package packaging rules: a core of mandatory units,
  "k electives from Group A and m more from Groups A-D" (overlapping pools: a Group A
  unit counts towards one of the two), an imported-elective allowance, nominal hours, and
  a few prerequisites.
* :func:`university` -- a taught programme: core courses, ``any_of`` specialisms (each a
  nested ``all_of`` of a mandatory course and a choice), free electives, ECTS credits of
  7.5 (and 5, 10, 15), a fixed programme total and barred (prohibited) pairs.

Every structure is built from a *witness* pathway chosen first, and every limit is set so
that the witness satisfies it: the structures are feasible by construction (and
:func:`check` confirms it with the validator and the exact count).
"""

from __future__ import annotations

import random
from decimal import Decimal

from solver import count_pathways, exact
from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Unit
from solver.model.validate import validate

__all__ = ["australian", "check", "uk_credit", "university"]

_UK_CREDITS = (1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 10, 12, 15)  # small values are common
_HOURS = (20, 25, 30, 40, 50, 60)
_ECTS = ("7.5",) * 6 + ("5", "10", "15")


def _pick(rng: random.Random, units: list[Unit], target: Decimal) -> list[Unit]:
    """Units of a list, in random order, until their credits reach ``target``."""
    chosen: list[Unit] = []
    total = Decimal(0)
    for u in rng.sample(units, len(units)):
        if total >= target:
            break
        chosen.append(u)
        total += u.credits or 0
    return chosen


def _credits(units: list[Unit]) -> Decimal:
    return sum((u.credits or Decimal(0) for u in units), Decimal(0))


def uk_credit(units: int, groups: int | None = None, seed: int = 0) -> Qualification:
    """A UK credit structure with ``units`` candidate units in ``groups`` optional groups.

    ``groups`` defaults to about one group per 30 optional units (at least 3, at most 24).
    As in real Diplomas, the qualification's total (37-120 credits) asks for more than the
    group minima add up to, some groups have maxima, and a level rule asks for credits at
    level 3 or above.
    """
    rng = random.Random(seed)
    mandatory_n = min(5, max(1, units // 8))
    optional_n = units - mandatory_n
    if groups is None:
        groups = max(3, min(24, optional_n // 30))
    groups = max(1, min(groups, optional_n))

    def unit(i: int) -> Unit:
        level = 3 if rng.random() < 0.3 else 2
        return Unit(id=f"U{i:05d}", title=f"Unit {i}", credits=Decimal(rng.choice(_UK_CREDITS)),
                    level=level)

    mandatory = [unit(i) for i in range(mandatory_n)]
    made = list(mandatory)
    sizes = [optional_n // groups + (1 if g < optional_n % groups else 0) for g in range(groups)]
    members: list[list[Unit]] = []
    for size in sizes:
        members.append([unit(len(made) + i) for i in range(size)])
        made += members[-1]
    # the witness: each group's minimum first, then more units up to the total
    minima = [min(_credits(m), Decimal(rng.randint(3, 12))) if g == 0 or rng.random() < 0.6 else Decimal(0)
              for g, m in enumerate(members)]
    capped = [g > 0 and rng.random() < 0.4 for g in range(groups)]
    picked = [_pick(rng, m, low) for m, low in zip(members, minima)]
    total = _credits(mandatory) + sum(_credits(p) for p in picked)
    pool = sum(_credits(m) for m in members) + _credits(mandatory)
    target = min(max(total + 5, Decimal(rng.randint(37, 120))), (total + pool) / 2)
    spare = [(g, u) for g, m in enumerate(members) if not capped[g] for u in m if u not in picked[g]]
    rng.shuffle(spare)
    for g, u in spare:
        if total >= target:
            break
        picked[g].append(u)
        total += u.credits or 0
    requirements: list[Group] = [Group(id="M", title="Mandatory units", mandatory=True,
                                       units=tuple(u.id for u in mandatory))]
    for g, (m, low) in enumerate(zip(members, minima)):
        high = _credits(picked[g]) + rng.randint(0, 12) if capped[g] else None
        requirements.append(Group(id=f"G{g + 1}", title=f"Optional Group {g + 1}",
                                  units=tuple(u.id for u in m), min_credits=low or None, max_credits=high))
    witness = mandatory + [u for p in picked for u in p]
    level3 = min(_credits([u for u in witness if (u.level or 0) >= 3]), Decimal(12))
    return Qualification(
        id=f"SYN-UK-{units}-{seed}", title=f"Synthetic UK credit structure ({units} units)", level=2,
        units=tuple(made), requirements=tuple(requirements), min_credits=total,
        level_rules=(LevelRule(kind="at_or_above", level=3, min_credits=level3),) if level3 else ())


def australian(electives: int, seed: int = 0, *, core: int = 9, prerequisites: int = 3,
               cap_inside: bool = False) -> Qualification:
    """A packaging rule with ``electives`` elective units in Groups A-D (plus ``core`` core units).

    "k units from Group A and m more from Groups A, B, C or D; at most 2 from Group D":
    the first two are groups over overlapping lists (a Group A unit counts towards one of
    them). The cap on Group D is a double-counting group; by default it sits at the top
    level, and with ``cap_inside`` inside the electives combination, next to the groups it
    shares units with (a shape only the general constraint engine takes).
    """
    rng = random.Random(seed)
    made: list[Unit] = []

    def unit(code: str) -> Unit:
        return Unit(id=code, title=f"Unit {code}", hours=Decimal(rng.choice(_HOURS)))

    cores = [unit(f"CORE{i:03d}") for i in range(core)]
    made += cores
    sizes = [max(3, electives * p // 100) for p in (35, 30, 25)]
    sizes.append(max(3, electives - sum(sizes)))
    pools = []
    for letter, size in zip("ABCD", sizes):
        members = [unit(f"{letter}{i:04d}") for i in range(size)]
        made += members
        pools.append(members)
    a, b, c, d = pools
    k = min(len(a), rng.randint(3, 6))
    m = max(1, min(rng.randint(4, 8), len(b) + len(c) - prerequisites - 1))
    witness = {u.id for u in rng.sample(a, k) + rng.sample(b + c, m)}
    prereqs = []
    later = [u for u in b + c if u.id not in witness]
    for first_unit in rng.sample(later, min(prerequisites, len(later))):
        needs = rng.choice([u for u in b + c if u is not first_unit])
        prereqs.append(Prerequisite(unit=first_unit.id, requires=(needs.id,)))
    cap = Group(id="D-cap", title="At most 2 units from Group D", double_counting=True,
                units=tuple(u.id for u in d), max_units=2)
    parts: tuple[Group, ...] = (
        Group(id="A", title=f"{k} units from Group A", min_units=k, units=tuple(u.id for u in a)),
        Group(id="A-D", title=f"{m} more from Groups A to D", min_units=m,
              units=tuple(u.id for u in (*a, *b, *c, *d))),
    )
    electives_node = Combination(kind="all_of", id="electives", title="Elective units", min_units=k + m,
                                 max_units=k + m, requirements=(*parts, cap) if cap_inside else parts)
    top: tuple[Group | Combination, ...] = (
        Group(id="core", title="Core units", mandatory=True, units=tuple(u.id for u in cores)),
        electives_node,
    )
    return Qualification(
        id=f"SYN-AU-{electives}-{seed}" + ("-inside" if cap_inside else "")
        + (f"-p{prerequisites}" if prerequisites != 3 else ""),
        title=f"Synthetic packaging rule ({electives} electives)", level=3,
        units=tuple(made), min_units=core + k + m, max_units=core + k + m,
        requirements=top if cap_inside else (*top, cap), prerequisites=tuple(prereqs))


def university(courses: int, seed: int = 0, *, barred: int = 3, specialisms: int | None = None,
               shared: int = 0) -> Qualification:
    """A programme of ``courses`` courses: core, one of several specialisms, free electives.

    Credits are ECTS (mostly 7.5). ``barred`` pairs of courses may not both be taken;
    ``shared`` courses are listed in two specialisms (an overlapping pool).
    """
    rng = random.Random(seed)
    made: list[Unit] = []
    counter = iter(range(10**6))

    def course(prefix: str) -> Unit:
        return Unit(id=f"{prefix}{next(counter):04d}", title="Course", credits=Decimal(rng.choice(_ECTS)),
                    level=rng.choice((7, 7, 8)))

    core = [course("CORE") for _ in range(3)]
    made += core
    if specialisms is None:
        specialisms = max(2, min(12, courses // 12))
    rest = max(2 * specialisms + 2, courses - len(core))
    spec_size = max(2, rest * 2 // (3 * specialisms))
    elective = [course("EL") for _ in range(max(2, rest - spec_size * specialisms))]
    made += elective
    specs: list[Combination] = []
    spec_units: list[list[Unit]] = []
    for s in range(specialisms):
        members = [course(f"S{s:02d}C") for _ in range(spec_size)]
        made += members
        spec_units.append(members)
    for s, members in enumerate(spec_units):
        listed = list(members[1:])
        if shared and specialisms > 1:
            other = spec_units[(s + 1) % specialisms]
            listed += other[1:1 + shared]
        need = min(_credits(listed), Decimal(15))
        specs.append(Combination(kind="all_of", id=f"spec{s}", title=f"Specialism {s + 1}", requirements=(
            Group(id=f"spec{s}-core", title="Specialism core", mandatory=True, units=(members[0].id,)),
            Group(id=f"spec{s}-options", title="Specialism options", min_credits=need,
                  units=tuple(u.id for u in listed)),
        )))
    # witness: the core, specialism 0, enough electives
    witness = [*core, spec_units[0][0], *_pick(rng, spec_units[0][1:], Decimal(15))]
    witness += _pick(rng, elective, Decimal(30))
    total = _credits(witness)
    pairs: list[Barred] = []
    outside = [u for u in made if u not in witness and u not in core]
    rng.shuffle(outside)
    for i in range(min(barred, len(outside) // 2)):
        first, second = outside[2 * i], outside[2 * i + 1]
        pairs.append(Barred(units=(first.id, second.id), reason="overlapping content"))
    level8 = min(_credits([u for u in witness if u.level == 8]), Decimal("7.5"))
    return Qualification(
        id=f"SYN-UNI-{courses}-{seed}", title=f"Synthetic taught programme ({courses} courses)",
        units=tuple(made), min_credits=total, max_credits=total + Decimal(15),
        requirements=(
            Group(id="core", title="Core courses", mandatory=True, units=tuple(u.id for u in core)),
            Combination(kind="any_of", id="specialism", title="One specialism", requirements=tuple(specs)),
            Group(id="electives", title="Free electives", units=tuple(u.id for u in elective)),
        ),
        level_rules=(LevelRule(kind="at_or_above", level=8, min_credits=level8),) if level8 else (),
        barred=tuple(pairs))


def check(q: Qualification) -> int:
    """Validate ``q`` and return its exact count; raise if it is invalid or has no pathway."""
    problems = validate(q)
    if problems:
        raise ValueError(f"{q.id}: generated an invalid structure: {problems[0]}")
    try:
        n = exact.solve(q, exact.COUNT)
    except exact.NotSupported:  # the general engine (enumeration): small structures only
        n = count_pathways(q, timeout=None).pathways
    if n <= 0:
        raise ValueError(f"{q.id}: generated an infeasible structure")
    return n
