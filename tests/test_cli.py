"""The command line as scripts use it: output shapes, exit codes, determinism, no tracebacks.

Expected numbers are worked out by hand here (the NVQ) or pinned by the issue
(the Diploma's 45 credits and 6 optional units); the Diploma's counts are
checked independently in tests/test_diploma_independent.py.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NVQ_UNITS = ["nvq-positive-impression", "nvq-reliable-service", "develop-relationships", "resolve-problems"]
NVQ_OPTIONS = ["support-improvements", "nvq-personal-performance", "promote-products", "nvq-process-information"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "solver", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_count_json_has_the_documented_fields():
    # NVQ by hand: 4 mandatory units plus exactly one of 4 optional units -> 4 pathways
    out = run("count", "nvq", "--json")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["qualification"] == "OCR-NVQ2-CS" and data["pathways"] == 4
    minimal = json.loads(run("count", "nvq", "--minimal", "--json").stdout)
    assert minimal["pathways"] == 4 and minimal["minimal"] is True  # each of the 4 has no spare unit


def test_cheapest_json_has_the_documented_fields():
    data = json.loads(run("cheapest", "diploma", "--by", "credits", "--json").stdout)
    assert data["qualification"] == "L2-DIP-CS"
    assert data["objective"] == ["credits"]
    assert data["optimum"] == {"credits": 45}  # the handbook's minimum credit value
    assert isinstance(data["ties"], int) and data["ties"] > 1
    (pathway,) = data["pathways"]
    assert set(pathway) >= {"units", "credits", "unit_count"}
    assert pathway["credits"] == 45 and pathway["unit_count"] == len(pathway["units"])
    units = json.loads(run("cheapest", "diploma", "--by", "units", "--json").stdout)
    assert units["optimum"] == {"units": 11}  # 5 mandatory + the handbook's 6 optional units


def test_enumerate_streams_jsonl_and_csv_in_the_documented_order():
    lines = run("enumerate", "nvq", "--format", "jsonl").stdout.splitlines()
    pathways = [json.loads(line) for line in lines]
    # take-first order: the optional unit listed first comes first
    assert [p["units"][-1] for p in pathways] == NVQ_OPTIONS
    assert all(p["units"][:4] == NVQ_UNITS and p["unit_count"] == 5 for p in pathways)
    rows = list(csv.DictReader(io.StringIO(run("enumerate", "nvq", "--format", "csv").stdout)))
    assert [r["units"].split()[-1] for r in rows] == NVQ_OPTIONS


def test_enumerate_limit_is_reported_on_stderr():
    out = run("enumerate", "diploma", "--limit", "3")
    assert len(out.stdout.splitlines()) == 3
    assert "stopped after --limit 3" in out.stderr


def test_output_is_byte_identical_from_run_to_run():
    for args in (("count", "diploma", "--json"), ("cheapest", "diploma", "--top", "3", "--json"),
                 ("report", "diploma", "--json"), ("enumerate", "diploma", "--limit", "50")):
        assert run(*args).stdout == run(*args).stdout


def test_check_exit_codes(tmp_path):
    assert run("check", "diploma", "nvq").returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: qualification\nid: Q\ntitle: T\nrequirements: []\nmin_credit: 3\n")
    out = run("check", str(bad))
    assert out.returncode == 1 and "did you mean 'min_credits'" in out.stdout
    assert run("check").returncode == 2
    assert run("check", "no-such-structure").returncode == 2


def test_infeasible_structure_names_the_clashing_rules(tmp_path):
    text = (ROOT / "rules" / "l2-diploma-customer-service.yaml").read_text(encoding="utf-8")
    # 19 mandatory + 6 (A) + 58 (B) + 7 (C at most) = 90 credits at most, so 100 cannot be reached
    changed = tmp_path / "rules"
    (changed / "libraries").mkdir(parents=True)
    (changed / "libraries" / "customer-service-units.yaml").write_text(
        (ROOT / "rules" / "libraries" / "customer-service-units.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    path = changed / "diploma-100.yaml"
    path.write_text(text.replace("min_credits: 45\n", "min_credits: 100\n", 1), encoding="utf-8")
    out = run("check", str(path))
    assert out.returncode == 1
    assert "C: max 7 credits" in out.stdout and "min 100 credits in total" in out.stdout
    assert "B: min 16 credits" not in out.stdout


@pytest.mark.parametrize("args", [
    ("cheapest", "diploma", "--by", "speed"),
    ("count", "diploma", "--include", "negotiate", "--exclude", "negotiate"),
    ("enumerate", "diploma", "--limit", "-1"),
])
def test_usage_errors_exit_2_without_a_traceback(args):
    out = run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr + out.stdout


def test_explain_and_report_run():
    assert "MinSumConstraint" in run("explain", "diploma").stdout
    report = run("report", "nvq").stdout
    assert "Pathways: 4" in report and "In every pathway: 4 units" in report


@pytest.mark.parametrize("name", ["ocr-l2-nvq-customer-service", "l2-diploma-customer-service",
                                  "anu-csfn-min-2024", "usyd-computer-science-minor-core",
                                  "chc33021-individual-support"])
def test_enumerate_json_lines_are_the_pathways_own_json(name):
    """The fast line writer gives the bytes of ``dumps(pathway.to_dict())`` (ECTS halves, hours, fees)."""
    from itertools import islice

    from solver import bundled_rules, iter_pathways, load_qualification
    from solver.answers.report import PathwayLines, dumps

    q = load_qualification(bundled_rules() / f"{name}.yaml")
    line = PathwayLines()
    pathways = list(islice(iter_pathways(q), 3000))
    assert pathways
    for p in pathways:
        assert line(p) == dumps(p.to_dict())


def test_audit_of_a_structure_without_credits_costs_what_remains_in_units():
    # the NVQ's rules count units only: by credits every completion would cost 0; by hand the
    # learner holding one mandatory unit needs the other 3 mandatory units and 1 option: 4 units
    data = json.loads(run("audit", "nvq", "--achieved", NVQ_UNITS[0], "--json").stdout)
    assert data["objective"] == ["units"] and data["remaining"] == {"units": 4}
    assert json.loads(run("audit", "nvq", "--achieved", NVQ_UNITS[0], "--by", "credits", "--json").stdout)[
        "objective"] == ["credits"]
