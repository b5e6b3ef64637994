"""The located lines every handbook format is read into, and the error for a document that cannot be read.

Examples
--------
>>> str(Where(page=2, line=14)), str(Where(line=3, what="paragraph"))
('page 2, line 14', 'paragraph 3')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import QualificationError

__all__ = ["MAX_PAGES", "HandbookError", "Line", "Source", "Where", "clean"]

#: PDF pages read at most; a longer document is read this far and the rest is named for review.
MAX_PAGES = 400


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


def clean(text: str) -> str:
    """Text as the importer compares it: one kind of space, dash and quote."""
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\u2013", "-").replace("\u2014", "-")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()
