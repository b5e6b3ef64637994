"""Large structures page by page: one group per page, every unit drawn, as a PDF or numbered PNGs.

The alternative to the compact view when a structure has too many units for
one legible page: :func:`iter_page_graphs` cuts the graph into one graph per
group (with the combinations around it, so each page says where the group
sits), and :func:`render_pages` draws each on its own page.

Examples
--------
>>> from viz.samples import synthetic_qualification
>>> from viz.graph import to_graph
>>> pages = list(iter_page_graphs(to_graph(synthetic_qualification(groups=8, units_per_group=25))))
>>> len(pages), sorted(k for _, k in pages[1].nodes(data="kind")).count("unit")
(8, 25)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import matplotlib
import networkx as nx
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from solver.model.errors import UsageError

from .draw import RENDER_RC, as_graph, draw_qualification, group_colours, output_format, save_figure
from .export import write_atomic
from .layout import choose_links, group_members, layout_qualification, link_note, links_as_notes, make_style

__all__ = ["iter_page_graphs", "render_pages"]


def _ancestors(G: nx.DiGraph, node: Any) -> list[Any]:
    chain: list[Any] = []
    while True:
        parents = [p for p in G.predecessors(node) if G.edges[p, node].get("kind") == "requirement"]
        if not parents:
            return chain
        node = parents[0]
        chain.append(node)


def iter_page_graphs(G: nx.DiGraph) -> Iterator[nx.DiGraph]:
    """One graph per group of ``G``: its qualification, the combinations around it, the group and its units.

    Every unit the group lists is drawn in it (a unit listed in several
    groups appears on each of their pages). The qualification node gets
    ``page`` and ``pages`` attributes.
    """
    groups = [n for n, k in G.nodes(data="kind") if k == "group"]
    colours = group_colours(G)  # each group keeps its colour of the whole drawing
    for number, group in enumerate(groups, 1):
        members = group_members(G, group)
        keep = [*reversed(_ancestors(G, group)), group, *members]
        H = G.subgraph(keep).copy()
        H.nodes[group]["color"] = colours[group]
        for unit in members:
            H.nodes[unit]["group"] = group
            H.nodes[unit]["groups"] = (group,)
        for node, kind in H.nodes(data="kind"):
            if kind == "qualification":
                H.nodes[node]["page"], H.nodes[node]["pages"] = number, len(groups)
        H.graph["page_group"] = group
        # a barred pair or prerequisite with a unit on another page cannot be drawn as a line:
        # then the page's boxes say what each unit needs and is barred with, read from the whole
        members_set = set(members)
        across = any((u in members_set) != (v in members_set) for u, v, kind in G.edges(data="kind")
                     if kind in ("barred", "prerequisite") and (u in members_set or v in members_set))
        H.graph["links_auto"] = links_as_notes(G) or across
        for unit in members:
            H.nodes[unit]["link_note"] = link_note(G, unit)
        yield H


def render_pages(
    source: Any,
    path: str | Path,
    *,
    highlight: Iterable[Any] | None = None,
    title: str | None = None,
    dpi: float = 200,
    **kwds: Any,
) -> list[Path]:
    """Draw a structure one group per page: a multi-page PDF, or PNGs numbered ``OUT-1.png``, ``OUT-2.png``.

    Parameters
    ----------
    source
        A qualification or a graph from :func:`viz.graph.to_graph`.
    path
        ``.pdf`` (one file, one page per group) or ``.png`` (one file per
        group, numbered after the stem).
    highlight
        Unit ids of a pathway; each page shows its part of it.
    title
        Printed instead of the qualification's title (the page number is added).
    dpi
        Resolution of PNG files.
    **kwds
        Sizes, as for :func:`viz.draw.draw_qualification`.

    Returns
    -------
    list of pathlib.Path
        The files written (one for a PDF).

    Examples
    --------
    >>> import tempfile
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [p.name for p in render_pages(q, Path(folder) / "nvq.png", dpi=20)]
    ['nvq-1.png', 'nvq-2.png']
    """
    path = Path(path)
    fmt = output_format(path)
    if fmt == "svg":
        raise UsageError(f"{path}: pages are written as one PDF or numbered PNGs, not SVG")
    style = make_style(kwds.pop("style", None), **kwds)
    G = as_graph(source, None)
    choose_links(G, style)
    style = dataclasses.replace(style, links="auto")  # each page as iter_page_graphs decided from the whole
    chosen = None if highlight is None else set(highlight)
    if chosen is not None:
        unknown = sorted(str(u) for u in chosen if G.nodes.get(u, {}).get("kind") != "unit")
        if unknown:
            raise UsageError(f"highlight names {', '.join(map(repr, unknown))}, not units of the drawing")
    figures: list[Figure] = []
    names: list[str] = []
    with matplotlib.rc_context(RENDER_RC):
        for H in iter_page_graphs(G):
            for node, kind in H.nodes(data="kind"):
                if kind == "qualification":
                    attrs = H.nodes[node]
                    attrs["title_override"] = (f"{title or attrs.get('title', node)} — page {attrs['page']} "
                                               f"of {attrs['pages']}")
                    names.append(str(attrs["title_override"]))
            pos = layout_qualification(H, compact=False, style=style)
            page_units = {u for u, k in H.nodes(data="kind") if k == "unit"}
            ax = draw_qualification(H, pos, highlight=None if chosen is None else chosen & page_units,
                                    style=style)
            figure = ax.get_figure(root=True)
            if not isinstance(figure, Figure):
                raise UsageError("the drawing has no figure to save")
            figures.append(figure)
    if not figures:
        raise UsageError("the structure has no groups to draw")
    if fmt == "png":
        return [save_figure(fig, path.with_name(f"{path.stem}-{i}{path.suffix}"), dpi=dpi, title=name)
                for i, (fig, name) in enumerate(zip(figures, names, strict=True), 1)]
    metadata = {"CreationDate": None, "ModDate": None, "Creator": "qualpath", "Producer": "qualpath",
                "Title": title or str(G.graph.get("title", ""))}

    def write(handle: Any) -> None:
        with matplotlib.rc_context(RENDER_RC), PdfPages(handle, metadata=metadata) as pdf:
            for figure in figures:
                pdf.savefig(figure)

    return [write_atomic(path, write, binary=True)]
