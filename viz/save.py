"""Write figures as PNG, SVG or PDF: atomically, and the same bytes for the same input.

The format follows the file's suffix (:func:`output_format`); dates are left
out of the file and SVG ids use a fixed salt (:data:`RENDER_RC`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from solver.model.errors import UsageError

from .export import write_atomic

__all__ = ["RENDER_RC", "output_format", "save_figure"]

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
