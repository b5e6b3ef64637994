"""Hypothesis strategies for small, valid qualifications covering every rule kind.

Structures are built valid by construction (``solver.model.validate.validate(q) == []``):
limits are drawn from sums of the credits actually listed, minima never exceed
maxima, prerequisites only point "backwards" in a random order (so they cannot
form a cycle), and ids are unique. Keyword flags restrict the family, so a
solver fast path can be tested on exactly what it supports::

    qualifications(disjoint_only=True)      # each unit in one group, no double counting
    qualifications(nesting=False)           # groups only at the top
    qualifications(whole_set_rules=False)   # no qualification-wide limits, level rules,
                                            # barred sets or prerequisites
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st

from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Requirement, Unit

__all__ = ["CREDIT_VALUES", "TRICKY_IDS", "features", "qualifications", "units_of"]

T = TypeVar("T")

#: Credit values units are drawn from (exact decimals, 0 included).
CREDIT_VALUES = tuple(Decimal(v) for v in ("0", "1", "2", "3", "5", "7.5"))
#: Ids and titles that YAML would misread if written bare.
TRICKY_IDS = ("1.1", "yes", "null", "010", "Y/506/1938", "on", "~", "1e3", "0x1F", "true", "a b", "#x",
              "- z", "k: v", "1:20", "")
_AMOUNTS = (None, Decimal(10), Decimal("12.5"), Decimal(30))
_LIMIT_NAMES = ("min_credits", "max_credits", "min_units", "max_units")


def units_of(node: Requirement) -> tuple[str, ...]:
    """Units listed anywhere under a requirement, first-listed order."""
    if isinstance(node, Group):
        return node.units
    seen: dict[str, None] = {}
    for child in node.requirements:
        for uid in units_of(child):
            seen.setdefault(uid, None)
    return tuple(seen)


#: Offsets added to a drawn sum of credits: mostly none, else off the lattice of unit credits.
OFF_LATTICE = (Decimal(0), Decimal(0), Decimal(0), Decimal("0.5"), Decimal("-0.5"), Decimal("0.25"), Decimal("1.5"))


def _subset_sum(draw: Any, values: Sequence[Decimal]) -> Decimal:
    picks = draw(st.lists(st.booleans(), min_size=len(values), max_size=len(values)))
    return sum((v for v, take in zip(values, picks, strict=True) if take), Decimal(0))


def _limits(draw: Any, credits: Sequence[Decimal], *, credit_rules: bool, chance: float) -> dict[str, Any]:
    """Random limits on a pool of units with these credits; each limit set with probability ``chance``."""

    def maybe() -> bool:
        return bool(draw(st.floats(0, 1)) < chance)

    out: dict[str, Any] = {}
    n = len(credits)
    if credit_rules:
        # limits need not be sums of unit credits: a half-credit minimum over whole-credit units
        # (1.5) and a maximum between two sums are drawn as well as sums themselves
        nudges = st.sampled_from(OFF_LATTICE)
        low, high = sorted((max(Decimal(0), _subset_sum(draw, credits) + draw(nudges)),
                            max(Decimal(0), _subset_sum(draw, credits) + draw(nudges))))
        if maybe():
            out["min_credits"] = low
        if maybe():
            out["max_credits"] = high
    low_u, high_u = sorted((draw(st.integers(0, n)), draw(st.integers(0, n))))
    if maybe():
        out["min_units"] = low_u
    if maybe():
        out["max_units"] = high_u
    return out


def _partition(draw: Any, items: list[T]) -> list[list[T]]:
    """Split a list into consecutive non-empty chunks."""
    chunks: list[list[T]] = [[items[0]]]
    for item in items[1:]:
        if draw(st.booleans()):
            chunks.append([item])
        else:
            chunks[-1].append(item)
    return chunks


@st.composite
def qualifications(
    draw: Any,
    max_units: int = 8,
    *,
    disjoint_only: bool = False,
    overlap: bool = True,
    double_counting: bool = True,
    nesting: bool = True,
    whole_set_rules: bool = True,
    tricky_ids: bool = False,
    max_groups: int = 4,
    max_depth: int = 3,
    max_overlapping: int = 3,
) -> Qualification:
    """A random valid qualification of at most ``max_units`` units.

    ``disjoint_only`` turns off ``overlap`` and ``double_counting`` (every
    listed unit is in exactly one group). ``tricky_ids`` draws ids and titles
    YAML would misread (``1.1``, ``yes``, ``null``, ...), for the writer's tests.
    ``max_overlapping`` caps how many units are listed in more than one group
    (each such unit multiplies the allocations a brute force must try).
    """
    if disjoint_only:
        overlap = double_counting = False
    n = draw(st.integers(1, max_units))
    if tricky_ids:
        pool = [t for t in TRICKY_IDS if t] + [f"u{i}" for i in range(max_units)]
        ids = list(draw(st.permutations(pool)))[:n]
    else:
        ids = [f"u{i}" for i in range(n)]
    credit_rules = draw(st.sampled_from((True, True, True, False)))
    titles = st.sampled_from(TRICKY_IDS) if tricky_ids else st.just("")

    units = []
    for uid in ids:
        credit_choices = CREDIT_VALUES if credit_rules else (*CREDIT_VALUES, None)
        units.append(Unit(
            id=uid,
            title=draw(titles) or uid,
            credits=draw(st.sampled_from(credit_choices)),
            level=draw(st.sampled_from((None, 1, 2, 3, 4))),
            glh=draw(st.sampled_from(_AMOUNTS)),
            fee=draw(st.sampled_from(_AMOUNTS)),
            hours=draw(st.sampled_from(_AMOUNTS)),
        ))
    credit_of = {u.id: u.credits or Decimal(0) for u in units}

    # Sometimes one unit is defined but listed in no group.
    unlisted = 1 if n > 1 and draw(st.integers(0, 5)) == 0 else 0
    listed = list(draw(st.permutations(ids)))[: n - unlisted]

    # Which groups list which units.
    m = draw(st.integers(1, min(max_groups, len(listed))))
    members: list[list[str]] = [[] for _ in range(m)]
    overlapping = 0
    for i, uid in enumerate(listed):
        home = i if i < m else draw(st.integers(0, m - 1))
        members[home].append(uid)
        if overlap and m > 1 and overlapping < max_overlapping:
            others = [g for g in range(m) if g != home]
            also = draw(st.lists(st.sampled_from(others), max_size=2, unique=True))
            for g in also:
                members[g].append(uid)
            overlapping += bool(also)
    group_ids = _ids(draw, "g", m, tricky_ids)
    groups = []
    for gi, pool_units in enumerate(members):
        order = tuple(draw(st.permutations(pool_units)))
        mandatory = draw(st.integers(0, 4)) == 0
        groups.append(Group(
            id=group_ids[gi],
            title=draw(titles),
            units=order,
            mandatory=mandatory,
            double_counting=double_counting and draw(st.integers(0, 5)) == 0,
            **_limits(draw, [credit_of[u] for u in order], credit_rules=credit_rules,
                      chance=0.15 if mandatory else 0.45),
        ))

    # The tree: consecutive groups bundled into combinations, nested up to max_depth.
    combo_count = [0]
    combo_ids = _ids(draw, "c", 2 * m + 2, tricky_ids, avoid=set(group_ids))

    def build(chunk: list[Group], depth: int) -> Requirement:
        if len(chunk) == 1 and (not nesting or depth > max_depth or draw(st.integers(0, 3)) != 0):
            return chunk[0]
        if len(chunk) == 1 or depth >= max_depth:
            children = [build([g], max_depth + 1) for g in chunk]
        else:
            children = [build(part, depth + 1) for part in _partition(draw, chunk)]
        kind = draw(st.sampled_from(("all_of", "any_of", "at_least")))
        node = Combination(
            kind=kind,
            id=combo_ids[combo_count[0]],
            title=draw(titles),
            k=draw(st.integers(1, len(children))) if kind == "at_least" else None,
            requirements=tuple(children),
        )
        combo_count[0] += 1
        pool_credits = [credit_of[u] for u in units_of(node)]
        return _replace_limits(node, _limits(draw, pool_credits, credit_rules=credit_rules, chance=0.2))

    top = [build(part, 1) for part in _partition(draw, groups)] if nesting else list(groups)

    extra: dict[str, Any] = {}
    if whole_set_rules:
        all_credits = [credit_of[u] for u in listed]
        extra.update(_limits(draw, all_credits, credit_rules=credit_rules, chance=0.2))
        extra["level_rules"] = tuple(_level_rule(draw, units, listed, credit_rules)
                                     for _ in range(draw(st.integers(0, 2))))
        extra["barred"] = _barred(draw, listed)
        extra["prerequisites"] = _prerequisites(draw, listed)
    return Qualification(id="Q", title=draw(titles) or "Generated", units=tuple(units),
                         requirements=tuple(top), **extra)


def _ids(draw: Any, prefix: str, count: int, tricky: bool, avoid: set[str] | None = None) -> list[str]:
    plain = [f"{prefix}{i}" for i in range(count)]
    if not tricky:
        return plain
    pool = [t for t in TRICKY_IDS if t and t not in (avoid or set())] + plain
    return list(draw(st.permutations(pool)))[:count]


def _replace_limits(node: Combination, limits: dict[str, Any]) -> Combination:
    return Combination(kind=node.kind, id=node.id, title=node.title, k=node.k,
                       requirements=node.requirements, **limits)


def _level_rule(draw: Any, units: list[Unit], listed: list[str], credit_rules: bool) -> LevelRule:
    kind = draw(st.sampled_from(("at_or_above", "below")))
    level = draw(st.integers(1, 4))
    rule = LevelRule(kind=kind, level=level)
    applies = [u.credits or Decimal(0) for u in units if u.id in listed and rule.applies_to(u.level)]
    limits = _limits(draw, applies, credit_rules=credit_rules, chance=0.5)
    if not limits:  # a level rule must set some limit
        limits = {"max_units": draw(st.integers(0, len(applies)))}
    return LevelRule(kind=kind, level=level, **limits)


def _barred(draw: Any, listed: list[str]) -> tuple[Barred, ...]:
    if len(listed) < 2:
        return ()
    out = []
    for _ in range(draw(st.integers(0, 2))):
        chosen = draw(st.lists(st.sampled_from(listed), min_size=2, max_size=3, unique=True))
        out.append(Barred(units=tuple(chosen)))
    return tuple(out)


def _prerequisites(draw: Any, listed: list[str]) -> tuple[Prerequisite, ...]:
    if len(listed) < 2:
        return ()
    order = list(draw(st.permutations(listed)))
    # Requiring only units earlier in `order` keeps the graph acyclic.
    holders = draw(st.lists(st.integers(1, len(order) - 1), max_size=2, unique=True))
    out = []
    for i in holders:
        all_of = draw(st.lists(st.sampled_from(order[:i]), max_size=2, unique=True))
        one_of = draw(st.lists(st.sampled_from(order[:i]), max_size=2, unique=True))
        if not all_of and not one_of:
            all_of = [order[0]]
        out.append(Prerequisite(unit=order[i], requires=tuple(all_of), requires_one_of=tuple(one_of)))
    return tuple(out)


def features(q: Qualification) -> set[str]:
    """Names of the rule kinds a qualification uses (to check a strategy covers them all)."""
    found: set[str] = set()
    counts: dict[str, int] = {}
    for g in _groups(q.requirements):
        found.update(f"group.{name}" for name in g.limits())
        found.update({"mandatory"} if g.mandatory else set())
        found.update({"double_counting"} if g.double_counting else set())
        for uid in g.units:
            counts[uid] = counts.get(uid, 0) + 1
    if any(c >= 2 for c in counts.values()):
        found.add("overlap")
    if any(c >= 3 for c in counts.values()):
        found.add("overlap3")
    for node, depth in _nodes(q.requirements, 1):
        if isinstance(node, Combination):
            found.add(node.kind)
            found.update(f"node.{name}" for name in node.limits())
            found.add(f"depth{depth}")
    found.update(f"qualification.{name}" for name in q.limits())
    found.update(f"level.{r.kind}" for r in q.level_rules)
    found.update({"barred"} if q.barred else set())
    found.update({"prerequisites"} if q.prerequisites else set())
    found.update({"requires_one_of"} if any(p.requires_one_of for p in q.prerequisites) else set())
    found.update({"unlisted"} if len(counts) < len(q.units) else set())
    for u in q.units:
        if u.credits is not None and u.credits != u.credits.to_integral_value():
            found.add("decimal_credits")
        found.update({"no_level"} if u.level is None else set())
        found.update({"no_credits"} if u.credits is None else set())
        found.update({"glh"} if u.glh is not None else set())
        found.update({"fee"} if u.fee is not None else set())
    return found


def _groups(nodes: Sequence[Requirement]) -> list[Group]:
    return [g for node, _d in _nodes(nodes, 1) if isinstance((g := node), Group)]


def _nodes(nodes: Sequence[Requirement], depth: int) -> list[tuple[Requirement, int]]:
    out: list[tuple[Requirement, int]] = []
    for node in nodes:
        out.append((node, depth))
        if isinstance(node, Combination):
            out.extend(_nodes(node.requirements, depth + 1))
    return out
