"""Unit-group diagrams of qualification structures, drawn with networkx and matplotlib.

The pipeline is model → graph → layout → drawing, one module each:
:func:`to_graph` (``viz.graph``), :func:`layout_qualification` (``viz.layout``),
:func:`draw_qualification` and :func:`render` (``viz.draw``), with exports to
GraphML, DOT and Mermaid in ``viz.export``. Only this package imports
matplotlib; ``solver`` never imports it.
"""

from .draw import draw_qualification, render
from .export import to_dot, to_mermaid, write_dot, write_graphml, write_mermaid
from .graph import family_graph, to_graph
from .layout import Style, layout_qualification

__all__ = [
    "Style",
    "draw_qualification",
    "family_graph",
    "layout_qualification",
    "render",
    "to_dot",
    "to_graph",
    "to_mermaid",
    "write_dot",
    "write_graphml",
    "write_mermaid",
]
