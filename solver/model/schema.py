"""The JSON Schema of the rule language, generated from the model.

The model's dataclasses are the rule language (see :mod:`solver.model.decode`), so the
schema is derived from them rather than written by hand: one ``$defs`` entry per
class, its fields as properties (described by each field's ``metadata["doc"]``),
``additionalProperties: false``, required keys, whole numbers as ``integer`` and
credits as ``number``, both at least 0. Requirements are told apart by ``kind``.

Editors read it through the ``# yaml-language-server: $schema=schema.json``
line at the top of a rule file. The loader checks more than the schema can say
(unknown unit ids, minimum above maximum, cycles); the schema is for help while
typing, the loader is the judge.

Run ``python -m solver.model.schema`` to write ``rules/schema.json`` again after
changing the model.

Examples
--------
>>> schema = build_schema()
>>> schema["$defs"]["Group"]["properties"]["kind"]
{'const': 'group', 'description': 'Always `group`.'}
>>> sorted(schema["$defs"]["Unit"]["required"])
['id', 'title']
"""

from __future__ import annotations

import dataclasses
import json
import sys
import types
import typing
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Union

from . import structure as model
from .decode import MAX_NUMBER, kinds_of, model_fields
from .load import bundled_rules

__all__ = ["build_schema", "main", "schema_text"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Classes chosen by their ``kind`` key, which the loader therefore requires.
_BY_KIND = (model.Qualification, model.Library, model.Group, model.Combination, model.LevelRule)


def build_schema() -> dict[str, Any]:
    """Build the JSON Schema (draft 2020-12) of a rule file: a qualification or a library.

    Returns
    -------
    dict
        The schema; ``json.dumps`` of it is what ``rules/schema.json`` holds.
    """
    defs: dict[str, Any] = {}
    _define(model.Qualification, defs)
    _define(model.Library, defs)
    return {
        "$schema": _DIALECT,
        "title": "qualpath rule file",
        "description": "A qualification's rules of combination (kind: qualification) or a shared "
                       "unit library (kind: library). See rules/README.md.",
        "oneOf": [{"$ref": "#/$defs/Qualification"}, {"$ref": "#/$defs/Library"}],
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """Return the schema as written to ``rules/schema.json``: sorted keys, 2-space indent, final newline."""
    return json.dumps(build_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _define(cls: type, defs: dict[str, Any]) -> str:
    name = cls.__name__
    if name in defs:
        return name
    defs[name] = {}  # placeholder, so recursive references (Combination) stop here
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f, hint in model_fields(cls):
        prop = _type_schema(hint, defs)
        if f.name == "kind":
            kinds = kinds_of(cls)
            prop = {"const": kinds[0]} if len(kinds) == 1 else {"enum": list(kinds)}
        prop["description"] = f.metadata["doc"]
        default = _default(f)
        if default is not None:
            prop["default"] = default
        properties[f.name] = prop
        no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if no_default or (f.name == "kind" and cls in _BY_KIND):
            required.append(f.name)
    doc = (cls.__doc__ or name).strip().split("\n\n")[0].replace("\n", " ")
    defs[name] = {
        "type": "object",
        "description": doc,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return name


def _default(f: dataclasses.Field[Any]) -> Any:
    if f.name == "kind" or f.default is dataclasses.MISSING or f.default in (None, ""):
        return [] if f.default == () else None
    return f.default


def _type_schema(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if typing.get_origin(hint) in (Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        nullable = len(args) < len(typing.get_args(hint))
        if len(args) > 1:  # a requirement: one of the classes, told apart by kind
            inner: dict[str, Any] = {"oneOf": [{"$ref": f"#/$defs/{_define(a, defs)}"} for a in args]}
        else:
            inner = _type_schema(args[0], defs)
        if not nullable:
            return inner
        if "type" in inner and "$ref" not in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, {"type": "null"}]}
    if hint is str:
        return {"type": "string"}
    if hint is bool:
        return {"type": "boolean"}
    if hint is int:
        return {"type": "integer", "minimum": 0, "maximum": int(MAX_NUMBER)}
    if hint is Decimal:
        return {"type": "number", "minimum": 0, "maximum": int(MAX_NUMBER)}
    if typing.get_origin(hint) is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(hint)[0], defs)}
    if typing.get_origin(hint) is Literal:
        return {"enum": list(typing.get_args(hint))}
    if dataclasses.is_dataclass(hint):
        return {"$ref": f"#/$defs/{_define(hint, defs)}"}  # type: ignore[arg-type]
    raise TypeError(f"no JSON Schema for {hint!r}")  # pragma: no cover - the model uses only the above


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schema to ``rules/schema.json`` (or the path given); returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    target = Path(args[0]) if args else bundled_rules() / "schema.json"
    target.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
