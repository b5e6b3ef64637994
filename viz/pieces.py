"""Draw the pieces of a unit-group diagram: the title, group bands, unit boxes, summary strips and links.

Each function draws one piece onto an ``Axes`` at geometry from
:mod:`viz.layout`; :func:`viz.draw.draw_qualification` puts them together.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from decimal import Decimal
from typing import Any

import networkx as nx
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch, Rectangle

from solver.model import format_number

from .colours import DIFF_COLOURS, FADED_EDGE, FADED_FILL, FADED_TEXT, MUTED, TEXT, dark, ink_colour, mix
from .layout import (
    Band,
    Style,
    box_height,
    group_members,
    link_note_lines,
    links_as_notes,
    text_width,
    title_lines,
    unit_title_lines,
    wrap_text,
)

__all__: list[str] = []


def put_text(ax: Axes, x: float, y: float, s: str, size: float, style: Style, **kw: Any) -> Any:
    kw.setdefault("color", TEXT)
    kw.setdefault("va", "top")
    return ax.text(x, y, s, fontsize=size, family=style.font, linespacing=style.line_spacing,
                   parse_math=False, clip_on=False, zorder=kw.pop("zorder", 4), **kw)


def put_lines(ax: Axes, x: float, top: float, lines: list[str], size: float, style: Style, *,
           gid: str | None = None, **kw: Any) -> None:
    """Lines of text from ``top`` down, one ``Text`` each, at an even pitch (baseline aligned)."""
    pitch = style.line(size)
    for i, line in enumerate(lines):
        put_text(ax, x, top - pitch * (i + 0.8), line, size, style, va="baseline",
              gid=None if gid is None else f"{gid}:{i}", **kw)


def over_links(G: nx.DiGraph, fill: Any) -> dict[str, Any]:
    """Text settings that keep words legible where barred-pair and prerequisite links cross them.

    Above the links, on the colour of what the text sits on, so that a crossing line passes
    behind the words; nothing changes in a drawing without links.
    """
    if "has_links" not in G.graph:
        G.graph["has_links"] = any(k in ("barred", "prerequisite") for _u, _v, k in G.edges(data="kind"))
    if not G.graph["has_links"]:
        return {}
    return {"zorder": 6, "bbox": {"facecolor": fill, "edgecolor": "none", "boxstyle": "square,pad=0.05"}}


def credit_label(value: Any) -> str:
    return f"{format_number(value)} credit{'' if value == 1 else 's'}"


# --- pieces ---------------------------------------------------------------------------------------

def draw_title(ax: Axes, G: nx.DiGraph, node: Any, x: float, y: float, width: float, style: Style) -> None:
    title, sub = title_lines(G, node, width, style)
    put_lines(ax, x, y, title, style.title_size, style, ha="center", weight="bold", gid=f"title:{node}")
    y -= len(title) * style.line(style.title_size) + 0.04
    put_lines(ax, x, y, sub, style.subtitle_size, style, ha="center", color=MUTED)


def draw_band(ax: Axes, G: nx.DiGraph, node: Any, band: Band, colour: str | None, style: Style) -> None:
    combination = colour is None
    patch = FancyBboxPatch(
        (band.left, band.bottom), band.right - band.left, band.top - band.bottom,
        boxstyle="round,pad=0,rounding_size=0.06",
        facecolor="#FAFAFA" if combination else mix(colour or "", 0.9),
        edgecolor="#7A7A7A" if combination else colour, linewidth=0.9,
        linestyle=(0, (4, 2)) if combination else "-", zorder=1 + G.nodes[node].get("depth", 1) * 0.01,
    )
    change = G.nodes[node].get("diff")
    if change:
        patch.set_edgecolor(DIFF_COLOURS[change])
        patch.set_linewidth(2.0)
        patch.set_linestyle((0, (5, 3)) if change == "removed" else "-")
    ax.add_patch(patch)
    ink = TEXT if combination else dark(colour or "", 0.4)
    put_lines(ax, band.left + style.pad, band.top - style.pad + 0.02, band.header, style.header_size,
              style, weight="bold", color=ink, gid=f"band:{node}", **over_links(G, patch.get_facecolor()))
    if band.sentences:
        top = band.top - style.pad + 0.02 - len(band.header) * style.line(style.header_size) - 0.03
        put_lines(ax, band.left + style.pad, top, band.sentences, style.caption_size, style, color=ink,
                  gid=f"rule:{node}")
    if band.note:
        top = band.bottom + style.pad + len(band.note) * style.line(style.caption_size)
        put_lines(ax, band.left + style.pad, top, band.note, style.caption_size, style,
               color=MUTED, fontstyle="italic")


def draw_unit(ax: Axes, G: nx.DiGraph, node: Any, xy: tuple[float, float], colour: str,
               selected: Collection[Any] | None, style: Style) -> None:
    attrs = G.nodes[node]
    w, h = style.box_width, box_height(G, style)
    x0, y0 = xy[0] - w / 2, xy[1] - h / 2
    chosen = selected is None or node in selected
    status = attrs.get("status")
    fill: Any = mix(colour, 0.82)
    edge: Any = colour
    ink, lw, hatch = TEXT, 0.8, None
    if selected is not None and chosen:
        fill, edge, lw = mix(colour, 0.55), dark(colour), 1.8
    elif not chosen:
        fill, edge, ink = FADED_FILL, FADED_EDGE, FADED_TEXT
    if status == "dead":
        fill, edge, ink, hatch = "#EFEFEF", "#8C8C8C", "#6E6E6E", "////"
    elif status == "forced":
        edge, lw = dark(colour, 0.5), max(lw, 2.2)
    change = attrs.get("diff")
    dash: Any = "-"
    if change:
        edge, lw = DIFF_COLOURS[change], 2.0
        fill = mix(edge, 0.88) if change != "removed" else "#FBFBFB"
        dash = (0, (4, 2.5)) if change == "removed" else "-"
        ink = MUTED if change == "removed" else ink
    ax.add_patch(FancyBboxPatch((x0, y0), w, h, boxstyle="round,pad=0,rounding_size=0.04", facecolor=fill,
                                edgecolor=edge, linewidth=lw, hatch=hatch, linestyle=dash, zorder=2))
    if G.graph.get("diff") is not None and change:
        room = w - 2 * style.text_pad - 0.03
        note = wrap_text(str(attrs.get("diff_note") or change), room, style.caption_size, bold=True,
                         font=style.font)
        if len(note) > 1:
            note = wrap_text(str(attrs.get("diff_short") or note[0]), room, style.caption_size, bold=True,
                             font=style.font, max_lines=1)
        put_text(ax, x0 + style.text_pad, y0 + style.text_pad + style.badge_height + 0.03, note[0],
              style.caption_size, style, va="baseline", weight="bold", color=dark(DIFF_COLOURS[change], 0.75),
              gid=f"diff:{node}")
    put_lines(ax, x0 + style.text_pad, y0 + h - style.text_pad, unit_title_lines(G, node, style),
              style.unit_size, style, color=ink, gid=f"unit:{node}", **over_links(G, fill))
    note_lines = link_note_lines(G, node, style)
    if note_lines:  # above the credits row, and above a change note where there is one
        pitch = style.line(style.caption_size)
        bottom = y0 + style.text_pad + style.badge_height + 0.03 + (pitch + 0.02 if change else 0.0)
        for i, line in enumerate(reversed(note_lines)):
            put_text(ax, x0 + style.text_pad, bottom + i * pitch, line, style.caption_size, style, va="baseline",
                     color=ink if not chosen else LINK_NOTE, gid=f"links:{node}:{i}")
    row_y = y0 + style.text_pad + style.badge_height / 2
    if attrs.get("credits") is not None and _shows_credits(G, node):
        info = credit_label(attrs["credits"])
    elif attrs.get("elements"):
        info = f"{attrs['elements']} elements"
    else:
        info = ""
    if selected is not None and chosen:
        info = "✓ " + info
    put_text(ax, x0 + style.text_pad, row_y, info, style.caption_size, style, va="center",
             color=ink if not chosen else MUTED if selected is None else TEXT, **over_links(G, fill))
    if attrs.get("level") is not None:
        badge_colour = colour if chosen else FADED_EDGE
        draw_badge(ax, x0 + w - style.text_pad, row_y, f"L{attrs['level']}", badge_colour, style)


def _shows_credits(G: nx.DiGraph, node: Any) -> bool:
    """Credits are shown on a unit when some qualification listing it counts credits."""
    owners = [q for q in G.nodes[node].get("qualifications", ()) if q in G]
    return not owners or any(G.nodes[q].get("counts_credits", True) for q in owners)


def draw_badge(ax: Axes, right: float, y: float, label: str, colour: Any, style: Style) -> float:
    width = text_width(label, style.badge_size, bold=True, font=style.font) + 0.07
    h = style.badge_height
    ax.add_patch(FancyBboxPatch((right - width, y - h / 2), width, h, facecolor=colour, edgecolor="none",
                                boxstyle="round,pad=0,rounding_size=0.03", zorder=3))
    put_text(ax, right - width / 2, y, label, style.badge_size, style, ha="center", va="center_baseline",
          weight="bold", color=ink_colour(colour))
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
                     + (f", {credit_label(got)}" if credits else ""))
    return " · ".join(parts)


def draw_compact(ax: Axes, G: nx.DiGraph, node: Any, band: Band, colour: str,
                  selected: Collection[Any] | None, style: Style) -> None:
    members = group_members(G, node)
    left, right = band.left + style.pad, band.right - style.pad
    y = band.bottom + style.pad + style.line(style.caption_size) + 0.04 + style.ribbon_height
    line_y = y + 0.06 + style.line(style.summary_size)
    put_text(ax, left, line_y, _summary(G, node, members, selected), style.summary_size, style)
    weights = [float(G.nodes[u].get("credits") or 0) for u in members]
    by_credit = sum(weights) > 0 and G.nodes[node].get("counts_credits", True)
    weights = weights if by_credit else [1.0] * len(members)
    total, x = sum(weights), left
    for unit, weight in zip(members, weights, strict=True):
        width = (right - left) * weight / total
        chosen = selected is not None and unit in selected
        fill: Any = mix(colour, 0.45)
        if selected is not None:
            fill = dark(colour, 0.85) if chosen else mix(colour, 0.85)
        if G.nodes[unit].get("diff"):
            fill = DIFF_COLOURS[G.nodes[unit]["diff"]]
        ax.add_patch(Rectangle((x, y - style.ribbon_height), width, style.ribbon_height, facecolor=fill,
                               edgecolor="white", linewidth=0.5, zorder=2))
        x += width
    ax.add_patch(Rectangle((left, y - style.ribbon_height), right - left, style.ribbon_height,
                           facecolor="none", edgecolor=dark(colour, 0.8), linewidth=0.6, zorder=2.5))
    attrs = G.nodes[node]
    marks = ("min_credits", "max_credits") if by_credit else ("min_units", "max_units")
    taken = left - 1.0  # where the last label ends: a close maximum's label goes after the minimum's
    for name in marks:
        value = attrs.get(name)
        if value is None or not total or float(value) > total:
            continue
        mx = left + (right - left) * float(value) / total
        ax.plot([mx, mx], [y + 0.03, y - style.ribbon_height - 0.03], color=TEXT, linewidth=1.2, zorder=3)
        label = f"{name.split('_')[0]} {format_number(value)} {name.split('_')[1]}"
        lw = text_width(label, style.caption_size, font=style.font)
        tx = max(min(max(mx - lw / 2, left), right - lw), taken + 0.08)
        put_text(ax, tx, y - style.ribbon_height - 0.03, label, style.caption_size, style, color=TEXT)
        taken = tx + lw


#: The colours of the links between units: barred pairs (dotted) and prerequisites (dashed arrows).
LINK_COLOURS = {"barred": "#D55E00", "prerequisite": "#333333"}


#: The colour of the "needs ... not with ..." notes written in units' boxes instead of links.
LINK_NOTE = "#7A3A00"


def draw_links(ax: Axes, G: nx.DiGraph, pos: Mapping[Any, tuple[float, float]], style: Style) -> None:
    """Barred pairs (dotted) and prerequisites (dashed arrows) as lines, unless the boxes say them."""
    if links_as_notes(G):
        return
    for u, v, kind in G.edges(data="kind"):
        if kind not in ("prerequisite", "barred") or u not in pos or v not in pos:
            continue
        (x1, y1), (x2, y2) = pos[u], pos[v]
        colour = LINK_COLOURS[kind]
        head = (x2, y2)
        if kind == "prerequisite":
            # the arrow ends on the edge of the unit that needs the other, its head outside the words
            head = _edge_towards((x2, y2), (x1, y1), style.box_width / 2, box_height(G, style) / 2)
        ax.annotate("", xy=head, xytext=(x1, y1), zorder=5,
                    arrowprops={"arrowstyle": "-" if kind == "barred" else "-|>", "color": colour,
                                "linestyle": ":" if kind == "barred" else "--", "linewidth": 1.1,
                                "connectionstyle": "arc3,rad=0.25", "shrinkA": 8,
                                "shrinkB": 8 if kind == "barred" else 1})


def _edge_towards(centre: tuple[float, float], other: tuple[float, float], half_w: float,
                  half_h: float) -> tuple[float, float]:
    """Where the line from a box's ``centre`` to ``other`` leaves the box (``half_w`` by ``half_h`` each way).

    >>> _edge_towards((0.0, 0.0), (0.0, -5.0), 1.0, 0.5)
    (0.0, -0.5)
    >>> _edge_towards((0.0, 0.0), (4.0, 1.0), 1.0, 0.5)
    (1.0, 0.25)
    """
    dx, dy = other[0] - centre[0], other[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    t = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return centre[0] + dx * t, centre[1] + dy * t
