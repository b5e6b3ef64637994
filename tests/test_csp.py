"""The constraint engine against the brute-force oracle, on seeds and random small structures."""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import oracle
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.csp.explain import explain
from solver.csp.problem import compile_problem
from solver.csp.stream import count_by_enumeration, iter_csp_pathways
from solver.model import Group, Qualification, Unit
from solver.model.check import PathwayChecker, is_pathway
from solver.model.load import bundled_rules, load_qualification
from solver.model.results import Method, Status

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULES = bundled_rules()


def _load(name: str) -> Qualification:
    return load_qualification(RULES / f"{name}.yaml")


# -- seeds --------------------------------------------------------------------------------------

def test_nvq_has_four_pathways() -> None:
    # By hand: the 4 mandatory units, plus exactly one (min_units 1, max_units 1) of the 4
    # optional units: 4 pathways, in optional-unit order.
    q = _load("ocr-l2-nvq-customer-service")
    core = {"nvq-positive-impression", "nvq-reliable-service", "develop-relationships", "resolve-problems"}
    expected = [core | {u} for u in ("support-improvements", "nvq-personal-performance",
                                     "promote-products", "nvq-process-information")]
    assert list(iter_csp_pathways(q)) == expected
    assert list(iter_csp_pathways(q, minimal=True)) == expected
    result = count_by_enumeration(q)
    assert result.pathways == 4
    assert (result.status, result.method) == (Status.COMPLETE, Method.CONSTRAINT_ENUMERATION)


def test_diploma_first_pathways_are_checked_and_ordered() -> None:
    q = _load("l2-diploma-customer-service")
    first = []
    for p in iter_csp_pathways(q):
        first.append(p)
        if len(first) == 200:
            break
    checker = PathwayChecker(q)
    assert all(checker.is_pathway(p) for p in first)
    keys = [oracle.pathway_order_key(q, p) for p in first]
    assert keys == sorted(keys) and len(set(first)) == len(first)


def test_diploma_with_decimal_credits_is_exact() -> None:
    # Make every Group A unit 1.5 credits: A's minimum of 3 then needs both of them.
    q = _load("l2-diploma-customer-service")
    a = ("communicate-verbally", "communicate-in-writing")
    q2 = _replace_credits(q, {u: Decimal("1.5") for u in a})
    cp = compile_problem(q2)
    assert cp.scale == 2
    first = cp.pathway(next(cp.iter_solutions()))
    assert set(a) <= first
    assert not is_pathway(q2, first - {a[0]})


def _replace_credits(q: Qualification, credits: dict[str, Decimal]) -> Qualification:
    import dataclasses

    units = tuple(dataclasses.replace(u, credits=credits.get(u.id, u.credits)) for u in q.units)
    return dataclasses.replace(q, units=units)


def test_limit_and_timeout_give_partial_counts() -> None:
    q = _load("l2-diploma-customer-service")
    assert count_by_enumeration(q, limit=10).status is Status.PARTIAL
    start = time.monotonic()
    result = count_by_enumeration(q, timeout=0.3)
    assert result.status is Status.PARTIAL and time.monotonic() - start < 2


def test_include_and_exclude() -> None:
    q = _load("ocr-l2-nvq-customer-service")
    assert len(list(iter_csp_pathways(q, exclude=["promote-products"]))) == 3
    assert len(list(iter_csp_pathways(q, include=["promote-products"]))) == 1
    assert list(iter_csp_pathways(q, include=["promote-products", "support-improvements"])) == []


def test_no_string_or_function_constraints() -> None:
    for path in sorted(RULES.glob("*.yaml")):
        cp = compile_problem(load_qualification(path))
        kinds = {c.kind for c in cp.constraints}
        assert kinds <= {"MinSumConstraint", "MaxSumConstraint", "ExactSumConstraint", "InSetConstraint"}
        assert all(c.rules or c.tag for c in cp.constraints)


def test_only_csp_imports_constraint() -> None:
    root = Path(__file__).resolve().parent.parent
    offenders = [p.name for p in (root / "solver").glob("*.py")
                 if (p.name != "csp.py" and "import constraint" in p.read_text())
                 or ("from constraint" in p.read_text() and p.name != "csp.py")]
    assert offenders == []
    code = "import solver.model.check, solver.csp.stream, solver.answers.feasible, solver.csp.explain, sys; " \
           "print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert out.stdout.strip() == "False"


def test_explain_diploma_reads_in_rule_terms() -> None:
    text = explain(_load("l2-diploma-customer-service"))
    assert "C: max 7 credits" in text and "MaxSumConstraint" in text
    assert "39 unit variables" in text
    assert max(len(line) for line in text.splitlines()) < 200


def test_at_least_zero_holds_always() -> None:
    units = tuple(Unit(id=f"u{i}", title="t", credits=Decimal(1)) for i in range(3))
    from solver.model import Combination

    q = Qualification(id="Q", title="T", units=units, requirements=(
        Combination(kind="at_least", id="c", k=0, requirements=(
            Group(id="g", units=("u0", "u1"), min_credits=Decimal(2)), Group(id="h", units=("u2",)),)),))
    assert list(iter_csp_pathways(q)) == oracle.all_pathways(q)
    assert len(oracle.all_pathways(q)) == 8


# -- random structures --------------------------------------------------------------------------

@SETTINGS
@given(qualifications(max_units=7))
def test_pathways_equal_brute_force(q: Qualification) -> None:
    expected = oracle.all_pathways(q)
    got = list(iter_csp_pathways(q))
    assert got == expected  # same set, documented order, no duplicates
    checker = PathwayChecker(q)
    for bits in _some_subsets(q):
        assert checker.is_pathway(bits) == (bits in set(expected))


@SETTINGS
@given(qualifications(max_units=7))
def test_minimal_pathways_equal_brute_force(q: Qualification) -> None:
    assert list(iter_csp_pathways(q, minimal=True)) == oracle.minimal_pathways(q)


@settings(max_examples=60, deadline=None)
@given(qualifications(max_units=6), st.data())
def test_include_exclude_filter(q: Qualification, data: st.DataObject) -> None:
    cands = list(q.unit_ids())
    inc = data.draw(st.lists(st.sampled_from(cands), max_size=2, unique=True))
    exc = data.draw(st.lists(st.sampled_from([u for u in cands if u not in inc] or cands), max_size=2,
                             unique=True))
    exc = [u for u in exc if u not in inc]
    expected = [p for p in oracle.all_pathways(q) if set(inc) <= p and not set(exc) & p]
    assert list(iter_csp_pathways(q, include=inc, exclude=exc)) == expected


@settings(max_examples=60, deadline=None)
@given(qualifications(max_units=6))
def test_every_solution_is_a_pathway_with_all_allocations(q: Qualification) -> None:
    cp = compile_problem(q)
    seen: list[frozenset[str]] = []
    for solution in cp.iter_solutions(one_per_pathway=False):
        p = cp.pathway(solution)
        if not seen or seen[-1] != p:
            assert p not in seen  # one pathway's solutions are consecutive
            seen.append(p)
    assert seen == oracle.all_pathways(q)


def _some_subsets(q: Qualification) -> list[frozenset[str]]:
    import itertools

    cands = q.unit_ids()
    return [frozenset(u for u, b in zip(cands, bits, strict=True) if b)
            for bits in itertools.islice(itertools.product((1, 0), repeat=len(cands)), 64)]
