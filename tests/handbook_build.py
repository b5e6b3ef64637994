"""Build PDF and Word versions of a handbook's text, as a designer's own files would be.

The text is Markdown-like (the seeds): ``#`` headings, ``**bold**`` lines, tab-separated
table rows, ``- `` list items, paragraphs. The PDF is drawn with matplotlib's PDF backend
(headings in bold and larger, each table's columns at fixed positions, paragraphs wrapped);
the Word document with python-docx (heading styles, real tables, list paragraphs).
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import docx
import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

WIDTH, HEIGHT, MARGIN, BODY = 595.0, 842.0, 50.0, 9.0


def _blocks(text: str) -> list[tuple[str, object]]:
    """('heading', (level, text)), ('bold', text), ('row', cells), ('item', text), ('para', text), ('blank', '')."""
    out: list[tuple[str, object]] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            out.append(("blank", ""))
        elif m := re.match(r"(#{1,6})\s+(.*)", line):
            out.append(("heading", (len(m.group(1)), m.group(2).replace("**", "").strip())))
        elif "\t" in line:
            out.append(("row", [c.strip() for c in line.split("\t") if c.strip()]))
        elif re.fullmatch(r"\*\*(.+?)\*\*", line):
            out.append(("bold", line.strip("*").strip()))
        elif line.startswith("- "):
            out.append(("item", line[2:]))
        else:
            out.append(("para", line.replace("**", "")))
    return out


def build_pdf(text: str, path: Path, *, columns: bool = True) -> Path:
    """A PDF of ``text``; with ``columns=False`` each table row is one run of text (no column gaps)."""
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}), PdfPages(path) as pdf:
        state = {"fig": None, "y": 0.0}

        def page() -> Figure:
            if state["fig"] is None or state["y"] < MARGIN:
                if state["fig"] is not None:
                    pdf.savefig(state["fig"])
                state["fig"] = Figure(figsize=(WIDTH / 72, HEIGHT / 72))
                state["y"] = HEIGHT - MARGIN
            return state["fig"]

        def put(x: float, words: str, size: float = BODY, bold: bool = False) -> None:
            page().text(x / WIDTH, state["y"] / HEIGHT, words, fontsize=size, va="top",
                        fontweight="bold" if bold else "normal")

        blocks = _blocks(text)
        widths: list[int] = []
        for i, (kind, value) in enumerate(blocks):
            if kind == "row":
                if i == 0 or blocks[i - 1][0] != "row":  # a new table: its column widths
                    j, rows = i, []
                    while j < len(blocks) and blocks[j][0] in ("row",):
                        rows.append(blocks[j][1])
                        j += 1
                    widths = [max(len(r[c]) for r in rows if c < len(r)) for c in range(max(map(len, rows)))]
                page()
                x = MARGIN
                if not columns:
                    put(x, " ".join(value))
                for c, cell in enumerate(value if columns else ()):
                    put(x, cell)
                    x += widths[c] * 0.56 * BODY + 2.5 * BODY
                state["y"] -= BODY * 1.5
            elif kind == "heading":
                level, words = value
                size = {1: 16, 2: 13, 3: 11.5}.get(level, 10.5)
                page()
                put(MARGIN, words, size, bold=True)
                state["y"] -= size * 1.9
            elif kind == "bold":
                page()
                put(MARGIN, value, BODY, bold=True)
                state["y"] -= BODY * 1.6
            elif kind == "blank":
                state["y"] -= BODY * 1.2
            else:
                words = f"- {value}" if kind == "item" else value
                for piece in textwrap.wrap(words, 95) or [""]:
                    page()
                    put(MARGIN + (10 if kind == "item" else 0), piece)
                    state["y"] -= BODY * 1.45
        if state["fig"] is not None:
            pdf.savefig(state["fig"])
    return path


def build_docx(text: str, path: Path, *, tables: bool = True) -> Path:
    """A Word document of ``text``; with ``tables=False`` table rows stay tab-separated paragraphs."""
    document = docx.Document()
    blocks = _blocks(text)
    i = 0
    while i < len(blocks):
        kind, value = blocks[i]
        if kind == "row" and not tables:
            document.add_paragraph("\t".join(value))
            i += 1
            continue
        if kind == "row":
            rows = []
            while i < len(blocks) and blocks[i][0] == "row":
                rows.append(blocks[i][1])
                i += 1
            table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            continue
        if kind == "heading":
            document.add_heading(value[1], level=value[0])
        elif kind == "bold":
            document.add_paragraph().add_run(value).bold = True
        elif kind == "item":
            document.add_paragraph(value, style="List Bullet")
        elif kind == "para":
            raw = value
            paragraph = document.add_paragraph()
            paragraph.add_run(raw)
        i += 1
    document.save(str(path))
    return path
