"""Property (issue 17): with a tiny --timeout, nothing printed as complete is wrong.

Each command runs on random small structures (tests/strategies.py) with
``--timeout 0.000001`` (and once with the default limit), as JSON. A figure
marked complete must equal the brute force of tests/oracle.py; a partial one
must be a lower bound (or a pathway that really is one, for a cheapest search)
and labelled partial; a figure that is not known must be ``null``, never 0.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oracle import all_pathways, brute_optimum, is_pathway, minimal_pathways
from strategies import qualifications

from solver.answers.cheapest import default_criteria
from solver.cli.app import main
from solver.model import Qualification, dump_qualification

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LIMITS = st.sampled_from(["0.000001", "0.000001", "10"])


def run(*args: str) -> tuple[int, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    text = out.getvalue()
    return code, json.loads(text) if text.strip() else None


def number(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def presence(q: Qualification, pathways: list[frozenset[str]]) -> tuple[set[str], set[str]]:
    units = q.unit_ids()
    dead = {u for u in units if not any(u in p for p in pathways)}
    forced = {u for u in units if pathways and all(u in p for p in pathways)}
    return dead, forced


def check_count(data: Any, truth: int) -> None:
    if data["status"] == "complete":
        assert data["pathways"] == truth
    else:
        assert data["status"] == "partial" and data["pathways"] <= truth


@SETTINGS
@given(q=qualifications(max_units=6), limit=LIMITS)
def test_count_check_and_cheapest_never_claim_too_much(q: Qualification, limit: str) -> None:
    pathways = all_pathways(q)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "q.yaml")
        Path(path).write_text(dump_qualification(q), encoding="utf-8")
        check_count(run("count", path, "--json", "--timeout", limit)[1], len(pathways))
        check_count(run("count", path, "--minimal", "--json", "--timeout", limit)[1], len(minimal_pathways(q)))

        code, data = run("check", path, "--json", "--timeout", limit)
        if data["achievable"] is None:
            assert code == 3 and data["feasibility"]["status"] == "undecided"
        else:
            assert data["achievable"] == bool(pathways) and code == (0 if pathways else 1)

        criteria = default_criteria(q)
        code, data = run("cheapest", path, "--json", "--timeout", limit, "--top", "2")
        if code == 2:
            return  # a criterion no unit has: refused, not answered
        best, ties, _ = brute_optimum(q, criteria)
        for p in data["pathways"]:
            assert is_pathway(q, frozenset(p["units"]))  # whatever is shown really is a pathway
        if data["status"] == "complete":
            assert [number(data["optimum"][c]) for c in criteria] == [Decimal(v) for v in best]
            assert data["ties"] == ties
        elif data["status"] == "infeasible":
            assert not pathways
        else:
            assert code in (0, 3)
            if data["optimum"] is not None:  # the best found: never better than the true optimum
                assert tuple(number(data["optimum"][c]) for c in criteria) >= tuple(Decimal(v) for v in best)


@SETTINGS
@given(q=qualifications(max_units=6), limit=LIMITS)
def test_report_and_lint_never_claim_too_much(q: Qualification, limit: str) -> None:
    pathways = all_pathways(q)
    dead, forced = presence(q, pathways)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "q.yaml")
        Path(path).write_text(dump_qualification(q), encoding="utf-8")
        code, data = run("report", path, "--json", "--timeout", limit)
        if data["feasible"] is None:
            assert code == 3
        else:
            assert data["feasible"] == bool(pathways)
            if data["count"] is not None:
                check_count(data["count"], len(pathways))
            assert set(data["always"]) <= forced and set(data["never"]) <= dead
            if pathways:
                assert set(data["never"]) == set() or set(data["never"]) == dead

        code, data = run("lint", path, "--json", "--timeout", limit)
        assert data["pathways"] is None or data["pathways"] == len(pathways)
        for f in data["findings"]:
            if f["code"] == "dead-unit":
                assert f["subject"] in dead
            if f["code"] == "forced-unit":
                assert f["subject"] in forced


@SETTINGS
@given(old=qualifications(max_units=5), new=qualifications(max_units=5), limit=LIMITS)
def test_diff_never_claims_too_much(old: Qualification, new: Qualification, limit: str) -> None:
    before, after = set(all_pathways(old)), set(all_pathways(new))
    dead_old, forced_old = presence(old, list(before))
    dead_new, forced_new = presence(new, list(after))
    with tempfile.TemporaryDirectory() as folder:
        a, b = Path(folder) / "old.yaml", Path(folder) / "new.yaml"
        a.write_text(dump_qualification(old), encoding="utf-8")
        b.write_text(dump_qualification(new), encoding="utf-8")
        code, data = run("diff", str(a), str(b), "--json", "--timeout", limit)
    assert code == 0
    # pathways are unit sets: compare the versions on what they hold, whatever the ids mean
    lost, gained = before - after, after - before
    assert data["pathways"]["before"] in (None, len(before))
    assert data["pathways"]["after"] in (None, len(after))
    assert data["lost"] in (None, len(lost)) and data["gained"] in (None, len(gained))
    assert data["lost_at_least"] <= len(lost) and data["gained_at_least"] <= len(gained)
    for p in data["lost_examples"]:
        assert frozenset(p["units"]) in lost
    for p in data["gained_examples"]:
        assert frozenset(p["units"]) in gained
    if data["newly_dead"] is not None:
        order = new.unit_ids()
        assert data["newly_dead"] == [u for u in order if u in dead_new and u not in dead_old]
        assert data["newly_forced"] == [u for u in order if u in forced_new and u not in forced_old]
    least_old = brute_optimum(old, ["credits"])[0]
    if data["min_credits"]["before"] is not None:
        assert least_old is not None and number(data["min_credits"]["before"]) == least_old[0]
    if None not in (data["pathways"]["before"], data["pathways"]["after"], data["lost"], data["gained"],
                    data["newly_dead"]):
        assert data["status"] in ("complete", "partial")
    else:
        assert data["status"] == "partial"
