"""Write unit-group graphs for other tools: GraphML, Graphviz DOT and Mermaid.

All three take the graph made by :func:`viz.graph.to_graph`. GraphML goes
through networkx; DOT and Mermaid are written here (no pygraphviz), with
every title quoted so that apostrophes, quotes and brackets survive.

Examples
--------
>>> from solver.model import Group, Qualification, Unit
>>> from viz.graph import to_graph
>>> q = Qualification(id="Q", title='Say "hi"', units=(Unit(id="u", title="Greet [politely]"),),
...                   requirements=(Group(id="g", title="Group", units=("u",)),))
>>> print(to_mermaid(to_graph(q)), end="")
flowchart TB
  n0["Say #quot;hi#quot;"]
  subgraph n1["Group — any units #40;1 unit to choose from#41;"]
    n2["Greet #91;politely#93;"]
  end
  n0 --> n1
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import networkx as nx

from solver.model import format_number
from solver.model.files import write_atomic

__all__ = [
    "graphml_ready",
    "to_dot",
    "to_mermaid",
    "write_atomic",
    "write_dot",
    "write_graphml",
    "write_mermaid",
]


def _plain(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple | set | frozenset):
        return " ".join(str(v) for v in value)
    return str(value)


def graphml_ready(G: nx.DiGraph) -> nx.DiGraph:
    """Return a copy of ``G`` whose attributes GraphML can hold.

    ``Decimal`` becomes ``float``, tuples become space-separated strings and
    ``None`` values are dropped (GraphML has no null).

    >>> G = nx.DiGraph()
    >>> G.add_node("u", credits=Decimal("7.5"), groups=("Q/A", "Q/B"), level=None)
    >>> graphml_ready(G).nodes["u"]
    {'credits': 7.5, 'groups': 'Q/A Q/B'}
    """
    H = nx.DiGraph()
    H.graph.update({k: _plain(v) for k, v in G.graph.items() if v is not None})
    for node, attrs in G.nodes(data=True):
        H.add_node(str(node), **{k: _plain(v) for k, v in attrs.items() if v is not None})
    for u, v, attrs in G.edges(data=True):
        H.add_edge(str(u), str(v), **{k: _plain(x) for k, x in attrs.items() if x is not None})
    return H



def write_graphml(G: nx.DiGraph, path: str | Path) -> Path:
    """Write ``G`` as GraphML (atomically), after :func:`graphml_ready`; return the path."""
    return write_atomic(path, lambda fh: nx.write_graphml(graphml_ready(G), fh), binary=True)


# --- Graphviz DOT -------------------------------------------------------------------------------

def _dot_quote(text: str) -> str:
    r"""Quote ``text`` for DOT: backslashes and quotes escaped, line breaks as ``\n``.

    >>> print(_dot_quote('Say "hi" \\ bye\nnow'))
    "Say \"hi\" \\ bye\nnow"
    """
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\n").replace("\n", "\\n") + '"'


def unit_caption(attrs: dict[str, Any]) -> str:
    """Return the second line of a unit's label: credits and level (``'3 credits · level 2'``)."""
    parts = []
    if attrs.get("credits") is not None:
        value = attrs["credits"]
        parts.append(f"{format_number(value)} credit{'' if value == 1 else 's'}")
    if attrs.get("level") is not None:
        parts.append(f"level {attrs['level']}")
    return " · ".join(parts)


def requirement_caption(attrs: dict[str, Any]) -> str:
    """Return a group or combination's heading: title, rule and what is available.

    >>> requirement_caption({"kind": "group", "title": "Optional Group B", "rule": "min 16 credits",
    ...                      "total_credits": Decimal(58), "unit_count": 17})
    'Optional Group B — min 16 credits (58 credits available)'
    """
    rule = _grammar(str(attrs.get("rule", "")))
    if attrs.get("kind") in ("all_of", "any_of", "at_least"):
        head, _, rest = rule.partition(";")
        rule = head + " groups below" + (f";{rest}" if rest else "")
    total = attrs.get("total_credits") if attrs.get("counts_credits", True) else None
    count = attrs.get("unit_count", 0)
    if total and attrs.get("mandatory"):
        extra = f" ({format_number(total)} credits)"
    elif total:
        extra = f" ({format_number(total)} credits available)"
    elif attrs.get("mandatory"):
        extra = ""
    else:
        extra = f" ({count} unit{' to choose from' if count == 1 else 's to choose from'})"
    return f"{attrs.get('title', '')} — {rule}{extra}"


def _grammar(rule: str) -> str:
    """Handbook wording: ``'min 1 unit, max 1 unit'`` → ``'exactly 1 unit'``.

    >>> _grammar("min 2 units, max 2 units"), _grammar("min 1 unit, max 1 unit"), _grammar("min 1 credits")
    ('exactly 2 units', 'exactly 1 unit', 'min 1 credit')
    """
    rule = re.sub(r"\bmin (\S+) (credits?|units?), max \1 \2\b", r"exactly \1 \2", rule)
    return re.sub(r"\b1 (credit|unit)s\b", r"1 \1", rule)


def _clusters(G: nx.DiGraph, node: Any) -> Iterator[Any]:
    return (c for c in G.successors(node) if G.edges[node, c].get("kind") == "requirement")


def to_dot(G: nx.DiGraph) -> str:
    """Graphviz DOT text for ``G``: one cluster per requirement, units in their first group.

    >>> from solver.model.load import bundled_rules, load_qualification
    >>> from viz.graph import to_graph
    >>> dot = to_dot(to_graph(load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")))
    >>> dot.count("subgraph cluster_"), "customers' premises" in dot
    (5, True)
    """
    ids = {node: f"n{i}" for i, node in enumerate(G.nodes)}
    lines = ["digraph qualification {", "  rankdir=TB;", "  compound=true;",
             '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="DejaVu Sans"];',
             '  graph [fontname="DejaVu Sans"];']
    placed: set[Any] = set()

    def emit(node: Any, indent: str) -> None:
        attrs = G.nodes[node]
        lines.append(f"{indent}subgraph cluster_{ids[node][1:]} {{")
        caption = requirement_caption(attrs)
        title = str(attrs.get("title", ""))
        lines.append(f"{indent}  label={_dot_quote(title)};")
        lines.append(f"{indent}  {ids[node]} [label={_dot_quote(caption.removeprefix(title + ' — '))}, "
                     'shape=plaintext, style="", fillcolor=none];')
        for child in G.successors(node):
            kind = G.edges[node, child].get("kind")
            if kind == "requirement":
                emit(child, indent + "  ")
            elif kind == "member" and child not in placed:
                placed.add(child)
                unit = G.nodes[child]
                label = unit.get("title", str(child)) + "\n" + unit_caption(unit)
                lines.append(f"{indent}  {ids[child]} [label={_dot_quote(label.strip())}];")
        lines.append(f"{indent}}}")

    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "qualification":
            lines.append(f"  {ids[node]} [label={_dot_quote(attrs.get('title', ''))}, shape=box, "
                         'style="bold", fontsize=16];')
            for child in _clusters(G, node):
                emit(child, "  ")
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "unit" and node not in placed:
            lines.append(f"  {ids[node]} [label={_dot_quote(attrs.get('title', str(node)))}];")
    style = {"requirement": "", "member": "", "prerequisite": ' [style=dashed, label="prerequisite"]',
             "barred": ' [dir=none, color="#D55E00", style=dotted, label="barred"]'}
    for u, v, kind in G.edges(data="kind"):
        lines.append(f"  {ids[u]} -> {ids[v]}{style.get(kind, '')};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_dot(G: nx.DiGraph, path: str | Path) -> Path:
    """Write :func:`to_dot` text to ``path`` (atomically) and return the path."""
    text = to_dot(G)
    return write_atomic(path, lambda fh: fh.write(text))


# --- Mermaid --------------------------------------------------------------------------------------

_MERMAID_ENTITIES = {"#": "#35;", '"': "#quot;", "[": "#91;", "]": "#93;", "(": "#40;", ")": "#41;",
                     "{": "#123;", "}": "#125;", "<": "#lt;", ">": "#gt;", "|": "#124;", "`": "#96;"}


def _mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid ``["..."]`` label (entity codes for the special characters).

    >>> _mermaid_text('A "quote" [x] #1 <b>')
    'A #quot;quote#quot; #91;x#93; #35;1 #lt;b#gt;'
    """
    out = "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)
    return " ".join(out.split())


def to_mermaid(G: nx.DiGraph, *, direction: str = "TB") -> str:
    """Mermaid flowchart text for a Markdown handbook: a subgraph per requirement.

    A unit sits in the subgraph of its first group; further memberships are
    dotted links. Prerequisites are dashed arrows, barred pairs crossed links.

    >>> from solver.model.load import bundled_rules, load_qualification
    >>> from viz.graph import to_graph
    >>> text = to_mermaid(to_graph(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")))
    >>> text.count("subgraph"), text.splitlines()[0]
    (2, 'flowchart TB')
    """
    ids = {node: f"n{i}" for i, node in enumerate(G.nodes)}
    lines = [f"flowchart {direction}"]
    placed: set[Any] = set()
    links: list[str] = []
    top: list[str] = []

    def emit(node: Any, indent: str) -> None:
        lines.append(f'{indent}subgraph {ids[node]}["{_mermaid_text(requirement_caption(G.nodes[node]))}"]')
        for child in G.successors(node):
            kind = G.edges[node, child].get("kind")
            if kind == "requirement":
                emit(child, indent + "  ")
            elif kind == "member" and child not in placed:
                placed.add(child)
                unit = G.nodes[child]
                caption = unit_caption(unit)
                label = _mermaid_text(unit.get("title", str(child)))
                if caption:
                    label += "<br/>" + _mermaid_text(caption)
                lines.append(f'{indent}  {ids[child]}["{label}"]')
            elif kind == "member":
                links.append(f"  {ids[node]} -.- {ids[child]}")
        lines.append(f"{indent}end")

    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "qualification":
            lines.append(f'  {ids[node]}["{_mermaid_text(attrs.get("title", ""))}"]')
            for child in _clusters(G, node):
                emit(child, "  ")
                top.append(f"  {ids[node]} --> {ids[child]}")
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") == "unit" and node not in placed:
            lines.append(f'  {ids[node]}["{_mermaid_text(attrs.get("title", str(node)))}"]')
    for u, v, kind in G.edges(data="kind"):
        if kind == "prerequisite":
            links.append(f"  {ids[u]} -. prerequisite .-> {ids[v]}")
        elif kind == "barred":
            links.append(f"  {ids[u]} x--x|barred| {ids[v]}")
    return "\n".join(lines + top + links) + "\n"


def write_mermaid(G: nx.DiGraph, path: str | Path) -> Path:
    """Write :func:`to_mermaid` text to ``path`` (atomically) and return the path."""
    text = to_mermaid(G)
    return write_atomic(path, lambda fh: fh.write(text))
