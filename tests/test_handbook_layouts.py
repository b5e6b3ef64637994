"""Handbook layouts the seeds do not show, each with its figures worked out by hand in a comment."""

from __future__ import annotations

from pathlib import Path

from solver import cheapest_pathways, count_pathways
from solver.handbook import ReviewKind, import_handbook

BTEC = """Pearson BTEC Level 2 Certificate in Retail Knowledge

Qualification Number (QN): 600/1234/5
Total Qualification Time (TQT): 150

Rules of combination
Learners must achieve a minimum of 15 credits: 9 credits must come from the mandatory units and a minimum of \
6 credits from the optional units.

Mandatory units
Unit  Unit title  Level  Credit
1  Understand the retail selling process  2  3
2  Understand customer service in the retail sector  2  3
3  Understand the business of retail  2  3

Optional units
Unit  Unit title  Level  Credit
4  Understand how to work in the retail sector  2  2
5  Understand stock control  2  4
6  Understand retail consumer law  2  3
7  Understand visual merchandising  2  3
"""

PACKAGING = """BSB30120 Certificate III in Business

Packaging Rules
Total number of units = 13
1 core unit plus
12 elective units, of which:
- 3 units must be selected from Group A
- up to 2 units may be selected from any currently endorsed Training Package

Core Units
BSBWHS311 Assist with maintaining workplace safety

Elective Units

Group A Business Technology
BSBTEC301 Design and produce business documents
BSBTEC302 Design and produce spreadsheets
BSBTEC303 Create electronic presentations
BSBTEC404 Use digital technologies to collaborate in a work environment

Group B General
""" + "\n".join(f"BSBGEN{300 + i} General elective {i}" for i in range(1, 13)) + "\n"

TYPES = """# Level 3 Extended Certificate in Business

| Unit number | Unit title | GLH | Type |
|---|---|---|---|
| 1 | Exploring Business | 90 | Mandatory |
| 2 | Developing a Marketing Campaign | 90 | Mandatory |
| 3 | Personal and Business Finance | 120 | Mandatory |
| 4 | Managing an Event | 90 | Optional |
| 5 | International Business | 60 | Optional |
| 6 | Principles of Management | 60 | Optional |

Learners must complete all mandatory units and one optional unit.
"""

GROUP_COLUMN = """# Level 3 Award in Testing

| Group | Unit number | Title | Credits | Level |
|---|---|---|---|---|
| Mandatory | 1 | Plan tests | 3 | 3 |
| A | 2 | Run tests | 2 | 3 |
| A | 3 | Report tests | 2 | 2 |
| B | 4 | Automate tests | 4 | 3 |

Learners must achieve a minimum of 7 credits: a minimum of 2 credits from Group A.

| Unit number | Barred against |
|---|---|
| 2 | 3 |
"""

LETTERED = """Level 1 Certificate in Employability Skills

Learners must achieve at least 13 credits to gain the qualification. All units in Group A - Mandatory units \
must be achieved. A minimum of 6 credits must be achieved from Optional units - Group B.

Group A - Mandatory units
Unit ref.\tUnit title\tLevel\tCredit
A/600/0001\tPreparing for work\t1\t4
A/600/0002\tWorking safely\t1\t3

Optional units - Group B
Unit ref.\tUnit title\tLevel\tCredit
A/600/0003\tTeam working\t1\t3
A/600/0004\tJob applications\t1\t2
A/600/0005\tInterview skills\t1\t2
A/600/0006\tPersonal presentation\tEntry 3\t1
"""


def _import(tmp_path: Path, text: str, name: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_handbook(path)


def test_space_aligned_tables(tmp_path):
    # mandatory 9 credits; optional subsets of {2, 4, 3, 3} credits with at least 6: {4,5} {5,6} {5,7} {6,7}
    # {4,5,6} {4,5,7} {4,6,7} {5,6,7} {4,5,6,7} = 9 pathways; minimal: the four pairs; cheapest 15 credits,
    # 5 units: {4,5} and {6,7}
    result = _import(tmp_path, BTEC, "btec.txt")
    q = result.qualification
    assert result.review == () and q.id == "600/1234/5" and q.tqt == 150
    best = cheapest_pathways(q, by=["credits", "units"])
    assert (count_pathways(q).pathways, count_pathways(q, minimal=True).pathways) == (9, 4)
    assert (best.optimum, best.ties) == ({"credits": 15, "units": 5}, 2)


def test_packaging_rule_with_an_imported_elective_is_reviewed(tmp_path):
    # 1 core + 12 electives from Group A (4) and Group B (12), at least 3 from A:
    # C(4,3) C(12,9) + C(4,4) C(12,8) = 4 * 220 + 495 = 1,375
    result = _import(tmp_path, PACKAGING, "bsb.txt")
    assert [item.kind for item in result.review] == [ReviewKind.INFERRED, ReviewKind.UNUSED]
    assert "read as a minimum of 3 units" in result.review[0].text
    assert "any currently endorsed training package" in result.review[1].text
    assert count_pathways(result.qualification).pathways == 1375


def test_type_column_makes_the_groups(tmp_path):
    # the three mandatory units and exactly one of three optional units: 3 pathways of 4 units
    result = _import(tmp_path, TYPES, "btec.md")
    q = result.qualification
    assert result.review == ()
    assert [(g.title, g.units, g.mandatory) for g in q.iter_groups()] == [
        ("Mandatory units", ("1", "2", "3"), True), ("Optional units", ("4", "5", "6"), False)]
    assert count_pathways(q).pathways == 3


def test_group_column_and_a_barred_table(tmp_path):
    # unit 1 (3) always; at least 2 credits from A = {2 (2), 3 (2)}, which are barred against each other;
    # at least 7 credits: {1,2,4} and {1,3,4} (9 credits each); {1,2} and {1,3} have 5
    result = _import(tmp_path, GROUP_COLUMN, "award.md")
    q = result.qualification
    assert result.review == ()
    assert [b.units for b in q.barred] == [("2", "3")]
    assert count_pathways(q).pathways == 2


def test_lettered_headings_either_way_round(tmp_path):
    # Group A (7 credits) always; Group B {3, 2, 2, 1} with at least 6: {3,2,2} {3,2,1} {3,2',1} {3,2,2,1} = 4;
    # minimal: the first three; cheapest 13 credits, 5 units: {3,2,1} and {3,2',1}
    result = _import(tmp_path, LETTERED, "employability.txt")
    q = result.qualification
    assert result.review == ()
    assert [(g.id, g.mandatory, g.min_credits) for g in q.iter_groups()] == [("A", True, None), ("B", False, 6)]
    assert q.unit("A/600/0006").level == 0  # Entry 3
    best = cheapest_pathways(q, by=["credits", "units"])
    assert (count_pathways(q).pathways, count_pathways(q, minimal=True).pathways) == (4, 3)
    assert (best.optimum, best.ties) == ({"credits": 13, "units": 5}, 2)


def test_group_cells_and_figures_with_their_units(tmp_path):
    # Group A {3, 2} with at least 3 credits: {1} or {1,2}; Group B {4} at most 4 credits: with or without
    # unit 3: 2 x 2 = 4 pathways; minimal: {1} alone; cheapest 3 credits, 1 unit
    text = ("# Level 2 Award in Checks\n\n| Group | Unit | Credits |\n|---|---|---|\n"
            "| Group A | Check one | 3 credits |\n| Group A | Check two | 2 credits |\n"
            "| Group B | Check three | 4 cr |\n\n"
            "A minimum of 3 credits from Group A and a maximum of 4 credits from Group B.\n")
    result = _import(tmp_path, text, "checks.md")
    q = result.qualification
    assert result.review == () and [u.credits for u in q.units] == [3, 2, 4]
    assert (count_pathways(q).pathways, count_pathways(q, minimal=True).pathways) == (4, 1)
