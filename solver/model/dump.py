"""Write a model back as a rule file: the inverse of :mod:`solver.model.load`.

The output is the rule language itself: keys are field names, ``kind`` comes
first in every mapping that has one, fields left at their default are left
out, numbers are written exactly as a handbook would (``45``, ``7.5``), and
any text YAML would read as something else (``1.1``, ``yes``, ``null``,
``010``) is quoted. The same model always gives the same text, and loading
it gives back an equal model.

Units that came from a unit library are written inline, and ``library`` is
left out: a loaded qualification already holds its library units in
``units``, so the written file stands on its own.

Examples
--------
>>> from decimal import Decimal
>>> from solver.model import Group, Qualification, Unit
>>> q = Qualification(id="Q", title="Demo", min_credits=Decimal("7.5"),
...     units=(Unit(id="1.1", title="yes", credits=Decimal("7.5"), level=2),),
...     requirements=(Group(id="A", units=("1.1",), min_credits=Decimal(3)),))
>>> print(dump_qualification(q), end="")
kind: qualification
id: Q
title: Demo
min_credits: 7.5
units:
- {id: '1.1', title: 'yes', credits: 7.5, level: 2}
requirements:
- kind: group
  id: A
  units:
  - '1.1'
  min_credits: 3
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Any

import yaml

from .structure import Declared, Element, Group, Library, Qualification, Unit, format_number

__all__ = ["dump_library", "dump_qualification"]

# Mappings written on one line when they are this simple.
_FLOW_CLASSES = (Element, Declared)
# Qualification fields written after the short ones, so the header reads first.
_LAST = ("units", "requirements", "level_rules", "barred", "prerequisites")
_WIDTH = 100


class _Flow(dict[str, Any]):
    """A mapping written in flow style: ``{id: U1, title: ...}``."""


class _FlowList(list[Any]):
    """A list written in flow style: ``[a, b]``."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes Decimals exactly and never uses anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        # Equal values (a shared Decimal, say) must be written out each time, not as &id001.
        return True


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.ScalarNode:
    text = format_number(value)
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


# Text a YAML 1.2 reader (an editor's language server, say) would take for a number, boolean or
# null even where PyYAML (YAML 1.1) would not, e.g. ``1e3`` or ``0o17``: quoted to be safe.
_NOT_TEXT_IN_YAML_1_2 = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
)


def _represent_str(dumper: _Dumper, value: str) -> yaml.ScalarNode:
    if _NOT_TEXT_IN_YAML_1_2.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="'")
    return dumper.represent_str(value)


def _represent_flow(dumper: _Dumper, value: _Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", value, flow_style=True)


def _represent_flow_list(dumper: _Dumper, value: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default)
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


def plain_number(obj: Any) -> Any:
    """Turn a model object into plain dicts, lists and scalars, in the rule language's shape."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.metadata.get("internal") or (f.name != "kind" and _is_default(f, value)):
                continue
            if isinstance(obj, Qualification) and f.name == "library":
                continue
            # A group's units go one per line, as handbooks print them; short id lists stay inline.
            out[f.name] = list(value) if isinstance(obj, Group) and f.name == "units" else plain_number(value)
        if isinstance(obj, Qualification):
            out = {k: v for k, v in out.items() if k not in _LAST} | {k: out[k] for k in _LAST if k in out}
        simple = isinstance(obj, Unit) and not (obj.elements or obj.tags or obj.equivalent)
        return _Flow(out) if simple or isinstance(obj, _FLOW_CLASSES) else out
    if isinstance(obj, tuple):
        items = [plain_number(item) for item in obj]
        short = all(isinstance(item, str) for item in items)
        return items if not short or not items else _FlowList(items)
    return obj


def _emit(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=False, width=_WIDTH)


def dump_qualification(q: Qualification) -> str:
    """Write a qualification as rule-file YAML that loads back to an equal model.

    Parameters
    ----------
    q
        The qualification. All of ``q.units`` are written, including any that
        came from a unit library; ``q.library`` is not written.

    Returns
    -------
    str
        The YAML text, ending with a newline. The same model always gives
        the same text.

    Examples
    --------
    >>> import dataclasses, tempfile
    >>> from pathlib import Path
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> text = dump_qualification(q)
    >>> "library" in text, "- {id: '1.1', title: Establish effective" in text
    (False, True)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "copy.yaml"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     load_qualification(path) == dataclasses.replace(q, library=())
    True
    """
    return _emit(plain_number(q))


def dump_library(library: Library) -> str:
    """Write a unit library as rule-file YAML (``kind: library``).

    Examples
    --------
    >>> from decimal import Decimal
    >>> from solver.model import Library, Unit
    >>> lib = Library(id="L", units=(Unit(id="010", title="null", credits=Decimal(45)),))
    >>> print(dump_library(lib), end="")
    kind: library
    id: L
    units:
    - {id: '010', title: 'null', credits: 45}
    """
    return _emit(plain_number(library))
