"""Write a structure's handbook pages: Markdown, HTML or Word, from the rules.

:func:`handbook_page` lays the pages out as blocks (headings, paragraphs,
tables, lists, the diagram); :func:`to_markdown`, :func:`to_html` and
:func:`to_docx` print them; :func:`write_handbook` writes a file atomically.
(PDF is drawn by ``viz.handbook_pdf`` from the same blocks, because only
``viz`` may use matplotlib.) The pages say what the rules say, in the words
:mod:`.read` reads: importing them gives back the same pathways.

Examples
--------
>>> from solver.model.load import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> lines = to_markdown(handbook_page(q)).splitlines()
>>> lines[:5]
['# OCR Level 2 NVQ in Customer Service', '', 'Qualification number: OCR-NVQ2-CS', '', 'Level: 2']
>>> i = lines.index("## Mandatory units")
>>> lines[i + 2]
'The learner must achieve all 4 units in this group.'
>>> lines[i + 6]
'| Unit number | Title | Level | Credits |'
>>> lines[lines.index("- 1.1 Establish effective relationships with customers") - 2]
'Unit nvq-positive-impression: Give customers a positive impression of yourself and your organisation'
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model import Declared, Group, Qualification, Requirement, UsageError, format_number
from ..model.files import write_bytes_atomic
from .english import (
    barred_sentences,
    level_sentences,
    names,
    node_sentences,
    overview,
    prerequisite_sentences,
)

__all__ = ["Block", "Diagram", "handbook_page", "to_docx", "to_html", "to_markdown", "write_handbook"]

#: A diagram: PNG or SVG bytes, or a function returning them (called once, when the page is laid out).
Diagram = bytes | Callable[[], bytes] | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Block:
    """One piece of a page: ``heading`` (with ``level``), ``paragraph``, ``table``, ``bullets`` or ``image``."""

    kind: str
    text: str = ""
    level: int = 0
    rows: tuple[tuple[str, ...], ...] = ()
    data: bytes = b""


def _declared(d: Declared | None, *, top: bool) -> list[Block]:
    if d is None:
        return []
    parts = []
    if top and d.min_credits is not None:
        parts.append(f"Minimum Credit Value: {format_number(d.min_credits)}")
    if d.credits is not None:
        parts.append(f"Credit Value: {format_number(d.credits)}")
    if d.units is not None:
        parts.append(f"Units Required: {d.units}")
    return [Block(kind="paragraph", text=" | ".join(parts))] if parts else []


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return format_number(value)  # type: ignore[arg-type]


def _table(q: Qualification, units: tuple[str, ...]) -> Block:
    fields = [f for f in ("level", "credits", "glh") if any(getattr(q.unit(u), f) is not None for u in units)]
    head = ("Unit number", "Title", *(("Level", "Credits", "GLH")[("level", "credits", "glh").index(f)]
                                      for f in fields))
    rows = [head]
    for uid in units:
        unit = q.unit(uid)
        rows.append((uid, unit.title, *(_cell(getattr(unit, f)) for f in fields)))
    return Block(kind="table", rows=tuple(rows))


def _elements(q: Qualification, units: tuple[str, ...], done: set[str]) -> list[Block]:
    out: list[Block] = []
    for uid in units:
        unit = q.unit(uid)
        if not unit.elements or uid in done:
            continue
        done.add(uid)
        out.append(Block(kind="paragraph", text=f"Unit {uid}: {unit.title}"))
        out.append(Block(kind="bullets", rows=tuple((f"{e.id} {e.title}",) for e in unit.elements)))
    return out


def _node(q: Qualification, node: Requirement, level: int, printed: dict[str, str], done: set[str]) -> list[Block]:
    out = [Block(kind="heading", text=printed[node.id], level=level)]
    out += [Block(kind="paragraph", text=s) for s in node_sentences(node, q)]
    out += _declared(node.declared, top=False)
    if isinstance(node, Group):
        out.append(_table(q, node.units))
        out += _elements(q, node.units, done)
    else:
        for child in node.requirements:
            out += _node(q, child, min(level + 1, 6), printed, done)
    return out


def _image(diagram: Diagram) -> list[Block]:
    data = diagram() if callable(diagram) else diagram
    if not data:
        return []
    return [Block(kind="heading", text="Structure diagram", level=2), Block(kind="image", data=data)]


def handbook_page(q: Qualification, *, diagram: Diagram = None) -> list[Block]:
    """The structure pages of ``q`` as blocks: title and figures, the rule of combination, a part per group.

    Parameters
    ----------
    q
        The qualification.
    diagram
        PNG or SVG bytes of the structure diagram, or a function that returns them;
        ``None`` leaves the diagram out.
    """
    printed = names(q)
    out = [Block(kind="heading", text=q.title, level=1),
           Block(kind="paragraph", text=f"Qualification number: {q.id}")]
    if q.level is not None:
        out.append(Block(kind="paragraph", text=f"Level: {q.level}"))
    if q.awarding_body:
        out.append(Block(kind="paragraph", text=f"Awarding body: {q.awarding_body}"))
    for name, value in (("GLH", q.glh), ("TQT", q.tqt)):
        if value is not None:
            out.append(Block(kind="paragraph", text=f"{name}: {format_number(value)}"))
    out += _declared(q.declared, top=True)
    out.append(Block(kind="heading", text="Rules of combination", level=2))
    sentences = [overview(q, printed), *level_sentences(q), *barred_sentences(q), *prerequisite_sentences(q)]
    out += [Block(kind="paragraph", text=s) for s in sentences if s]
    done: set[str] = set()
    for node in q.requirements:
        out += _node(q, node, 2, printed, done)
    out += _image(diagram)
    return out


# -- Markdown ----------------------------------------------------------------------------------------
def _md(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def to_markdown(blocks: list[Block], *, image_name: str = "") -> str:
    """Markdown: ``#`` headings, pipe tables, ``-`` lists; the diagram as a link to ``image_name``."""
    out: list[str] = []
    for b in blocks:
        if b.kind == "heading":
            out.append(f"{'#' * b.level} {b.text}")
        elif b.kind == "paragraph":
            out.append(b.text)
        elif b.kind == "table":
            head, *rows = b.rows
            lines = ["| " + " | ".join(_md(c) for c in head) + " |", "|" + "---|" * len(head)]
            lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
            out.append("\n".join(lines))
        elif b.kind == "bullets":
            out.append("\n".join(f"- {row[0]}" for row in b.rows))
        elif b.kind == "image" and image_name:
            out.append(f"![Structure diagram]({image_name})")
    return "\n\n".join(out) + "\n"


# -- HTML --------------------------------------------------------------------------------------------
def _is_svg(data: bytes) -> bool:
    return data.lstrip()[:5] in (b"<?xml", b"<svg ", b"<svg>") or b"<svg" in data[:512]


def to_html(blocks: list[Block]) -> str:
    """A standalone web page; the diagram is embedded (inline SVG, or PNG as a data URI)."""
    title = next((b.text for b in blocks if b.kind == "heading"), "")
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           f"<title>{html.escape(title)}</title>",
           "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
           "td,th{border:1px solid #999;padding:.2em .5em;text-align:left}</style>", "</head>", "<body>"]
    for b in blocks:
        if b.kind == "heading":
            out.append(f"<h{b.level}>{html.escape(b.text)}</h{b.level}>")
        elif b.kind == "paragraph":
            out.append(f"<p>{html.escape(b.text)}</p>")
        elif b.kind == "table":
            head, *rows = b.rows
            out.append("<table>")
            out.append("<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in head) + "</tr>")
            out += ["<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows]
            out.append("</table>")
        elif b.kind == "bullets":
            out.append("<ul>" + "".join(f"<li>{html.escape(r[0])}</li>" for r in b.rows) + "</ul>")
        elif b.kind == "image":
            if _is_svg(b.data):
                out.append(b.data.decode("utf-8", "replace"))
            else:
                data = base64.b64encode(b.data).decode("ascii")
                out.append(f'<img alt="Structure diagram" src="data:image/png;base64,{data}">')
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- Word --------------------------------------------------------------------------------------------
def to_docx(blocks: list[Block]) -> bytes:
    """A Word document: heading styles, tables (Table Grid), bulleted lists, the diagram (PNG only)."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    for b in blocks:
        if b.kind == "heading":
            document.add_heading(b.text, level=min(b.level, 9) if b.level > 1 else 0)
        elif b.kind == "paragraph":
            document.add_paragraph(b.text)
        elif b.kind == "table":
            table = document.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            table.style = "Table Grid"
            for r, row in enumerate(b.rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
        elif b.kind == "bullets":
            for row in b.rows:
                document.add_paragraph(row[0], style="List Bullet")
        elif b.kind == "image" and not _is_svg(b.data):
            document.add_picture(io.BytesIO(b.data), width=Inches(6))
    document.core_properties.title = next((b.text for b in blocks if b.kind == "heading"), "")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()



def write_handbook(q: Qualification, path: str | Path, *, diagram: Diagram = None) -> list[Path]:
    """Write the structure pages of ``q`` as ``.md``, ``.html`` or ``.docx`` (atomically); return the files.

    A Markdown page links its diagram, written next to it as ``<name>-diagram.png`` (or ``.svg``).

    Raises
    ------
    UsageError
        For any other suffix (PDF is written by ``viz.handbook_pdf``).

    Examples
    --------
    >>> import tempfile
    >>> from solver.model.load import bundled_rules, load_qualification
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (out,) = write_handbook(q, Path(folder) / "structure.html")
    ...     "<h3>Optional Group B</h3>" in out.read_text(encoding="utf-8")
    True
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".md", ".html", ".htm", ".docx"):
        raise UsageError(f"{path}: cannot tell the format from {suffix or 'no suffix'!r}; "
                         "expected .md, .html or .docx (.pdf is drawn by viz.handbook_pdf)")
    blocks = handbook_page(q, diagram=diagram)
    written = [path]
    if suffix == ".md":
        image = next((b for b in blocks if b.kind == "image"), None)
        name = ""
        if image is not None:
            picture = path.with_name(f"{path.stem}-diagram{'.svg' if _is_svg(image.data) else '.png'}")
            write_bytes_atomic(picture, image.data)
            written.append(picture)
            name = picture.name
        write_bytes_atomic(path, to_markdown(blocks, image_name=name).encode("utf-8"))
    elif suffix == ".docx":
        write_bytes_atomic(path, to_docx(blocks))
    else:
        write_bytes_atomic(path, to_html(blocks).encode("utf-8"))
    return written
