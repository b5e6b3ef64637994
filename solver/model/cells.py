"""How qualpath writes text into the CSV files it produces: lists of unit ids, and safe cells.

Lists of ids
------------
Unit ids may hold spaces (``SHC 31``) and commas, so a list of ids in one cell
is joined by ``"; "``. An id that holds a ``;`` or a ``"``, or begins with a
``"``, is written in double quotes with each ``"`` doubled (the CSV rule, one
level down), so :func:`split_ids` gives back exactly the ids written.

Cells a spreadsheet would run
-----------------------------
A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to a spreadsheet (``=HYPERLINK("http://evil")`` in a learner id
would run when the report is opened). :func:`safe_cell` puts a ``'`` in front
of such text, as OWASP recommends for CSV injection; the spreadsheet then
shows the text as written. Only text cells are treated: the numbers qualpath
writes (credits, counts) are never negative.

Examples
--------
>>> join_ids(["SHC 31", "HSC, 025", "odd;id", 'say "hi"'])
'SHC 31; HSC, 025; "odd;id"; say "hi"'
>>> split_ids(join_ids(["SHC 31", "HSC, 025", "odd;id", '"quoted"']))
['SHC 31', 'HSC, 025', 'odd;id', '"quoted"']
>>> print(safe_cell("=SUM(1+1)"), safe_cell("SHC 31"))
'=SUM(1+1) SHC 31
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["FORMULA_STARTS", "join_ids", "safe_cell", "split_ids"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SEPARATOR = "; "


def _quoted(uid: str) -> str:
    if ";" in uid or uid.startswith('"'):
        return '"' + uid.replace('"', '""') + '"'
    return uid


def join_ids(ids: Iterable[str]) -> str:
    """Unit ids as one cell: joined by ``"; "``, an id holding ``;`` (or starting with ``"``) quoted."""
    return _SEPARATOR.join(_quoted(uid) for uid in ids)


def split_ids(text: str) -> list[str]:
    """The ids of a cell written by :func:`join_ids` (after any ``'`` of :func:`safe_cell` is removed)."""
    ids: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j, parts = i + 1, []
            while j < n:
                k = text.find('"', j)
                if k < 0:
                    raise ValueError(f"unclosed quote in a list of ids: {text!r}")
                parts.append(text[j:k])
                if text.startswith('""', k):
                    parts.append('"')
                    j = k + 2
                    continue
                j = k + 1
                break
            ids.append("".join(parts))
            i = j
        else:
            j = text.find(_SEPARATOR, i)
            j = n if j < 0 else j
            ids.append(text[i:j])
            i = j
        if text.startswith(_SEPARATOR, i):
            i += len(_SEPARATOR)
    return ids


def safe_cell(text: str) -> str:
    """Text a spreadsheet will show rather than run: a ``'`` before a leading ``= + - @``, tab or CR."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
