"""The handbook's structure pages as a PDF, drawn with matplotlib from the same blocks as the other formats.

:func:`render_handbook_pdf` lays out the blocks of
:func:`solver.handbook.write.handbook_page` on landscape A4 pages: headings in
bold (larger for higher levels), paragraphs wrapped, each table's columns at
fixed positions with wide gaps between them, and the diagram as a picture
(raster, so its labels never mix with the text a reader extracts). The text is
a real text layer (TrueType fonts), so ``qualpath import`` reads the PDF back.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from solver.handbook.write import Block, handbook_page
from solver.model import Qualification

from .export import write_atomic
from .save import RENDER_RC

__all__ = ["diagram_png", "render_handbook_pdf"]

_WIDTH, _HEIGHT = 842.0, 595.0  # landscape A4, points
_MARGIN = 40.0
_BODY = 9.0
_HEADING = {1: 16.0, 2: 14.0, 3: 12.5, 4: 11.5, 5: 11.0, 6: 10.5}
_CHAR = 0.56  # average character width of DejaVu Sans, in ems


class _Pages:
    """A cursor over pages: text is placed from the top margin down, a new page when one is full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.figure: Figure | None = None
        self.y = 0.0

    def page(self) -> Figure:
        if self.figure is None or self.y < _MARGIN:
            self.close()
            self.figure = Figure(figsize=(_WIDTH / 72, _HEIGHT / 72))
            self.y = _HEIGHT - _MARGIN
        return self.figure

    def need(self, height: float) -> None:
        if self.figure is not None and self.y - height < _MARGIN:
            self.close()
        self.page()

    def text(self, x: float, words: str, size: float, bold: bool = False) -> None:
        figure = self.page()
        figure.text(x / _WIDTH, self.y / _HEIGHT, words, fontsize=size, va="top", ha="left",
                    fontweight="bold" if bold else "normal")

    def close(self) -> None:
        if self.figure is not None:
            self.pdf.savefig(self.figure)  # type: ignore[no-untyped-call]
            self.figure = None


def _table(pages: _Pages, rows: tuple[tuple[str, ...], ...]) -> None:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    room = _WIDTH - 2 * _MARGIN - 2 * _BODY * (len(widths) - 1)
    size = _BODY
    while sum(widths) * _CHAR * size > room and size > 5:
        size -= 0.5
    gap = 2.2 * size
    for i, row in enumerate(rows):
        pages.need(size * 1.5)
        x = _MARGIN
        for c, cell in enumerate(row):
            pages.text(x, cell or "-", size, bold=i == 0)
            x += widths[c] * _CHAR * size + gap
        pages.y -= size * 1.45 if i else size * 1.6
    pages.y -= size


def _picture(pages: _Pages, data: bytes) -> None:
    import matplotlib.image as mpimg

    image = mpimg.imread(io.BytesIO(data), format="png")
    figure = pages.page()
    ax = figure.add_axes((0.04, 0.04, 0.92, max(0.1, (pages.y - _MARGIN) / _HEIGHT - 0.02)))
    ax.imshow(image, interpolation="antialiased")
    ax.set_axis_off()
    pages.y = 0.0


def diagram_png(q: Qualification, *, dpi: float = 150) -> bytes:
    """The structure diagram of ``q`` (:func:`viz.draw.draw_qualification`) as PNG bytes."""
    from .draw import draw_qualification
    from .graph import to_graph

    with matplotlib.rc_context(RENDER_RC):
        ax = draw_qualification(to_graph(q))
        buffer = io.BytesIO()
        figure = ax.get_figure(root=True)
        if figure is None:  # pragma: no cover - draw_qualification always makes one
            raise RuntimeError("the diagram has no figure")
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def render_handbook_pdf(q: Qualification, path: str | Path, *,
                        diagram: bool | bytes | Callable[[], bytes] = True) -> Path:
    """Write the structure pages of ``q`` as a PDF (atomically); return the path.

    Parameters
    ----------
    q
        The qualification.
    path
        The ``.pdf`` file to write.
    diagram
        ``True`` draws the structure diagram with :func:`viz.draw.draw_qualification`;
        PNG bytes (or a function returning them) use that picture; ``False`` leaves it out.

    Examples
    --------
    >>> import tempfile
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = render_handbook_pdf(q, Path(folder) / "nvq.pdf", diagram=False)
    ...     out.read_bytes()[:5]
    b'%PDF-'
    """
    path = Path(path)
    with matplotlib.rc_context(RENDER_RC):
        picture: Any = None
        if diagram is True:
            picture = diagram_png(q)
        elif callable(diagram):
            picture = diagram()
        elif isinstance(diagram, bytes):
            picture = diagram
        blocks = handbook_page(q, diagram=None)
        if picture and picture[:4] == b"\x89PNG":
            blocks += [Block(kind="heading", text="Structure diagram", level=2), Block(kind="image", data=picture)]

        def write(handle: Any) -> None:
            metadata = {"CreationDate": None, "ModDate": None, "Creator": "qualpath", "Producer": "qualpath",
                        "Title": q.title}
            with PdfPages(handle, metadata=metadata) as pdf:
                _draw(_Pages(pdf), blocks)

        return write_atomic(path, write, binary=True)


def _draw(pages: _Pages, blocks: list[Block]) -> None:
    for block in blocks:
        if block.kind == "heading":
            size = _HEADING.get(block.level, 10.5)
            pages.need(_HEIGHT * 0.8 if block.text == "Structure diagram" else size * 4)
            pages.y -= size * 0.6
            pages.text(_MARGIN, block.text, size, bold=True)
            pages.y -= size * 1.8
        elif block.kind == "paragraph":
            for line in textwrap.wrap(block.text, width=int((_WIDTH - 2 * _MARGIN) / (_CHAR * _BODY)) - 8) or [""]:
                pages.need(_BODY * 1.5)
                pages.text(_MARGIN, line, _BODY)
                pages.y -= _BODY * 1.45
            pages.y -= _BODY * 1.2
        elif block.kind == "bullets":
            for row in block.rows:
                pages.need(_BODY * 1.5)
                pages.text(_MARGIN + 10, f"- {row[0]}", _BODY)
                pages.y -= _BODY * 1.45
            pages.y -= _BODY * 1.2
        elif block.kind == "table":
            _table(pages, block.rows)
        elif block.kind == "image":
            _picture(pages, block.data)
    pages.close()
