"""How many pathways hold each unit, from the frontier engine's pass back (solver/exact/frontier_presence.py).

Every figure is checked against tests/oracle.py (brute force) or worked out by hand in a
comment; the Python-integer tables and the tape that keeps only some tables must give
the same figures as the machine-integer tables kept whole.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import oracle
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.exact import engines, frontier, kernel
from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Unit
from solver.model.validate import validate


def _expected(q: Qualification, forced: dict[str, bool] | None = None) -> tuple[int, dict[str, int]]:
    pathways = [p for p in oracle.all_pathways(q) if all((u in p) == take for u, take in (forced or {}).items())]
    return len(pathways), {u: sum(1 for p in pathways if u in p) for u in q.unit_ids()}


@st.composite
def _structures(draw: st.DrawFn) -> Qualification:
    """Small structures, most of their units listed once, with a few more barred pairs and prerequisites."""
    q = draw(qualifications(max_units=7) | qualifications(max_units=7, disjoint_only=True))
    units = list(q.unit_ids())
    if len(units) >= 2 and draw(st.booleans()):
        pair = draw(st.lists(st.sampled_from(units), min_size=2, max_size=2, unique=True))
        q = dataclasses.replace(q, barred=(*q.barred, Barred(units=tuple(pair))))
        needing = [u for u in units if u not in {p.unit for p in q.prerequisites}]
        if needing:
            unit = draw(st.sampled_from(needing))
            one_of = draw(st.lists(st.sampled_from([u for u in units if u != unit]), min_size=1, max_size=2,
                                   unique=True))
            q = dataclasses.replace(q, prerequisites=(*q.prerequisites,
                                                      Prerequisite(unit=unit, requires_one_of=tuple(one_of))))
        assume(validate(q) == [])
    return q


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_structures(), st.data())
def test_every_unit_count_equals_brute_force(q: Qualification, data: st.DataObject) -> None:
    assume(frontier.supports(q) is None)
    assert frontier.presence(q) == _expected(q)
    units = q.unit_ids()
    forced = {data.draw(st.sampled_from(units)): data.draw(st.booleans())}
    assert frontier.presence(q, forced=forced) == _expected(q, forced)


def _hand_made() -> Qualification:
    return Qualification(
        id="H", title="H", units=tuple(Unit(id=u, title=u) for u in "abcde"),
        requirements=(Group(id="G", units=tuple("abcd"), min_units=2), Group(id="E", units=("e",), mandatory=True)),
        barred=(Barred(units=("a", "b")),),
        prerequisites=(Prerequisite(unit="d", requires_one_of=("a", "c")),))


def test_a_barred_pair_and_a_one_of_prerequisite_by_hand() -> None:
    # G: at least 2 of a, b, c, d; a|b barred; d needs a or c; e mandatory (in every pathway).
    # Pairs: ab barred, bd lacks a or c; ac, ad, bc, cd hold. Triples: abc, abd hold a and b;
    # acd, bcd hold. All four: barred. So 6 pathways (each with e):
    #   {a,c} {a,d} {b,c} {c,d} {a,c,d} {b,c,d}
    # a: ac ad acd = 3; b: bc bcd = 2; c: ac bc cd acd bcd = 5; d: ad cd acd bcd = 4; e: 6.
    q = _hand_made()
    assert frontier.supports(q) is None
    assert frontier.presence(q) == (6, {"a": 3, "b": 2, "c": 5, "d": 4, "e": 6})
    # with d forced in: {a,d} {c,d} {a,c,d} {b,c,d}
    assert frontier.presence(q, forced={"d": True}) == (4, {"a": 2, "b": 1, "c": 3, "d": 4, "e": 4})
    # with c forced out, d needs a: {a,d} only
    assert frontier.presence(q, forced={"c": False}) == (1, {"a": 1, "b": 0, "c": 0, "d": 1, "e": 1})
    # a and b barred: no pathway, every count 0
    assert frontier.presence(q, forced={"a": True, "b": True}) == (0, dict.fromkeys("abcde", 0))


def _richer() -> Qualification:
    # a choice of two "all of"s, credits of 1-3, a level rule, a barred pair and two prerequisites
    units = tuple(Unit(id=u, title=u, credits=Decimal(c), level=lv)
                  for u, c, lv in [("a1", 1, 2), ("a2", 2, 3), ("b1", 1, 3), ("b2", 2, 2), ("b3", 3, 3),
                                   ("c1", 1, 2), ("c2", 3, 3), ("d1", 2, 3)])
    first = Combination(kind="all_of", id="AB", requirements=(
        Group(id="A", units=("a1", "a2"), min_units=1), Group(id="B", units=("b1", "b2", "b3"),
                                                             min_credits=Decimal(2))))
    second = Combination(kind="all_of", id="C", requirements=(Group(id="C", units=("c1", "c2"), mandatory=True),))
    return Qualification(
        id="R", title="R", units=units, max_units=6,
        requirements=(Combination(kind="any_of", id="major", requirements=(first, second)),
                      Group(id="D", units=("d1",))),
        level_rules=(LevelRule(kind="at_or_above", level=3, max_credits=Decimal(8)),),
        barred=(Barred(units=("a1", "c1")),),
        prerequisites=(Prerequisite(unit="b1", requires=("a2",)),
                       Prerequisite(unit="d1", requires_one_of=("b3", "c2"))))


@pytest.mark.parametrize("forced", [None, {"b3": True}, {"a2": False}])
def test_python_integers_and_a_partial_tape_give_the_same_counts(monkeypatch: pytest.MonkeyPatch,
                                                                 forced: dict[str, bool] | None) -> None:
    q = _richer()
    assert frontier.supports(q) is None
    expected = _expected(q, forced)
    assert expected[0] > 0
    assert frontier.presence(q, forced=forced) == expected
    monkeypatch.setattr("solver.exact.frontier_draw.EXACT_BELOW", 1)
    assert frontier.presence(q, forced=forced) == expected
    monkeypatch.setattr("solver.exact.frontier_draw.TAPE_BYTES", 0)
    assert frontier.presence(q, forced=forced) == expected
    monkeypatch.undo()
    monkeypatch.setattr("solver.exact.frontier_draw.TAPE_BYTES", 0)
    assert frontier.presence(q, forced=forced) == expected


def test_counts_past_machine_integers() -> None:
    # 70 barred pairs in one group without limits: 3**70 pathways (> 2**62), each unit in 3**69
    ids = [f"{side}{i}" for i in range(70) for side in "ab"]
    q = Qualification(id="P", title="P", units=tuple(Unit(id=u, title=u) for u in ids),
                      requirements=(Group(id="G", units=tuple(ids)),),
                      barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(70)))
    total, held = frontier.presence(q)
    assert total == 3**70
    assert held == dict.fromkeys(ids, 3**69)


def test_engines_presence_takes_the_frontier_pass() -> None:
    # twenty barred pairs couple more units than the tree programme takes: the frontier counts it
    ids = [f"{side}{i}" for i in range(10) for side in "ab"] + ["c"]
    q = Qualification(id="P", title="P", units=tuple(Unit(id=u, title=u) for u in ids),
                      requirements=(Group(id="G", units=tuple(ids), min_units=2),),
                      barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(10)))
    assert engines.choose(q, engines.Question.COUNT).engine.name == "frontier"  # type: ignore[union-attr]
    found = engines.presence(q)
    assert found == {u: engines.solve(q, kernel.COUNT, forced={u: True}) for u in ids}
    # c: any of the 3**10 choices of the pairs with c, less the one with nothing else (c alone)
    assert found["c"] == 3**10 - 1


def test_outside_the_shape_it_says_why() -> None:
    q = Qualification(id="Q", title="T", units=(Unit(id="a", title="a"),),
                      requirements=(Group(id="A", units=("a",)), Group(id="B", units=("a",))))
    with pytest.raises(frontier.NotSupported, match="listed in groups"):
        frontier.presence(q)
