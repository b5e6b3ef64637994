"""Draw unit-group diagrams with matplotlib, in networkx's drawing style.

:func:`draw_qualification` draws a graph from :func:`viz.graph.to_graph` at
positions from :func:`viz.layout.layout_qualification` onto an ``Axes`` and
returns it; :func:`render` does all three and writes a PNG, SVG or PDF,
byte-for-byte the same for the same input. Nothing here uses pyplot or
changes matplotlib's global state beyond a temporary ``rc_context``.

The code is split by what it does: :mod:`viz.pieces` draws the title,
bands, units and links, :mod:`viz.legend` the pathway caption and the key,
with colours from :mod:`viz.colours`; :mod:`viz.save` writes the files.

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
>>> from solver.model.load import bundled_rules, load_qualification
>>> from viz.graph import to_graph
>>> G = to_graph(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
>>> ax = draw_qualification(G)
>>> [round(float(v), 2) for v in ax.figure.get_size_inches()]
[8.27, 3.97]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from solver.model.errors import UsageError

from .colours import DIFF_COLOURS, OKABE_ITO, TOL_MUTED, group_colours
from .layout import (
    Style,
    band_geometry,
    choose_links,
    content_bottom,
    layout_qualification,
    make_style,
    page_width,
    wrap_text,
)
from .legend import draw_legend, legend_items, legend_rows, pathway_caption
from .pieces import draw_band, draw_compact, draw_links, draw_title, draw_unit, put_lines
from .save import RENDER_RC, output_format, save_figure

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
    choose_links(G, style)
    pos = pos if pos is not None else layout_qualification(G, style=style)
    selected = _selection(G, highlight)
    colours = group_colours(G)
    width = page_width(G, pos)
    usable = width - 2 * style.margin
    caption_text = pathway_caption(G, selected) if selected is not None else ""
    if G.graph.get("diff") is not None:
        caption_text = " ".join(t for t in (G.graph["diff"].summary(), caption_text) if t)
    caption = wrap_text(caption_text, usable - 0.05, 8, bold=True, font=style.font) if caption_text else []
    rows = legend_rows(legend_items(G, colours, selected, pos), usable, style) if legend else []
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
            draw_title(ax, G, node, pos[node][0], pos[node][1], usable, style)
    bands = band_geometry(G, pos, style)
    for node, band in bands.items():
        colour = colours.get(node)
        draw_band(ax, G, node, band, colour, style)
        if band.compact and colour is not None:
            draw_compact(ax, G, node, band, colour, selected, style)
    for node, kind in G.nodes(data="kind"):
        if kind == "unit" and node in pos:
            group = G.nodes[node].get("group")
            draw_unit(ax, G, node, pos[node], colours.get(group, "#777777"), selected, style)
    draw_links(ax, G, pos, style)
    y = bottom
    if caption:
        put_lines(ax, style.margin, y, caption, 8, style, weight="bold", gid="pathway-caption")
        y -= len(caption) * style.line(8) + 0.12
    if rows:
        draw_legend(ax, rows, style.margin, y, style)
    return ax


# --- files ----------------------------------------------------------------------------------------

def as_graph(source: Any, status: Mapping[str, object] | None) -> nx.DiGraph:
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
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = render(q, Path(folder) / "nvq.svg")
    ...     ">OCR Level 2 NVQ in Customer Service<" in out.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    output_format(path)
    style = make_style(style, **kwds)
    G = as_graph(source, status)
    roots = [n for n, k in G.nodes(data="kind") if k == "qualification"]
    if title is not None and roots:
        G.nodes[roots[0]]["title_override"] = title
    doc_title = title or str(G.graph.get("title", ""))
    with matplotlib.rc_context(RENDER_RC):
        pos = layout_qualification(G, compact=compact, orientation=orientation, style=style)
        ax = draw_qualification(G, pos, highlight=highlight, style=style)
        return save_figure(ax, path, dpi=dpi, title=doc_title)
