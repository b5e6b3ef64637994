"""Rule sentences in the wordings handbooks use, each read into the facts a person reads in it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from solver.handbook.sentences import AllUnits, Bar, Combine, Limit, Requires, read_sentence
from solver.handbook.sources import read_text
from solver.handbook.words import digits, group_key

NAMES = ["Mandatory Units", "Optional Group A", "Optional Group B", "Optional Group C", "Core units (1000 level)"]
UNITS = ["12", "13", "14", "Y/506/1938", "SHC 31", "COMP1130", "COMP1100"]


def limits(text, context=False):
    r = read_sentence(text, names=NAMES, units=UNITS, context=context)
    assert r.used, r.leftover
    return [(f.ref, f.measure, f.low, f.high) for f in r.facts if isinstance(f, Limit)]


@pytest.mark.parametrize(("text", "expected"), [
    ("The learner must achieve a minimum of 45 credits.", [(("total", ""), "credits", D(45), None)]),
    ("Learners must achieve at least 37 credits in total.", [(("total", ""), "credits", D(37), None)]),
    ("No more than 60 credits may be taken overall.", [(("total", ""), "credits", None, D(60))]),
    ("A maximum of 7 credits can be achieved from Optional Group C.", [(("name", "3"), "credits", None, D(7))]),
    ("A minimum of three credits from Optional Group A.", [(("name", "1"), "credits", D(3), None)]),
    ("12 credits minimum, 20 credits maximum must be completed from Group B.",
     [(("letters", "b"), "credits", D(12), D(20))]),
    ("Learners must achieve between 2 and 4 units from Group C.", [(("letters", "c"), "units", D(2), D(4))]),
    ("Exactly twenty-four credit points from Core units (1000 level).", [(("name", "4"), "credits", D(24), D(24))]),
    ("A minimum of 36 credits must be at Level 2 or above.", [(("level", "at_or_above:2"), "credits", D(36), None)]),
    ("A maximum of 10 credits may be below Level 3.", [(("level", "below:3"), "credits", None, D(10))]),
    ("At least 20 credits must be achieved at level 3 or higher.",
     [(("level", "at_or_above:3"), "credits", D(20), None)]),
    ("Four mandatory units plus one optional unit, making a total of five units.",
     [(("name", "0"), "units", D(4), D(4)), (("key", "optional"), "units", D(1), D(1)),
      (("total", ""), "units", D(5), D(5))]),
    ("Total number of units = 16: 6 core units plus 10 elective units, of which at least 4 must be selected "
     "from Group A.", [(("total", ""), "units", D(16), D(16)), (("key", "mandatory"), "units", D(6), D(6)),
                       (("key", "optional"), "units", D(10), D(10)), (("letters", "a"), "units", D(4), None)]),
    ("A minimum of 6 units and a maximum of 8 units from these groups.",
     [(("this", ""), "units", D(6), None), (("this", ""), "units", None, D(8))]),
    ("The learner must achieve 19 credits from the 5 units in this Mandatory Group.",
     [(("this", ""), "credits", D(19), D(19))]),
])
def test_limits(text, expected):
    assert limits(text) == expected


def test_a_figure_with_no_target_under_a_group_heading_is_about_that_group():
    assert limits("The learner must achieve a minimum of 3 credits.", context=True) == [
        (("this", ""), "credits", D(3), None)]


@pytest.mark.parametrize(("text", "units"), [
    ("Unit 12 is barred against Unit 13.", ("12", "13")),
    ("Y/506/1938 is barred with SHC 31.", ("Y/506/1938", "SHC 31")),
    ("Unit 12, Unit 13 and Unit 14 are barred against each other.", ("12", "13", "14")),
    ("Learners may not take both COMP1130 and COMP1100.", ("COMP1130", "COMP1100")),
    ("COMP1130 cannot be taken with COMP1100.", ("COMP1130", "COMP1100")),
])
def test_barred(text, units):
    r = read_sentence(text, names=NAMES, units=UNITS)
    assert r.used and r.facts == (Bar(units=units, text=r.facts[0].text),)


def test_prerequisites_and_combinations():
    r = read_sentence("Unit 13 requires one of Unit 12 or Unit 14.", units=UNITS)
    assert r.used and r.facts[0] == Requires(unit="13", units=("12", "14"), one_of=True, text=r.facts[0].text)
    r = read_sentence("COMP1130 requires COMP1100.", units=UNITS)
    assert r.facts[0].units == ("COMP1100",) and not r.facts[0].one_of
    r = read_sentence("The learner must meet the rules of at least 2 of the following 3 groups.")
    assert r.used and r.facts[0].kind == "at_least" and r.facts[0].k == 2
    r = read_sentence("Choose one of the following specialisations.")
    assert r.used and isinstance(r.facts[0], Combine) and r.facts[0].kind == "any_of"
    r = read_sentence("Learners must complete all mandatory units and two of the optional units.")
    assert r.used and isinstance(r.facts[0], AllUnits) and r.facts[1].low == r.facts[1].high == 2


def test_sentences_that_are_not_understood_are_not_used():
    r = read_sentence("Up to 2 units may be selected from any other currently endorsed training package.")
    assert not r.used and r.informative
    r = read_sentence("The qualification structure below specifies the combination of units.")
    assert not r.used and not r.informative  # states nothing: not a review item


def test_words():
    assert digits("one hundred and twenty credits, forty-five units") == "120 credits, 45 units"
    assert group_key("Group C Optional Units (Competence)") == "group c"
    assert group_key("Core Units") == "mandatory" and group_key("Elective units") == "optional"


def test_markdown_comments_and_tables():
    src = read_text("<!-- a note\nover lines -->\n| Code | Title |\n|---|---|\n| X1 | One |\n", name="x.md")
    shown = [(line.where.line, line.cells) for line in src.lines if not line.blank]
    assert shown == [(3, ("Code", "Title")), (5, ("X1", "One"))]
