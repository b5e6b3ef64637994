"""The frontier engine (solver/frontier.py) against brute force and against numbers worked out by hand.

Random structures come from tests/strategies.py restricted to the engine's shape
(every unit in one group, no double counting), with two local additions: limits
moved off the credit lattice (1.5 credits over whole-credit units, 12.5 over ECTS
7.5 and 5), and extra barred pairs and prerequisite chains so that most units are
coupled. Every expected figure comes from tests/oracle.py or from a comment.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import oracle
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver import exact
from solver.answers.cheapest import first_pathways
from solver.exact import frontier
from solver.exact.frontier_problem import credit_lattice, read_limit
from solver.exact.frontier_rings import Lowest
from solver.model import Barred, Combination, Group, Prerequisite, Qualification, Requirement, Unit
from solver.model.validate import validate

RANDOM = settings(max_examples=70, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CRITERIA = [("credits",), ("units",), ("credits", "units"), ("fee", "units"), ("glh",), ("-credits", "units")]


# -- strategies -------------------------------------------------------------------------------

def _nudge(value: Decimal | None, step: Decimal) -> Decimal | None:
    if value is None:
        return None
    return value + step if value + step >= 0 else value


def _off_lattice(node: Requirement | Qualification, draw: st.DrawFn) -> dict[str, Decimal | None]:
    """Credit limits moved by half a credit (or replaced by 1.5, 2.5, 7.5), still min <= max."""
    low, high = node.min_credits, node.max_credits
    if draw(st.booleans()):
        low = draw(st.sampled_from((_nudge(low, Decimal("0.5")), _nudge(low, Decimal("-0.5")), Decimal("1.5"),
                                    Decimal("2.5"), Decimal("7.5"), low)))
    if draw(st.booleans()):
        high = draw(st.sampled_from((_nudge(high, Decimal("0.5")), _nudge(high, Decimal("-0.5")), Decimal("1.5"),
                                     Decimal("7.5"), high)))
    if low is not None and high is not None and low > high:
        low, high = high, low
    return {"min_credits": low, "max_credits": high}


def _rebuild(node: Requirement, draw: st.DrawFn) -> Requirement:
    limits = _off_lattice(node, draw)
    if isinstance(node, Group):
        return dataclasses.replace(node, **limits)
    return dataclasses.replace(node, requirements=tuple(_rebuild(c, draw) for c in node.requirements), **limits)


@st.composite
def coupled(draw: st.DrawFn, max_units: int = 9, at_least: int = 0, shared: bool = False) -> Qualification:
    """A structure the engine takes, with off-lattice limits and many coupled units.

    With ``at_least``, a top-level group of new units (a random minimum of units) brings
    the candidates up to that many. With ``shared``, units may be listed in several groups
    and groups may double-count (what the engine reads for a least cost only).
    """
    q = draw(qualifications(max_units, disjoint_only=not shared))
    missing = at_least - len(q.unit_ids())
    if missing > 0:
        pads = tuple(Unit(id=f"p{i}", title=f"p{i}", credits=draw(st.sampled_from((Decimal(1), Decimal("7.5")))))
                     for i in range(missing))
        pad = Group(id="pad", units=tuple(u.id for u in pads), min_units=draw(st.integers(0, missing)))
        q = dataclasses.replace(q, units=q.units + pads, requirements=(*q.requirements, pad))
    listed = list(q.unit_ids())
    if shared and draw(st.booleans()):
        # a cap or a cross-cutting minimum every pathway must keep ("at most 2 units from
        # Group D", "at least 5 credits of sustainability units"), over units other groups count
        members = tuple(draw(st.lists(st.sampled_from(listed), min_size=1, max_size=4, unique=True)))
        low, high = sorted(draw(st.lists(st.integers(0, 4), min_size=2, max_size=2)))
        dim = draw(st.sampled_from(("units", "credits")))
        cast = int if dim == "units" else Decimal
        limits = {f"min_{dim}": cast(low) if draw(st.booleans()) else None,
                  f"max_{dim}": cast(high) if draw(st.booleans()) else None}
        cap = Group(id="cap", units=members, double_counting=True, **limits)  # type: ignore[arg-type]
        q = dataclasses.replace(q, requirements=(*q.requirements, cap))
    q = dataclasses.replace(q, requirements=tuple(_rebuild(r, draw) for r in q.requirements), **_off_lattice(q, draw))
    if len(listed) >= 2:
        order = draw(st.permutations(listed))
        extra_pre = []
        for i in draw(st.lists(st.integers(1, len(order) - 1), min_size=1, max_size=4, unique=True)):
            if draw(st.booleans()):
                extra_pre.append(Prerequisite(unit=order[i], requires=(order[i - 1],)))
            else:
                pick = draw(st.lists(st.sampled_from(order[:i]), min_size=1, max_size=2, unique=True))
                extra_pre.append(Prerequisite(unit=order[i], requires_one_of=tuple(pick)))
        # pairs of units every pathway holds would leave nothing to count
        optional = [u for u in listed if u not in q.mandatory_unit_ids()] or listed
        pairs = draw(st.lists(st.lists(st.sampled_from(optional), min_size=2, max_size=2, unique=True),
                              min_size=1, max_size=3)) if len(optional) >= 2 else []
        # a unit's prerequisites are one entry: drop extra ones for units that have one
        seen = {p.unit for p in q.prerequisites}
        extra_pre = [p for p in extra_pre if p.unit not in seen]
        q = dataclasses.replace(q, barred=q.barred + tuple(Barred(units=tuple(p)) for p in pairs),
                                prerequisites=q.prerequisites + tuple(extra_pre))
    assume(validate(q) == [])
    return q


def costs_of(q: Qualification, by: tuple[str, ...]) -> dict[str, tuple[Decimal | int, ...]]:
    """Each unit's cost vector; a criterion written ``-credits`` is maximised (its costs negated)."""

    def value(u: str, c: str) -> Decimal | int:
        name = c.lstrip("-")
        v = 1 if name == "units" else (getattr(q.unit(u), name) or Decimal(0))
        return -v if c.startswith("-") else v

    return {u: tuple(value(u, c) for c in by) for u in q.unit_ids()}


def shown(cost: tuple[Decimal | int, ...], by: tuple[str, ...]) -> tuple[Decimal | int, ...]:
    """A cost vector as brute_optimum shows it (maximised criteria with their sign back)."""
    return tuple(-v if c.startswith("-") else v for v, c in zip(cost, by))


# -- against brute force ----------------------------------------------------------------------

@RANDOM
@given(coupled(), st.sampled_from(CRITERIA))
def test_count_and_optimum_equal_brute_force(q, by):
    assume(frontier.supports(q) is None)
    pathways = oracle.all_pathways(q)
    assert frontier.count(q) == len(pathways)
    best, ties, ordered = oracle.brute_optimum(q, by)
    found = frontier.optimum(q, costs_of(q, by))
    if best is None:
        assert found is None
        assert frontier.least(q, costs_of(q, by)) is None  # "no way" stays so, negative costs added
        return
    assert found is not None
    cost, ways, first = found
    assert shown(cost, by) == tuple(best)
    assert ways == ties
    assert first == ordered[0]  # the first optimal pathway in the documented order
    # the value alone, from tables of one packed cost per cell, read back into the vector; and
    # side by side with the fewest units, each on its own lane of one pass
    assert frontier.least(q, costs_of(q, by)) == cost
    fewest = min(len(p) for p in pathways)
    assert frontier.least_each(q, [costs_of(q, by), costs_of(q, ("units",))]) == [cost, (fewest,)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(coupled(max_units=8, shared=True), st.sampled_from(CRITERIA), st.data())
def test_least_with_units_shared_between_groups_equals_brute_force(q, by, data):
    """Units listed in two groups, each taken for one of them: the least cost is a pathway's.

    The brute force tries every allocation of every subset (tests/oracle.py); the engine
    never lists allocations: each cell keeps the cheaper way of counting the unit.
    """
    assume(frontier.supports_shape(q) is not None)
    units = oracle.candidate_units(q)
    picks = data.draw(st.lists(st.sampled_from(units), max_size=2, unique=True))
    forced = {u: data.draw(st.booleans()) for u in picks}
    pathways = [s for s in oracle.all_pathways(q) if all((u in s) == take for u, take in forced.items())]
    best, _ties, _ordered = oracle.brute_optimum(q, by, include=[u for u, t in forced.items() if t],
                                                 exclude=[u for u, t in forced.items() if not t])
    try:
        found = frontier.least_each(q, [costs_of(q, by), costs_of(q, ("units",))], forced=forced, sharing=True)
    except frontier.NotSupported:  # tables past the engine's limit (large credit limits, many axes)
        assume(False)
    if best is None:
        assert not pathways and found == [None, None]
        return
    assert [shown(found[0], by), found[1]] == [tuple(best), (min(len(p) for p in pathways),)]
    # and through the exact engines' least, which routes such structures here
    assert exact.least_each(q, [{u: costs_of(q, ("units",))[u][0] for u in units}], forced=forced) == \
        [min(len(p) for p in pathways)]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(coupled(max_units=7, shared=True), st.sampled_from(CRITERIA))
def test_first_cheapest_and_first_pathways_equal_brute_force(q, by):
    """The first cheapest pathway of any structure (units shared between groups included), and
    the first pathways in the documented order that the cheapest-first walk gives from it."""
    pathways = oracle.all_pathways(q)
    best, _ties, ordered = oracle.brute_optimum(q, by)
    try:
        found = frontier.first_cheapest(q, costs_of(q, by))
    except frontier.NotSupported:  # tables past the engine's limit
        assume(False)
    assert found == (None if best is None else (tuple(-v if c.startswith("-") else v for v, c in zip(best, by)),
                                                ordered[0]))
    first = first_pathways(q, 3)
    if first is not None:  # None where the tree programme counts q
        assert [frozenset(p.units) for p in first] == pathways[:3]


def test_a_prerequisite_met_by_a_unit_counting_towards_its_second_group():
    """v (1 credit) is listed in A and AB; x (1) needs v; w costs 5.

    A needs 1 unit of {v, w}; AB needs 2 units of {v, x}. AB can only have 2 if v counts
    towards AB, so A takes w: the one pathway is {v, w, x}, 7 credits, with v counting
    towards AB, its second group. A prerequisite read as "v taken for A" would find none.
    """
    units = (Unit(id="v", title="v", credits=Decimal(1)), Unit(id="w", title="w", credits=Decimal(5)),
             Unit(id="x", title="x", credits=Decimal(1)))
    q = Qualification(id="Q", title="T", units=units, requirements=(
        Group(id="A", units=("v", "w"), min_units=1), Group(id="AB", units=("v", "x"), min_units=2)),
        prerequisites=(Prerequisite(unit="x", requires=("v",)),))
    assert frontier.supports_shape(q) is not None
    assert frontier.least(q, costs_of(q, ("credits",)), sharing=True) == (Decimal(7),)
    assert exact.least(q, {u.id: u.credits for u in units}) == 7
    assert exact.least(q, {u.id: u.credits for u in units}, forced={"w": False}) is None


def test_a_unit_a_mandatory_group_must_count_leaves_its_other_group_empty():
    """u2 is listed in G (at least 1 unit) and in the mandatory group M (u2, u3).

    Every pathway holds u2 and u3, and M counts both, so G counts nothing and fails: no
    pathway. (Reading u2 as counting towards M only once, and G as having no units, left
    G unchecked and found a pathway.)"""
    units = tuple(Unit(id=u, title=u, credits=Decimal(1)) for u in ("u2", "u3"))
    q = Qualification(id="Q", title="T", units=units, requirements=(
        Group(id="G", units=("u2",), min_units=1), Group(id="M", units=("u2", "u3"), mandatory=True)))
    assert oracle.all_pathways(q) == []
    assert frontier.least(q, costs_of(q, ("credits",)), sharing=True) is None
    assert exact.least(q, {"u2": 1, "u3": 1}) is None


def test_a_unit_counting_elsewhere_leaves_its_mandatory_group_short():
    """a (1 credit) is listed in mandatory group M and in group E (min 1 unit); b costs 10.

    "M or N" (each mandatory, one unit): M holds only if a counts towards M, but then E
    counts nothing and fails. So a counts towards E and N must hold: {a, b}, 11 credits.
    Reading "a taken" as "M holds" would give {a}, 1 credit.
    """
    units = (Unit(id="a", title="a", credits=Decimal(1)), Unit(id="b", title="b", credits=Decimal(10)))
    q = Qualification(id="Q", title="T", units=units, requirements=(
        Combination(kind="any_of", id="choice", requirements=(
            Group(id="M", units=("a",), mandatory=True), Group(id="N", units=("b",), mandatory=True))),
        Group(id="E", units=("a",), min_units=1)))
    assert frontier.least(q, costs_of(q, ("credits",)), sharing=True) == (Decimal(11),)
    assert frontier.least(q, costs_of(q, ("credits",)), forced={"b": False}, sharing=True) is None
    # E with no minimum: a counts towards M (1 credit); without a, M fails and N costs 10
    q = dataclasses.replace(q, requirements=(q.requirements[0], Group(id="E", units=("a",))))
    assert frontier.least(q, costs_of(q, ("credits",)), sharing=True) == (Decimal(1),)
    assert frontier.least(q, costs_of(q, ("credits",)), forced={"a": False}, sharing=True) == (Decimal(10),)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coupled(), st.data())
def test_forced_units_equal_brute_force(q, data):
    units = oracle.candidate_units(q)
    assume(frontier.supports(q) is None)
    picks = data.draw(st.lists(st.sampled_from(units), max_size=2, unique=True))
    forced = {u: data.draw(st.booleans()) for u in picks}
    expected = [s for s in oracle.all_pathways(q) if all((u in s) == take for u, take in forced.items())]
    assert frontier.count(q, forced=forced) == len(expected)
    best, ties, ordered = oracle.brute_optimum(q, ["credits"], include=[u for u, t in forced.items() if t],
                                               exclude=[u for u, t in forced.items() if not t])
    found = frontier.optimum(q, costs_of(q, ("credits",)), forced=forced)
    assert (found is None) == (best is None)
    if found is not None:
        assert (tuple(found[0]), found[1], found[2]) == (tuple(best), ties, ordered[0])
    alone = frontier.least(q, costs_of(q, ("credits",)), forced=forced)
    assert alone == (None if best is None else tuple(best))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coupled(max_units=10, at_least=14))
def test_fourteen_units_equal_brute_force(q):
    assume(frontier.supports(q) is None)
    assert len(q.unit_ids()) >= 14
    assert frontier.count(q) == len(oracle.all_pathways(q))


# -- worked by hand ---------------------------------------------------------------------------

def _units(ids: Iterable[str], credits: str | int | None = None) -> tuple[Unit, ...]:
    value = None if credits is None else Decimal(str(credits))
    return tuple(Unit(id=u, title=u, credits=value) for u in ids)


def test_chain_in_a_group_of_four():
    # b needs a, c needs b; "at least 2 units" of a, b, c, d. Subsets of 2+ units closed
    # under the chain: {a,b} {a,d} {a,b,c} {a,b,d} {a,b,c,d}: 5. The fewest units is 2,
    # reached by {a,b} and {a,d}; {a,b} comes first (it holds b, the first difference).
    q = Qualification(id="Q", title="T", units=_units("abcd"),
                      requirements=(Group(id="G", units=tuple("abcd"), min_units=2),),
                      prerequisites=(Prerequisite(unit="b", requires=("a",)),
                                     Prerequisite(unit="c", requires=("b",))))
    assert frontier.count(q) == 5
    assert frontier.optimum(q, costs_of(q, ("units",))) == ((2,), 2, frozenset("ab"))


def test_requires_one_of():
    # c needs a or b; any subset of {a, b, c}: 8 subsets less {c} alone = 7.
    q = Qualification(id="Q", title="T", units=_units("abc"),
                      requirements=(Group(id="G", units=tuple("abc")),),
                      prerequisites=(Prerequisite(unit="c", requires_one_of=("a", "b")),))
    assert frontier.count(q) == 7


def test_barred_set_of_three():
    # at most one of a, b, c (4 ways) times d in or out (2), less the empty set (min 1 unit): 7.
    q = Qualification(id="Q", title="T", units=_units("abcd"),
                      requirements=(Group(id="G", units=tuple("abcd"), min_units=1),),
                      barred=(Barred(units=("a", "b", "c")),))
    assert frontier.count(q) == 7


def test_a_unit_that_adds_to_no_total_checked_where_its_bit_is_read_once():
    # a group with no limits: taking a unit changes no cell, so taking and leaving it are one
    # table until each is checked apart. Not a and b together; c needs a. Of the 8 subsets:
    # {a,b} and {a,b,c} break the barred pair, {c} and {b,c} the prerequisite: 4 left.
    q = Qualification(id="Q", title="T", units=_units("abc"),
                      requirements=(Group(id="G", units=tuple("abc")),), barred=(Barred(units=("a", "b")),),
                      prerequisites=(Prerequisite(unit="c", requires=("a",)),))
    assert frontier.count(q) == 4


def test_limits_off_the_credit_lattice():
    # three 1-credit units. "min 1.5 credits" means 2 or 3 units: 3 + 1 = 4 (truncating
    # the minimum to 1 would give 7). "max 1.5 credits" means 0 or 1 unit: 1 + 3 = 4.
    units = _units("abc", 1)
    low = Qualification(id="Q", title="T", units=units,
                        requirements=(Group(id="G", units=tuple("abc"), min_credits=Decimal("1.5")),))
    high = Qualification(id="Q", title="T", units=units,
                         requirements=(Group(id="G", units=tuple("abc"), max_credits=Decimal("1.5")),))
    assert frontier.count(low) == 4
    assert frontier.count(high) == 4


def test_ects_limits():
    # 7.5, 7.5 and 5 ECTS; at least 12.5: {7.5, 5} twice, {7.5, 7.5}, all three: 4.
    # At most 12.5 as well: the two {7.5, 5}.
    units = (Unit(id="a", title="a", credits=Decimal("7.5")), Unit(id="b", title="b", credits=Decimal("7.5")),
             Unit(id="c", title="c", credits=Decimal(5)))
    q = Qualification(id="Q", title="T", units=units,
                      requirements=(Group(id="G", units=("a", "b", "c"), min_credits=Decimal("12.5")),))
    assert frontier.count(q) == 4
    assert frontier.count(dataclasses.replace(q, max_credits=Decimal("12.5"))) == 2


def test_prerequisite_across_a_choice():
    # One of two specialisms: S1 = {s1} mandatory, S2 = {s2} mandatory; s2 needs e
    # (an elective, free group). Pathways: every subset with s1 or s2, s2 only with e:
    # s1 in: s2 in -> e in (1), s2 out -> e free (2): 3; s1 out: s2 in, e in: 1. Total 4.
    q = Qualification(id="Q", title="T", units=_units(["s1", "s2", "e"]),
                      requirements=(
                          Combination(kind="any_of", id="major", requirements=(
                              Group(id="S1", units=("s1",), mandatory=True),
                              Group(id="S2", units=("s2",), mandatory=True))),
                          Group(id="E", units=("e",))),
                      prerequisites=(Prerequisite(unit="s2", requires=("e",)),))
    assert frontier.count(q) == 4


# -- many coupled units: closed forms ---------------------------------------------------------

def _pairs(n: int) -> Qualification:
    ids = [f"{side}{i:02d}" for i in range(n) for side in "ab"]
    units = tuple(Unit(id=u, title=u, credits=Decimal(1 if u[0] == "a" else 2)) for u in ids)
    return Qualification(id="P", title="Pairs", units=units, requirements=(Group(id="G", units=tuple(ids)),),
                         barred=tuple(Barred(units=(f"a{i:02d}", f"b{i:02d}")) for i in range(n)))


def test_twenty_barred_pairs():
    # each pair: neither, a or b; 40 coupled units
    assert frontier.count(_pairs(20)) == 3**20


def test_barred_pairs_past_machine_integers():
    # 45 pairs (90 free units): counts are kept as residues and put together exactly
    assert frontier.count(_pairs(45)) == 3**45 == 2954312706550833698643


def test_barred_pairs_optimum_with_ties():
    # 20 units from 20 pairs: exactly one of each pair, 2**20 ways. Cheapest in credits:
    # every a (1 credit each), one way; by units, all 2**20 tie and "every a" comes first.
    q = _pairs(20)
    q = dataclasses.replace(q, requirements=(dataclasses.replace(q.requirements[0], min_units=20),))
    assert frontier.count(q) == 2**20
    every_a = frozenset(f"a{i:02d}" for i in range(20))
    assert frontier.optimum(q, costs_of(q, ("credits",))) == ((Decimal(20),), 1, every_a)
    assert frontier.optimum(q, costs_of(q, ("units",))) == ((20,), 2**20, every_a)


def test_long_prerequisite_chain():
    # u01 needs u00, u02 needs u01, ...: the pathways are the 46 prefixes of the chain
    # (the empty one included); with "min 10 units", the 36 prefixes of 10 to 45 units.
    ids = [f"u{i:02d}" for i in range(45)]
    q = Qualification(id="C", title="Chain", units=tuple(Unit(id=u, title=u, credits=Decimal(3)) for u in ids),
                      requirements=(Group(id="G", units=tuple(reversed(ids))),),
                      prerequisites=tuple(Prerequisite(unit=ids[i], requires=(ids[i - 1],)) for i in range(1, 45)))
    assert frontier.count(q) == 46
    ten = dataclasses.replace(q, min_units=10)
    assert frontier.count(ten) == 36
    assert frontier.optimum(ten, costs_of(ten, ("credits",))) == ((Decimal(30),), 1, frozenset(ids[:10]))


# -- what it takes, and the limits' reading ---------------------------------------------------

def test_supports_says_why_not():
    shared = Qualification(id="Q", title="T", units=_units("ab"),
                           requirements=(Group(id="A", units=("a", "b")), Group(id="B", units=("b",))))
    assert frontier.supports(shared) == "unit 'b' is listed in groups 'A' and 'B'"
    double = Qualification(id="Q", title="T", units=_units("ab"),
                           requirements=(Group(id="A", units=("a",)),
                                         Group(id="B", units=("b",), double_counting=True)))
    assert frontier.supports(double) == "group 'B' double-counts"
    with pytest.raises(frontier.NotSupported):
        frontier.count(shared)


def test_infeasible_fixed_units():
    # a is mandatory and barred with b; forcing b in leaves nothing
    q = Qualification(id="Q", title="T", units=_units("ab"),
                      requirements=(Group(id="M", units=("a",), mandatory=True), Group(id="G", units=("b",))),
                      barred=(Barred(units=("a", "b")),))
    assert frontier.count(q) == 1
    assert frontier.count(q, forced={"b": True}) == 0
    assert frontier.optimum(q, costs_of(q, ("units",)), forced={"b": True}) is None


def test_read_limit_rounds_the_safe_way():
    assert read_limit(Decimal("1.5"), Fraction(1), "min") == 2
    assert read_limit(Decimal("1.5"), Fraction(1), "max") == 1
    assert read_limit(Decimal(15), Fraction(2, 5), "min") == 6  # ECTS 7.5/5/15 -> 3/2/6
    assert read_limit(Decimal("12.5"), Fraction(2, 5), "max") == 5
    assert credit_lattice([Decimal("7.5"), Decimal(5), None, Decimal(0)]) == Fraction(2, 5)


def test_timeout():
    with pytest.raises(TimeoutError):
        frontier.count(_pairs(20), timeout=0)


def test_too_big_is_declined(monkeypatch):
    monkeypatch.setattr(frontier, "MAX_TABLE", 1)
    reason = frontier.supports(_pairs(3))
    assert reason is not None and reason.startswith("its largest table would hold")
    with pytest.raises(frontier.NotSupported):
        frontier.count(_pairs(3))


def test_ties_past_machine_integers():
    # one unit of each of 64 pairs: 2**64 ties by units (more than a saturating lane holds,
    # so the optimum is solved again in residues); by credits one way, every a
    q = _pairs(64)
    q = dataclasses.replace(q, requirements=(dataclasses.replace(q.requirements[0], min_units=64),))
    every_a = frozenset(f"a{i:02d}" for i in range(64))
    assert frontier.optimum(q, costs_of(q, ("units",))) == ((64,), 2**64, every_a)
    assert frontier.optimum(q, costs_of(q, ("credits",))) == ((Decimal(64),), 1, every_a)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(coupled(max_units=7), st.lists(st.integers(-(10**15), 10**15), min_size=7, max_size=7))
def test_costs_past_machine_integers(q, big):
    # costs whose totals do not pack into int64 are held as Python integers
    assume(frontier.supports(q) is None)
    units = oracle.candidate_units(q)
    costs = {u: (big[i], 1) for i, u in enumerate(units)}
    pathways = oracle.all_pathways(q)
    found = frontier.optimum(q, costs)
    if not pathways:
        assert found is None
        assert frontier.least(q, costs) is None
        return
    value = {s: (sum(costs[u][0] for u in s), len(s)) for s in pathways}
    best = min(value.values())
    ties = [s for s in pathways if value[s] == best]  # all_pathways is in the documented order
    assert found == (best, len(ties), ties[0])
    assert frontier.least(q, costs) == best


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(coupled(max_units=7), st.sampled_from([(1100, np.int16), (10**5, np.int32), (10**9, np.int64)]), st.data())
def test_least_in_every_integer_width(q, width, data):
    # totals within 2**13 are held in int16, within 2**29 in int32, else int64: each width's
    # "no way" must stay apart from every total, negative costs added to it included
    bound, dtype = width
    units = oracle.candidate_units(q)
    costs = {u: (data.draw(st.integers(-bound, bound)),) for u in units}
    # each criterion is packed on its own lattice (divided by the gcd of its costs): the
    # width follows the totals so divided
    step = math.gcd(*(abs(c[0]) for c in costs.values())) or 1
    assume(frontier.supports(q) is None and sum(abs(c[0]) for c in costs.values()) // step >= bound)
    assert Lowest([costs], units, {}).dtype == dtype
    pathways = oracle.all_pathways(q)
    found = frontier.least(q, costs)
    assert found == (min((sum(costs[u][0] for u in s),) for s in pathways) if pathways else None)
    # every unit in: one pathway or none, so most cells end as "no way"
    everything = frozenset(units)
    found = frontier.least(q, costs, forced=dict.fromkeys(units, True))
    assert found == ((sum(c[0] for c in costs.values()),) if everything in pathways else None)


def test_least_reads_back_mixed_and_negative_costs():
    # a by hand: credits 1.5 and 2 (Decimal), a penalty of -3 on b, at least one of a, b, c
    # a barred with b. Pathways: {a}, {b}, {c}, {a,c}, {b,c}; costs (credits, penalty):
    # a (1.5, 0), b (2, -3), c (1, 0), a+c (2.5, 0), b+c (3, -3): the least is c's (1, 0).
    units = (Unit(id="a", title="a", credits=Decimal("1.5")), Unit(id="b", title="b", credits=Decimal(2)),
             Unit(id="c", title="c", credits=Decimal(1)))
    q = Qualification(id="Q", title="T", units=units, requirements=(Group(id="G", units=("a", "b", "c"),
                      min_units=1),), barred=(Barred(units=("a", "b")),))
    costs = {"a": (Decimal("1.5"), 0), "b": (Decimal(2), -3), "c": (Decimal(1), 0)}
    assert frontier.least(q, costs) == (Decimal(1), 0)
    # penalty first: b's -3 wins, then the fewer credits: b alone (2, -3)
    flipped = {u: (v[1], v[0]) for u, v in costs.items()}
    assert frontier.least(q, flipped) == (-3, Decimal(2))
    assert frontier.least(q, costs, forced={"a": True, "c": False}) == (Decimal("1.5"), 0)
    assert frontier.least(q, costs, forced={"a": True, "b": True}) is None


def test_minimal_count_of_a_coupled_structure_with_an_exact_total():
    # 16 units of 1 or 2 credits in 8 barred pairs (16 coupled units: more than the tree
    # programme conditions on), exactly 6 credits. Dropping any unit falls short of 6, so
    # every pathway is minimal; the brute force checks that claim as well as the count.
    from solver.answers.count import count_pathways
    from solver.exact.engines import every_pathway_minimal

    ids = [f"{side}{i}" for i in range(8) for side in "ab"]
    units = tuple(Unit(id=u, title=u, credits=Decimal(1 + (k % 3 == 0))) for k, u in enumerate(ids))
    q = Qualification(id="Q", title="Pairs", units=units, requirements=(Group(id="G", units=tuple(ids)),),
                      min_credits=Decimal(6), max_credits=Decimal(6),
                      barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(8)))
    minimal = oracle.minimal_pathways(q)
    assert every_pathway_minimal(q) is None
    assert minimal == oracle.all_pathways(q)
    result = count_pathways(q, minimal=True)
    assert (result.pathways, result.method.value) == (len(minimal), "frontier-dynamic-programming")


def test_the_tree_programme_leaves_coupled_structures_to_the_frontier():
    # one barred pair: the tree programme takes it (it would solve once per choice of a and b),
    # the frontier programme counts it instead, and that is a preference, not a reason shown
    from solver import count_pathways
    from solver.exact import Question, choose
    from solver.exact.kernel import supports as tree_supports

    units = tuple(Unit(id=u, title=u, credits=Decimal(2)) for u in "abcd")
    q = Qualification(id="Q", title="T", units=units,
                      requirements=(Group(id="G", units=tuple("abcd"), min_units=2),))
    paired = dataclasses.replace(q, barred=(Barred(units=("a", "b")),))
    assert tree_supports(paired) is None
    choice = choose(paired, Question.COUNT)
    assert (choice.engine.name, choice.passed_over, choice.note()) == ("frontier", (), "")
    assert choose(q, Question.COUNT).engine.name == "tree"  # nothing coupled: the tree programme
    # two or more of four, not both a and b: C(4,2) + C(4,3) + 1 = 11 subsets, less the 1 + 2 + 1
    # that hold a and b: 7
    assert count_pathways(paired).pathways == 7


def test_level_rules_over_the_same_units_are_one_total():
    # "at least 4 credits at level 3" and "at most 6 credits at level 3" (as diff's structure of
    # both versions repeats a rule): one axis with both limits. Level-3 units c (2) and d (5),
    # level 2 a and b (1 each), any subset: the level-3 credits of a subset of {c, d} are 0, 2,
    # 5 or 7, so only {d} (5) is within 4..6: 4 subsets of {a, b} times 1 = 4 pathways.
    from solver.model import LevelRule

    units = (Unit(id="a", title="a", credits=Decimal(1), level=2), Unit(id="b", title="b", credits=Decimal(1), level=2),
             Unit(id="c", title="c", credits=Decimal(2), level=3), Unit(id="d", title="d", credits=Decimal(5), level=3))
    q = Qualification(id="Q", title="T", units=units, requirements=(Group(id="G", units=tuple("abcd")),),
                      level_rules=(LevelRule(kind="at_or_above", level=3, min_credits=Decimal(4)),
                                   LevelRule(kind="at_or_above", level=3, max_credits=Decimal(6))))
    assert frontier.count(q) == 4 == len(oracle.all_pathways(q))
    twice = dataclasses.replace(q, level_rules=q.level_rules * 2)
    assert frontier.count(twice) == 4
    assert frontier.plan_for(twice)[1].peak == frontier.plan_for(q)[1].peak
