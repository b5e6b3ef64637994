"""Unit-group diagrams of qualification structures, drawn with networkx and matplotlib.

The pipeline is model → graph → layout → drawing, one module each:
:func:`to_graph` (``viz.graph``), :func:`layout_qualification` (``viz.layout``),
:func:`draw_qualification` and :func:`render` (``viz.draw``), with exports to
GraphML, DOT and Mermaid in ``viz.export``. Change views are in ``viz.diff``,
charts of the exact answers in ``viz.charts``, one-group-per-page drawings in
``viz.pages``. Only this package imports
matplotlib; ``solver`` never imports it.
"""

from .charts import plot_credit_histogram, plot_progress, plot_unit_frequency, render_chart
from .diff import diff_graph, diff_status, render_diff
from .draw import draw_qualification, render, save_figure
from .export import to_dot, to_mermaid, write_dot, write_graphml, write_mermaid
from .graph import family_graph, to_graph
from .layout import Style, layout_qualification
from .pages import render_pages

__all__ = [
    "Style",
    "diff_graph",
    "diff_status",
    "draw_qualification",
    "family_graph",
    "layout_qualification",
    "plot_credit_histogram",
    "plot_progress",
    "plot_unit_frequency",
    "render",
    "render_chart",
    "render_diff",
    "render_pages",
    "save_figure",
    "to_dot",
    "to_graph",
    "to_mermaid",
    "write_dot",
    "write_graphml",
    "write_mermaid",
]
