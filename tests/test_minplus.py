"""The array programme for the cheapest pathway (solver/minplus.py) against brute force over all subsets.

Each path through it is forced on small structures: every layer kept or each
group solved again on a corner for the walk; ties in machine integers, in
Python integers, or by the exact count with the optimum added as a limit.
"""

from __future__ import annotations

from decimal import Decimal

import oracle
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.answers.cheapest import cheapest_pathways, unit_costs
from solver.exact import minplus
from solver.exact.minplus import DenseNotSupported, cheapest_dense
from solver.model import Group, Qualification, Unit

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CRITERIA = st.sampled_from([["credits"], ["units"], ["credits", "units"], ["units", "credits"], ["fee"],
                            ["hours", "credits"]])


def _forced(q: Qualification, data: st.DataObject) -> tuple[list[str], list[str]]:
    units = oracle.candidate_units(q)
    include = [data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else []
    exclude = [u for u in ([data.draw(st.sampled_from(units))] if units and data.draw(st.booleans()) else [])
               if u not in include]
    return include, exclude


@FAST
@given(qualifications(disjoint_only=True, nesting=False), CRITERIA, st.sampled_from([0, 10**9]),
       st.sampled_from([62, -1]), st.sampled_from([minplus.INF32, 0]), st.data())
def test_optimum_ties_and_first_pathway_equal_brute_force(q, by, keep_cells, int64_free, int32_below, data):
    """Every path: layers kept or recomputed; ties in int64 or Python integers; costs in int32 or int64."""
    include, exclude = _forced(q, data)
    forced = {**dict.fromkeys(include, True), **dict.fromkeys(exclude, False)}
    saved = minplus.KEEP_CELLS, minplus.INT64_FREE_UNITS, minplus.INF32
    minplus.KEEP_CELLS, minplus.INT64_FREE_UNITS, minplus.INF32 = keep_cells, int64_free, int32_below
    try:
        cost, ties, chosen = cheapest_dense(q, unit_costs(q, by), forced=forced, big_ties=True)
    except DenseNotSupported:
        return
    finally:
        minplus.KEEP_CELLS, minplus.INT64_FREE_UNITS, minplus.INF32 = saved
    best, brute_ties, ordered = oracle.brute_optimum(q, by, include=include, exclude=exclude)
    if best is None:
        assert (cost, ties, chosen) == (None, 0, [])
        return
    assert (cost, ties) == (tuple(best), brute_ties)
    assert frozenset(chosen) == ordered[0]  # the first optimal pathway in the documented order


@FAST
@given(qualifications(disjoint_only=True, nesting=False), CRITERIA, st.data())
def test_ties_counted_with_the_optimum_as_a_limit_equal_brute_force(q, by, data):
    """Past 62 free units ties come from the exact count (credits, units) or Python integers (others)."""
    include, exclude = _forced(q, data)
    saved = minplus.INT64_FREE_UNITS
    minplus.INT64_FREE_UNITS = -1
    try:
        result = cheapest_pathways(q, by=by, include=include, exclude=exclude)
        uncounted = cheapest_pathways(q, by=by, include=include, exclude=exclude, count_ties=False)
    finally:
        minplus.INT64_FREE_UNITS = saved
    best, brute_ties, ordered = oracle.brute_optimum(q, by, include=include, exclude=exclude)
    assert result.ties == brute_ties
    if best is None:
        assert result.optimum is None and uncounted.optimum is None
        return
    assert tuple(result.optimum.values()) == tuple(best)
    assert uncounted.optimum == result.optimum
    assert uncounted.ties in (None, brute_ties)
    assert [frozenset(p.units) for p in result.pathways] == [ordered[0]]


def _two_groups(fee: Decimal) -> Qualification:
    """Group A: exactly one of a1 (5 credits), a2 (3); group B: at least 4 credits from b1 (4), b2 (2), b3 (2)."""
    units = (Unit(id="a1", title="a1", credits=Decimal(5), fee=fee), Unit(id="a2", title="a2", credits=Decimal(3)),
             Unit(id="b1", title="b1", credits=Decimal(4)), Unit(id="b2", title="b2", credits=Decimal(2)),
             Unit(id="b3", title="b3", credits=Decimal(2)))
    return Qualification(id="Q", title="Q", units=units, requirements=(
        Group(id="A", title="A", units=("a1", "a2"), min_units=1, max_units=1),
        Group(id="B", title="B", units=("b1", "b2", "b3"), min_credits=Decimal(4))))


def test_a_hand_worked_optimum():
    # A: a2 (3) beats a1 (5). B: {b1} = 4, {b2, b3} = 4, and every larger subset is over 4.
    # Least credits 3 + 4 = 7, two ways; the first in take-first order takes b1.
    cost, ties, chosen = cheapest_dense(_two_groups(Decimal(0)), unit_costs(_two_groups(Decimal(0)), ["credits"]))
    assert (cost, ties, chosen) == ((Decimal(7),), 2, ["a2", "b1"])
    # by units then credits: {a2, b1} is the only 2-unit pathway of 7 credits
    q = _two_groups(Decimal(0))
    assert cheapest_dense(q, unit_costs(q, ["units", "credits"]))[:2] == ((2, Decimal(7)), 1)


def test_ties_in_python_integers_without_qualification_wide_totals(monkeypatch):
    """No qualification-wide limits: the arrays over the totals have no axes at all (single cells)."""
    monkeypatch.setattr(minplus, "INT64_FREE_UNITS", -1)
    q = _two_groups(Decimal(0))
    assert cheapest_dense(q, unit_costs(q, ["credits"]), big_ties=True) == ((Decimal(7),), 2, ["a2", "b1"])


def test_costs_too_large_to_pack_fall_back_to_the_exact_dictionaries():
    q = _two_groups(Decimal(10) ** 20)
    with pytest.raises(DenseNotSupported):
        cheapest_dense(q, unit_costs(q, ["fee", "credits"]))
    result = cheapest_pathways(q, by=["fee", "credits"])
    assert result.optimum == {"fee": 0, "credits": Decimal(7)} and result.ties == 2


def test_negative_costs_are_refused():
    q = _two_groups(Decimal(0))
    with pytest.raises(DenseNotSupported, match="negative"):
        cheapest_dense(q, {u: (-1,) for u in q.unit_ids()})


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("by", [["credits"], ["units", "credits"]])
def test_arrays_and_dictionaries_agree_past_brute_force(seed, by):
    """39-unit structures (2**34 subsets, out of brute force's reach): the two programmes agree."""
    from bench import generate
    from solver.exact.trace_back import first_cheapest

    q = generate.uk_credit(39, seed=seed)
    costs = unit_costs(q, by)
    cost, ties, chosen = first_cheapest(q, costs)
    assert cheapest_dense(q, costs) == (cost, ties, list(chosen))


def test_no_ties_from_the_command_line(tmp_path):
    """``--no-ties`` where the arrays cannot count ties in int64: shown as not counted, else counted."""
    import subprocess
    import sys
    from pathlib import Path

    from bench import generate
    from solver.model.dump import dump_qualification

    q = generate.uk_credit(75, seed=2)
    path = tmp_path / "big.yaml"
    path.write_text(dump_qualification(q), encoding="utf-8")
    root = Path(__file__).resolve().parent.parent

    def cheapest(*extra: str) -> str:
        out = subprocess.run([sys.executable, "-m", "solver", "cheapest", str(path), *extra],
                             capture_output=True, text=True, cwd=root, timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout

    free = sum(len(g.units) for g in q.iter_groups() if not g.mandatory)
    assert free > minplus.INT64_FREE_UNITS  # so the arrays do not count the ties themselves
    expected = cheapest_pathways(q)  # the command line must agree with the library (checked above by brute force)
    assert "ties not counted" in cheapest("--no-ties")
    # the tie count for the objective as named (credits, then units), the tie-break written out
    assert f"of these, fewest units: {expected.optimum['units']} ({expected.ties:,})" in cheapest()
