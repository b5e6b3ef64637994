"""The brute-force oracle checked against answers worked out by hand.

Each test states the structure, lists the subsets that are (and are not)
pathways with the reason, and compares with the oracle. If the oracle is
wrong here, every property test that trusts it is worthless.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from oracle import (
    all_pathways,
    brute_optimum,
    candidate_units,
    is_pathway,
    minimal_pathways,
    pathway_order_key,
    totals,
)
from strategies import features, qualifications

from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Unit
from solver.model.load import bundled_rules, load_qualification
from solver.model.validate import validate

D = Decimal


def unit(uid: str, credits: object = None, level: int | None = None, **kw: object) -> Unit:
    return Unit(id=uid, title=uid, credits=None if credits is None else D(str(credits)), level=level, **kw)


def qual(units: list[Unit], *reqs: Group | Combination, **kw: object) -> Qualification:
    return Qualification(id="Q", title="T", units=tuple(units), requirements=reqs, **kw)


def group(gid: str, units: str, **kw: object) -> Group:
    return Group(id=gid, units=tuple(units.split()), **kw)


def sets(*names: str) -> list[frozenset[str]]:
    """``sets("ab", "a", "")`` is ``[{a, b}, {a}, {}]`` (unit ids are single letters)."""
    return [frozenset(n) for n in names]


def test_min_credits_two_units_of_three() -> None:
    # 2 units of 3 credits in Group A with min 3: {a},{b},{a,b} -> 3 pathways; {} has 0 credits.
    q = qual([unit("a", 3), unit("b", 3)], group("A", "a b", min_credits=D(3)))
    assert all_pathways(q) == sets("ab", "a", "b")
    assert not is_pathway(q, frozenset())


def test_mandatory_group() -> None:
    # M = [a, b] mandatory, O = [c] free: a and b always, c optional -> {a,b,c}, {a,b}.
    q = qual([unit("a", 3), unit("b", 2), unit("c", 1)], group("M", "a b", mandatory=True), group("O", "c"))
    assert all_pathways(q) == sets("abc", "ab")
    assert not is_pathway(q, frozenset("ac"))


def test_max_credits_is_binding_and_empty_set_can_be_a_pathway() -> None:
    # A = [a 3, b 5], max 5: {a,b} has 8 > 5; {a}, {b} and {} (0 credits) hold.
    q = qual([unit("a", 3), unit("b", 5)], group("A", "a b", max_credits=D(5)))
    assert all_pathways(q) == sets("a", "b", "")


def test_min_and_max_units() -> None:
    # exactly 2 of 3 units: C(3,2) = 3 pathways.
    q = qual([unit("a"), unit("b"), unit("c")], group("A", "a b c", min_units=2, max_units=2))
    assert all_pathways(q) == sets("ab", "ac", "bc")


def test_qualification_wide_limits() -> None:
    # A = [a 2, b 2], B = [c 5], no group limits; at least 6 credits overall:
    # {a,b,c} 9, {a,c} 7, {b,c} 7 hold; {a,b} 4, {c} 5 do not.
    units = [unit("a", 2), unit("b", 2), unit("c", 5)]
    q = qual(units, group("A", "a b"), group("B", "c"), min_credits=D(6))
    assert all_pathways(q) == sets("abc", "ac", "bc")
    # ... and at most 2 units drops {a,b,c}.
    q2 = qual(units, group("A", "a b"), group("B", "c"), min_credits=D(6), max_units=2)
    assert all_pathways(q2) == sets("ac", "bc")
    # max_credits 4 and min_units 1 overall: {a,b} 4, {a} 2, {b} 2.
    q3 = qual(units, group("A", "a b"), group("B", "c"), max_credits=D(4), min_units=1)
    assert all_pathways(q3) == sets("ab", "a", "b")


def test_level_rules_at_or_above_and_below() -> None:
    # a L3 4cr, b L2 4cr, c L3 2cr, d no level 4cr, all in one free group.
    units = [unit("a", 4, 3), unit("b", 4, 2), unit("c", 2, 3), unit("d", 4)]
    above = LevelRule(kind="at_or_above", level=3, min_credits=D(4))
    # >= 4 credits at level 3+: only a reaches 4 (c alone is 2, d has no level) -> any set with a: 2^3 = 8.
    q = qual(units, group("A", "a b c d"), level_rules=(above,))
    assert all_pathways(q) == sets("abcd", "abc", "abd", "ab", "acd", "ac", "ad", "a")
    # below level 3, at most 0 units: b (L2) is out; d (no level) is not under the rule -> 4.
    below = LevelRule(kind="below", level=3, max_units=0)
    q2 = qual(units, group("A", "a b c d"), level_rules=(above, below))
    assert all_pathways(q2) == sets("acd", "ac", "ad", "a")
    # The level boundary: below 3 does not include level 3; at_or_above 3 does.
    q3 = qual(units, group("A", "a b c d"), level_rules=(LevelRule(kind="below", level=3, min_units=1),))
    assert is_pathway(q3, frozenset("b"))
    assert not is_pathway(q3, frozenset("acd"))


def test_all_of_with_node_limit() -> None:
    # all_of X (min 5 credits) of A = [a 3] min 1 unit, B = [b 3, c 2] free.
    # a is needed; then X counts a + what B counts, so b or c must join: {a,b,c}, {a,b}, {a,c}.
    x = Combination(kind="all_of", id="X", min_credits=D(5), requirements=(
        group("A", "a", min_units=1), group("B", "b c")))
    q = qual([unit("a", 3), unit("b", 3), unit("c", 2)], x)
    assert all_pathways(q) == sets("abc", "ab", "ac")


def test_any_of_with_node_limit() -> None:
    # any_of Y (max 1 unit) of A = [a] min 1, B = [b] min 1.
    # {a}, {b} hold; {a,b} has Y counting 2 units > 1 (a combination counts the union of what
    # its sub-requirements count, satisfied or not); {} satisfies neither.
    y = Combination(kind="any_of", id="Y", max_units=1, requirements=(
        group("A", "a", min_units=1), group("B", "b", min_units=1)))
    q = qual([unit("a"), unit("b")], y)
    assert all_pathways(q) == sets("a", "b")


def test_any_of_unsatisfied_branch_imposes_nothing() -> None:
    # any_of of A = [a] min 1, B = [b, c] exactly 1 unit.
    # A holds whenever a is in; else B needs exactly one of b, c.
    # {a,b,c} holds (B's max broken, but B need not hold); {b,c} fails; {b}, {c} hold; {} fails.
    y = Combination(kind="any_of", id="Y", requirements=(
        group("A", "a", min_units=1), group("B", "b c", min_units=1, max_units=1)))
    q = qual([unit("a"), unit("b"), unit("c")], y)
    assert all_pathways(q) == sets("abc", "ab", "ac", "a", "b", "c")


def test_at_least_k() -> None:
    # at least 2 of A = [a], B = [b], C = [c], each min 1 unit: every set of 2 or 3 units -> 4.
    z = Combination(kind="at_least", id="Z", k=2, requirements=(
        group("A", "a", min_units=1), group("B", "b", min_units=1), group("C", "c", min_units=1)))
    q = qual([unit("a"), unit("b"), unit("c")], z)
    assert all_pathways(q) == sets("abc", "ab", "ac", "bc")
    # with a node limit of at most 2 units, {a,b,c} goes.
    z2 = Combination(kind="at_least", id="Z", k=2, max_units=2, requirements=z.requirements)
    assert all_pathways(qual([unit("a"), unit("b"), unit("c")], z2)) == sets("ab", "ac", "bc")


def test_nested_combinations_depth_three() -> None:
    # all_of [ any_of [ A=[a] min 1, all_of [ B=[b] min 1, C=[c] min 1 ] ], D=[d] min 1 ]:
    # d always, plus a or (b and c): {a,b,c,d}, {a,b,d}, {a,c,d}, {a,d}, {b,c,d} -> 5.
    inner = Combination(kind="all_of", id="BC", requirements=(
        group("B", "b", min_units=1), group("C", "c", min_units=1)))
    choose = Combination(kind="any_of", id="choose", requirements=(group("A", "a", min_units=1), inner))
    top = Combination(kind="all_of", id="top", requirements=(choose, group("D", "d", min_units=1)))
    q = qual([unit(u) for u in "abcd"], top)
    assert candidate_units(q) == ("a", "b", "c", "d")
    assert all_pathways(q) == sets("abcd", "abd", "acd", "ad", "bcd")


def test_overlapping_pools_count_once() -> None:
    # x (3 cr) is in A = [x, a] and B = [x, b], each min 3 credits; a, b 3 cr each.
    # {x}: x counts towards A or B, not both -> fails (double counting would wrongly accept it).
    # {x,a}: a->A, x->B holds; {x,b} likewise; {a,b} holds; {x,a,b} holds; {a}, {b}, {} fail.
    q = qual([unit("x", 3), unit("a", 3), unit("b", 3)],
             group("A", "x a", min_credits=D(3)), group("B", "x b", min_credits=D(3)))
    assert not is_pathway(q, frozenset("x"))
    assert all_pathways(q) == sets("xab", "xa", "xb", "ab")


def test_overlap_with_max_is_binding_for_the_chosen_group() -> None:
    # x in A = [x] (min 1 unit) and C = [x, c] (max 1 unit). {x, c}: x must go to A (else A is empty),
    # then C counts only c (1 unit): holds. {x}: x -> A, C counts nothing: holds. {c}, {}: A empty.
    q = qual([unit("x"), unit("c")], group("A", "x", min_units=1), group("C", "x c", max_units=1))
    assert all_pathways(q) == sets("xc", "x")


def test_groups_are_told_apart_by_position_not_id() -> None:
    # Two equal groups A = [x] min 1 (not a valid file, but the oracle must not merge them):
    # x counts towards one of them only, so {x} is no pathway and there are none.
    a = group("A", "x", min_units=1)
    q = qual([unit("x")], a, a)
    assert all_pathways(q) == []


def test_double_counting_group() -> None:
    # As in test_overlapping_pools_count_once, but B has double_counting: true.
    # x must be allocated to A (its only ordinary group) and B still sees it.
    # Pathways: A needs x or a, B needs x or b: {x,a,b}, {x,a}, {x,b}, {x}, {a,b} -> 5.
    q = qual([unit("x", 3), unit("a", 3), unit("b", 3)],
             group("A", "x a", min_credits=D(3)),
             group("B", "x b", min_credits=D(3), double_counting=True))
    assert is_pathway(q, frozenset("x"))
    assert all_pathways(q) == sets("xab", "xa", "xb", "x", "ab")


def test_unit_only_in_double_counting_groups_is_allocated_nowhere() -> None:
    # B = [b] double counting, max 0 units: every set holding b breaks it. A = [a] free.
    q = qual([unit("a"), unit("b")], group("A", "a"), group("B", "b", max_units=0, double_counting=True))
    assert all_pathways(q) == sets("a", "")


def test_mandatory_unit_in_two_groups_must_count_for_the_mandatory_one() -> None:
    # M = [x] mandatory; O = [x, y] min 1 unit. x must be allocated to M, so O needs y:
    # {x, y} is the one pathway; {x} fails (x cannot count for both).
    q = qual([unit("x"), unit("y")], group("M", "x", mandatory=True), group("O", "x y", min_units=1))
    assert all_pathways(q) == sets("xy")


def test_barred() -> None:
    # A = [a, b, c] at least 1 unit; a and b barred together:
    # 7 non-empty sets minus {a,b}, {a,b,c} -> 5.
    q = qual([unit(u) for u in "abc"], group("A", "a b c", min_units=1),
             barred=(Barred(units=("a", "b")),))
    assert all_pathways(q) == sets("ac", "a", "bc", "b", "c")


def test_prerequisites() -> None:
    # A = [a, b] at least 1 unit; b requires a: {a,b}, {a} hold, {b} does not.
    q = qual([unit("a"), unit("b")], group("A", "a b", min_units=1),
             prerequisites=(Prerequisite(unit="b", requires=("a",)),))
    assert all_pathways(q) == sets("ab", "a")


def test_prerequisites_one_of() -> None:
    # (requires_one_of is in the model but not yet in docs/semantics.md; read as its field doc says:
    # if the unit is held, at least one of the listed units is held too.)
    # A = [a, b, c] at least 1 unit; c requires one of a, b: every non-empty set but {c} -> 6.
    q = qual([unit(u) for u in "abc"], group("A", "a b c", min_units=1),
             prerequisites=(Prerequisite(unit="c", requires_one_of=("a", "b")),))
    assert all_pathways(q) == sets("abc", "ab", "ac", "a", "bc", "b")


def test_minimal_pathways() -> None:
    # min 3 credits from [a 3, b 3]: {a,b} loses a and is still a pathway, so only {a}, {b} are minimal.
    q = qual([unit("a", 3), unit("b", 3)], group("A", "a b", min_credits=D(3)))
    assert minimal_pathways(q) == sets("a", "b")
    # qualification-wide min 6 from A = [a 2, b 2], B = [c 5]: {a,c}, {b,c} minimal, {a,b,c} not.
    q2 = qual([unit("a", 2), unit("b", 2), unit("c", 5)], group("A", "a b"), group("B", "c"),
              min_credits=D(6))
    assert minimal_pathways(q2) == sets("ac", "bc")
    # A minimal pathway need not be a smallest one: min 4 credits from [a 4, b 2, c 2]
    # has minimal pathways {a} (1 unit) and {b,c} (2 units).
    q3 = qual([unit("a", 4), unit("b", 2), unit("c", 2)], group("A", "a b c", min_credits=D(4)))
    assert minimal_pathways(q3) == sets("a", "bc")


def test_decimal_credits_are_exact() -> None:
    # exactly 15 credits from [a 7.5, b 7.5, c 15]: {a,b} and {c}.
    q = qual([unit("a", "7.5"), unit("b", "7.5"), unit("c", 15)],
             group("A", "a b c", min_credits=D(15), max_credits=D(15)))
    assert all_pathways(q) == sets("ab", "c")
    assert totals(q, frozenset("ab"))["credits"] == D(15)
    # 0.1 + 0.2 == 0.3 exactly (binary floats would say no).
    q2 = qual([unit("a", "0.1"), unit("b", "0.2"), unit("c", "0.3")],
              group("A", "a b c", min_credits=D("0.3"), max_credits=D("0.3")))
    assert all_pathways(q2) == sets("ab", "c")


def test_units_without_credits_count_zero_and_unlisted_units_are_not_candidates() -> None:
    # z is defined but in no group: never a candidate, never in a pathway.
    q = qual([unit("a"), unit("z", 5)], group("A", "a", max_credits=D(0)))
    assert candidate_units(q) == ("a",)
    assert all_pathways(q) == sets("a", "")
    assert not is_pathway(q, frozenset("az"))


def test_candidate_order_is_depth_first_first_listed() -> None:
    # all_of [G1 = [c, a]], G2 = [b, a]: c, a (from G1), then b.
    q = qual([unit(u) for u in "abc"],
             Combination(kind="all_of", id="X", requirements=(group("G1", "c a"),)), group("G2", "b a"))
    assert candidate_units(q) == ("c", "a", "b")
    # The order: at the lowest-numbered differing unit, the holder comes first.
    ordered = sorted(sets("", "b", "a", "ab", "c"), key=lambda s: pathway_order_key(q, s))
    assert ordered == sets("c", "ab", "a", "b", "")


def test_totals_and_brute_optimum() -> None:
    # min 3 credits from [a 3 cr fee 10 glh 20, b 3 cr fee 5, c 6 cr fee 5 hours 1.5]:
    # every non-empty set is a pathway: {a,b,c}, {a,b}, {a,c}, {a}, {b,c}, {b}, {c}.
    q = qual([unit("a", 3, fee=D(10), glh=D(20)), unit("b", 3, fee=D(5)), unit("c", 6, fee=D(5),
              hours=D("1.5"))], group("A", "a b c", min_credits=D(3)))
    assert len(all_pathways(q)) == 7
    assert totals(q, frozenset("ac")) == {"credits": D(9), "units": 2, "glh": D(20), "fee": D(15),
                                         "hours": D("1.5")}
    # cheapest by fee: {b} and {c} both 5, in order {b}, {c}.
    assert brute_optimum(q, ["fee"]) == ((D(5),), 2, sets("b", "c"))
    # by fee then credits: {b} (5, 3) beats {c} (5, 6).
    assert brute_optimum(q, ["fee", "credits"]) == ((D(5), D(3)), 1, sets("b"))
    # most credits (a leading "-" maximises): {a,b,c} with 12.
    assert brute_optimum(q, ["-credits"]) == ((D(12),), 1, sets("abc"))
    # holding a, without b: {a,c} 15, {a} 10 -> {a}.
    assert brute_optimum(q, ["fee"], include=["a"], exclude=["b"]) == ((D(10),), 1, sets("a"))
    # nothing holds both a and none of a.
    assert brute_optimum(q, ["fee"], include=["a"], exclude=["a"]) == (None, 0, [])


def test_seed_ocr_nvq_has_exactly_four_pathways() -> None:
    # 4 mandatory units (all of them) + exactly 1 of the 4 optional units (min 1, max 1 unit),
    # no shared units between the two groups: 1 x C(4,1) = 4 pathways, all minimal.
    q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    mandatory = {"nvq-positive-impression", "nvq-reliable-service", "develop-relationships",
                 "resolve-problems"}
    optional = ["support-improvements", "nvq-personal-performance", "promote-products",
                "nvq-process-information"]
    expected = [frozenset(mandatory | {o}) for o in optional]
    assert all_pathways(q) == expected
    assert minimal_pathways(q) == expected
    assert not is_pathway(q, frozenset(mandatory))
    assert not is_pathway(q, frozenset(mandatory | set(optional[:2])))


# -- the random structures the property tests use ------------------------------------------------

EVERY_FEATURE = {
    "mandatory", "double_counting", "overlap", "overlap3", "unlisted",
    "group.min_credits", "group.max_credits", "group.min_units", "group.max_units",
    "all_of", "any_of", "at_least", "depth1", "depth2", "depth3",
    "node.min_credits", "node.max_credits", "node.min_units", "node.max_units",
    "qualification.min_credits", "qualification.max_credits",
    "qualification.min_units", "qualification.max_units",
    "level.at_or_above", "level.below", "barred", "prerequisites", "requires_one_of",
    "decimal_credits", "no_level", "no_credits", "glh", "fee",
}


def _feasible(q: Qualification) -> bool:
    cands = candidate_units(q)
    return any(is_pathway(q, frozenset(c for i, c in enumerate(cands) if mask >> i & 1))
               for mask in range(2 ** len(cands)))


def test_strategy_is_valid_mixed_and_covers_every_rule_kind() -> None:
    seen: Counter[str] = Counter()
    verdicts: Counter[bool] = Counter()

    @settings(max_examples=200, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(qualifications())
    def collect(q: Qualification) -> None:
        assert validate(q) == []
        assert len(candidate_units(q)) <= 8
        seen.update(features(q))
        verdicts[_feasible(q)] += 1

    collect()
    assert EVERY_FEATURE - set(seen) == set()
    # a healthy mix: at least a fifth of each
    assert verdicts[True] >= 40 and verdicts[False] >= 40, verdicts


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(qualifications(disjoint_only=True))
def test_disjoint_family_lists_each_unit_once(q: Qualification) -> None:
    assert validate(q) == []
    listed = [u for g in q.iter_groups() for u in g.units]
    assert len(listed) == len(set(listed))
    assert not any(g.double_counting for g in q.iter_groups())


@settings(max_examples=100, derandomize=True, database=None, deadline=None)
@given(qualifications(nesting=False, whole_set_rules=False, tricky_ids=True))
def test_restricted_family_is_flat_and_local(q: Qualification) -> None:
    assert validate(q) == []
    assert all(isinstance(r, Group) for r in q.requirements)
    assert not (q.limits() or q.level_rules or q.barred or q.prerequisites)
