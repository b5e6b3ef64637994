"""Uniform draws from the frontier engine's tables: every draw a pathway, every pathway equally likely.

Uniformity is checked as in ``test_sample.py``: on a structure with K pathways, 300 K draws
are tallied per pathway and Pearson's statistic must stay under its chi-squared mean plus
6 standard deviations (K - 1 degrees of freedom). The seed is fixed, so the test is
deterministic. That such a bound catches a biased sampler is shown there.
"""

from __future__ import annotations

import random
from collections import Counter
from decimal import Decimal
from math import sqrt

import oracle
import pytest
from hypothesis import given, settings
from strategies import qualifications

from solver.exact import frontier, frontier_draw
from solver.model import Barred, Combination, Group, LevelRule, Prerequisite, Qualification, Unit


def _uniform(q: Qualification, seed: int, forced: dict[str, bool] | None = None) -> None:
    everything = [p for p in oracle.all_pathways(q)
                  if all((u in p) == take for u, take in (forced or {}).items())]
    draws = 300 * len(everything)
    tally = Counter(frontier.sample(q, draws, random.Random(seed), forced=forced))
    assert set(tally) <= set(everything)
    expected = draws / len(everything)
    stat = sum((tally.get(p, 0) - expected) ** 2 / expected for p in everything)
    df = len(everything) - 1
    assert stat < df + 6 * sqrt(2 * df), (stat, df)


def _units(credits: dict[str, int], levels: dict[str, int] | None = None) -> tuple[Unit, ...]:
    return tuple(Unit(id=u, title=u, credits=Decimal(c), level=(levels or {}).get(u)) for u, c in credits.items())


def _coupled_group() -> Qualification:
    # six units of 1-3 credits, at least 5 credits; a|b and c|d barred; f needs one of c, e
    units = _units(dict(zip("abcdef", (1, 2, 3, 1, 2, 1))))
    return Qualification(id="S", title="S", units=units,
                         requirements=(Group(id="G", units=tuple("abcdef"), min_credits=Decimal(5)),),
                         barred=(Barred(units=("a", "b")), Barred(units=("c", "d"))),
                         prerequisites=(Prerequisite(unit="f", requires_one_of=("c", "e")),))


def test_uniform_on_a_group_with_barred_pairs_and_a_prerequisite() -> None:
    q = _coupled_group()
    assert frontier.supports(q) is None
    _uniform(q, seed=3)


def test_uniform_with_units_forced_in_and_out() -> None:
    _uniform(_coupled_group(), seed=5, forced={"f": True, "b": False})


def test_uniform_on_a_choice_of_all_ofs() -> None:
    # either (A at least 1 and B at least 2 credits) or (C all, mandatory); b1 needs a2; a1|c1 barred
    units = _units({"a1": 1, "a2": 2, "b1": 1, "b2": 2, "c1": 1, "c2": 1})
    first = Combination(kind="all_of", id="AB", requirements=(
        Group(id="A", units=("a1", "a2"), min_units=1), Group(id="B", units=("b1", "b2"), min_credits=Decimal(2))))
    second = Combination(kind="all_of", id="C", requirements=(Group(id="C", units=("c1", "c2"), mandatory=True),))
    q = Qualification(id="Q", title="Q", units=units,
                      requirements=(Combination(kind="any_of", id="major", requirements=(first, second)),),
                      barred=(Barred(units=("a1", "c1")),), prerequisites=(Prerequisite(unit="b1", requires=("a2",)),))
    assert frontier.supports(q) is None
    _uniform(q, seed=7)


def test_uniform_with_a_level_rule_and_a_maximum() -> None:
    # two groups; at most 5 credits at level 3 or above; at most 4 units in all; x1|y1 barred
    units = _units({"x1": 1, "x2": 2, "x3": 3, "y1": 1, "y2": 2, "y3": 3},
                   {"x1": 2, "x2": 3, "x3": 3, "y1": 2, "y2": 3, "y3": 2})
    q = Qualification(id="L", title="L", units=units, max_units=4,
                      requirements=(Group(id="X", units=("x1", "x2", "x3"), min_units=1),
                                    Group(id="Y", units=("y1", "y2", "y3"), max_credits=Decimal(4))),
                      level_rules=(LevelRule(kind="at_or_above", level=3, max_credits=Decimal(5)),),
                      barred=(Barred(units=("x1", "y1")),))
    assert frontier.supports(q) is None
    _uniform(q, seed=9)


def test_python_integers_draw_uniformly_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # counts past the machine-integer bound take Python integers: force that path on a small structure
    monkeypatch.setattr("solver.exact.frontier_draw.EXACT_BELOW", 1)
    _uniform(_coupled_group(), seed=11)


@settings(max_examples=150, deadline=None)
@given(qualifications(max_units=7) | qualifications(max_units=7, disjoint_only=True))
def test_every_draw_is_a_pathway_holding_what_is_forced(q: Qualification) -> None:
    # the frontier takes no unit listed twice: the disjoint structures are the ones it mostly takes
    if frontier.supports(q) is not None:
        return
    everything = set(oracle.all_pathways(q))
    drawn = frontier.sample(q, 40, random.Random(1))
    assert all(p in everything for p in drawn)
    assert len(drawn) == (40 if everything else 0)
    units = oracle.candidate_units(q)
    forced = {units[0]: True, units[-1]: False} if len(units) > 1 else {units[0]: True}
    held = {p for p in everything if all((u in p) == take for u, take in forced.items())}
    drawn = frontier.sample(q, 40, random.Random(2), forced=forced)
    assert all(p in held for p in drawn)
    assert len(drawn) == (40 if held else 0)


def test_the_same_seed_gives_the_same_draws() -> None:
    q = _coupled_group()
    first = frontier.sample(q, 50, random.Random(4))
    assert first == frontier.sample(q, 50, random.Random(4))
    assert first != frontier.sample(q, 50, random.Random(5))


def test_keeping_only_some_tables_draws_uniformly_too(monkeypatch: pytest.MonkeyPatch) -> None:
    # past the memory bound only every few steps' table is kept and the steps between are counted again
    monkeypatch.setattr("solver.exact.frontier_draw.TAPE_BYTES", 0)
    _uniform(_coupled_group(), seed=13)


def test_past_61_undecided_units_a_floating_count_chooses_the_integers() -> None:
    # 70 units, at most one taken: 71 pathways, far below 2**62 although 2**70 subsets could be:
    # the floating-point count sends the draws to machine integers; each pathway about 100 times
    ids = [f"u{i:02d}" for i in range(70)]
    q = Qualification(id="F", title="F", units=tuple(Unit(id=u, title=u) for u in ids),
                      requirements=(Group(id="G", units=tuple(ids), max_units=1),))
    problem, plan = frontier.plan_for(q)
    assert frontier_draw.estimate(problem, plan) == 71.0
    drawn = Counter(frontier.sample(q, 7100, random.Random(5)))
    assert set(drawn) == {frozenset()} | {frozenset({u}) for u in ids}
    assert all(50 < n < 160 for n in drawn.values())  # Poisson(100): outside by chance about 1e-5


def test_past_2_to_the_62_pathways_python_integers_draw() -> None:
    # 64 barred pairs, none required: 3**64 pathways (past 2**62): every draw takes at most one of
    # each pair, and the first unit of a pair is taken about a third of the time
    q = Qualification(id="P", title="P", units=tuple(Unit(id=f"{s}{i}", title="u") for i in range(64) for s in "ab"),
                      requirements=(Group(id="G", units=tuple(f"{s}{i}" for i in range(64) for s in "ab")),),
                      barred=tuple(Barred(units=(f"a{i}", f"b{i}")) for i in range(64)))
    problem, plan = frontier.plan_for(q)
    assert frontier_draw.estimate(problem, plan) == pytest.approx(3.0**64)
    drawn = frontier.sample(q, 300, random.Random(6))
    assert len(drawn) == 300 and all(not {f"a{i}", f"b{i}"} <= p for p in drawn for i in range(64))
    share = sum(f"a{i}" in p for p in drawn for i in range(64)) / (300 * 64)
    assert 0.30 < share < 0.37  # 1/3, from 19,200 draws of a pair: about 0.0034 standard deviation
