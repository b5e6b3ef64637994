"""The benchmark's families of issue 14 (bench/families.py): seeded, feasible, and shaped as the issue says.

Counts are checked against independent computations (the brute-force oracle, a brute force
over the BSc's optional modules, a closed form), never against figures the program printed.
"""

from __future__ import annotations

import doctest
import itertools
import sys
from decimal import Decimal
from math import comb
from pathlib import Path
from types import ModuleType

import oracle
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import cpsat, families, family_questions  # noqa: E402
from bench.families import australian_package, australian_six_four, bsc_programme  # noqa: E402
from solver import count_pathways  # noqa: E402
from solver.model import Combination, Group, Qualification  # noqa: E402
from solver.model.validate import validate  # noqa: E402


@pytest.mark.parametrize("module", [families, family_questions], ids=lambda m: m.__name__)
def test_examples_in_the_docstrings_run(module: ModuleType) -> None:
    # bench/ is not among pytest's doctest paths
    assert doctest.testmod(module).failed == 0


def _electives(q: Qualification) -> Combination:
    node = next(r for r in q.requirements if r.id == "electives")
    assert isinstance(node, Combination)
    return node


def _groups(node: Combination) -> list[Group]:
    return [g for g in node.requirements if isinstance(g, Group)]


# -- australian_package ---------------------------------------------------------------------------

def test_australian_package_is_seeded() -> None:
    assert australian_package(60, seed=3) == australian_package(60, seed=3)
    assert australian_package(60, seed=3) != australian_package(60, seed=4)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_australian_package_is_valid_and_feasible(seed: int) -> None:
    q = australian_package(14, seed=seed, core=3)
    assert validate(q) == []
    result = count_pathways(q, timeout=5)
    assert result.pathways > 0


@pytest.mark.parametrize("seed", [0, 1])
def test_australian_package_count_equals_brute_force(seed: int) -> None:
    q = australian_package(8, seed=seed, core=2)
    brute = len(oracle.all_pathways(q))
    assert brute > 0
    result = count_pathways(q, timeout=5)
    assert (result.status.value, result.pathways) == ("complete", brute)


def test_australian_package_caps_sit_inside_the_electives() -> None:
    q = australian_package(300, seed=0)
    electives = _electives(q)
    assert electives.kind == "all_of"
    assert electives.min_units is not None and electives.min_units == electives.max_units
    caps = [g for g in _groups(electives) if g.double_counting]
    assert sorted((g.id, g.max_units) for g in caps) == [("D-cap", 2), ("import-cap", 3)]
    ordinary = {u for g in _groups(electives) if not g.double_counting for u in g.units}
    for cap in caps:
        assert cap.units and set(cap.units) <= ordinary
    # nowhere else: the caps count only what the electives combination holds
    assert not [g for g in q.requirements if isinstance(g, Group) and g.double_counting]


def test_australian_package_has_hours_and_no_credits() -> None:
    q = australian_package(300, seed=0, prerequisites=2)
    units = [q.unit(u) for u in q.unit_ids()]
    assert len(units) >= 300
    assert all(u.credits is None for u in units)
    hours = {u.hours for u in units}
    assert all(h is not None and 10 <= h <= 120 for h in hours) and len(hours) >= 5
    assert len(q.prerequisites) == 2
    assert not q.counts_credits()


def test_cpsat_agrees_with_brute_force_on_a_small_package() -> None:
    pytest.importorskip("ortools")
    q = australian_package(8, seed=0, core=2)
    best, _ties, _which = oracle.brute_optimum(q, ("hours",))
    assert best is not None
    result = cpsat.solve_cpsat(q, by="hours")
    assert (result.status, result.objective) == ("optimal", best[0])


# -- bsc_programme --------------------------------------------------------------------------------

def _brute_count_over_optional(q: Qualification) -> int:
    """Every subset of the non-mandatory modules, each joined to the mandatory ones, through the oracle."""
    mandatory = q.mandatory_unit_ids()
    optional = [u for u in oracle.candidate_units(q) if u not in mandatory]
    found = 0
    for r in range(len(optional) + 1):
        for subset in itertools.combinations(optional, r):
            found += oracle.is_pathway(q, mandatory | frozenset(subset))
    return found


def test_bsc_shape() -> None:
    q = bsc_programme()
    assert q == bsc_programme()
    assert validate(q) == []
    assert len(q.unit_ids()) == 23 == len(q.units)
    assert q.min_credits == q.max_credits == Decimal(180)
    assert {q.unit(u).credits for u in q.unit_ids()} == {Decimal("7.5"), Decimal(15)}
    major = next(r for r in q.requirements if r.id == "major")
    assert isinstance(major, Combination) and major.kind == "any_of" and len(major.requirements) == 3
    for spec in major.requirements:
        assert isinstance(spec, Combination) and spec.kind == "all_of"
        mandatory, listed = _groups(spec)
        assert mandatory.mandatory and listed.min_credits is not None
    caps = [g for g in q.requirements if isinstance(g, Group) and g.double_counting]
    assert len(caps) == 2
    ordinary = {u for g in q.iter_groups() if not g.double_counting for u in g.units}
    assert all(set(cap.units) <= ordinary for cap in caps)
    assert len(q.barred) == 1 and len(q.prerequisites) == 2


def test_bsc_count_equals_brute_force() -> None:
    q = bsc_programme()
    brute = _brute_count_over_optional(q)
    assert 10 <= brute <= 5000  # a modest number of pathways, as the table has
    result = count_pathways(q, timeout=10)
    assert (result.status.value, result.pathways) == ("complete", brute)


# -- australian_six_four --------------------------------------------------------------------------

def test_australian_six_four_shape() -> None:
    q = australian_six_four()
    assert q == australian_six_four()
    assert validate(q) == []
    assert len(q.unit_ids()) == 38 and len(q.mandatory_unit_ids()) == 10
    a, a_to_d = _groups(_electives(q))
    assert (a.min_units, a_to_d.min_units, len(a.units), len(a_to_d.units)) == (6, 4, 10, 28)
    assert set(a.units) <= set(a_to_d.units)
    assert (q.min_units, q.max_units) == (20, None)
    assert all(q.unit(u).credits is None and q.unit(u).hours for u in q.unit_ids())


def test_australian_six_four_counts_equal_the_closed_form() -> None:
    # ten electives or more of 28, at least six of them among Group A's ten (the other four or more
    # count towards A-D): every set of ten or more electives with six or more from A
    everything = sum(comb(10, a) * comb(18, b) for a in range(6, 11) for b in range(19) if a + b >= 10)
    result = count_pathways(australian_six_four(), timeout=10)
    assert (result.status.value, result.pathways) == ("complete", everything)
    # minimal: exactly ten electives (an eleventh always leaves six from A and four more when dropped:
    # drop a non-A unit if there are five or more of them, else an A unit, of which there are then 7+)
    minimal = sum(comb(10, a) * comb(18, 10 - a) for a in range(6, 11))
    result = count_pathways(australian_six_four(), minimal=True, timeout=10)
    assert (result.status.value, result.pathways) == ("complete", minimal)
