"""Any text at all: the importer returns a result or a HandbookError, never anything else (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.handbook import HandbookError, import_source
from solver.handbook.sources import read_html, read_text

WORDS = ["Mandatory", "Optional", "Group", "A", "B", "units", "Units", "credits", "Credits", "Title", "Level",
         "Credit", "Value:", "19", "3", "7.5", "minimum", "maximum", "of", "from", "a", "the", "learner", "must",
         "achieve", "|", "-", "1.1", "Unit", "barred", "against", "requires", "one", "four", "at", "least", "GLH",
         "Total", "number", "=", "core", "elective", "Y/506/1938", "SHC 31", "SITXFSA005", "#", "##", "**", ":",
         "this", "group", "following", "all", "any", "or", "and", "(", ")", "Source:", "Level 2", "\t", "   "]
LINE = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=12).map(" ".join)
DOCUMENT = st.lists(st.one_of(LINE, st.just("")), max_size=40).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_any_text_imports_or_says_why(text):
    for source in (read_text(text, name="fuzz.md"), read_html(f"<html><body><p>{text}</p></body></html>")):
        try:
            result = import_source(source)
        except HandbookError:
            continue
        assert result.qualification.units
