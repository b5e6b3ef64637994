"""Unit tables: recognise a header row, then read each row as a unit.

Columns may come in any order and under the names handbooks use; a title
cell may name its group (``Group B - Deal with incoming telephone calls``);
an id may lead the title (``SHC 31 Promote communication``).

Examples
--------
>>> columns = header(("Unit reference", "Title", "Level", "Credit value", "GLH"))
>>> [c.field for c in columns]
['id', 'title', 'level', 'credits', 'glh']
>>> row = read_row(("Y/506/1938", "Resolve customer service problems", "2", "5", "40"), columns)
>>> row.id, row.title, row.credits, row.level, row.glh
('Y/506/1938', 'Resolve customer service problems', Decimal('5'), 2, Decimal('40'))
>>> read_row(("Group B - Make telephone calls to customers", "3", "2"), header(("Title", "Credits", "Level"))).group
'B'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .words import UNIT_ID, level_of, number

__all__ = ["Column", "UnitRow", "header", "read_row", "split_group"]

_HEADERS: dict[str, tuple[str, ...]] = {
    "id": ("unit number", "unit no", "unit no.", "unit ref", "unit ref.", "unit reference", "unit reference number",
           "unit reference no", "ofqual unit ref", "ofqual unit reference", "ofqual unit reference number",
           "ofqual ref", "unit accreditation number", "uan", "urn",
           "code", "unit code", "course code", "module code", "unit id", "ref", "reference", "no", "no.", "#",
           "number", "unit", "ofqual unit number", "ofqual reference", "unit of study", "uos code", "subject code"),
    "title": ("title", "unit title", "name", "unit name", "course", "course title", "course name", "module",
              "module title", "module name", "unit of competency", "description", "unit description",
              "unit of study title", "subject", "subject name"),
    "credits": ("credits", "credit", "credit value", "credit points", "credit point", "cp", "value",
                "credit value (cv)", "ects", "ects credits", "units of credit", "uoc", "points"),
    "level": ("level", "credit level", "rqf level", "qcf level", "aqf level", "unit level", "fheq level"),
    "glh": ("glh", "guided learning hours", "guided learning hours (glh)"),
    "tqt": ("tqt", "total qualification time", "total unit time", "tut"),
    "hours": ("hours", "nominal hours", "notional hours", "study hours"),
    "fee": ("fee", "fees", "cost", "price"),
    "group": ("group", "optional group", "unit group", "pool"),
    "barred": ("barred", "barred against", "barred with", "barred units", "prohibitions", "prohibition",
               "incompatible", "incompatible with", "exclusions", "exclusion", "n", "cannot be taken with"),
    "requires": ("prerequisite", "prerequisites", "pre-requisites", "pre-requisite", "requires", "p",
                 "requisites"),
    "type": ("type", "status", "mandatory/optional", "core/elective", "m/o"),
}
_LOOKUP = {name: field for field, names in _HEADERS.items() for name in names}
_GROUP_PREFIX = re.compile(r"^(?:optional\s+|mandatory\s+)?group\s+([A-Z]{1,2}\d?|\d{1,2})\s*(?:-|:|\.)\s*(.+)$",
                           re.IGNORECASE)


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    """A recognised column: its position, the field it fills and its printed name."""

    index: int
    field: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UnitRow:
    """A unit read from a table row (values ``None`` where the table has no such column)."""

    id: str | None
    title: str
    credits: Decimal | None = None
    level: int | None = None
    glh: Decimal | None = None
    tqt: Decimal | None = None
    hours: Decimal | None = None
    fee: Decimal | None = None
    group: str | None = None
    barred: str = ""
    requires: str = ""
    type: str = ""


def _name(cell: str) -> str:
    name = re.sub(r"\s+", " ", cell.strip().lower().rstrip(":*").strip())
    return name if name in _LOOKUP else name.rstrip(".")


def header(cells: tuple[str, ...]) -> tuple[Column, ...] | None:
    """The columns of a header row, or ``None`` when the row is not a unit-table header.

    A header names a title or an id column, and at least one other known column;
    at most one cell may be a name it does not know.
    """
    if len(cells) < 2:
        return None
    columns: list[Column] = []
    unknown = 0
    for i, cell in enumerate(cells):
        field = _LOOKUP.get(_name(cell))
        if field is None:
            unknown += 1
            continue
        if any(c.field == field for c in columns):
            continue
        columns.append(Column(index=i, field=field, name=cell.strip()))
    fields = {c.field for c in columns}
    if unknown > 1 or len(columns) < 2 or not fields & {"title", "id"}:
        return None
    if "title" not in fields:  # "Unit | Credits": the one id-like column holds the titles
        columns = [Column(index=c.index, field="title", name=c.name) if c.field == "id" else c for c in columns]
    return tuple(columns)


def split_header(text: str) -> tuple[str, ...] | None:
    """A header whose columns ran together (``Title Credits Level``), split at known column names.

    >>> split_header("Unit title Credit value GLH"), split_header("Deliver customer service 5 2")
    (('Unit title', 'Credit value', 'GLH'), None)
    """
    words = text.split()
    cells: list[str] = []
    i = 0
    while i < len(words):
        for size in (5, 4, 3, 2, 1):
            phrase = " ".join(words[i: i + size])
            if size <= len(words) - i and _name(phrase) in _LOOKUP:
                cells.append(phrase)
                i += size
                break
        else:
            return None
    return tuple(cells) if len(cells) >= 2 else None


def split_group(title: str) -> tuple[str | None, str]:
    """A title that names its group: ``('B', 'Make telephone calls')``; otherwise ``(None, title)``."""
    match = _GROUP_PREFIX.match(title.strip())
    if match:
        return match.group(1).upper(), match.group(2).strip()
    return None, title.strip()


def split_id(title: str) -> tuple[str | None, str]:
    """A title that starts with a unit id: ``('SHC 31', 'Promote communication')``."""
    match = re.match(r"^\s*(?:unit\s+)?(" + UNIT_ID.pattern + r")\s*(?:[-:.]\s*)?(\S.*)$", title)
    if match and not re.match(r"\d", match.group(2)):
        return match.group(1), match.group(2).strip()
    return None, title.strip()


def _fit(cells: tuple[str, ...], columns: tuple[Column, ...]) -> tuple[str, ...] | None:
    """Cells lined up with the header: trailing figures split off a row whose columns ran together."""
    width = max(c.index for c in columns) + 1
    if len(cells) == width:
        return cells
    if len(cells) > width or not cells:
        return None
    tail = [c for c in columns if c.index > next(c.index for c in columns if c.field == "title")]
    words = " ".join(cells).split()
    numeric_tail = [c for c in tail if c.field in ("credits", "level", "glh", "tqt", "hours", "fee")]
    if len(numeric_tail) != len(tail) or len(words) <= len(tail):
        return None
    head, figures = words[: len(words) - len(tail)], words[len(words) - len(tail):]
    if any(number(f) is None and level_of(f) is None and f not in ("-", "n/a") for f in figures):
        return None
    lead = [c for c in columns if c.index < next(c.index for c in columns if c.field == "title")]
    if len(head) <= len(lead) or len(lead) + len(tail) + 1 != width:
        return None
    return (*head[: len(lead)], " ".join(head[len(lead):]), *figures)


def read_row(cells: tuple[str, ...], columns: tuple[Column, ...]) -> UnitRow | None:
    """A unit from a table row, or ``None`` when the row does not fit the columns."""
    fitted = _fit(cells, columns)
    if fitted is None or len(fitted) <= max(c.index for c in columns):
        return None
    values = {c.field: fitted[c.index].strip() for c in columns}
    for field in ("barred", "requires", "type"):
        if values.get(field, "").lower() in ("-", "n/a", "none", "nil", "—"):
            values[field] = ""
    title = values.get("title", "")
    if not title or header(cells) is not None:
        return None
    group, title = split_group(title)
    uid = values.get("id") or None
    if uid is None:
        uid, title = split_id(title)
    figures: dict[str, Decimal | None] = {}
    for field in ("credits", "glh", "tqt", "hours", "fee"):
        text = re.sub(r"\s*(?:credits?|cr|cps?|credit\s+points?|hours|hrs|glh)\.?$", "", values.get(field, ""),
                      flags=re.IGNORECASE)
        figures[field] = number(text.replace("$", "").replace("£", "")) if text else None
        if text and figures[field] is None and text not in ("-", "n/a", "N/A"):
            return None
    level = None
    if values.get("level"):
        level = level_of(values["level"])
        if level is None and values["level"] not in ("-", "n/a", "N/A"):
            return None
    kind = values.get("type", "")
    if values.get("group"):
        cell = re.sub(r"^(?:optional\s+|mandatory\s+)?group\s+", "", values["group"], flags=re.IGNORECASE)
        group = split_group(f"Group {cell} - x")[0]
        if group is None:  # "Mandatory", "Optional": a kind of unit rather than a lettered group
            kind = kind or values["group"]
    return UnitRow(id=uid, title=title, level=level, group=group, barred=values.get("barred", ""),
                   requires=values.get("requires", ""), type=kind, **figures)
