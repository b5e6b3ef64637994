"""A barred set or prerequisite as the frontier engine checks it, and the error for fixed units that break one.

>>> Clause(kind="barred", units=("a", "b")).holds({"a": True, "b": False})
True
>>> Clause(kind="needs", units=("c", "a"), trigger="c", all_of=("a",)).holds({"a": False, "c": True})
False
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = ["Clause", "Infeasible"]


class Infeasible(Exception):
    """No pathway: the fixed units already break a rule."""


@dataclass(frozen=True, slots=True)
class Clause:
    """What is left of a barred set or a prerequisite once fixed units are known.

    ``kind`` ``"barred"``: at most one of ``units`` is taken. ``kind`` ``"needs"``: if
    ``trigger`` is taken (or always, when it is ``None``) then every unit of ``all_of``
    is taken and, when ``one_of`` is not empty, at least one of ``one_of``.
    """

    kind: Literal["barred", "needs"]
    units: tuple[str, ...]
    trigger: str | None = None
    all_of: tuple[str, ...] = ()
    one_of: tuple[str, ...] = ()

    def holds(self, taken: Mapping[str, bool]) -> bool:
        """Whether the clause holds when each of its units is taken or not as ``taken`` says."""
        if self.kind == "barred":
            return sum(1 for u in self.units if taken[u]) <= 1
        if self.trigger is not None and not taken[self.trigger]:
            return True
        return all(taken[u] for u in self.all_of) and (not self.one_of or any(taken[u] for u in self.one_of))
