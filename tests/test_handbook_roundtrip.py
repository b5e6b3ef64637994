"""Round trip: import(handbook(X)) has the same pathways as X.

For every bundled structure in rules/ and every test handbook, the structure pages are
written (Markdown, HTML, Word; PDF for the bundled structures but the two largest) and imported again, with an
empty review list. Pathway sets are compared by brute force (tests/oracle.py, which shares
no code with the solver) where a structure has at most 14 candidate units; larger ones by
their exact pathway counts and cheapest pathways (optimum and ties).
"""

from __future__ import annotations

from pathlib import Path

import oracle
import pytest

from solver import cheapest_pathways, count_pathways, load_qualification
from solver.handbook import format_review, import_handbook
from solver.handbook.write import write_handbook

HERE = Path(__file__).resolve().parent
RULES = sorted((HERE.parent / "rules").glob("*.yaml"))
HANDBOOKS = sorted(p for p in (HERE / "handbooks").iterdir() if p.suffix in (".txt", ".md", ".html"))


def _same_pathways(before, after) -> None:
    if len(oracle.candidate_units(before)) <= 14:
        assert set(oracle.all_pathways(after)) == set(oracle.all_pathways(before))
    else:  # exact counts (the minimal counts of overlapping pools take seconds: the cheapest by units instead)
        assert count_pathways(after).pathways == count_pathways(before).pathways
        by = ["credits", "units"] if before.counts_credits() else ["units"]
        first, second = cheapest_pathways(before, by=by), cheapest_pathways(after, by=by)
        assert (first.optimum, first.ties) == (second.optimum, second.ties)


def _round_trip(q, tmp_path: Path, suffix: str):
    out = tmp_path / f"structure{suffix}"
    if suffix == ".pdf":
        from viz.handbook_pdf import render_handbook_pdf

        render_handbook_pdf(q, out, diagram=False)
    else:
        write_handbook(q, out)
    result = import_handbook(out)
    assert result.review == (), format_review(result.review)
    return result.qualification


CASES = [(path, suffix) for path in RULES for suffix in (".md", ".html", ".docx", ".pdf")
         if not (suffix == ".pdf" and path.stem.startswith("chc"))]  # the CHC pages as PDF: 3 s each, same text


@pytest.mark.parametrize(("path", "suffix"), CASES, ids=[f"{p.stem}{s}" for p, s in CASES])
def test_bundled_structures_round_trip(path, suffix, tmp_path):
    q = load_qualification(path)
    back = _round_trip(q, tmp_path, suffix)
    _same_pathways(q, back)
    assert back.title == q.title and back.id == q.id


@pytest.mark.parametrize("suffix", [".md", ".html", ".docx"])
@pytest.mark.parametrize("path", HANDBOOKS, ids=[p.stem for p in HANDBOOKS])
def test_test_handbooks_round_trip(path, suffix, tmp_path):
    q = import_handbook(path).qualification
    back = _round_trip(q, tmp_path, suffix)
    _same_pathways(q, back)


def test_round_trip_keeps_units_and_elements(tmp_path):
    q = load_qualification(HERE.parent / "rules" / "ocr-l2-nvq-customer-service.yaml")
    back = _round_trip(q, tmp_path, ".md")
    for uid in q.unit_ids():
        assert back.unit(uid).title == q.unit(uid).title
        assert back.unit(uid).elements == q.unit(uid).elements
    assert back.declared == q.declared
