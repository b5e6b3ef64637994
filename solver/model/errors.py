"""The one exception hierarchy of qualpath, and where problems come from.

Every problem with a rule file is a :class:`RuleError` that knows its
:class:`Location`; a file with several problems raises one
:class:`RuleSetError` carrying all of them, so a designer fixes a file in
one pass instead of one error per run.

Examples
--------
>>> loc = Location(file="rules/x.yaml", line=14, column=5, path="requirements[1].min_credits")
>>> print(RuleError(loc, "50 is more than max_credits 40"))
rules/x.yaml:14:5: requirements[1].min_credits: 50 is more than max_credits 40
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "InfeasibleError",
    "Location",
    "QualificationError",
    "RuleError",
    "RuleSetError",
    "UnknownUnitError",
    "UsageError",
]


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Location:
    """Where a piece of a rule file came from.

    ``line`` and ``column`` count from 1, as editors do; ``path`` is the
    position inside the document, such as ``requirements[1].min_credits``.
    """

    file: str
    line: int = 0
    column: int = 0
    path: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        return f"{where}: {self.path}" if self.path else where

    def child(self, path: str) -> Location:
        """Return the same place with a different document path."""
        return Location(file=self.file, line=self.line, column=self.column, path=path)


class QualificationError(Exception):
    """Base class of every error qualpath raises on purpose."""


class UsageError(QualificationError):
    """The caller asked for something that does not make sense (bad option, unknown unit)."""


class UnknownUnitError(QualificationError):
    """A unit id the structure does not have (exit 1 at the command line), with a did-you-mean.

    ``unit`` is the id as given, ``where`` what was searched (a qualification id, a folder),
    ``suggestion`` the closest known id or ``None``.

    >>> print(UnknownUnitError("SHC 32", ["SHC 31", "CMH 301"], where="HSC3"))
    unknown unit 'SHC 32' in HSC3; did you mean 'SHC 31'?
    """

    def __init__(self, unit: str, known: Iterable[str], *, where: str, hint: str = "") -> None:
        self.unit = unit
        self.where = where
        close = difflib.get_close_matches(unit, list(known), n=1, cutoff=0.6)
        self.suggestion = close[0] if close else None
        tail = f"did you mean {self.suggestion!r}?" if self.suggestion else f"expected a unit id of {where}"
        super().__init__(f"unknown unit {unit!r} in {where}{hint}; {tail}")


class RuleError(QualificationError):
    """One located problem in a rule file."""

    def __init__(self, location: Location, message: str) -> None:
        self.location = location
        self.message = message
        super().__init__(f"{location}: {message}")


class RuleSetError(QualificationError):
    """Several located problems found in one pass over a file (or folder).

    ``errors`` is sorted by file, line and column so output is stable.
    """

    def __init__(self, errors: Sequence[RuleError]) -> None:
        self.errors = tuple(sorted(errors, key=lambda e: (e.location, e.message)))
        count = len(self.errors)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__("\n".join([head, *(str(e) for e in self.errors)]))


class InfeasibleError(QualificationError):
    """No pathway satisfies the rules; ``rules`` names a minimal clashing set."""

    def __init__(self, message: str, rules: Sequence[object] = ()) -> None:
        self.rules = tuple(rules)
        super().__init__(message)
