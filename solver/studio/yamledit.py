r"""The builder's two-way link with the YAML source: text to plain data, and plain data back into the text.

The builder edits plain data (what the rule file says, as JSON). :func:`apply_data` writes
an edited copy back into the *original text* with ruamel.yaml's round-trip mode: only what
changed is touched, so comments, key order, flow or block style, quoting and indentation of a
hand-written file survive an edit made in a form. PyYAML stays the reader that decides what
a file means (:mod:`solver.model.load`); ruamel.yaml only edits text.

Examples
--------
>>> text = "# Demo\nid: Q   # the code\nunits:\n  - {id: U1, credits: 3}\n"
>>> data = to_data(text)
>>> data["units"][0]["credits"] = 4
>>> print(apply_data(text, data), end="")
# Demo
id: Q   # the code
units:
  - {id: U1, credits: 4}
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..model.errors import Location, RuleError, RuleSetError

__all__ = ["apply_data", "to_data"]


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long title
    return y


def _guess_indent(text: str) -> tuple[int, int]:
    """(mapping indent, dash offset) of a block document: ``2, 2`` for ``  - kind: group``."""
    mapping: int | None = None
    offset: int | None = None
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        stripped = line.rstrip()
        if not stripped.endswith(":") or stripped.lstrip().startswith("#"):
            continue
        here = len(line) - len(line.lstrip())
        nxt = next((n for n in lines[i + 1:] if n.strip() and not n.lstrip().startswith("#")), "")
        there = len(nxt) - len(nxt.lstrip())
        if there <= here:
            continue
        if nxt.lstrip().startswith("- "):
            offset = there - here if offset is None else offset
        elif mapping is None:
            mapping = there - here
        if mapping is not None and offset is not None:
            break
    return mapping or 2, offset or 0


def _load(text: str, file: str = "<yaml>") -> Any:
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(file=file, line=mark.line + 1 if mark else 0, column=mark.column + 1 if mark else 0)
        raise RuleSetError([RuleError(loc, f"found {exc.problem or 'a YAML syntax error'}")]) from None
    except YAMLError as exc:
        raise RuleSetError([RuleError(Location(file=file), f"found a YAML error: {exc}")]) from None


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        value = float(node)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(node, Decimal):
        return float(node)
    return str(node)


def to_data(text: str, file: str = "<yaml>") -> Any:
    """The plain data (dicts, lists, numbers, text) a YAML text holds; :class:`RuleSetError` when not YAML."""
    return _plain(_load(text, file))


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new if isinstance(old, bool) and isinstance(new, bool) else False
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, str) and isinstance(new, str):
        return str(old) == new
    return old is None and new is None


def _fresh(value: Any, like: Any = None) -> Any:
    """A new node for ``value``, written in flow style when the item it joins is."""
    if isinstance(value, dict):
        node = CommentedMap((k, _fresh(v)) for k, v in value.items())
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_fresh(v) for v in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    return value


def _key(item: Any) -> Any:
    if isinstance(item, dict):
        return ("id", str(item["id"])) if "id" in item else None
    return ("value", str(item)) if isinstance(item, str | int | float) else None


def _merge_seq(node: CommentedSeq, new: list[Any]) -> CommentedSeq:
    keys_new = [_key(v) for v in new]
    like_map = next((v for v in node if isinstance(v, CommentedMap)), None)
    like_seq = next((v for v in node if isinstance(v, CommentedSeq)), None)
    if None not in keys_new and len(set(keys_new)) == len(keys_new):
        # items named by id (units, groups, unit lists): delete the gone, insert the new, keep comments
        for i in range(len(node) - 1, -1, -1):
            if _key(node[i]) not in keys_new:
                del node[i]
        if [_key(v) for v in node] == [k for k in keys_new if k in {_key(v) for v in node}]:
            for i, (key, value) in enumerate(zip(keys_new, new)):
                if i < len(node) and _key(node[i]) == key:
                    node[i] = _merge(node[i], value)
                else:
                    like = like_map if isinstance(value, dict) else like_seq
                    node.insert(i, _fresh(value, like))
            return node
    # a reorder (or items without ids): merge position by position
    for i, value in enumerate(new):
        if i < len(node):
            node[i] = _merge(node[i], value)
        else:
            node.append(_fresh(value, like_map if isinstance(value, dict) else like_seq))
    while len(node) > len(new):
        del node[len(node) - 1]
    return node


#: Keys a rule reads first: a new one goes after the last of these already there, not to the end.
_HEAD = ("kind", "id", "title", "level", "k", "mandatory", "min_credits", "max_credits", "min_units", "max_units")


def _merge(node: Any, new: Any) -> Any:
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for key in [k for k in node if str(k) not in new]:
            del node[key]
        for key, value in new.items():
            if key in node:
                node[key] = _merge(node[key], value)
            elif key in _HEAD and not node.fa.flow_style():
                keys = list(node)
                place = max((i + 1 for i, k in enumerate(keys) if k in _HEAD and _HEAD.index(k) < _HEAD.index(key)),
                            default=len(keys) if not keys or keys[0] not in _HEAD else 0)
                node.insert(place, key, _fresh(value))
            else:
                node[key] = _fresh(value)
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        return _merge_seq(node, new)
    if not isinstance(new, dict | list) and not isinstance(node, dict | list) and _same(node, new):
        return node  # unchanged: keep its quoting and number format
    return _fresh(new)


def apply_data(text: str, data: Any, file: str = "<yaml>") -> str:
    """``text`` edited so that it holds ``data``, changing only what differs (comments and layout kept)."""
    document = _load(text, file) if text.strip() else None
    merged = _merge(document, data) if document is not None else _fresh(data)
    y = _yaml()
    mapping, offset = _guess_indent(text)
    y.indent(mapping=mapping, sequence=mapping + offset, offset=offset)
    out = io.StringIO()
    y.dump(merged, out)
    return out.getvalue()
