"""Readers for documents with structure of their own: PDF (text layer), Word ``.docx``, saved web pages.

Each returns a :class:`~.sources.Source` of located lines, as :func:`~.sources.read_text`
does for plain text; :func:`~.sources.read_source` chooses among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .lines import MAX_PAGES, HandbookError, Line, Source, Where, clean

__all__ = ["read_docx", "read_html", "read_pdf"]


# -- PDF -------------------------------------------------------------------------------------------
def _causes(exc: BaseException) -> str:
    """An exception and what it wraps, as text (pdfplumber wraps pdfminer's errors)."""
    seen: list[str] = []
    stack: list[object] = [exc]
    while stack and len(seen) < 8:
        item = stack.pop()
        if isinstance(item, BaseException):
            seen.append(f"{type(item).__name__}: {item}" if str(item) else type(item).__name__)
            stack.extend([*item.args, item.__cause__, item.__context__])
    return "; ".join(dict.fromkeys(seen))



def _bold_tops(chars: list[dict[str, Any]]) -> dict[int, list[bool]]:
    """Whether each character is set in bold, by the whole point of its top edge."""
    out: dict[int, list[bool]] = {}
    for c in chars:
        if str(c["text"]).strip():
            out.setdefault(round(float(c["top"])), []).append("bold" in str(c.get("fontname", "")).lower())
    return out


def _pdf_lines(words: list[dict[str, Any]], page: int,
               bold_tops: dict[int, list[bool]]) -> Iterator[tuple[float, float, Line, float]]:
    rows: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (round(float(w["top"])), float(w["x0"]))):
        if rows and abs(float(rows[-1][0]["top"]) - float(word["top"])) <= 2.0:
            rows[-1].append(word)
        else:
            rows.append([word])
    for number, row in enumerate(rows, 1):
        row.sort(key=lambda w: float(w["x0"]))
        size = max(float(w.get("size", 10)) for w in row)
        cells: list[list[str]] = [[]]
        for before, word in zip([None, *row], row):
            if before is not None and float(word["x0"]) - float(before["x1"]) > 0.9 * size:
                cells.append([])
            cells[-1].append(str(word["text"]))
        top = float(row[0]["top"])
        marks = [b for t in range(round(top) - 2, round(top) + 3) for b in bold_tops.get(t, ())]
        bold = bool(marks) and all(marks)
        line = Line(cells=tuple(clean(" ".join(c)) for c in cells), where=Where(page=page, line=number), bold=bold)
        yield float(row[0]["top"]), float(row[0]["bottom"]), line, size


def read_pdf(path: Path) -> Source:
    """Read a PDF's text layer (pdfplumber): lines by position, cells by wide gaps, headings by font size."""
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a dependency
        raise HandbookError("reading PDF needs pdfplumber (pip install pdfplumber)") from None
    found: list[tuple[float, float, Line, float]] = []
    notes: list[str] = []
    try:
        with pdfplumber.open(path) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                notes.append(f"only the first {MAX_PAGES} of {len(pages)} pages were read")
            for number, page in enumerate(pages[:MAX_PAGES], 1):
                words = page.extract_words(extra_attrs=["size"], keep_blank_chars=False)
                previous_bottom = None
                for top, bottom, line, size in _pdf_lines(words, number, _bold_tops(page.chars)):
                    if previous_bottom is not None and top - previous_bottom > 0.9 * size:
                        found.append((top, top, Line(cells=("",), where=line.where), 0.0))
                    found.append((top, bottom, line, size))
                    previous_bottom = bottom
                found.append((0, 0, Line(cells=("",), where=Where(page=number, line=0, what="end")), 0))
                page.flush_cache()
    except HandbookError:
        raise
    except Exception as exc:  # pdfminer raises many kinds; any of them means "cannot read"
        said = _causes(exc)
        if "password" in said.lower() or "encrypt" in said.lower():
            raise HandbookError(f"{path}: the PDF is encrypted (password protected); expected an unprotected "
                                "PDF (save a copy without the password)") from None
        raise HandbookError(f"{path}: cannot read the PDF ({said}); expected a "
                            "PDF with a text layer") from None
    if not any(not line.blank for _t, _b, line, _s in found):
        raise HandbookError(f"{path}: the PDF has no text layer (a scanned document?); expected a PDF "
                            "whose text can be selected (run OCR on it first, or use the Word original)")
    sizes = sorted(s for _t, _b, line, s in found if not line.blank)
    body = sizes[len(sizes) // 2]
    bigger = sorted({round(s, 1) for s in sizes if s > body * 1.1}, reverse=True)
    lines = []
    for _t, _b, line, size in found:
        level = bigger.index(round(size, 1)) + 1 if round(size, 1) in bigger else 0
        if level == 0 and line.bold and len(line.cells) == 1:
            level = len(bigger) + 1
        lines.append(Line(cells=line.cells, where=line.where, heading=level, bold=line.bold)
                     if level and len(line.cells) == 1 else line)
    return Source(name=str(path), kind="pdf", lines=tuple(lines), notes=tuple(notes))


# -- Word ------------------------------------------------------------------------------------------
def read_docx(path: Path) -> Source:
    """Read a Word ``.docx`` (python-docx): paragraphs with their heading levels, and document tables."""
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError:  # pragma: no cover - a dependency
        raise HandbookError("reading Word documents needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception as exc:  # zip, XML and package errors all mean "not a readable .docx"
        raise HandbookError(f"{path}: cannot read the Word document ({type(exc).__name__}: {exc}); "
                            "expected a complete .docx file") from None
    lines: list[Line] = []
    paragraph = table = 0
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph += 1
            lines.extend(_docx_paragraph(block, paragraph))
            # a Word paragraph is a paragraph: never run on into the next one
            lines.append(Line(cells=("",), where=Where(line=paragraph, what="paragraph")))
        elif isinstance(block, Table):
            table += 1
            for r, row in enumerate(block.rows, 1):
                cells = tuple(clean(c.text) for c in row.cells)
                unique = tuple(c for i, c in enumerate(cells) if i == 0 or row.cells[i]._tc is not row.cells[i - 1]._tc)
                lines.append(Line(cells=unique, where=Where(line=r, what=f"table {table}, row"), table=True))
            lines.append(Line(cells=("",), where=Where(line=r if block.rows else 0, what=f"table {table}, end")))
    return Source(name=str(path), kind="docx", lines=tuple(lines))


def _docx_paragraph(block: Any, number: int) -> Iterable[Line]:
    style = (block.style.name if block.style is not None else "") or ""
    where = Where(line=number, what="paragraph")
    text = clean(block.text)
    level = 0
    match = re.match(r"Heading (\d)", style)
    if match:
        level = int(match.group(1))
    elif style == "Title":
        level = 1
    runs = [r for r in block.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold for r in runs)
    if style.startswith("List") and text:
        text = f"- {text}"
    if "\t" in block.text.strip():
        cells = tuple(c for c in (clean(c) for c in block.text.strip().split("\t")) if c)
        return [Line(cells=cells, where=where, table=True)]
    return [Line(cells=(text,), where=where, heading=level, bold=bold)]


# -- HTML ------------------------------------------------------------------------------------------
class _Html(HTMLParser):
    _BLOCKS = frozenset({"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol",
                         "section", "article", "title", "dt", "dd", "header", "footer", "caption", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[Line] = []
        self.text: list[str] = []
        self.cells: list[str] | None = None
        self.heading = 0
        self.skip = 0
        self.item = False
        self.tables = 0
        self.rows = 0

    def flush(self) -> None:
        text = clean("".join(self.text))
        self.text = []
        if not text:
            return
        if self.item:
            text = f"- {text}"
        self.lines.append(Line(cells=(text,), where=Where(line=len(self.lines) + 1), heading=self.heading))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head", "nav", "noscript", "svg"):
            self.skip += 1
        elif tag in ("td", "th") and self.cells is not None:
            self.text = []
        elif tag == "tr":
            self.flush()
            self.cells = []
        elif tag in self._BLOCKS:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = int(tag[1:])
            self.item = tag == "li"
            if tag == "table":
                self.tables += 1
                self.rows = 0

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head", "nav", "noscript", "svg"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append(clean("".join(self.text)))
            self.text = []
        elif tag == "tr" and self.cells is not None:
            self.rows += 1
            if any(self.cells):
                self.lines.append(Line(cells=tuple(self.cells), table=True,
                                       where=Where(line=self.rows, what=f"table {self.tables}, row")))
            self.cells = None
        elif tag in self._BLOCKS:
            self.flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.heading = 0
            if tag == "li":
                self.item = False
            if tag in ("table", "p", "ul", "ol"):
                self.lines.append(Line(cells=("",), where=Where(line=len(self.lines) + 1)))

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def read_html(text: str, *, name: str = "<html>") -> Source:
    """Read a saved web page (stdlib ``html.parser``): headings ``h1``-``h6``, tables, list items, paragraphs."""
    parser = _Html()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # malformed markup the parser gives up on
        raise HandbookError(f"{name}: cannot read the web page ({exc})") from None
    parser.flush()
    return Source(name=name, kind="html", lines=tuple(parser.lines))
