r"""Read a handbook (text, Markdown, PDF, Word, HTML) into located lines.

Every format becomes the same thing: a :class:`Source`, a sequence of
:class:`Line` objects in reading order, each knowing where it came from
(page and line, paragraph, table row). A line is a heading (with a level when
the format says so), a row of cells (a real table, tab-separated columns, a
Markdown table, or columns set apart by wide gaps), prose, or blank. Deciding
what a line *means* is left to :mod:`.tables` and :mod:`.sentences`.

Examples
--------
>>> src = read_text("## Mandatory units\nTitle\tCredits\nDeliver customer service\t5\n", name="x.md")
>>> [(line.heading, line.cells) for line in src.lines]
[(2, ('Mandatory units',)), (0, ('Title', 'Credits')), (0, ('Deliver customer service', '5'))]
>>> str(src.lines[2].where)
'line 3'
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .base import QualificationError

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "HandbookError",
    "Line",
    "Source",
    "Where",
    "read_docx",
    "read_html",
    "read_pdf",
    "read_source",
    "read_text",
]

#: Files larger than this are refused (a handbook's structure pages are a few hundred kB).
MAX_BYTES = 50_000_000
#: PDF pages read at most; a longer document is read this far and the rest is named for review.
MAX_PAGES = 400

_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SPACES = re.compile(r"\s{2,}")


class HandbookError(QualificationError):
    """A handbook that cannot be read at all (empty, not text, encrypted, scanned, broken)."""


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Where:
    """Where a line came from: ``page`` (PDF, from 1) and ``line`` (from 1) or a named place."""

    page: int = 0
    line: int = 0
    what: str = "line"

    def __str__(self) -> str:
        place = f"{self.what} {self.line}" if self.line else self.what
        return f"page {self.page}, {place}" if self.page else place


@dataclass(frozen=True, slots=True, kw_only=True)
class Line:
    """One line of a handbook.

    ``cells`` holds one string for prose and headings, two or more for a row;
    ``table`` says the source itself marks the row as a table row (a document
    table, tabs, Markdown pipes) rather than columns guessed from gaps;
    ``heading`` is the heading level (1 = largest) or 0; ``bold`` says the whole
    line is set in bold (a heading in many documents that have no styles).
    """

    cells: tuple[str, ...]
    where: Where
    heading: int = 0
    table: bool = False
    bold: bool = False

    @property
    def text(self) -> str:
        """The line's text, cells joined by single spaces."""
        return " ".join(c for c in self.cells if c)

    @property
    def blank(self) -> bool:
        """Whether the line holds no text."""
        return not self.text.strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """A handbook read into lines: ``kind`` is ``text``, ``markdown``, ``pdf``, ``docx`` or ``html``."""

    name: str
    kind: str
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()


def _clean(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def _unmark(text: str) -> str:
    """Markdown emphasis and links to plain text."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*(\S.*?)\*(?!\w)", r"\1", text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return text.replace("`", "")


def _text_line(raw: str, number: int) -> Line | None:
    where = Where(line=number)
    if _MD_RULE.match(raw) and "-" in raw:
        return None
    heading = _MD_HEADING.match(raw)
    if heading:
        return Line(cells=(_clean(_unmark(heading.group(2))),), where=where, heading=len(heading.group(1)))
    if raw.strip().startswith("|") and raw.count("|") >= 2:
        cells = tuple(_clean(_unmark(c)) for c in raw.strip().strip("|").split("|"))
        return Line(cells=cells, where=where, table=True)
    if "\t" in raw.strip():
        cells = tuple(_clean(_unmark(c)) for c in raw.strip().split("\t"))
        return Line(cells=tuple(c for c in cells if c) or ("",), where=where, table=True)
    bold = _BOLD_LINE.match(raw)
    text = _unmark(raw).strip()
    cells = tuple(_clean(c) for c in _SPACES.split(text)) if _SPACES.search(text) else (_clean(text),)
    return Line(cells=cells, where=where, bold=bool(bold))


def read_text(text: str, *, name: str = "<text>") -> Source:
    """Read plain text or Markdown (headings ``#``, tables with pipes or tabs, ``**bold**`` lines).

    Markdown comments (``<!-- ... -->``) are not part of the page and are left out.
    """
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    lines = [line for i, raw in enumerate(text.splitlines(), 1) if (line := _text_line(raw, i)) is not None]
    kind = "markdown" if any(line.heading for line in lines) or name.endswith(".md") else "text"
    return Source(name=name, kind=kind, lines=tuple(lines))


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) // 100 + 1:
        raise HandbookError(f"{name}: this is not a text file, a PDF, a Word (.docx) document or a web page "
                            "(it holds binary data); expected one of those")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


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
        line = Line(cells=tuple(_clean(" ".join(c)) for c in cells), where=Where(page=page, line=number), bold=bold)
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
                cells = tuple(_clean(c.text) for c in row.cells)
                unique = tuple(c for i, c in enumerate(cells) if i == 0 or row.cells[i]._tc is not row.cells[i - 1]._tc)
                lines.append(Line(cells=unique, where=Where(line=r, what=f"table {table}, row"), table=True))
            lines.append(Line(cells=("",), where=Where(line=r if block.rows else 0, what=f"table {table}, end")))
    return Source(name=str(path), kind="docx", lines=tuple(lines))


def _docx_paragraph(block: Any, number: int) -> Iterable[Line]:
    style = (block.style.name if block.style is not None else "") or ""
    where = Where(line=number, what="paragraph")
    text = _clean(block.text)
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
        cells = tuple(c for c in (_clean(c) for c in block.text.strip().split("\t")) if c)
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
        text = _clean("".join(self.text))
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
            self.cells.append(_clean("".join(self.text)))
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


def read_source(path: str | Path) -> Source:
    """Read a handbook file of any supported kind, told by its first bytes (then its suffix).

    Raises
    ------
    HandbookError
        For a missing, empty, huge, binary, encrypted, scanned or broken file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise HandbookError(f"{path}: is a folder; expected a handbook file")
        if size > MAX_BYTES:
            raise HandbookError(f"{path}: the file is {size:,} bytes, more than the {MAX_BYTES:,} read at most; "
                                "expected the handbook's structure pages (split the document)")
        with path.open("rb") as handle:
            head = handle.read(2048)
    except FileNotFoundError:
        raise HandbookError(f"{path}: no such file") from None
    except OSError as exc:
        raise HandbookError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not head.strip():
        raise HandbookError(f"{path}: the file is empty; expected a handbook's structure page")
    suffix = path.suffix.lower()
    if head.lstrip().startswith(b"%PDF") or suffix == ".pdf":
        if not head.lstrip().startswith(b"%PDF"):
            raise HandbookError(f"{path}: this is not a PDF (it does not start with %PDF)")
        return read_pdf(path)
    if head.startswith(b"PK\x03\x04") or suffix == ".docx":
        if not zipfile.is_zipfile(path):
            raise HandbookError(f"{path}: cannot read the Word document (it is not a complete .docx file)")
        return read_docx(path)
    if suffix == ".doc" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise HandbookError(f"{path}: an old Word (.doc) file; expected .docx (save it as .docx first)")
    text = _decode_text(path.read_bytes(), str(path))
    if suffix in (".html", ".htm") or re.match(r"\s*(<!doctype html|<html)", text[:500], re.IGNORECASE):
        return read_html(text, name=str(path))
    return read_text(text, name=str(path))
