"""Draw unit-group diagrams with matplotlib, in networkx's drawing style.

:func:`draw_qualification` draws a graph from :func:`viz.graph.to_graph` at
positions from :func:`viz.layout.layout_qualification` onto an ``Axes`` and
returns it; :func:`render` does all three and writes a PNG, SVG or PDF,
byte-for-byte the same for the same input. Nothing here uses pyplot or
changes matplotlib's global state beyond a temporary ``rc_context``.

Style comes from node attributes where it belongs to a node:

``color``
    on a group: its colour (default: Okabe–Ito, or Paul Tol's muted palette
    when there are more than seven groups);
``selected``
    on a unit: part of the pathway shown (same as ``highlight=``);
``status``
    on a unit: ``"forced"`` (thick outline), ``"dead"`` (hatched, grey) or
    ``"free"``;
``title_override``
    on a qualification: the title to print instead of its own.

Examples
--------
>>> from solver.load import bundled_rules, load_qualification
>>> from viz.graph import to_graph
>>> G = to_graph(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
>>> ax = draw_qualification(G)
>>> [round(float(v), 2) for v in ax.figure.get_size_inches()]
[8.27, 3.97]
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import matplotlib
import matplotlib.colors as mcolors
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from solver.errors import UsageError
from solver.model import format_number

from .export import write_atomic
from .layout import (
    Band,
    Style,
    band_geometry,
    box_height,
    content_bottom,
    group_members,
    layout_qualification,
    make_style,
    page_width,
    text_width,
    title_lines,
    unit_title_lines,
    wrap_text,
)

__all__ = [
    "DIFF_COLOURS",
    "OKABE_ITO",
    "RENDER_RC",
    "TOL_MUTED",
    "draw_qualification",
    "group_colours",
    "output_format",
    "pathway_caption",
    "render",
    "save_figure",
]

#: Okabe & Ito's colour-blind-safe palette, without black.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Paul Tol's muted palette (nine colours), used when there are more groups than Okabe–Ito has.
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499")
_FADED_TEXT, _FADED_EDGE, _FADED_FILL = "#9A9A9A", "#CFCFCF", "#F6F6F6"
_TEXT, _MUTED = "#1A1A1A", "#555555"
_SMALL_ROUND = "round,pad=0,rounding_size=0.02"
#: Outline colour of each change in a change view (Okabe–Ito green, vermillion, orange); groups go grey there.
DIFF_COLOURS = {"added": "#009E73", "removed": "#D55E00", "changed": "#E69F00"}


def _mix(colour: str, white: float) -> tuple[float, float, float]:
    r, g, b = mcolors.to_rgb(colour)
    return (r + (1 - r) * white, g + (1 - g) * white, b + (1 - b) * white)


def _dark(colour: str, factor: float = 0.7) -> tuple[float, float, float]:
    r, g, b = mcolors.to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def _ink(colour: Any) -> str:
    r, g, b = mcolors.to_rgb(colour)
    return _TEXT if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"


def group_colours(G: nx.DiGraph) -> dict[Any, str]:
    """Return each group's colour: its ``color`` attribute, else the next palette colour.

    >>> from solver.model import Group, Qualification
    >>> q = Qualification(id="Q", title="T", requirements=(Group(id="A"), Group(id="B")))
    >>> from viz.graph import to_graph
    >>> group_colours(to_graph(q))
    {'Q/A': '#0072B2', 'Q/B': '#E69F00'}
    """
    groups = [n for n, k in G.nodes(data="kind") if k == "group"]
    palette = OKABE_ITO if len(groups) <= len(OKABE_ITO) else TOL_MUTED
    return {g: str(G.nodes[g].get("color") or palette[i % len(palette)]) for i, g in enumerate(groups)}


def _text(ax: Axes, x: float, y: float, s: str, size: float, style: Style, **kw: Any) -> Any:
    kw.setdefault("color", _TEXT)
    kw.setdefault("va", "top")
    return ax.text(x, y, s, fontsize=size, family=style.font, linespacing=style.line_spacing,
                   parse_math=False, clip_on=False, zorder=kw.pop("zorder", 4), **kw)


def _lines(ax: Axes, x: float, top: float, lines: list[str], size: float, style: Style, *,
           gid: str | None = None, **kw: Any) -> None:
    """Lines of text from ``top`` down, one ``Text`` each, at an even pitch (baseline aligned)."""
    pitch = style.line(size)
    for i, line in enumerate(lines):
        _text(ax, x, top - pitch * (i + 0.8), line, size, style, va="baseline",
              gid=None if gid is None else f"{gid}:{i}", **kw)


def _credits(value: Any) -> str:
    return f"{format_number(value)} credit{'' if value == 1 else 's'}"


# --- pieces ---------------------------------------------------------------------------------------

def _draw_title(ax: Axes, G: nx.DiGraph, node: Any, x: float, y: float, width: float, style: Style) -> None:
    title, sub = title_lines(G, node, width, style)
    _lines(ax, x, y, title, style.title_size, style, ha="center", weight="bold", gid=f"title:{node}")
    y -= len(title) * style.line(style.title_size) + 0.04
    _lines(ax, x, y, sub, style.subtitle_size, style, ha="center", color=_MUTED)


def _draw_band(ax: Axes, G: nx.DiGraph, node: Any, band: Band, colour: str | None, style: Style) -> None:
    combination = colour is None
    patch = FancyBboxPatch(
        (band.left, band.bottom), band.right - band.left, band.top - band.bottom,
        boxstyle="round,pad=0,rounding_size=0.06",
        facecolor="#FAFAFA" if combination else _mix(colour or "", 0.9),
        edgecolor="#7A7A7A" if combination else colour, linewidth=0.9,
        linestyle=(0, (4, 2)) if combination else "-", zorder=1 + G.nodes[node].get("depth", 1) * 0.01,
    )
    change = G.nodes[node].get("diff")
    if change:
        patch.set_edgecolor(DIFF_COLOURS[change])
        patch.set_linewidth(2.0)
        patch.set_linestyle((0, (5, 3)) if change == "removed" else "-")
    ax.add_patch(patch)
    ink = _TEXT if combination else _dark(colour or "", 0.4)
    _lines(ax, band.left + style.pad, band.top - style.pad + 0.02, band.header, style.header_size,
           style, weight="bold", color=ink, gid=f"band:{node}")
    if band.note:
        top = band.bottom + style.pad + len(band.note) * style.line(style.caption_size)
        _lines(ax, band.left + style.pad, top, band.note, style.caption_size, style,
               color=_MUTED, fontstyle="italic")


def _draw_unit(ax: Axes, G: nx.DiGraph, node: Any, xy: tuple[float, float], colour: str,
               selected: Collection[Any] | None, style: Style) -> None:
    attrs = G.nodes[node]
    w, h = style.box_width, box_height(G, style)
    x0, y0 = xy[0] - w / 2, xy[1] - h / 2
    chosen = selected is None or node in selected
    status = attrs.get("status")
    fill: Any = _mix(colour, 0.82)
    edge: Any = colour
    ink, lw, hatch = _TEXT, 0.8, None
    if selected is not None and chosen:
        fill, edge, lw = _mix(colour, 0.55), _dark(colour), 1.8
    elif not chosen:
        fill, edge, ink = _FADED_FILL, _FADED_EDGE, _FADED_TEXT
    if status == "dead":
        fill, edge, ink, hatch = "#EFEFEF", "#8C8C8C", "#6E6E6E", "////"
    elif status == "forced":
        edge, lw = _dark(colour, 0.5), max(lw, 2.2)
    change = attrs.get("diff")
    dash: Any = "-"
    if change:
        edge, lw = DIFF_COLOURS[change], 2.0
        fill = _mix(edge, 0.88) if change != "removed" else "#FBFBFB"
        dash = (0, (4, 2.5)) if change == "removed" else "-"
        ink = _MUTED if change == "removed" else ink
    ax.add_patch(FancyBboxPatch((x0, y0), w, h, boxstyle="round,pad=0,rounding_size=0.04", facecolor=fill,
                                edgecolor=edge, linewidth=lw, hatch=hatch, linestyle=dash, zorder=2))
    if G.graph.get("diff") is not None and change:
        room = w - 2 * style.text_pad - 0.03
        note = wrap_text(str(attrs.get("diff_note") or change), room, style.caption_size, bold=True,
                         font=style.font)
        if len(note) > 1:
            note = wrap_text(str(attrs.get("diff_short") or note[0]), room, style.caption_size, bold=True,
                             font=style.font, max_lines=1)
        _text(ax, x0 + style.text_pad, y0 + style.text_pad + style.badge_height + 0.03, note[0],
              style.caption_size, style, va="baseline", weight="bold", color=_dark(DIFF_COLOURS[change], 0.75),
              gid=f"diff:{node}")
    _lines(ax, x0 + style.text_pad, y0 + h - style.text_pad, unit_title_lines(G, node, style),
           style.unit_size, style, color=ink, gid=f"unit:{node}")
    row_y = y0 + style.text_pad + style.badge_height / 2
    if attrs.get("credits") is not None and _shows_credits(G, node):
        info = _credits(attrs["credits"])
    elif attrs.get("elements"):
        info = f"{attrs['elements']} elements"
    else:
        info = ""
    if selected is not None and chosen:
        info = "✓ " + info
    _text(ax, x0 + style.text_pad, row_y, info, style.caption_size, style, va="center",
          color=ink if not chosen else _MUTED if selected is None else _TEXT)
    if attrs.get("level") is not None:
        badge_colour = colour if chosen else _FADED_EDGE
        _badge(ax, x0 + w - style.text_pad, row_y, f"L{attrs['level']}", badge_colour, style)


def _shows_credits(G: nx.DiGraph, node: Any) -> bool:
    """Credits are shown on a unit when some qualification listing it counts credits."""
    owners = [q for q in G.nodes[node].get("qualifications", ()) if q in G]
    return not owners or any(G.nodes[q].get("counts_credits", True) for q in owners)


def _badge(ax: Axes, right: float, y: float, label: str, colour: Any, style: Style) -> float:
    width = text_width(label, style.badge_size, bold=True, font=style.font) + 0.07
    h = style.badge_height
    ax.add_patch(FancyBboxPatch((right - width, y - h / 2), width, h, facecolor=colour, edgecolor="none",
                                boxstyle="round,pad=0,rounding_size=0.03", zorder=3))
    _text(ax, right - width / 2, y, label, style.badge_size, style, ha="center", va="center_baseline",
          weight="bold", color=_ink(colour))
    return width


def _summary(G: nx.DiGraph, node: Any, members: list[Any], selected: Collection[Any] | None) -> str:
    counted = G.nodes[node].get("counts_credits", True)
    credits = [G.nodes[u]["credits"] for u in members if counted and G.nodes[u].get("credits") is not None]
    levels = sorted({G.nodes[u]["level"] for u in members if G.nodes[u].get("level") is not None})
    parts = [f"{len(members)} unit{'' if len(members) == 1 else 's'}"]
    if credits:
        low, high = min(credits), max(credits)
        span = format_number(low) if low == high else f"{format_number(low)}–{format_number(high)}"
        parts.append(f"{span} credits each")
    if levels:
        parts.append(f"level {levels[0]}" if len(levels) == 1 else f"levels {levels[0]}–{levels[-1]}")
    if selected is not None:
        chosen = [u for u in members if u in selected]
        got = sum((G.nodes[u].get("credits") or Decimal(0) for u in chosen), Decimal(0))
        parts.append(f"pathway: {len(chosen)} unit{'' if len(chosen) == 1 else 's'}"
                     + (f", {_credits(got)}" if credits else ""))
    return " · ".join(parts)


def _draw_compact(ax: Axes, G: nx.DiGraph, node: Any, band: Band, colour: str,
                  selected: Collection[Any] | None, style: Style) -> None:
    members = group_members(G, node)
    left, right = band.left + style.pad, band.right - style.pad
    y = band.bottom + style.pad + style.line(style.caption_size) + 0.04 + style.ribbon_height
    line_y = y + 0.06 + style.line(style.summary_size)
    _text(ax, left, line_y, _summary(G, node, members, selected), style.summary_size, style)
    weights = [float(G.nodes[u].get("credits") or 0) for u in members]
    by_credit = sum(weights) > 0 and G.nodes[node].get("counts_credits", True)
    weights = weights if by_credit else [1.0] * len(members)
    total, x = sum(weights), left
    for unit, weight in zip(members, weights, strict=True):
        width = (right - left) * weight / total
        chosen = selected is not None and unit in selected
        fill: Any = _mix(colour, 0.45)
        if selected is not None:
            fill = _dark(colour, 0.85) if chosen else _mix(colour, 0.85)
        if G.nodes[unit].get("diff"):
            fill = DIFF_COLOURS[G.nodes[unit]["diff"]]
        ax.add_patch(Rectangle((x, y - style.ribbon_height), width, style.ribbon_height, facecolor=fill,
                               edgecolor="white", linewidth=0.5, zorder=2))
        x += width
    ax.add_patch(Rectangle((left, y - style.ribbon_height), right - left, style.ribbon_height,
                           facecolor="none", edgecolor=_dark(colour, 0.8), linewidth=0.6, zorder=2.5))
    attrs = G.nodes[node]
    marks = ("min_credits", "max_credits") if by_credit else ("min_units", "max_units")
    for name in marks:
        value = attrs.get(name)
        if value is None or not total or float(value) > total:
            continue
        mx = left + (right - left) * float(value) / total
        ax.plot([mx, mx], [y + 0.03, y - style.ribbon_height - 0.03], color=_TEXT, linewidth=1.2, zorder=3)
        label = f"{name.split('_')[0]} {format_number(value)} {name.split('_')[1]}"
        lw = text_width(label, style.caption_size, font=style.font)
        tx = min(max(mx - lw / 2, left), right - lw)
        _text(ax, tx, y - style.ribbon_height - 0.03, label, style.caption_size, style, color=_TEXT)


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
    head += f", {_credits(credits)}" if with_credits else ""
    head += f" ({', '.join(parts)})." if parts else "."
    rules = [f"{G.nodes[q].get('title', q)}: {G.nodes[q]['rule']}." for q, k in G.nodes(data="kind")
             if k == "qualification" and G.nodes[q].get("rule")]
    return " ".join([head, *rules])


def _legend_items(
    G: nx.DiGraph, colours: Mapping[Any, str], selected: Collection[Any] | None, drawn: Collection[Any]
) -> list[tuple[str, Any, str]]:
    family = len(G.graph.get("qualifications", ())) > 1
    items: list[tuple[str, Any, str]] = []
    changes = G.graph.get("diff") is not None
    for group, colour in () if changes else colours.items():
        attrs = G.nodes[group]
        label = str(attrs.get("title", group))
        label = f"{attrs['qualification']}: {label}" if family else label
        items.append(("swatch", (_mix(colour, 0.82), colour), label))
    if any(k in ("all_of", "any_of", "at_least") for _, k in G.nodes(data="kind")):
        items.append(("combination", None, "rule combining groups"))
    units = [n for n, k in G.nodes(data="kind") if k == "unit" and n in drawn]
    summarised = [n for n, k in G.nodes(data="kind") if k == "group" and n in drawn and group_members(G, n)
                  and not any(u in drawn for u in group_members(G, n))]
    if summarised:
        items.append(("ribbon", None, "summary strip: one segment per unit, width by credits"))
    if any(G.nodes[n].get("level") is not None for n in units):
        items.append(("badge", None, "unit level"))
    if selected is not None:
        items.append(("swatch", ("#BBBBBB", "#444444"), "in the pathway"))
        items.append(("swatch", (_FADED_FILL, _FADED_EDGE), "not in the pathway"))
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


def _legend_rows(
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


def _draw_legend(ax: Axes, rows: list[list[tuple[Any, ...]]], left: float, top: float, style: Style) -> None:
    step = style.line(style.legend_size) * 1.3
    _text(ax, left, top, "Key", style.legend_size, style, weight="bold")
    for r, row in enumerate(rows):
        y = top - r * step - step / 2 + 0.02
        for kind, look, label, x in row:
            sx = left + x
            if kind == "badge":
                _badge(ax, sx + 0.24, y, "L2", "#777777", style)
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
            _text(ax, sx + 0.3, y, label, style.legend_size, style, va="center_baseline")


# --- the drawing --------------------------------------------------------------------------------

def _selection(G: nx.DiGraph, highlight: Iterable[Any] | None) -> set[Any] | None:
    if highlight is None:
        marked = {n for n, a in G.nodes(data=True) if a.get("selected")}
        return marked or None
    chosen = set(highlight)
    unknown = sorted(str(u) for u in chosen if G.nodes.get(u, {}).get("kind") != "unit")
    if unknown:
        raise UsageError(f"highlight names {', '.join(map(repr, unknown))}, which "
                         f"{'is not a unit' if len(unknown) == 1 else 'are not units'} of the drawing")
    return chosen


def draw_qualification(
    G: nx.DiGraph,
    pos: Mapping[Any, tuple[float, float]] | None = None,
    ax: Axes | None = None,
    *,
    highlight: Iterable[Any] | None = None,
    legend: bool = True,
    style: Style | None = None,
    **kwds: Any,
) -> Axes:
    """Draw a unit-group diagram; return the ``Axes``.

    Parameters
    ----------
    G
        A graph from :func:`viz.graph.to_graph`.
    pos
        Positions from :func:`viz.layout.layout_qualification` (computed
        with the same style when not given).
    ax
        Where to draw. By default a new :class:`~matplotlib.figure.Figure`
        (not pyplot) sized to the page, so text is printed at its point size.
    highlight
        Unit ids of a pathway: drawn strongly, the rest faded, with a caption
        giving its totals. Units with a true ``selected`` attribute are used
        when not given.
    legend
        Draw the key under the diagram.
    style, **kwds
        Sizes: a :class:`viz.layout.Style`, and/or any of its fields by name
        (``unit_size=8``).

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    UsageError
        For an unknown option, or a highlighted id that is not a unit.
    """
    style = make_style(style, **kwds)
    pos = pos if pos is not None else layout_qualification(G, style=style)
    selected = _selection(G, highlight)
    colours = group_colours(G)
    width = page_width(G, pos)
    usable = width - 2 * style.margin
    caption_text = pathway_caption(G, selected) if selected is not None else ""
    if G.graph.get("diff") is not None:
        caption_text = " ".join(t for t in (G.graph["diff"].summary(), caption_text) if t)
    caption = wrap_text(caption_text, usable - 0.05, 8, bold=True, font=style.font) if caption_text else []
    rows = _legend_rows(_legend_items(G, colours, selected, pos), usable, style) if legend else []
    bottom = content_bottom(G, pos, style) - 0.12
    footer = len(caption) * style.line(8) + (0.12 if caption else 0)
    footer += len(rows) * style.line(style.legend_size) * 1.3
    height = -(bottom - footer - style.margin)
    if ax is None:
        ax = Figure(figsize=(width, height)).add_axes((0, 0, 1, 1))
    else:
        ax.set_aspect("equal")
    ax.set_xlim(0, width)
    ax.set_ylim(-height, 0)
    ax.set_axis_off()
    for node, kind in G.nodes(data="kind"):
        if kind == "qualification" and node in pos:
            _draw_title(ax, G, node, pos[node][0], pos[node][1], usable, style)
    bands = band_geometry(G, pos, style)
    for node, band in bands.items():
        colour = colours.get(node)
        _draw_band(ax, G, node, band, colour, style)
        if band.compact and colour is not None:
            _draw_compact(ax, G, node, band, colour, selected, style)
    for node, kind in G.nodes(data="kind"):
        if kind == "unit" and node in pos:
            group = G.nodes[node].get("group")
            _draw_unit(ax, G, node, pos[node], colours.get(group, "#777777"), selected, style)
    _draw_links(ax, G, pos, style)
    y = bottom
    if caption:
        _lines(ax, style.margin, y, caption, 8, style, weight="bold", gid="pathway-caption")
        y -= len(caption) * style.line(8) + 0.12
    if rows:
        _draw_legend(ax, rows, style.margin, y, style)
    return ax


def _draw_links(ax: Axes, G: nx.DiGraph, pos: Mapping[Any, tuple[float, float]], style: Style) -> None:
    for u, v, kind in G.edges(data="kind"):
        if kind not in ("prerequisite", "barred") or u not in pos or v not in pos:
            continue
        (x1, y1), (x2, y2) = pos[u], pos[v]
        colour = "#D55E00" if kind == "barred" else "#333333"
        ax.annotate("", xy=(x2, y2), xytext=(x1, y1), zorder=5,
                    arrowprops={"arrowstyle": "-" if kind == "barred" else "-|>", "color": colour,
                                "linestyle": ":" if kind == "barred" else "--", "linewidth": 1.1,
                                "connectionstyle": "arc3,rad=0.25", "shrinkA": 8, "shrinkB": 8})


# --- files ----------------------------------------------------------------------------------------

_FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
#: rc settings every rendered file is made with: real text in SVG (searchable), TrueType in PDF,
#: a fixed SVG id salt so the same input gives the same bytes.
RENDER_RC: dict[Any, Any] = {
    "svg.fonttype": "none", "svg.hashsalt": "qualpath", "pdf.fonttype": 42, "text.usetex": False,
    "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"], "hatch.linewidth": 0.6,
    "hatch.color": "#B0B0B0", "figure.facecolor": "white", "savefig.facecolor": "white",
}


def _metadata(fmt: str, title: str) -> dict[str, Any]:
    if fmt == "png":
        return {"Software": None, "Title": title}
    if fmt == "svg":
        return {"Date": None, "Creator": "qualpath", "Title": title}
    return {"CreationDate": None, "ModDate": None, "Creator": "qualpath", "Producer": "qualpath",
            "Title": title}


def _as_graph(source: Any, status: Mapping[str, object] | None) -> nx.DiGraph:
    if isinstance(source, nx.DiGraph):
        if status is not None:
            raise UsageError("status= is for qualifications; give a graph's units a 'status' attribute")
        return source.copy()
    from .graph import to_graph

    return to_graph(source, status=status)


def render(
    source: Any,
    path: str | Path,
    *,
    highlight: Iterable[Any] | None = None,
    title: str | None = None,
    status: Mapping[str, object] | None = None,
    compact: bool | None = None,
    orientation: str | None = None,
    dpi: float = 300,
    style: Style | None = None,
    **kwds: Any,
) -> Path:
    """Draw a qualification (or several, or a graph) and write it as PNG, SVG or PDF.

    The format follows the suffix. The file is written atomically (a
    temporary file in the same folder, then renamed) and is the same bytes
    for the same input: dates are left out and SVG ids use a fixed salt.

    Parameters
    ----------
    source
        A :class:`~solver.model.Qualification`, several of them, or a graph
        from :func:`viz.graph.to_graph` (copied, never changed).
    path
        Where to write: ``.png``, ``.svg`` or ``.pdf``.
    highlight
        Unit ids of a pathway to show (see :func:`draw_qualification`).
    title
        Printed instead of the qualification's title.
    status
        Unit id → ``"dead"``, ``"forced"`` or ``"free"``.
    compact, orientation
        Passed to :func:`viz.layout.layout_qualification`.
    dpi
        Resolution of PNG files.
    style, **kwds
        Sizes, as for :func:`draw_qualification`.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile
    >>> from solver.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = render(q, Path(folder) / "nvq.svg")
    ...     ">OCR Level 2 NVQ in Customer Service<" in out.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    output_format(path)
    style = make_style(style, **kwds)
    G = _as_graph(source, status)
    roots = [n for n, k in G.nodes(data="kind") if k == "qualification"]
    if title is not None and roots:
        G.nodes[roots[0]]["title_override"] = title
    doc_title = title or str(G.graph.get("title", ""))
    with matplotlib.rc_context(RENDER_RC):
        pos = layout_qualification(G, compact=compact, orientation=orientation, style=style)
        ax = draw_qualification(G, pos, highlight=highlight, style=style)
        return save_figure(ax, path, dpi=dpi, title=doc_title)


def output_format(path: str | Path) -> str:
    """Return the file format (``png``, ``svg`` or ``pdf``) a path's suffix asks for.

    >>> output_format("out/Diploma.PNG")
    'png'

    Raises
    ------
    UsageError
        For any other suffix.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: cannot tell the format from {path.suffix or 'no suffix'!r}; "
                         "expected .png, .svg or .pdf")
    return fmt


def save_figure(figure: Figure | Axes, path: str | Path, *, dpi: float = 300, title: str = "") -> Path:
    """Write a figure (or the figure of an ``Axes``) as PNG, SVG or PDF: atomically, the same bytes each time.

    The format follows the suffix; dates are left out of the file and SVG ids
    use a fixed salt (:data:`RENDER_RC`).
    """
    path = Path(path)
    fmt = output_format(path)
    root = figure.get_figure(root=True) if isinstance(figure, Axes) else figure
    if not isinstance(root, Figure):
        raise UsageError("the drawing has no figure to save")
    metadata = _metadata(fmt, title)
    with matplotlib.rc_context(RENDER_RC):
        return write_atomic(path, lambda fh: root.savefig(fh, format=fmt, dpi=dpi, metadata=metadata),
                            binary=True)
