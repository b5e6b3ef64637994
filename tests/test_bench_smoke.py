"""Smoke tests of the benchmark suite: the generators and the methods' agreement, never timings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import alternatives, cpsat, generate  # noqa: E402
from solver import cheapest_pathways, count_pathways  # noqa: E402

SMALL = [
    ("uk_credit", lambda seed: generate.uk_credit(14, seed=seed)),
    ("australian", lambda seed: generate.australian(6, seed=seed, core=2)),
    ("australian-cap-inside", lambda seed: generate.australian(6, seed=seed, core=2, cap_inside=True)),
    ("university", lambda seed: generate.university(14, seed=seed)),
]


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize(("family", "make"), SMALL, ids=[f for f, _m in SMALL])
def test_methods_agree_on_small_structures(family: str, make: object, seed: int) -> None:
    q = make(seed)  # type: ignore[operator]
    assert generate.check(q) > 0
    by = "hours" if family.startswith("australian") else "credits"
    brute = alternatives.brute_force(q, by)
    best = cheapest_pathways(q, by=by)
    assert count_pathways(q).pathways == brute["count"] == alternatives.pc_count(q)
    assert (best.optimum[by], best.ties) == (brute["optimum"], brute["ties"])
    assert count_pathways(q, minimal=True).pathways == brute["minimal"]


@pytest.mark.parametrize(("family", "make"), SMALL, ids=[f for f, _m in SMALL])
def test_cpsat_finds_the_same_optimum(family: str, make: object) -> None:
    pytest.importorskip("ortools")
    q = make(2)  # type: ignore[operator]
    by = "hours" if family.startswith("australian") else "credits"
    result = cpsat.solve_cpsat(q, by=by)
    assert result.status == "optimal"
    assert result.objective == cheapest_pathways(q, by=by).optimum[by]


def test_generators_are_seeded_and_scale() -> None:
    assert generate.uk_credit(300, seed=3) == generate.uk_credit(300, seed=3)
    big = generate.uk_credit(5000, seed=1)
    assert len(big.unit_ids()) == 5000
    for q in (generate.uk_credit(39, seed=1), generate.australian(100, seed=1, prerequisites=0),
              generate.university(60, seed=1)):
        assert generate.check(q) > 0


def test_quick_suite_agreement_section_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from bench.__main__ import main

    assert main(["--quick", "--only", "agree"]) == 0
    assert "DISAGREE" not in capsys.readouterr().out
