"""The imported structure as a rule file whose comments say where each value came from.

The YAML is :func:`solver.model.dump.dump_qualification`'s; comments are added on
their own lines before the entries they describe (``# handbook: page 2, line
14``), with a header naming the source, the notes and the review list. The
comments never change what the file means: the result is loaded again and
compared with the plain dump, and the comments are left out if they would.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import yaml

from ..model import dump_qualification
from .lines import Where
from .review import ImportResult

__all__ = ["write_yaml"]


def _find(root: yaml.Node, path: str) -> int | None:
    """The line (from 0) on which to comment the entry at ``path``; ``None`` when there is no such entry."""
    node: yaml.Node = root
    line: int | None = None
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        flow = bool(getattr(node, "flow_style", False))
        if part.startswith("["):
            if not isinstance(node, yaml.SequenceNode):
                return None
            index = int(part[1:-1])
            if index >= len(node.value):
                return None
            node = node.value[index]
            here = node.start_mark.line
        else:
            if not isinstance(node, yaml.MappingNode):
                return None
            found = next(((k, v) for k, v in node.value if k.value == part), None)
            if found is None:
                return None
            here, node = found[0].start_mark.line, found[1]
        if not flow:
            line = here
    return line


def write_yaml(result: ImportResult) -> str:
    r"""The rule file of an import: YAML with a header and source comments.

    Examples
    --------
    >>> from .read import import_source
    >>> from .sources import read_text
    >>> text = "Mandatory units\nTitle\tCredits\nPlan a demonstration\t3\n"
    >>> print(write_yaml(import_source(read_text(text, name="demo.txt"))))  # doctest: +ELLIPSIS
    # Imported by qualpath import from demo.txt (text).
    # unit ids are the units' position numbers (the handbook prints none)
    # Review: nothing to review (every sentence and table row was used).
    kind: qualification
    ...
    units:
    # handbook: line 3
    - {id: '1', title: Plan a demonstration, credits: 3}
    requirements:
    # handbook: line 1
    - kind: group
    ...
    """
    plain = dump_qualification(result.qualification)
    head = [f"# Imported by qualpath import from {result.source} ({result.kind})."]
    head += [f"# {note}" for note in result.notes]
    if result.review:
        head.append(f"# Review: {len(result.review)} item{'s' if len(result.review) != 1 else ''} "
                    "(check these against the handbook before using this file):")
        head += [f"#   {item}" for item in result.review]
    else:
        head.append("# Review: nothing to review (every sentence and table row was used).")
    annotated = _annotate(plain, result.sources)
    return "\n".join(head) + "\n" + annotated


def _annotate(plain: str, sources: Mapping[str, Where]) -> str:
    root = yaml.compose(plain, Loader=yaml.SafeLoader)
    if root is None:
        return plain
    comments: dict[int, list[str]] = {}
    for path, where in sources.items():
        line = _find(root, path)
        if line is None:
            continue
        name = path.rsplit(".", 1)[-1] if not path.endswith("]") else ""
        text = f"{name}: {where}" if name and not name.startswith(("units[", "requirements[")) else str(where)
        said = comments.setdefault(line, [])
        if text not in said:
            said.append(text)
    lines = plain.splitlines()
    out: list[str] = []
    for i, printed in enumerate(lines):
        if i in comments:
            indent = printed[: len(printed) - len(printed.lstrip())]
            out.append(f"{indent}# handbook: {'; '.join(comments[i])}")
        out.append(printed)
    text = "\n".join(out) + "\n"
    if yaml.safe_load(text) != yaml.safe_load(plain):  # pragma: no cover - comments never change the data
        return plain
    return text
