"""The JSON Schema: generated from the model, checked in up to date, and true of the bundled rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from solver import model
from solver.model.decode import model_fields
from solver.model.load import bundled_rules
from solver.model.schema import build_schema, schema_text

RULES = bundled_rules()
RULE_FILES = sorted(RULES.rglob("*.yaml"))


def test_checked_in_schema_is_current() -> None:
    stored = (RULES / "schema.json").read_text(encoding="utf-8")
    assert stored == schema_text(), (
        "rules/schema.json is out of date with solver/model.py; regenerate it with "
        "`python -m solver.model.schema` and commit the result"
    )


def test_schema_text_is_deterministic() -> None:
    assert schema_text() == schema_text()
    assert schema_text().endswith("}\n")


def test_every_model_field_is_described() -> None:
    defs = build_schema()["$defs"]
    for cls in (model.Qualification, model.Library, model.Unit, model.Element, model.Group,
                model.Combination, model.LevelRule, model.Barred, model.Prerequisite, model.Declared):
        entry = defs[cls.__name__]
        assert entry["additionalProperties"] is False
        names = [f.name for f, _hint in model_fields(cls)]
        assert sorted(entry["properties"]) == sorted(names)
        for name in names:
            assert entry["properties"][name]["description"], (cls.__name__, name)


def test_kinds_and_types() -> None:
    schema = build_schema()
    defs = schema["$defs"]
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["oneOf"] == [{"$ref": "#/$defs/Qualification"}, {"$ref": "#/$defs/Library"}]
    assert defs["Qualification"]["properties"]["kind"]["const"] == "qualification"
    assert defs["Library"]["properties"]["kind"]["const"] == "library"
    assert defs["Group"]["properties"]["kind"]["const"] == "group"
    assert defs["Combination"]["properties"]["kind"]["enum"] == ["all_of", "any_of", "at_least"]
    for name in ("Qualification", "Library", "Group", "Combination", "LevelRule"):
        assert "kind" in defs[name]["required"], name
    items = defs["Combination"]["properties"]["requirements"]["items"]
    assert items == {"oneOf": [{"$ref": "#/$defs/Group"}, {"$ref": "#/$defs/Combination"}]}
    credits = defs["Unit"]["properties"]["credits"]
    assert credits["type"] == ["number", "null"] and credits["minimum"] == 0
    assert defs["Group"]["properties"]["min_units"]["type"] == ["integer", "null"]
    mandatory = defs["Group"]["properties"]["mandatory"]
    assert (mandatory["type"], mandatory["default"]) == ("boolean", False)
    assert defs["Unit"]["required"] == ["id", "title"]


def _validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((RULES / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.name for p in RULE_FILES])
def test_bundled_rules_match_schema(path: Path) -> None:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        validator = _validator()
    except pytest.skip.Exception:
        # Without jsonschema: the structural part that matters most, checked by hand.
        schema = build_schema()["$defs"]
        kind = document["kind"].capitalize()
        assert set(document) <= set(schema[kind]["properties"])
        assert set(schema[kind]["required"]) <= set(document)
        return
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("document", [
    {"kind": "qualification", "id": "Q", "title": "T", "colour": "blue"},
    {"kind": "qualification", "id": "Q", "title": "T", "min_credits": -1},
    {"kind": "qualification", "id": "Q", "title": "T", "min_units": 2.5},
    {"kind": "qualification", "id": "Q"},
    {"kind": "qualification", "id": "Q", "title": "T", "requirements": [{"kind": "one_of", "id": "X"}]},
    {"kind": "qualification", "id": "Q", "title": "T", "requirements": [{"id": "A", "units": []}]},
    {"kind": "library", "id": "L", "units": [{"id": "U1"}]},
    {"kind": "unit", "id": "U1", "title": "T"},
])
def test_schema_rejects_bad_documents(document: dict[str, Any]) -> None:
    assert not _validator().is_valid(document)
