"""Turn a composed YAML node tree into model objects, collecting every problem.

The model's dataclasses are the schema: field names are the YAML keys, the
type hints say what each value must be, and ``kind`` tells variants apart.
Decoding never stops at the first problem; a bad value is reported and left
out so the rest of the document is still checked.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, Union

import yaml

from . import model
from .errors import Location, RuleError

__all__ = ["Decoder", "MAX_NODES", "MAX_NUMBER", "kinds_of", "model_fields"]

#: Expanded nodes a document may have; more means alias abuse ("billion laughs").
MAX_NODES = 200_000
#: Largest number accepted anywhere (credits, hours, fees, counts).
MAX_NUMBER = Decimal(10) ** 9

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_KNOWN_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _MAP, _SEQ}


class _Bad:
    """A value that failed to decode (already reported)."""


BAD: Any = _Bad()


def model_fields(cls: type) -> list[tuple[dataclasses.Field[Any], Any]]:
    """The user-facing fields of a model class with their resolved types."""
    hints = typing.get_type_hints(cls, vars(model))
    return [
        (f, hints[f.name]) for f in dataclasses.fields(cls) if not f.metadata.get("internal")
    ]


def kinds_of(cls: type) -> tuple[str, ...]:
    """The values the ``kind`` field of a model class may take."""
    hint = typing.get_type_hints(cls, vars(model))["kind"]
    return tuple(typing.get_args(hint))


def _union_args(hint: Any) -> tuple[Any, ...]:
    if typing.get_origin(hint) in (Union, types.UnionType):
        return typing.get_args(hint)
    return (hint,)


def describe_type(hint: Any) -> str:
    """Words for what a field expects, used in messages."""
    args = [a for a in _union_args(hint) if a is not type(None)]
    if len(args) > 1 and all(dataclasses.is_dataclass(a) for a in args):
        return "a mapping with a kind"
    (hint,) = args[:1] or (hint,)
    if hint is str:
        return "text"
    if hint is int:
        return "a whole number"
    if hint is Decimal:
        return "a number"
    if hint is bool:
        return "true or false"
    if typing.get_origin(hint) is tuple:
        return "a list"
    if typing.get_origin(hint) is Literal:
        return " or ".join(map(str, typing.get_args(hint)))
    return "a mapping"


class Decoder:
    """Decode one document; problems accumulate in ``errors``, locations in ``sources``."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[RuleError] = []
        self.sources: dict[str, Location] = {}
        self._nodes = 0

    # -- bookkeeping -------------------------------------------------------------
    def loc(self, node: yaml.Node, path: str) -> Location:
        mark = node.start_mark
        return Location(file=self.file, line=mark.line + 1, column=mark.column + 1, path=path)

    def error(self, node: yaml.Node, path: str, message: str) -> Any:
        self.errors.append(RuleError(self.loc(node, path), message))
        return BAD

    def _visit(self, node: yaml.Node, path: str) -> bool:
        self._nodes += 1
        if self._nodes == MAX_NODES + 1:
            self.error(node, path, f"document expands to more than {MAX_NODES:,} values "
                       "(anchors and aliases used to repeat content); write it out or split it")
        if self._nodes > MAX_NODES:
            return False
        self.sources[path] = self.loc(node, path)
        if node.tag not in _KNOWN_TAGS:
            self.error(node, path, f"tag {node.tag!r} is not allowed in rule files; "
                       "expected plain YAML values")
            return False
        return True

    # -- entry points --------------------------------------------------------------
    def document(self, node: yaml.Node | None, classes: dict[str, type]) -> Any:
        """Decode the top of a file, whose ``kind`` picks one of ``classes``."""
        if node is None:
            self.errors.append(RuleError(Location(file=self.file, line=1, column=1),
                                         "file is empty; expected a mapping with kind: qualification"))
            return BAD
        if not isinstance(node, yaml.MappingNode):
            what = "a list" if isinstance(node, yaml.SequenceNode) else f"the value {node.value!r}"
            return self.error(node, "", f"found {what} at the top of the file; "
                              "expected a mapping with kind: qualification")
        return self.variant(node, "", classes)

    def variant(self, node: yaml.MappingNode, path: str, classes: dict[str, type]) -> Any:
        kind_node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode)
                          and k.value == "kind"), None)
        choices = ", ".join(classes)
        if kind_node is None:
            return self.error(node, path, f"missing key 'kind'; expected one of: {choices}")
        kind = kind_node.value if isinstance(kind_node, yaml.ScalarNode) else None
        if kind not in classes:
            hint = _did_you_mean(str(kind), classes)
            return self.error(kind_node, _join(path, "kind"),
                              f"unknown kind {kind!r}; expected one of: {choices}{hint}")
        return self.mapping(node, path, classes[kind])

    # -- values --------------------------------------------------------------------
    def value(self, node: yaml.Node, path: str, hint: Any) -> Any:
        if not self._visit(node, path):
            return BAD
        options = _union_args(hint)
        if type(None) in options and node.tag == _NULL:
            return None
        options = tuple(o for o in options if o is not type(None))
        if len(options) > 1:
            if not isinstance(node, yaml.MappingNode):
                return self.error(node, path, f"found {_found(node)}; expected a mapping with a kind")
            return self.variant(node, path, {k: c for c in options for k in kinds_of(c)})
        (target,) = options
        if dataclasses.is_dataclass(target):
            if not isinstance(node, yaml.MappingNode):
                return self.error(node, path, f"found {_found(node)}; expected a mapping")
            return self.mapping(node, path, target)  # type: ignore[arg-type]
        if typing.get_origin(target) is tuple:
            return self.sequence(node, path, typing.get_args(target)[0])
        if typing.get_origin(target) is Literal:
            allowed = typing.get_args(target)
            if isinstance(node, yaml.ScalarNode) and node.value in allowed:
                return node.value
            return self.error(node, path, f"found {_found(node)}; expected "
                              + " or ".join(repr(a) for a in allowed))
        if not isinstance(node, yaml.ScalarNode):
            return self.error(node, path, f"found {_found(node)}; expected {describe_type(target)}")
        return _SCALARS[target](self, node, path)

    def sequence(self, node: yaml.Node, path: str, item: Any) -> Any:
        if not isinstance(node, yaml.SequenceNode):
            return self.error(node, path, f"found {_found(node)}; expected a list")
        out = []
        for i, child in enumerate(node.value):
            value = self.value(child, f"{path}[{i}]", item)
            if value is not BAD:
                out.append(value)
        return tuple(out)

    def mapping(self, node: yaml.MappingNode, path: str, cls: type) -> Any:
        fields = {f.name: (f, hint) for f, hint in model_fields(cls)}
        given: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        broken = False
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, _INT, _FLOAT, _BOOL):
                self.error(key_node, path, f"found {_found(key_node)} as a key; expected a name")
                continue
            key = key_node.value
            where = _join(path, key)
            if key in seen:
                first = seen[key].start_mark
                self.error(key_node, where, f"duplicate key {key!r} (first given at line "
                           f"{first.line + 1}); expected each key once")
                continue
            seen[key] = key_node
            if key not in fields:
                hint = _did_you_mean(key, fields)
                self.error(key_node, where, f"unknown key {key!r} in {_article(cls)}{hint}")
                continue
            value = self.value(value_node, where, fields[key][1])
            if value is BAD:
                broken = True
            else:
                given[key] = value
        for name, (f, _hint) in fields.items():
            no_default = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if no_default and name not in given and name not in seen:
                self.error(node, path, f"missing key {name!r} in {_article(cls)}; "
                           f"expected {describe_type(_hint)}")
                broken = True
        try:
            if broken and any(
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                and n not in given for n, (f, _h) in fields.items()
            ):
                return BAD
            return cls(**given, loc=self.loc(node, path))
        except (TypeError, ValueError):  # pragma: no cover - fields are checked above
            return BAD


def _scalar_text(d: Decoder, node: yaml.ScalarNode, path: str) -> Any:
    if node.tag == _NULL and node.style is None:
        return d.error(node, path, "found nothing; expected text")
    if node.tag == _BOOL and node.style is None:
        return d.error(node, path, f"found {node.value!r}, which YAML reads as true/false; "
                       "expected text (put it in quotes)")
    return node.value


def _scalar_bool(d: Decoder, node: yaml.ScalarNode, path: str) -> Any:
    if node.tag != _BOOL or node.style is not None:
        return d.error(node, path, f"found {_found(node)}; expected true or false")
    return node.value.lower() in ("true", "yes", "on", "y")


def _number(d: Decoder, node: yaml.ScalarNode, path: str, *, whole: bool) -> Any:
    expected = "a whole number" if whole else "a number"
    if node.style is not None or node.tag not in (_INT, _FLOAT):
        return d.error(node, path, f"found {_found(node)}; expected {expected}")
    text = node.value.replace("_", "")
    try:
        if node.tag == _INT:
            value = Decimal(int(text, 0) if text.lower().startswith(("0x", "0o", "0b")) else int(text))
        else:
            value = Decimal(text)
    except (ValueError, InvalidOperation):
        return d.error(node, path, f"found {node.value!r}; expected {expected}")
    if not value.is_finite():
        return d.error(node, path, f"found {node.value!r}; expected a finite number")
    if value < 0:
        return d.error(node, path, f"found {node.value}; expected a number of 0 or more")
    if value > MAX_NUMBER:
        return d.error(node, path, f"found {node.value}; expected a number no larger than {MAX_NUMBER:,}")
    if whole:
        if value != value.to_integral_value():
            return d.error(node, path, f"found {node.value}; expected a whole number")
        return int(value)
    return value


_SCALARS: dict[Any, Callable[[Decoder, yaml.ScalarNode, str], Any]] = {
    str: _scalar_text,
    bool: _scalar_bool,
    int: lambda d, n, p: _number(d, n, p, whole=True),
    Decimal: lambda d, n, p: _number(d, n, p, whole=False),
}


def _found(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.style is not None:
        return f"the text {node.value!r}"
    names = {_INT: "the number", _FLOAT: "the number", _BOOL: "the value", _NULL: "nothing"}
    if node.tag == _NULL:
        return "nothing"
    return f"{names.get(node.tag, 'the text')} {node.value if node.tag != _STR else repr(node.value)}"


def _article(cls: type) -> str:
    name = cls.__name__.lower()
    if name in ("combination",):
        return "a combination"
    if name == "levelrule":
        return "a level rule"
    return f"{'an' if name[0] in 'aeio' else 'a'} {name}"


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
