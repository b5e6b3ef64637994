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
* :func:`australian_package` -- a training-package packaging rule: core units, then
  "k units from Group A and m more from Groups A-D or from another package" (overlapping
  lists) with two double-counting caps *inside* the electives combination, "at most 2
  units from Group D" and "up to 3 units from another package"; nominal hours, no credits.

Two fixed structures from the issue's table: :func:`bsc_programme` (23 modules of 7.5 and
15 ECTS, exactly 180, three specialisations, a capstone cap and a broadening cap) and
:func:`australian_six_four` (38 units, "6 from Group A and 4 more from Groups A-D").

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

__all__ = ["australian_package", "australian_six_four", "bsc_programme", "prerequisite_edges", "uk_diploma",
           "university_programme"]

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


# -- Australian packaging rules with caps inside the electives ----------------------------------

_AU_HOURS = (10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 120)


def _au_units(rng: random.Random, prefix: str, size: int) -> list[Unit]:
    """``size`` units coded ``prefix0001``, ``prefix0002``, ... with nominal hours and no credits."""
    return [Unit(id=f"{prefix}{i:04d}", title=f"Unit {prefix}{i:04d}", hours=Decimal(rng.choice(_AU_HOURS)))
            for i in range(1, size + 1)]


def _au_pools(rng: random.Random, electives: int) -> dict[str, list[Unit]]:
    """Groups A-D and the imported list: 30/25/20/15/10 % of ``electives``.

    At least 2, 1, 1, 3 and 4 units, so that both caps can bind in small structures.
    """
    least = {"A": 2, "B": 1, "C": 1, "D": 3}
    shares = {"A": 30, "B": 25, "C": 20, "D": 15}
    sizes = {k: max(least[k], electives * p // 100) for k, p in shares.items()}
    sizes["BSBX"] = max(4, electives - sum(sizes.values()))
    return {k: _au_units(rng, k, n) for k, n in sizes.items()}


def _au_witness(rng: random.Random, pools: dict[str, list[Unit]], k: int, m: int) -> set[str]:
    """k units of Group A, then m more from A-D and the imported list, within both caps."""
    a = rng.sample(pools["A"], k)
    others = [u for u in pools["A"] if u not in a] + pools["B"] + pools["C"]
    others += rng.sample(pools["D"], min(2, len(pools["D"]))) + rng.sample(pools["BSBX"], min(3, len(pools["BSBX"])))
    return {u.id for u in a + rng.sample(others, min(m, len(others)))}


def _au_prerequisites(rng: random.Random, pools: dict[str, list[Unit]], witness: set[str],
                      how_many: int) -> tuple[Prerequisite, ...]:
    """``how_many`` prerequisites, each on an elective outside the witness (so the witness keeps them)."""
    electives = [u for pool in pools.values() for u in pool]
    later = [u for u in electives if u.id not in witness]
    made = []
    for unit in rng.sample(later, min(how_many, len(later))):
        needs = rng.choice([u for u in electives if u is not unit])
        made.append(Prerequisite(unit=unit.id, requires=(needs.id,)))
    return tuple(made)


def australian_package(electives: int = 300, seed: int = 0, *, core: int = 8,
                       prerequisites: int = 3) -> Qualification:
    """A training-package packaging rule with two caps inside its electives combination.

    ``core`` core units (a mandatory group) and ``electives`` elective units in Groups
    A-D and a list imported from another package (ids ``BSBX0001``, ...). The electives
    are one ``all_of`` of exactly k + m units: "k units from Group A", "m more from
    Groups A-D or from another package" (a Group A unit is listed in both and counts
    towards one of them), and two double-counting caps next to them, "at most 2 units
    from Group D" and "up to 3 units from another package". Units have nominal hours
    (10-120) and no credits. Built around a witness pathway, so feasible by construction.

    Parameters
    ----------
    electives
        Elective units in all; small values are rounded up so that Groups A-D and the
        imported list have at least 2, 1, 1, 3 and 4 units (both caps can bind).
    seed
        The same seed gives the same structure.
    core
        Core units.
    prerequisites
        Prerequisites between electives (each on a unit outside the witness).

    Returns
    -------
    Qualification

    Examples
    --------
    >>> q = australian_package(40, seed=1)
    >>> len(q.unit_ids()), q.min_units == q.max_units, len(q.prerequisites)
    (48, True, 3)
    >>> [g.id for g in q.requirements[1].requirements if g.double_counting]
    ['D-cap', 'import-cap']
    """
    rng = random.Random(seed)
    cores = _au_units(rng, "CORE", core)
    pools = _au_pools(rng, electives)
    k = min(len(pools["A"]), rng.randint(3, 6))
    m = min(rng.randint(4, 8), max(1, (electives - k) // 2))  # leave room to choose in small pools
    witness = _au_witness(rng, pools, k, m)
    ids = {name: tuple(u.id for u in pool) for name, pool in pools.items()}
    parts = (
        Group(id="A", title=f"{k} units from Group A", min_units=k, units=ids["A"]),
        Group(id="A-D", title=f"{m} more from Groups A to D or from another package", min_units=m,
              units=(*ids["A"], *ids["B"], *ids["C"], *ids["D"], *ids["BSBX"])),
        Group(id="D-cap", title="At most 2 units from Group D", double_counting=True, max_units=2,
              units=ids["D"]),
        Group(id="import-cap", title="Up to 3 units from another package", double_counting=True,
              max_units=3, units=ids["BSBX"]),
    )
    return Qualification(
        id=f"FAM-AU-{electives}-{seed}" + (f"-p{prerequisites}" if prerequisites != 3 else ""),
        title=f"Generated packaging rule ({electives} electives)", level=3,
        units=(*cores, *(u for pool in pools.values() for u in pool)),
        min_units=core + k + m, max_units=core + k + m,
        requirements=(
            Group(id="core", title="Core units", mandatory=True, units=tuple(u.id for u in cores)),
            Combination(kind="all_of", id="electives", title="Elective units", min_units=k + m,
                        max_units=k + m, requirements=parts),
        ),
        prerequisites=_au_prerequisites(rng, pools, witness, prerequisites))


# -- two fixed structures from the table ------------------------------------------------

_BSC_CORE = (("Programming 1", "15"), ("Programming 2", "15"), ("Discrete mathematics", "15"),
             ("Algorithms and data structures", "15"), ("Computer systems", "7.5"), ("Databases", "7.5"),
             ("Professional practice", "7.5"), ("Statistics", "7.5"))
_BSC_SPECS = (("DS", "Data science", ("Machine learning", "Data visualisation", "Big data systems")),
              ("SE", "Software engineering", ("Software testing", "Requirements", "Distributed systems")),
              ("CY", "Cyber security", ("Cryptography", "Network security", "Secure coding")))
_BSC_OPTION_ECTS = ("7.5", "7.5", "15")
_BSC_BROADENING = (("Economics for engineers", "7.5"), ("Technical writing", "7.5"), ("Entrepreneurship", "15"))


def _ects(code: str, title: str, ects: str) -> Unit:
    """A module worth ``ects`` ECTS credits."""
    return Unit(id=code, title=title, credits=Decimal(ects))


def _bsc_specialisation(code: str, title: str, options: tuple[str, ...]) -> tuple[Combination, list[Unit]]:
    """One specialisation: its 15-ECTS capstone (mandatory) and 15 ECTS or more of its three options."""
    capstone = _ects(f"{code}-CAP", f"{title} capstone project", "15")
    modules = [_ects(f"{code}{i + 1}", name, ects) for i, (name, ects) in enumerate(zip(options, _BSC_OPTION_ECTS))]
    spec = Combination(kind="all_of", id=f"spec-{code}", title=f"Specialisation in {title}", requirements=(
        Group(id=f"{code}-capstone", title="Capstone", mandatory=True, units=(capstone.id,)),
        Group(id=f"{code}-options", title=f"{title} modules", min_credits=Decimal(15),
              units=tuple(u.id for u in modules)),
    ))
    return spec, [capstone, *modules]


def bsc_programme() -> Qualification:
    """A BSc of 23 modules worth 7.5 or 15 ECTS and exactly 180 ECTS in all (issue 14's table).

    Eight core modules (90 ECTS); a major of three specialisations (an ``any_of`` of
    ``all_of``: a mandatory 15-ECTS capstone and 15 ECTS or more of the specialisation's
    three modules); free electives from every specialisation module and three broadening
    modules; two double-counting caps at the top, "at most 15 ECTS of capstone projects"
    (so one specialisation only) and "at most 15 ECTS of broadening modules"; one barred
    pair and two prerequisites.

    Returns
    -------
    Qualification

    Examples
    --------
    >>> q = bsc_programme()
    >>> len(q.unit_ids()), q.min_credits, q.max_credits
    (23, Decimal('180'), Decimal('180'))
    >>> sorted({str(q.unit(u).credits) for u in q.unit_ids()})
    ['15', '7.5']
    """
    core = [_ects(f"CORE{i + 1}", name, ects) for i, (name, ects) in enumerate(_BSC_CORE)]
    built = [_bsc_specialisation(*spec) for spec in _BSC_SPECS]
    specs = tuple(spec for spec, _modules in built)
    capstones = [modules[0] for _spec, modules in built]
    options = [u for _spec, modules in built for u in modules[1:]]
    broadening = [_ects(f"BRD{i + 1}", name, ects) for i, (name, ects) in enumerate(_BSC_BROADENING)]
    return Qualification(
        id="FAM-BSC", title="BSc Computing (three specialisations)",
        units=(*core, *(u for _spec, modules in built for u in modules), *broadening),
        min_credits=Decimal(180), max_credits=Decimal(180),
        requirements=(
            Group(id="core", title="Core modules", mandatory=True, units=tuple(u.id for u in core)),
            Combination(kind="any_of", id="major", title="One specialisation", requirements=specs),
            Group(id="electives", title="Electives", units=tuple(u.id for u in (*options, *broadening))),
            Group(id="capstone-cap", title="At most 15 ECTS of capstone projects", double_counting=True,
                  max_credits=Decimal(15), units=tuple(u.id for u in capstones)),
            Group(id="broadening-cap", title="At most 15 ECTS of broadening modules", double_counting=True,
                  max_credits=Decimal(15), units=tuple(u.id for u in broadening)),
        ),
        barred=(Barred(units=("BRD3", "SE3"), reason="overlapping content"),),
        prerequisites=(Prerequisite(unit="DS-CAP", requires_one_of=("DS1", "DS2")),
                       Prerequisite(unit="CY3", requires=("CY1",))))


def australian_six_four() -> Qualification:
    """The packaging rule of issue 14's table: 10 core units, then "6 from Group A and 4 more from A-D".

    38 units: 10 core units (mandatory) and 28 electives, 10 in Group A (listed in both
    the Group A group and the Groups A-D group, counting towards one of them) and 18 in
    Groups B-D (listed in Groups A-D only); 10 electives or more, so 20 units or more in
    all. Nominal hours of 10-120 per unit, no credits. There is no upper limit, so most
    pathways hold units they could drop: the minimal ones are the 10-elective pathways.

    Returns
    -------
    Qualification

    Examples
    --------
    >>> q = australian_six_four()
    >>> len(q.unit_ids()), q.min_units, q.max_units, len(q.mandatory_unit_ids())
    (38, 20, None, 10)
    """
    rng = random.Random(64)  # fixed: the same hours every time
    core = _au_units(rng, "SITXCOR", 10)
    pools = {letter: _au_units(rng, f"SITH{letter}", size) for letter, size in zip("ABCD", (10, 7, 6, 5))}
    ids = {letter: tuple(u.id for u in pool) for letter, pool in pools.items()}
    electives = Combination(kind="all_of", id="electives", title="10 elective units or more", min_units=10,
                            requirements=(
                                Group(id="A", title="6 units from Group A", min_units=6, units=ids["A"]),
                                Group(id="A-D", title="4 more units from Groups A, B, C or D", min_units=4,
                                      units=tuple(u for letter in "ABCD" for u in ids[letter])),
                            ))
    return Qualification(
        id="FAM-AU-6+4", title="Certificate III (6 from Group A and 4 from Groups A-D)", level=3,
        units=(*core, *(u for pool in pools.values() for u in pool)), min_units=20,
        requirements=(Group(id="core", title="Core units", mandatory=True, units=tuple(u.id for u in core)),
                      electives))
