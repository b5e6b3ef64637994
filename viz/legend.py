"""What goes under a unit-group diagram: the caption of the pathway shown, and the key.

:func:`pathway_caption` sums the pathway by group; the key lists only what
the drawing uses (group colours, combinations, summary strips, levels, the
pathway, changes and unit statuses), wrapped into rows that fit the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch, Rectangle

from solver.model import format_number

from .colours import DIFF_COLOURS, FADED_EDGE, FADED_FILL, mix
from .layout import Style, group_members, link_note, links_as_notes, one_of_note, text_width
from .pieces import LINK_COLOURS, LINK_NOTE, credit_label, draw_badge, put_text

__all__ = ["pathway_caption"]

_SMALL_ROUND = "round,pad=0,rounding_size=0.02"


def pathway_caption(G: nx.DiGraph, selected: Collection[Any]) -> str:
    """Describe a pathway for its caption: units and credits, by group, and the qualification's rule.

    >>> from solver.model import Group, Qualification, Unit
    >>> from viz.graph import to_graph
    >>> q = Qualification(id="Q", title="T", min_credits=Decimal(5),
    ...     units=(Unit(id="a", title="A", credits=Decimal(3)), Unit(id="b", title="B", credits=Decimal(2))),
    ...     requirements=(Group(id="g", title="Group G", units=("a", "b")),))
    >>> print(pathway_caption(to_graph(q), {"a", "b"}))
    Pathway shown: 2 units, 5 credits (Group G\u00a05). T: min 5 credits.
    """
    units = [n for n, k in G.nodes(data="kind") if k == "unit" and n in selected]
    credits = sum((G.nodes[u].get("credits") or Decimal(0) for u in units), Decimal(0))
    with_credits = any(G.nodes[u].get("credits") is not None for u in units)
    parts = []
    for group, kind in G.nodes(data="kind"):
        if kind != "group":
            continue
        mine = [u for u in units if G.nodes[u].get("group") == group]
        if mine:
            got = sum((G.nodes[u].get("credits") or Decimal(0) for u in mine), Decimal(0))
            # a no-break space keeps each group's figure on the line of its name
            parts.append(f"{G.nodes[group].get('title', group)}\u00a0"
                         + (format_number(got) if with_credits else f"{len(mine)}"))
    head = f"Pathway shown: {len(units)} unit{'' if len(units) == 1 else 's'}"
    head += f", {credit_label(credits)}" if with_credits else ""
    head += f" ({', '.join(parts)})." if parts else "."
    rules = [f"{G.nodes[q].get('title', q)}: {G.nodes[q]['rule']}." for q, k in G.nodes(data="kind")
             if k == "qualification" and G.nodes[q].get("rule")]
    return " ".join([head, *rules])


def legend_items(
    G: nx.DiGraph, colours: Mapping[Any, str], selected: Collection[Any] | None, drawn: Collection[Any]
) -> list[tuple[str, Any, str]]:
    family = len(G.graph.get("qualifications", ())) > 1
    items: list[tuple[str, Any, str]] = []
    changes = G.graph.get("diff") is not None
    titles = Counter(str(G.nodes[g].get("title", g)) for g in colours)
    for group, colour in () if changes else colours.items():
        attrs = G.nodes[group]
        label = str(attrs.get("title", group))
        if titles[label] > 1:  # "Capstone" in each specialisation: say whose
            parents = [p for p in G.predecessors(group) if G.edges[p, group].get("kind") == "requirement"
                       and G.nodes[p].get("kind") != "qualification"]
            label = f"{G.nodes[parents[0]].get('title', parents[0])}: {label}" if parents else label
        label = f"{attrs['qualification']}: {label}" if family else label
        items.append(("swatch", (mix(colour, 0.82), colour), label))
    if any(k in ("all_of", "any_of", "at_least") for _, k in G.nodes(data="kind")):
        items.append(("combination", None, "rule combining groups"))
    units = [n for n, k in G.nodes(data="kind") if k == "unit" and n in drawn]
    summarised = [n for n, k in G.nodes(data="kind") if k == "group" and n in drawn and group_members(G, n)
                  and not any(u in drawn for u in group_members(G, n))]
    if summarised:
        items.append(("ribbon", None, "summary strip: one segment per unit, width by credits"))
    if any(G.nodes[n].get("level") is not None for n in units):
        items.append(("badge", None, "unit level"))
    links = {k for u, v, k in G.edges(data="kind") if u in drawn and v in drawn}
    # what the boxes say: every link where they are written, else a "needs one of" alone
    written = links_as_notes(G)
    notes = [link_note(G, u) for u in units] if written else [one_of_note(G, u) for u in units]
    needs = "“needs X”: X is a prerequisite" if written else "“needs one of X, Y”: any one of them is a prerequisite"
    words = [w for k, w in (("needs ", needs), ("not with ", "“not with X”: barred, not both in one pathway"))
             if any(k in note for note in notes)]
    if words:
        items.append(("note", None, "; ".join(words)))
    if written:
        links = set()
    if "prerequisite" in links:
        items.append(("link:prerequisite", None, "prerequisite (the arrow points to the unit that needs it)"))
    if "barred" in links:
        items.append(("link:barred", None, "barred: not both in one pathway"))
    if selected is not None:
        items.append(("swatch", ("#BBBBBB", "#444444"), "in the pathway"))
        items.append(("swatch", (FADED_FILL, FADED_EDGE), "not in the pathway"))
    if changes:
        found = {a.get("diff") for _, a in G.nodes(data=True)}
        for name, label in (("added", "added"), ("removed", "removed (drawn from the old version)"),
                            ("changed", "changed")):
            if name in found:
                items.append(("diff:" + name, ("white", DIFF_COLOURS[name]), label))
    statuses = {a.get("status") for _, a in G.nodes(data=True)}
    for name, look, label in (("forced", ("white", "#333333"), "must be taken"),
                              ("dead", ("#EFEFEF", "#8C8C8C"), "cannot be taken"),
                              ("free", ("white", "#AAAAAA"), "free choice")):
        if name in statuses:
            items.append(("status:" + name, look, label))
    return items


def legend_rows(
    items: list[tuple[str, Any, str]], width: float, style: Style
) -> list[list[tuple[Any, ...]]]:
    rows: list[list[tuple[Any, ...]]] = [[]]
    x = text_width("Key", style.legend_size, bold=True, font=style.font) + 0.15
    for item in items:
        need = 0.3 + text_width(item[2], style.legend_size, font=style.font) + 0.22
        if rows[-1] and x + need > width:
            rows.append([])
            x = text_width("Key", style.legend_size, bold=True, font=style.font) + 0.15
        rows[-1].append((*item, x))
        x += need
    return rows


def draw_legend(ax: Axes, rows: list[list[tuple[Any, ...]]], left: float, top: float, style: Style) -> None:
    step = style.line(style.legend_size) * 1.3
    put_text(ax, left, top, "Key", style.legend_size, style, weight="bold")
    for r, row in enumerate(rows):
        y = top - r * step - step / 2 + 0.02
        for kind, look, label, x in row:
            sx = left + x
            if kind == "badge":
                draw_badge(ax, sx + 0.24, y, "L2", "#777777", style)
            elif kind.startswith("link:"):
                barred = kind == "link:barred"
                ax.annotate("", xy=(sx + 0.26, y), xytext=(sx, y), zorder=3,
                            arrowprops={"arrowstyle": "-" if barred else "-|>", "linewidth": 1.1,
                                        "color": LINK_COLOURS["barred" if barred else "prerequisite"],
                                        "linestyle": ":" if barred else "--", "shrinkA": 0, "shrinkB": 0})
            elif kind == "note":
                put_text(ax, sx, y, "Aa", style.legend_size, style, va="center_baseline", color=LINK_NOTE)
            elif kind == "ribbon":
                for i, w in enumerate((0.1, 0.06, 0.08)):
                    ax.add_patch(Rectangle((sx + (0, 0.1, 0.16)[i], y - 0.05), w, 0.1, facecolor="#BBBBBB",
                                           edgecolor="white", linewidth=0.5, zorder=3))
            else:
                combination = kind == "combination"
                face, edge = ("#FAFAFA", "#7A7A7A") if combination else look
                ax.add_patch(FancyBboxPatch(
                    (sx, y - 0.05), 0.24, 0.1, boxstyle=_SMALL_ROUND, facecolor=face, edgecolor=edge,
                    linewidth=2.2 if kind == "status:forced" else 1.8 if kind.startswith("diff:") else 0.9,
                    linestyle=(0, (4, 2)) if combination or kind == "diff:removed" else "-",
                    hatch="////" if kind == "status:dead" else None, zorder=3))
            put_text(ax, sx + 0.3, y, label, style.legend_size, style, va="center_baseline")
