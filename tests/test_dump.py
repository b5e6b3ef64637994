"""Writing models back to YAML: what is written loads back to an equal model."""

from __future__ import annotations

import dataclasses
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import qualifications

from solver.model import Element, Group, Library, Qualification, Unit
from solver.model.dump import dump_library, dump_qualification
from solver.model.load import bundled_rules, load_library, load_qualification

SEEDS = ["ocr-l2-nvq-customer-service.yaml", "l2-diploma-customer-service.yaml"]


def _reload(text: str, name: str = "copy.yaml") -> Qualification:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        return load_qualification(path)


def _standalone(q: Qualification) -> Qualification:
    """What a dump is expected to equal: library units are inline, so no library list."""
    return dataclasses.replace(q, library=())


@pytest.mark.parametrize("name", SEEDS)
def test_seed_round_trips(name: str) -> None:
    q = load_qualification(bundled_rules() / name)
    text = dump_qualification(q)
    again = _reload(text)
    assert again == _standalone(q)
    assert again.unit_ids() == q.unit_ids()
    # writing is deterministic and a fixed point
    assert dump_qualification(q) == text
    assert dump_qualification(again) == text
    assert "library" not in text


def test_every_bundled_qualification_round_trips() -> None:
    for path in sorted(bundled_rules().glob("*.yaml")):
        q = load_qualification(path)
        assert _reload(dump_qualification(q)) == _standalone(q), path.name


def test_diploma_text_is_handbook_shaped() -> None:
    text = dump_qualification(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml"))
    assert text.startswith("kind: qualification\nid: L2-DIP-CS\n")
    assert "\nmin_credits: 45\n" in text  # 45, not 45.0 or '45'
    assert "mandatory: true" in text
    assert "mandatory: false" not in text and "double_counting" not in text  # defaults left out
    assert "- {id: deliver-customer-service, title: Deliver customer service, credits: 5, level: 2}" in text
    # kind comes first in every requirement
    for line_no, line in enumerate(text.splitlines()):
        if line.lstrip().startswith("- kind:"):
            continue
        assert not line.lstrip().startswith("- ") or "kind" not in line, line_no


def test_numbers_and_tricky_text() -> None:
    units = (
        Unit(id="1.1", title="yes", credits=Decimal("7.5"), level=2, glh=Decimal("7.50")),
        Unit(id="010", title="null", credits=Decimal("45.0"), fee=Decimal("0.1")),
        Unit(id="on", title="a: b # c", credits=Decimal(0), hours=Decimal("1000000000"),
             elements=(Element(id="1.2", title="~"),), tags=("true", "[x]"), equivalent=("1e3",)),
    )
    q = Qualification(id="2.0", title="No", units=units, min_credits=Decimal("7.5"),
                      requirements=(Group(id="false", title="-", units=("1.1", "010", "on")),))
    text = dump_qualification(q)
    assert "credits: 7.5" in text and "credits: 45," in text and "credits: 0\n" in text
    assert "glh: 7.5" in text and "fee: 0.1" in text and "hours: 1000000000" in text
    for tricky in ("'1.1'", "'010'", "'yes'", "'null'", "'on'", "'2.0'", "'No'", "'false'", "'~'", "'1e3'"):
        assert tricky in text, tricky
    assert _reload(text) == q


def test_library_round_trips() -> None:
    path = bundled_rules() / "libraries" / "customer-service-units.yaml"
    lib = load_library(path)
    text = dump_library(lib)
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "lib.yaml"
        copy.write_text(text, encoding="utf-8")
        assert load_library(copy) == lib
    assert dump_library(Library(id="L")) == "kind: library\nid: L\n"


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(tricky_ids=True))
def test_generated_qualifications_round_trip(q: Qualification) -> None:
    text = dump_qualification(q)
    assert _reload(text) == q
    assert dump_qualification(q) == text


# Text a rule file can hold: no surrogates, and none of the control characters YAML refuses.
_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"), max_size=30)
# Titles refuse line breaks and tabs too (they are printed on terminals).
_TITLE = st.text(st.characters(exclude_categories=["Cs", "Cc", "Zl", "Zp"]), max_size=30)


@settings(max_examples=150, deadline=None, database=None)
@given(title=_TITLE, unit_title=_TITLE, source=_TEXT)
def test_any_text_round_trips(title: str, unit_title: str, source: str) -> None:
    q = Qualification(id="Q", title=title, source=source,
                      units=(Unit(id="U", title=unit_title),),
                      requirements=(Group(id="A", title=unit_title, units=("U",)),))
    assert _reload(dump_qualification(q)) == q
