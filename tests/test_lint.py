"""Lint findings against hand calculation and against brute force (tests/oracle.py)."""

from __future__ import annotations

import argparse
import json
import re
from decimal import Decimal

import oracle
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.cli.design import register
from solver.design.lint import Severity, format_lint, lint
from solver.model import Declared, Group, Qualification, Unit
from solver.model.load import bundled_rules, load_qualification
from solver.model.rules import iter_rules, relax

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DIPLOMA = bundled_rules() / "l2-diploma-customer-service.yaml"


def _units(**credits: int) -> tuple[Unit, ...]:
    return tuple(Unit(id=u, title=u, credits=Decimal(c), level=2) for u, c in credits.items())


def _codes(report, code):
    return [f for f in report.findings if f.code == code]


# -- the seed Diploma ----------------------------------------------------------------------------
def test_diploma_lints_clean_and_its_declared_figures_check_out():
    report = lint(load_qualification(DIPLOMA))
    assert not report.fails("warning")
    assert _codes(report, "declared-mismatch") == []
    ok = {(f.subject, f.location.path) for f in _codes(report, "declared-ok")}
    # Mandatory 19 credits / 5 units; optional "Credit Value: 26 | Units Required: 6"; minimum 45.
    assert ok == {("mandatory", "requirements[0].declared.credits"), ("mandatory", "requirements[0].declared.units"),
                  ("optional", "requirements[1].declared.credits"), ("optional", "requirements[1].declared.units"),
                  ("L2-DIP-CS", "declared.min_credits")}
    units_required = next(f for f in _codes(report, "declared-ok") if f.location.path.endswith("[1].declared.units"))
    assert "Units Required: 6" in units_required.message
    assert units_required.location.line == 72


def test_diploma_findings_genuinely_in_the_handbook():
    report = lint(load_qualification(DIPLOMA))
    # Three level-3 units in a level-2 Diploma: resolve-complaints (4) and customer-feedback (5) in
    # Group B (no maximum) and negotiate (4) in Group C (max 7): together at most 4 + 5 + 4 = 13 credits.
    above = _codes(report, "unit-above-level")
    assert [f.subject for f in above] == ["resolve-complaints", "customer-feedback", "negotiate"]
    assert all("at most 13 credits (3 units)" in f.message for f in above)
    # Without the 45-credit total the least is 19 + 3 + 16 = 38 credits.
    tight = {f.subject: f.message for f in _codes(report, "tight-rule")}
    assert "38 credits instead of 45" in tight["qualification: min 45 credits in total"]
    # No redundant rule, no dead or forced unit.
    assert not _codes(report, "redundant-rule") and not _codes(report, "dead-unit")
    assert not _codes(report, "forced-unit")
    assert {f.severity for f in report.findings} == {Severity.INFO}


# -- hand-made structures ------------------------------------------------------------------------
def test_dead_unit_worth_more_than_its_group_maximum():
    g = Group(id="G", units=("a", "b", "c"), max_credits=Decimal(5), min_credits=Decimal(2))
    q = Qualification(id="Q", title="Q", units=_units(a=2, b=9, c=3), requirements=(g,))
    dead = _codes(lint(q), "dead-unit")
    assert [f.subject for f in dead] == ["b"]
    assert "only without 'G: max 5 credits'" in dead[0].message


def test_forced_optional_unit_and_redundant_rule():
    # min 5 credits from a (2) and b (3): both forced. max 5 credits is redundant (the most is 5).
    g = Group(id="G", units=("a", "b"), min_credits=Decimal(5), max_credits=Decimal(5))
    q = Qualification(id="Q", title="Q", units=_units(a=2, b=3), requirements=(g,))
    report = lint(q)
    assert [f.subject for f in _codes(report, "forced-unit")] == ["a", "b"]
    assert [f.subject for f in _codes(report, "redundant-rule")] == ["G: max 5 credits"]


def test_declared_mismatch_unreachable_and_infeasible():
    g = Group(id="G", units=("a", "b"), mandatory=True, declared=Declared(credits=Decimal(6), units=2))
    h = Group(id="H", units=("c",), min_credits=Decimal(4))
    q = Qualification(id="Q", title="Q", units=_units(a=2, b=3, c=3), requirements=(g, h))
    report = lint(q)
    assert [f.subject for f in _codes(report, "unreachable")] == ["H"]
    infeasible = _codes(report, "infeasible")
    assert len(infeasible) == 1 and "H: min 4 credits" in infeasible[0].message
    ok = Qualification(id="Q", title="Q", units=_units(a=2, b=3, c=3), requirements=(g,))
    mismatch = _codes(lint(ok), "declared-mismatch")
    assert len(mismatch) == 1 and "sum of its mandatory units' credits is 5" in mismatch[0].message


def test_a_mandatory_unit_another_group_lists_is_not_redundant():
    # M = [a] mandatory, N = [b] mandatory, G = [a, c] needs 1, b needs a. Every pathway holds a
    # (b is mandatory and needs it), so "M left out a unit" gains nothing; yet without M, a can
    # count towards G, and {a, b} is a pathway it was not (G then needed c): M is not redundant.
    from solver.model import Prerequisite

    q = Qualification(id="Q", title="Q", units=_units(a=1, b=1, c=1), requirements=(
        Group(id="M", units=("a",), mandatory=True), Group(id="N", units=("b",), mandatory=True),
        Group(id="G", units=("a", "c"), min_units=1)), prerequisites=(Prerequisite(unit="b", requires=("a",)),))
    mandatory = next(r for r in iter_rules(q) if r.label == "M: all 1 units")
    assert set(oracle.all_pathways(relax(q, [mandatory]))) - set(oracle.all_pathways(q)) == {frozenset("ab")}
    assert "M: all 1 units" not in {f.subject for f in _codes(lint(q), "redundant-rule")}


def test_a_mandatory_unit_another_group_lists_can_still_be_redundant():
    # M = [a] mandatory, N = [b] mandatory, G = [a, c] with no limit, b needs a: every pathway
    # holds a, and a can always count towards M, so M is redundant; "M holding none of its
    # units" would wrongly find {a, b} with a counted towards G instead
    from solver.model import Prerequisite

    q = Qualification(id="Q", title="Q", units=_units(a=1, b=1, c=1), requirements=(
        Group(id="M", units=("a",), mandatory=True), Group(id="N", units=("b",), mandatory=True),
        Group(id="G", units=("a", "c"))), prerequisites=(Prerequisite(unit="b", requires=("a",)),))
    mandatory = next(r for r in iter_rules(q) if r.label == "M: all 1 units")
    assert set(oracle.all_pathways(relax(q, [mandatory]))) == set(oracle.all_pathways(q))
    assert "M: all 1 units" in {f.subject for f in _codes(lint(q), "redundant-rule")}


def test_units_required_is_the_fewest_units_of_the_part():
    # min 7 credits from units of 5, 3, 2, 2: the fewest is 2 units (5 + 3 or 5 + 2).
    g = Group(id="G", units=("a", "b", "c", "d"), min_credits=Decimal(7), declared=Declared(units=3))
    q = Qualification(id="Q", title="Q", units=_units(a=5, b=3, c=2, d=2), requirements=(g,))
    mismatch = _codes(lint(q), "declared-mismatch")
    assert len(mismatch) == 1 and "is 2" in mismatch[0].message


def test_uk_checks_size_band_and_credit_against_tqt():
    g = Group(id="G", units=("a", "b"), mandatory=True)
    base = Qualification(id="Q", title="Level 2 Award in Things", level=2, units=_units(a=10, b=5),
                         requirements=(g,), min_credits=Decimal(15), tqt=Decimal(144))
    report = lint(base)
    # 15 credits is a Certificate (13-36), not an Award (1-12); round(144 / 10) = 14, not 15.
    assert [f.code for f in report.findings if f.code in ("credit-tqt", "size-band")] == ["credit-tqt", "size-band"]
    good = lint(Qualification(id="Q", title="Level 2 Certificate in Things", level=2, units=_units(a=10, b=5),
                              requirements=(g,), min_credits=Decimal(15), tqt=Decimal(145)))
    assert not _codes(good, "credit-tqt") and not _codes(good, "size-band")


def test_unused_unit():
    q = Qualification(id="Q", title="Q", units=_units(a=1, b=1), requirements=(Group(id="G", units=("a",)),))
    assert [f.subject for f in _codes(lint(q), "unused-unit")] == ["b"]


# -- against brute force -------------------------------------------------------------------------
@FAST
@given(st.one_of(qualifications(disjoint_only=True, max_units=6), qualifications(max_units=5)))
def test_dead_forced_and_redundant_equal_brute_force(q):
    every = oracle.all_pathways(q)
    report = lint(q, timeout=None)
    if not every:
        assert _codes(report, "infeasible")
        return
    mandatory = {u for g in q.iter_groups() if g.mandatory for u in g.units}
    units = oracle.candidate_units(q)
    assert {f.subject for f in _codes(report, "dead-unit")} == {u for u in units if not any(u in p for p in every)}
    assert {f.subject for f in _codes(report, "forced-unit")} == {
        u for u in units if all(u in p for p in every) and u not in mandatory}
    redundant = {r.label for r in iter_rules(q) if set(oracle.all_pathways(relax(q, [r]))) == set(every)}
    assert {f.subject for f in _codes(report, "redundant-rule")} == redundant
    # a rule is tight when some pathway without it is cheaper (credits; units where no unit has
    # credits), or else, by credits, has fewer units
    measure = "credits" if q.counts_credits() else "units"

    def least(pathways, what):
        return min(oracle.totals(q, p)[what] for p in pathways)

    tight = {}
    for r in iter_rules(q):
        gained = set(oracle.all_pathways(relax(q, [r])))
        if gained == set(every) or r.field == "mandatory":
            continue
        if least(gained, measure) < least(every, measure):
            tight[r.label] = "decides the minimum"
        elif measure == "credits" and least(gained, "units") < least(every, "units"):
            tight[r.label] = "decides the fewest units"
    found = {f.subject: f.message for f in _codes(report, "tight-rule")}
    assert set(found) == set(tight)
    assert all(tight[label] in message for label, message in found.items())
    # a redundant rule names a set of rules that imply it: with only those (and it) kept,
    # removing it changes no pathway. Where every rule is a fixed condition on the pathway
    # (groups directly under the qualification), implying is monotone and the set minimal:
    # with any one of them dropped too, it does not. (Inside a choice, a group's limits decide
    # whether the choice holds, so dropping one can make another rule limit nothing.)
    flat = all(isinstance(r, Group) for r in q.requirements)
    # (rules are named by label: where two rules read alike, which is meant is not said)
    rules = {r.label: r for r in iter_rules(q)}

    def implied(rule, kept):
        dropped = [r for label, r in rules.items() if label != rule.label and label not in kept]
        return set(oracle.all_pathways(relax(q, dropped))) == set(oracle.all_pathways(relax(q, [*dropped, rule])))

    for finding in _codes(report, "redundant-rule") if len(rules) == len(list(iter_rules(q))) else ():
        reason = finding.message.split("exactly as they are: ", 1)[1]
        kept = [] if reason.startswith("it limits nothing") else re.findall(r"'([^']*)'", reason)
        assert implied(rules[finding.subject], kept), finding.message
        assert not flat or not any(implied(rules[finding.subject], [k for k in kept if k != drop]) for drop in kept)
    # a dead unit names exactly the single rules without which some pathway holds it
    for finding in _codes(report, "dead-unit"):
        revive = [r.label for r in iter_rules(q)
                  if any(finding.subject in p for p in oracle.all_pathways(relax(q, [r])))]
        if not revive:
            assert "no single rule is to blame" in finding.message
        else:
            assert finding.message.endswith("only without " + " or ".join(f"'{r}'" for r in revive) + ".")


# -- command line --------------------------------------------------------------------------------
def _run(argv):
    parser = argparse.ArgumentParser(prog="qualpath")
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_exit_codes_and_json(capsys):
    assert _run(["lint", "diploma"]) == 0
    text = capsys.readouterr().out
    assert "0 errors, 0 warnings, 10 infos found" in text
    # the Sydney core lists INFO1113 and COMP2017 as optional although every pathway holds them
    assert _run(["lint", "usyd-computer-science-minor-core"]) == 1
    capsys.readouterr()
    assert _run(["lint", "usyd-computer-science-minor-core", "--fail-on", "error", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["qualification"] == "USYD-CS-MINOR-CORE" and data["worst"] == "warning"


@pytest.mark.parametrize("name", ["nvq", "anu-csfn-min-2024", "usyd-computer-science-minor-core"])
def test_every_bundled_structure_lints_without_errors(name):
    from solver.model.load import find_structure

    report = lint(load_qualification(find_structure(name)))
    assert not report.fails("error")
    assert format_lint(report).startswith(report.title)


def test_lint_of_a_large_coupled_programme_keeps_to_its_limit():
    # 200 courses with chained prerequisites: every relaxed rule is a new structure the frontier
    # programme plans afresh (about 0.1 s each), so past the limit nothing more is tried and the
    # rules left are reported as not checked instead of taking minutes
    import sys
    import time
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ (as tests/test_families.py)
    from bench.families import university_programme

    q = university_programme(200, 0)
    started = time.monotonic()
    report = lint(q, timeout=2.0)
    assert time.monotonic() - started < 2.0 + 3.0
    assert "not-checked" in {f.code for f in report.findings}


def test_a_check_left_says_why_with_and_without_a_limit(monkeypatch):
    # where no exact engine answers (declined here), lint says so, with a time limit or without
    # one (it used to format the missing limit as a number and fail); where time ran out, it
    # says that
    from solver import exact
    from solver.model import Barred

    q = Qualification(id="Q", title="Q", units=_units(a=1, b=1, c=1),
                      requirements=(Group(id="G", units=("a", "b", "c"), min_units=1),),
                      barred=(Barred(units=("a", "b")),))

    def declined(*_args, **_kwargs):
        raise exact.NotSupported("declined for the test")

    monkeypatch.setattr(exact, "least_each", declined)
    left = [f.message for f in _codes(lint(q, timeout=None), "not-checked")]
    assert left and all("no exact engine could work it out" in m for m in left)
    declined_in_time = [f.message for f in _codes(lint(q, timeout=5), "not-checked")]
    assert declined_in_time and all("no exact engine could work it out" in m for m in declined_in_time)
    monkeypatch.undo()
    cut = [f.message for f in _codes(lint(q, timeout=0), "not-checked")]  # no time at all
    assert cut and all("lint's 0 s ran out before it (--timeout allows more)" in m for m in cut)
