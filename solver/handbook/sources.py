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
from pathlib import Path

from .documents import read_docx, read_html, read_pdf
from .lines import MAX_PAGES, HandbookError, Line, Source, Where, clean

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

_BOLD_LINE = re.compile(r"^\s*\*\*(.+?)\*\*\s*$")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_SPACES = re.compile(r"\s{2,}")


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
        return Line(cells=(clean(_unmark(heading.group(2))),), where=where, heading=len(heading.group(1)))
    if raw.strip().startswith("|") and raw.count("|") >= 2:
        cells = tuple(clean(_unmark(c)) for c in raw.strip().strip("|").split("|"))
        return Line(cells=cells, where=where, table=True)
    if "\t" in raw.strip():
        cells = tuple(clean(_unmark(c)) for c in raw.strip().split("\t"))
        return Line(cells=tuple(c for c in cells if c) or ("",), where=where, table=True)
    bold = _BOLD_LINE.match(raw)
    text = _unmark(raw).strip()
    cells = tuple(clean(c) for c in _SPACES.split(text)) if _SPACES.search(text) else (clean(text),)
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
