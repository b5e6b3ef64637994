"""Turn a composed YAML node tree into model objects, collecting every problem.

The model's dataclasses are the schema: field names are the YAML keys, the
type hints say what each value must be, and ``kind`` tells variants apart.
Decoding never stops at the first problem; a bad value is reported and left
out so the rest of the document is still checked.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Literal, Union

import yaml

from . import structure as model
from .errors import Location, RuleError

__all__ = [
    "MAX_DECIMALS", "MAX_NODES", "MAX_NUMBER", "MAX_REPEATED", "MAX_UNITS", "Decoder", "kinds_of", "model_fields",
]

#: Values a document may have, counting each use of an alias in full.
MAX_NODES = 500_000
#: Values a document may repeat through aliases; more means alias abuse ("billion laughs").
MAX_REPEATED = 10_000
#: Units a structure may have, its libraries' included: well past any published qualification,
#: and what ``qualpath check`` reads and decides in a few seconds (30,000 took ten).
MAX_UNITS = 20_000
#: Largest number accepted anywhere (credits, hours, fees, counts).
MAX_NUMBER = Decimal(10) ** 9
#: Decimal places a number may have: with at most 10 digits before the point this keeps every
#: sum well inside the 28 significant digits of decimal arithmetic, so totals stay exact.
MAX_DECIMALS = 6
#: Longest piece of a value quoted back in a message.
_QUOTE = 40

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
    """Return the user-facing fields of a model class with their resolved types."""
    return list(_fields(cls))


def kinds_of(cls: type) -> tuple[str, ...]:
    """Return the values the ``kind`` field of a model class may take."""
    return _kinds(cls)


# Resolving type hints is slow (a quarter of a millisecond a class); decoding asks per mapping.
@functools.cache
def _fields(cls: type) -> tuple[tuple[dataclasses.Field[Any], Any], ...]:
    hints = typing.get_type_hints(cls, vars(model))
    return tuple((f, hints[f.name]) for f in dataclasses.fields(cls) if not f.metadata.get("internal"))


@functools.cache
def _kinds(cls: type) -> tuple[str, ...]:
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
        #: Document paths whose value could not be decoded (or whose key was misspelt); checks
        #: that would only repeat the problem (an empty list, a missing id) skip them.
        self.broken: set[str] = set()
        self._nodes = 0
        self._repeated = 0
        self._seen: set[int] = set()
        self._stopped = False

    # -- bookkeeping -------------------------------------------------------------
    def loc(self, node: yaml.Node, path: str) -> Location:
        """Return where ``node`` starts, with its document path."""
        mark = node.start_mark
        return Location(file=self.file, line=mark.line + 1, column=mark.column + 1, path=path)

    def error(self, node: yaml.Node, path: str, message: str) -> Any:
        """Record a problem at ``node`` and return :data:`BAD`."""
        self.errors.append(RuleError(self.loc(node, path), message))
        self.broken.add(path)
        return BAD

    @property
    def overflowed(self) -> bool:
        """Whether the document was too large to decode in full (decoding stopped early)."""
        return self._stopped

    def _visit(self, node: yaml.Node, path: str) -> bool:
        if self._stopped:
            return False
        self._nodes += 1
        if id(node) in self._seen:  # an alias: the composer hands back the anchored node again
            self._repeated += 1
        else:
            self._seen.add(id(node))
        if self._repeated > MAX_REPEATED:
            self._stopped = True
            self.error(node, path, f"found more than {MAX_REPEATED:,} values repeated through anchors and "
                       "aliases; expected the content written out (aliases may not multiply a document)")
            return False
        if self._nodes > MAX_NODES:
            self._stopped = True
            self.error(node, path, f"found more than {MAX_NODES:,} values; expected a smaller document "
                       "(split the units into libraries)")
            return False
        self.sources[path] = self.loc(node, path)
        if node.tag not in _KNOWN_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
            self.error(node, path, f"found the tag {_quote(tag)}; expected plain YAML values "
                       "(tags are not allowed in rule files)")
            return False
        return True

    # -- entry points --------------------------------------------------------------
    def document(self, node: yaml.Node | None, classes: dict[str, type]) -> Any:
        """Decode the top of a file, whose ``kind`` picks one of ``classes``."""
        if node is None:
            self.errors.append(RuleError(Location(file=self.file, line=1, column=1),
                                         "found an empty file; expected a mapping with kind: qualification"))
            return BAD
        if not isinstance(node, yaml.MappingNode):
            return self.error(node, "", f"found {_found(node)} at the top of the file; "
                              "expected a mapping with kind: qualification")
        return self.variant(node, "", classes)

    def variant(self, node: yaml.MappingNode, path: str, classes: dict[str, type]) -> Any:
        """Decode a mapping whose ``kind`` picks one of ``classes``."""
        kind_node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode)
                          and k.value == "kind"), None)
        choices = ", ".join(classes)
        if kind_node is None:
            return self.error(node, path, f"missing key 'kind'; expected one of: {choices}")
        self.broken.add(path)  # until the kind is known to be good
        if not isinstance(kind_node, yaml.ScalarNode) or kind_node.tag != _STR:
            return self.error(kind_node, _join(path, "kind"),
                              f"found {_found(kind_node)} as the kind; expected one of: {choices}")
        kind = kind_node.value
        if kind not in classes:
            hint = _did_you_mean(kind, classes)
            return self.error(kind_node, _join(path, "kind"),
                              f"unknown kind {_quote(kind)}; expected one of: {choices}{hint}")
        self.broken.discard(path)
        return self.mapping(node, path, classes[kind])

    # -- values --------------------------------------------------------------------
    def value(self, node: yaml.Node, path: str, hint: Any) -> Any:
        """Decode any value against a field's type hint."""
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
            if isinstance(node, yaml.ScalarNode) and node.tag == _STR and node.value in allowed:
                return node.value
            hint = _did_you_mean(node.value, allowed) if isinstance(node, yaml.ScalarNode) else ""
            return self.error(node, path, f"found {_found(node)}; expected "
                              + " or ".join(repr(a) for a in allowed) + hint)
        if not isinstance(node, yaml.ScalarNode):
            return self.error(node, path, f"found {_found(node)}; expected {describe_type(target)}")
        return _SCALARS[target](self, node, path)

    def sequence(self, node: yaml.Node, path: str, item: Any) -> Any:
        """Decode a list whose items have type ``item`` (bad items are reported and left out)."""
        if not isinstance(node, yaml.SequenceNode):
            return self.error(node, path, f"found {_found(node)}; expected a list")
        if path == "units" and len(node.value) > MAX_UNITS:
            self._stopped = True
            return self.error(node, path, f"found {len(node.value):,} units; expected at most {MAX_UNITS:,} "
                              "(the limit of one structure)")
        out = []
        for i, child in enumerate(node.value):
            value = self.value(child, f"{path}[{i}]", item)
            if value is not BAD:
                out.append(value)
        return tuple(out)

    def mapping(self, node: yaml.MappingNode, path: str, cls: type) -> Any:
        """Decode a mapping into model class ``cls``, checking every key."""
        fields = {f.name: (f, hint) for f, hint in model_fields(cls)}
        given: dict[str, Any] = {}
        seen: dict[str, yaml.Node] = {}
        misspelt: set[str] = set()
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in (_STR, _INT, _FLOAT, _BOOL):
                self.error(key_node, path, f"found {_found(key_node)} as a key; expected a key name")
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
                close = _close(key, fields)
                if close:
                    misspelt.add(close)
                    self.broken.add(_join(path, close))
                    hint = f"did you mean {close!r}?"
                else:
                    hint = "expected one of: " + ", ".join(fields)
                self.error(key_node, where, f"unknown key {_quote(key)} in {_article(cls, node)}; {hint}")
                continue
            value = self.value(value_node, where, fields[key][1])
            if value is not BAD:
                given[key] = value
        for name, (f, hint) in fields.items():
            if _required(f) and name not in seen and name not in misspelt:
                self.error(node, path, f"missing key {name!r} in {_article(cls, node)}; "
                           f"expected {describe_type(hint)}")
        return self._build(cls, node, path, given, fields)

    def _build(self, cls: type, node: yaml.MappingNode, path: str, given: dict[str, Any],
               fields: dict[str, tuple[dataclasses.Field[Any], Any]]) -> Any:
        """Make the object, standing in for required values that are missing or bad (already reported).

        A stand-in keeps the object in the model so that later checks do not report
        follow-on problems ("unknown unit" for a unit whose title was misspelt). An
        object whose identity is unknown (a unit or element without an id) is left out.
        """
        for name, (f, hint) in fields.items():
            if name in given or not _required(f):
                continue
            if name == "id" and cls in (model.Unit, model.Element):
                return BAD
            if hint is str:
                given[name] = f"<{path or 'document'}>" if name == "id" else ""
            elif typing.get_origin(hint) is tuple:
                given[name] = ()
            else:
                return BAD
        return cls(**given, loc=self.loc(node, path))


def _scalar_text(d: Decoder, node: yaml.ScalarNode, path: str) -> Any:
    if node.tag == _NULL and node.style is None:
        return d.error(node, path, "found nothing; expected text")
    if node.tag == _BOOL and node.style is None:
        return d.error(node, path, f"found {_quote(node.value)}, which YAML reads as true or false; "
                       "expected text (put it in quotes)")
    return node.value


def _scalar_bool(d: Decoder, node: yaml.ScalarNode, path: str) -> Any:
    if node.tag != _BOOL or node.style is not None:
        return d.error(node, path, f"found {_found(node)}; expected true or false")
    return node.value.lower() in ("true", "yes", "on", "y")


def _number(d: Decoder, node: yaml.ScalarNode, path: str, *, whole: bool) -> Any:
    expected = "a whole number" if whole else "a number"
    if node.style is not None or node.tag not in (_INT, _FLOAT):
        hint = ""
        if node.style is None and _DECIMAL_COMMA.fullmatch(node.value):
            hint = " (write decimals with a point, e.g. 7.5)"
        elif node.style is not None and _looks_numeric(node.value):
            hint = " (without quotes)"
        return d.error(node, path, f"found {_found(node)}; expected {expected}{hint}")
    text = node.value.replace("_", "")
    if text.lower().lstrip("+-") in (".nan", ".inf"):
        return d.error(node, path, f"found {text}; expected a finite number")
    parts = _PLAIN_NUMBER.fullmatch(text)
    if not parts:
        return d.error(node, path, f"found {_short(node.value)}; expected {expected} "
                       "written in decimal digits")
    negative, digits, exponent = _digits(parts)
    if negative:
        return d.error(node, path, f"found {_short(node.value)}; expected a number of 0 or more")
    # Judged on the digits and exponent as written before any arithmetic: Decimal() raises on
    # exponents past its limits (1e+99999999999999999999), and the default 28-digit context
    # would round 5.00000000000000000000000000001 to 5 without a word.
    too_large = len(digits) + exponent > _MAX_INTEGER_DIGITS
    if not too_large and exponent >= -MAX_DECIMALS:
        value = Decimal(f"{digits}E{exponent}")  # at most 16 digits: exact
        too_large = value > MAX_NUMBER
    if too_large:
        return d.error(node, path, f"found {_short(node.value)}; expected a number no larger than "
                       f"{MAX_NUMBER:,}")
    if whole and exponent < 0:
        return d.error(node, path, f"found {_short(node.value)}; expected a whole number")
    if exponent < -MAX_DECIMALS:
        return d.error(node, path, f"found {_short(node.value)}; expected a number with at most "
                       f"{MAX_DECIMALS} decimal places")
    if whole:
        return int(value)
    written = _exponent(parts["exponent"] or "0") - len(parts["fraction"] or parts["fraction2"] or "")
    if -MAX_DECIMALS <= written <= 0 and len(text) <= _QUOTE:
        return Decimal(text) + 0  # keeps the places written (7.50); + 0 turns -0 into 0
    return value.quantize(Decimal(1)) if exponent > 0 else value


#: Digits a number no larger than :data:`MAX_NUMBER` has before its decimal point.
_MAX_INTEGER_DIGITS = len(str(int(MAX_NUMBER)))


def _exponent(text: str) -> int:
    """An exponent as written, capped far past any limit (int() refuses strings of 4,300 digits)."""
    magnitude = text.lstrip("+-").lstrip("0")
    if len(magnitude) > 15:
        return -(10**15) if text.startswith("-") else 10**15
    return int(text)


def _digits(parts: re.Match[str]) -> tuple[bool, str, int]:
    """A plain number as (negative, significant digits, exponent), exactly: value = digits x 10**exponent.

    Leading and trailing zeros are dropped (zero is ``"0"`` with exponent 0), so the
    exponent says how many decimal places the number really has.
    """
    whole, fraction = parts["whole"] or "", parts["fraction"] or parts["fraction2"] or ""
    exponent = _exponent(parts["exponent"] or "0") - len(fraction)
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return False, "0", 0
    stripped = digits.rstrip("0")
    exponent += len(digits) - len(stripped)
    return parts["sign"] == "-", stripped, exponent


_PLAIN_NUMBER = re.compile(r"(?P<sign>[-+]?)(?:(?P<whole>[0-9]+)\.?(?P<fraction>[0-9]*)|\.(?P<fraction2>[0-9]+))"
                           r"(?:[eE](?P<exponent>[-+]?[0-9]+))?")
_DECIMAL_COMMA = re.compile(r"[-+]?[0-9]+,[0-9]+")


def _looks_numeric(text: str) -> bool:
    return bool(_PLAIN_NUMBER.fullmatch(text.strip()))


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
    if not isinstance(node, yaml.ScalarNode):  # pragma: no cover - YAML has no other node
        return "a value"
    if node.tag == _NULL and node.style is None:
        return "nothing"
    if node.style is not None or node.tag == _STR:
        return f"the text {_quote(node.value)}"
    if node.tag == _BOOL:
        return f"the value {_short(node.value)}"
    return f"the number {_short(node.value)}"


def _short(text: str) -> str:
    """Cut a value short when long (a 1 MB line must not come back in a message)."""
    if len(text) <= _QUOTE:
        return text
    return f"{text[:_QUOTE]}... ({len(text):,} characters)"


def _quote(text: str) -> str:
    if len(text) <= _QUOTE:
        return repr(text)
    return f"{text[:_QUOTE]!r}... ({len(text):,} characters)"


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _article(cls: type, node: yaml.MappingNode | None = None) -> str:
    if cls is model.Combination:
        kind = next((v.value for k, v in (node.value if node else ()) if k.value == "kind"), "")
        return f"{'an' if kind[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {kind} combination".replace(
            "a  combination", "a combination")
    if cls is model.LevelRule:
        return "a level rule"
    name = cls.__name__.lower()
    return f"{'an' if name[0] in 'aeio' else 'a'} {name}"


def _close(word: str, options: Any) -> str | None:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(word: str, options: Any) -> str:
    close = _close(word, options)
    return f"; did you mean {close!r}?" if close else ""


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
