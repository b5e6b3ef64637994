"""Colours of the drawings: the group palettes, the change-view outlines, and tints of a colour.

Groups take their ``color`` attribute, else Okabe–Ito, or Paul Tol's muted
palette when there are more than seven groups (:func:`group_colours`).
"""

from __future__ import annotations

from typing import Any

import matplotlib.colors as mcolors
import networkx as nx

__all__ = ["DIFF_COLOURS", "OKABE_ITO", "TOL_MUTED", "group_colours"]

#: Okabe & Ito's colour-blind-safe palette, without black.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: Paul Tol's muted palette (nine colours), used when there are more groups than Okabe–Ito has.
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255",
             "#AA4499")
FADED_TEXT, FADED_EDGE, FADED_FILL = "#9A9A9A", "#CFCFCF", "#F6F6F6"
TEXT, MUTED = "#1A1A1A", "#555555"
#: Outline colour of each change in a change view (Okabe–Ito green, vermillion, orange); groups go grey there.
DIFF_COLOURS = {"added": "#009E73", "removed": "#D55E00", "changed": "#E69F00"}


def mix(colour: str, white: float) -> tuple[float, float, float]:
    r, g, b = mcolors.to_rgb(colour)
    return (r + (1 - r) * white, g + (1 - g) * white, b + (1 - b) * white)


def dark(colour: str, factor: float = 0.7) -> tuple[float, float, float]:
    r, g, b = mcolors.to_rgb(colour)
    return (r * factor, g * factor, b * factor)


def ink_colour(colour: Any) -> str:
    r, g, b = mcolors.to_rgb(colour)
    return TEXT if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "white"


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
