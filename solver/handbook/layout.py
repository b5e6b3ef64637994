"""The first pass over a handbook: sections, unit tables and lists, declared figures, prose.

:func:`lay_out` walks the lines of a :class:`~.sources.Source` once and
returns a :class:`Layout`: a tree of :class:`Section` (one per group heading,
or per group named in table rows), the units read from tables and numbered
lists with their elements, the declared figures, the paragraphs of prose (to
be read as rules by :mod:`.read`), and the lines it could not place.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal

from .lines import Line, Source, Where
from .tables import Column, UnitRow, header, read_row, split_header, split_id
from .words import UNIT_ID, group_key, number

__all__ = ["Layout", "Paragraph", "Section", "UnitEntry", "lay_out"]

_GROUPISH = re.compile(
    r"^(?:(?:mandatory|compulsory|core|optional|elective|selective)\b.{0,60}?\b(?:units?|groups?|courses?|modules?|"
    r"electives?|subjects?|competenc\w*)(?:\s*\(.*\))?(?:\s+-\s+groups?\s+[A-Z0-9]{1,2}\b.{0,60})?"
    r"|(?:optional\s+|mandatory\s+|elective\s+)?groups?\s+[A-Z0-9]{1,2}\b.{0,80}"
    r"|(?:core|electives?|mandatory|optional|compulsory)(?:\s+(?:units?|courses?|modules?))?)$", re.IGNORECASE)
_TITLEISH = re.compile(r"\b(?:level\s+\d|certificate|diploma|award|nvq|degree|bachelor|master|minor|major|"
                       r"programme|program|qualification)\b", re.IGNORECASE)
_ELEMENT = re.compile(r"^[-•*]?\s*(?P<id>\d{1,3}\.\d{1,2}(?:\.\d{1,2})?|LO\s?\d{1,2}|[A-Z]\d{1,2}\.\d{1,2})"
                      r"\s*[:.)]?\s+(?P<title>\S.*)$")
_UNIT_LINE = re.compile(r"^(?:[Uu]nit\s+)?(?P<id>\d{1,3}|" + UNIT_ID.pattern
                        + r")\s*(?:[:.)-]\s*|\s+)(?P<title>[A-Z(].{2,})$")
_PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|-\s*\d{1,4}\s*-", re.IGNORECASE)
_KNOWN_UNIT = re.compile(r"^unit\s+(?P<id>\S+):\s+(?P<title>\S.*)$", re.IGNORECASE)
_DECLARED = [
    ("min_credits", re.compile(r"minimum\s+credit\s+value\s*(?:\(\w+\))?\s*[:=]?\s*(\d+(?:\.\d+)?)", re.I)),
    ("credits", re.compile(r"(?:(?:total\s+)?credit\s+value(?:\s+of\s+the\s+qualification)?\s*(?:\(cv\))?"
                           r"|total\s+credits?(?:\s+required)?)\s*[:=]?\s*(\d+(?:\.\d+)?)", re.I)),
    ("units", re.compile(r"units\s+required\s*[:=]?\s*(\d+)", re.I)),
    ("tqt", re.compile(r"(?:total\s+qualification\s+time|tqt)\s*(?:\(tqt\))?\s*[:=]\s*(\d+(?:\.\d+)?)(?:\s*hours)?",
                       re.I)),
    ("glh", re.compile(r"(?:(?:minimum\s+)?guided\s+learning\s+hours|glh)\s*(?:\(glh\))?\s*[:=]\s*"
                       r"(\d+(?:\.\d+)?)(?:\s*hours)?", re.I)),
    ("title", re.compile(r"qualification\s+title\s*[:=]\s*(.+?)\s*$", re.I)),
    ("id", re.compile(r"(?:(?:ofqual\s+)?qualification\s+(?:accreditation\s+)?(?:number|code|reference|id)"
                      r"(?:\s+\((?:qn|qan)\))?|qan|qn|programme\s+code|program\s+code|"
                      r"course\s+code|minor\s+code|major\s+code)\s*[:=]\s*(\S+?)\s*$", re.I)),
    ("awarding_body", re.compile(r"awarding\s+(?:body|organisation|organization)\s*[:=]\s*(.+?)\s*$", re.I)),
    ("source", re.compile(r"source\s*:\s*(.+?)\s*$", re.I)),
    ("level", re.compile(r"(?:qualification\s+)?level\s*[:=]\s*(\d{1,2})\s*$", re.I)),
]


@dataclass(slots=True, kw_only=True)
class Section:
    """A heading and what sits under it: units, sub-sections, declared figures."""

    title: str
    where: Where
    level: int
    parent: Section | None = None
    units: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    declared: dict[str, Decimal] = field(default_factory=dict)
    declared_where: dict[str, Where] = field(default_factory=dict)
    letter: str = ""

    @property
    def key(self) -> str:
        """How sentences refer to it (see :func:`~.words.group_key`)."""
        return group_key(self.title)

    def walk(self) -> list[Section]:
        """Every section from here down, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(slots=True, kw_only=True)
class UnitEntry:  # mutable: a title wrapped onto a second line is joined up
    """A unit as read, with where it was read and the group its row named."""

    row: UnitRow
    where: Where
    elements: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True, kw_only=True)
class Paragraph:
    """Prose: its text, the section it sits in, and where each of its lines starts in the text.

    ``own`` says the text is about its section itself (a rule printed in the section's
    heading, ``Optional Group B (minimum 10 credits)``).
    """

    text: str
    section: Section | None
    starts: tuple[tuple[int, Where], ...]
    own: bool = False

    def where(self, offset: int) -> Where:
        """The place of the line holding character ``offset``."""
        found = self.starts[0][1]
        for start, where in self.starts:
            if start <= offset:
                found = where
        return found


@dataclass(slots=True, kw_only=True)
class Layout:
    """What the first pass found."""

    root: Section
    units: dict[str, UnitEntry] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    info: dict[str, str] = field(default_factory=dict)
    info_where: dict[str, Where] = field(default_factory=dict)
    title_candidates: list[tuple[int, str, Where]] = field(default_factory=list)
    unused: list[tuple[Where, str]] = field(default_factory=list)
    inferred: list[tuple[Where, str]] = field(default_factory=list)
    barred_cells: list[tuple[str, str, Where]] = field(default_factory=list)
    requires_cells: list[tuple[str, str, Where]] = field(default_factory=list)
    ids_given: bool = False


def _declared(text: str) -> list[tuple[str, str]] | None:
    """Declared figures on a line (``Credit Value: 19 | Units Required: 5``), or ``None`` if it holds other text."""
    for name, pattern in _DECLARED:
        if name in ("title", "source", "awarding_body"):
            match = pattern.fullmatch(text.strip(" *"))
            if match:
                return [(name, match.group(1).strip(" *"))]
    parts = [p.strip() for p in re.split(r"\s*[|;]\s*|\s{2,}|\t", text) if p.strip()]
    found: list[tuple[str, str]] = []
    for part in parts:
        for name, pattern in _DECLARED:
            match = pattern.fullmatch(part.strip(" .*"))
            if match:
                found.append((name, match.group(1).strip(" *")))
                break
        else:
            return None
    return found or None


_HEADING_RULE = re.compile(r"^(?P<name>.+?)\s*(?:\s-\s|:\s|\(|\s\u2013\s)\s*(?P<rule>[^()]*\b(?:\d+|one|two|three|four|"
                           r"five|six|seven|eight|nine|ten|all|any)\b[^()]*\b(?:credits?|units?|courses?)\b[^()]*)\)?$",
                           re.IGNORECASE)


def _heading_rule(title: str) -> tuple[str, str]:
    """A heading that states its group's rule: ``('Optional Group B', 'minimum 10 credits')``."""
    match = _HEADING_RULE.match(title)
    if match is None:
        return title, ""
    return match.group("name").strip(), match.group("rule").strip()


def _is_heading(line: Line) -> int:
    """A heading's level (1 = top), or 0 for a line that is not a heading."""
    text = line.text.strip()
    if line.heading:
        return line.heading
    if len(line.cells) != 1 or not text or len(text.split()) > 14 or text.endswith((".", ",", ";")):
        return 0
    if _declared(text) is not None:
        return 0
    if _GROUPISH.match(text):
        return 3 if re.match(r"(?:optional\s+|mandatory\s+|elective\s+)?groups?\s+[A-Z0-9]{1,2}\b", text, re.I) else 2
    if line.bold or (text.isupper() and len(text) > 3 and not UNIT_ID.fullmatch(text)):
        return 1
    return 0


class _Walker:
    def __init__(self, source: Source) -> None:
        self.out = Layout(root=Section(title="", where=Where(), level=0))
        self.stack: list[Section] = [self.out.root]
        self.columns: tuple[Column, ...] | None = None
        self.prose: list[Line] = []
        self.last_unit: UnitEntry | None = None
        self.position = 0
        self.source = source
        self.seen_group = False
        self.title_level = 99
        self.last_row_line = False
        self.by_title: dict[tuple[str, Decimal | None], str] = {}

    @property
    def section(self) -> Section:
        return self.stack[-1]

    # -- prose -------------------------------------------------------------------------------------
    def flush(self) -> None:
        if not self.prose:
            return
        text, starts = "", []
        for line in self.prose:
            piece = re.sub(r"^[-•*]\s+", "", line.text.strip())
            starts.append((len(text) + (1 if text else 0), line.where))
            text = f"{text} {piece}" if text else piece
        section = self.section if self.section is not self.out.root else None
        self.out.paragraphs.append(Paragraph(text=text, section=section, starts=tuple(starts)))
        self.prose = []

    # -- sections ----------------------------------------------------------------------------------
    def open(self, title: str, level: int, where: Where) -> None:
        self.flush()
        self.columns = None
        self.last_unit = None
        groupish = bool(_GROUPISH.match(title))
        if not groupish and not self.seen_group and level <= self.title_level and _TITLEISH.search(title):
            self.title_level = level
            score = 2 * bool(re.search(r"level\s+\d", title, re.I)) + 2 * bool(re.search(r"\bin\b", title, re.I))
            self.out.title_candidates.append((score, title, where))
            return
        letter = re.search(r"\bgroup\s+([A-Z]{1,2}\d?|\d{1,2})\b", title, re.I)
        title, rule = _heading_rule(title)
        while len(self.stack) > 1 and self.stack[-1].level >= level:
            self.stack.pop()
        parent = self.section
        if letter and parent is not self.out.root and parent.key == "mandatory":
            while len(self.stack) > 1 and self.stack[-1].key == "mandatory":
                self.stack.pop()
            parent = self.section
        section = Section(title=title, where=where, level=level, parent=parent,
                          letter=letter.group(1).upper() if letter else "")
        parent.children.append(section)
        self.stack.append(section)
        self.seen_group = self.seen_group or groupish
        if rule:
            self.out.paragraphs.append(Paragraph(text=rule, section=section, starts=((0, where),), own=True))

    def row_section(self, group: str | None, where: Where) -> Section:
        """The section a row goes in: the current one, or a sub-section for the group it names."""
        here = self.section
        if group is None or here.letter == group:
            return here
        for child in here.children:
            if child.letter == group:
                return child
        # "Group B - ..." rows under a "Group A" heading make a sibling group
        parent = (here.parent or self.out.root) if here is not self.out.root and here.letter else here
        for child in parent.children:
            if child.letter == group:
                return child
        words = "Optional Group" if parent is self.out.root or "optional" in parent.title.lower() or \
            parent.key == "optional" else "Group"
        section = Section(title=f"{words} {group}", where=where, level=parent.level + 1, parent=parent, letter=group)
        parent.children.append(section)
        self.seen_group = True
        return section

    def cross_reference(self, row: UnitRow, where: Where) -> bool:
        """A row of a barred or prerequisite table about a unit already read (``Unit | Barred against``)."""
        fields = {c.field for c in self.columns or ()}
        if not fields & {"barred", "requires"} or fields - {"id", "title", "barred", "requires"}:
            return False
        uid = next((u for u in (row.id, row.title) if u and u in self.out.units), None)
        if uid is None:
            return False
        if row.barred:
            self.out.barred_cells.append((uid, row.barred, where))
        if row.requires:
            self.out.requires_cells.append((uid, row.requires, where))
        return True

    def type_section(self, kind: str, where: Where) -> Section:
        """The section for a row whose Type column says ``Mandatory``/``Optional`` (``Core``/``Elective``)."""
        here = self.section
        title = f"{kind.strip().capitalize()} units"
        if here is not self.out.root and group_key(here.title) == group_key(title):
            return here
        parent = here if here is self.out.root or not here.units else (here.parent or self.out.root)
        for child in parent.children:
            if group_key(child.title) == group_key(title):
                return child
        section = Section(title=title, where=where, level=parent.level + 1, parent=parent)
        parent.children.append(section)
        self.seen_group = True
        return section

    # -- units -------------------------------------------------------------------------------------
    def add_unit(self, row: UnitRow, where: Where) -> None:
        self.position += 1
        uid = row.id
        if uid is None:  # no id printed: the same title and credits is the same unit, else its position
            key = (row.title.lower(), row.credits)
            uid = self.by_title.get(key)
            if uid is None:
                uid = str(self.position)
                while uid in self.out.units:
                    uid = f"{uid}b"
                self.by_title[key] = uid
        else:
            self.out.ids_given = True
        section = self.row_section(row.group, where)
        if row.type and row.group is None:
            section = self.type_section(row.type, where)
        if uid not in self.out.units:
            self.out.units[uid] = UnitEntry(row=dataclasses.replace(row, id=uid), where=where)
            section.units.append(uid)
        elif uid not in section.units:
            section.units.append(uid)
        self.last_unit = self.out.units[uid]
        if row.barred:
            self.out.barred_cells.append((uid, row.barred, where))
        if row.requires:
            self.out.requires_cells.append((uid, row.requires, where))

    # -- one line ----------------------------------------------------------------------------------
    def line(self, line: Line) -> None:
        before = len(self.out.units), self.last_unit
        self.classify(line)
        self.last_row_line = (len(self.out.units), self.last_unit) != before or (
            self.last_row_line and not line.blank and self.last_unit is before[1] and not self.prose)

    def classify(self, line: Line) -> None:
        text = line.text.strip()
        if line.blank:
            self.flush()
            return
        cells = tuple(c for c in line.cells)
        if _PAGE_NUMBER.fullmatch(text):  # a page's running footer, not the handbook's text
            return
        if len(cells) == 1 and (joined := split_header(text)) is not None and header(joined) is not None:
            cells = joined  # "Title Credits Level": a header whose columns ran together
        columns = header(cells) if len(cells) > 1 else None
        if columns is not None:
            self.flush()
            self.columns = columns
            return
        if self.columns is not None and len(cells) > 1:
            row = read_row(cells, self.columns)
            if row is not None:
                self.flush()
                if not self.cross_reference(row, line.where):
                    self.add_unit(row, line.where)
                return
        declared = _declared(text)
        if declared is not None:
            self.flush()
            for name, value in declared:
                self.declare(name, value, line.where)
            return
        if self.columns is not None and len(cells) == 1:
            row = read_row(cells, self.columns)
            if row is not None and (row.credits is not None or row.level is not None):
                self.flush()
                self.add_unit(row, line.where)
                return
        level = _is_heading(line)
        if level:
            self.open(text, level, line.where)
            return
        element = _ELEMENT.match(text)
        if element and self.last_unit is not None and not self.prose:
            self.last_unit.elements.append((element.group("id").replace(" ", ""), element.group("title").strip()))
            return
        known = _KNOWN_UNIT.match(text)
        if known and known.group("id") in self.out.units:
            self.flush()
            self.last_unit = self.out.units[known.group("id")]
            return
        if self.wrapped(cells, text, line.where):
            return
        unit = _UNIT_LINE.match(text)
        if unit and len(cells) == 1 and self.section is not self.out.root and not text.endswith(".") \
                and not re.search(r"\b(?:credits?|units)\b", unit.group("title"), re.I) and not self.prose:
            self.flush()
            uid, title = unit.group("id"), unit.group("title").strip()
            self.add_unit(UnitRow(id=uid, title=title), line.where)
            return
        if len(cells) > 1 and self.columns is None:
            lead_id, rest = split_id(cells[0])
            figures = [number(c) for c in cells[1:]]
            if lead_id is not None and all(f is not None for f in figures) and self.section is not self.out.root:
                credits = figures[0] if figures else None
                self.flush()
                self.add_unit(UnitRow(id=lead_id, title=rest, credits=credits), line.where)
                return
        if (not self.seen_group and not self.prose and len(cells) == 1 and len(text.split()) <= 14
                and not text.endswith((".", ",", ";", ":")) and _TITLEISH.search(text)):
            self.open(text, 1, line.where)
            return
        if len(cells) > 1 and line.table:
            self.flush()
            self.out.unused.append((line.where, " | ".join(cells)))
            return
        self.prose.append(line)

    def wrapped(self, cells: tuple[str, ...], text: str, where: Where) -> bool:
        """A line under a table row that continues the row's title (a title wrapped in a PDF), joined up."""
        entry = self.last_unit
        if self.columns is None or len(cells) != 1 or not self.last_row_line or entry is None or self.prose:
            return False
        if re.search(r"\d", text) or text.endswith(".") or len(text.split()) > 12:
            return False
        entry.row = dataclasses.replace(entry.row, title=f"{entry.row.title} {text}")
        self.out.inferred.append((where, f"'{text}' read as the rest of the title of unit {entry.row.id} "
                                  "(a title wrapped onto a second line)"))
        return True

    def declare(self, name: str, value: str, where: Where) -> None:
        if name in ("credits", "units") and self.section is not self.out.root:
            section = self.section
            section.declared[name] = Decimal(value)
            section.declared_where[name] = where
            return
        key = "declared_" + name if name in ("credits", "units", "min_credits") else name
        self.out.info[key] = value
        self.out.info_where[key] = where


def lay_out(source: Source) -> Layout:
    r"""The first pass: sections, units, declared figures and prose of a handbook.

    Examples
    --------
    >>> from .sources import read_text
    >>> text = "Mandatory units\n1 Deliver service\n- 1.1 Prepare\nOptional units\n2 Resolve problems\n"
    >>> layout = lay_out(read_text(text))
    >>> [(s.title, s.units) for s in layout.root.children]
    [('Mandatory units', ['1']), ('Optional units', ['2'])]
    >>> layout.units["1"].elements
    [('1.1', 'Prepare')]
    """
    walker = _Walker(source)
    for line in source.lines:
        walker.line(line)
    walker.flush()
    return walker.out
