"""What the questions share: the default time limit, fixed units from include/exclude, the method names.

Examples
--------
>>> from solver.model import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> forced_units(q, include=["promote-products"])
{'promote-products': True}
"""

from __future__ import annotations

from collections.abc import Collection

from ..exact.engines import Question, choose
from ..model.errors import UnknownUnitError, UsageError
from ..model.results import Method
from ..model.structure import Qualification

__all__ = ["DEFAULT_TIMEOUT", "dp_method", "forced_units"]

#: Seconds a fallback count may run before it reports a partial answer.
DEFAULT_TIMEOUT = 60.0


def forced_units(q: Qualification, include: Collection[str] = (), exclude: Collection[str] = ()) -> dict[str, bool]:
    """``include``/``exclude`` as a map of fixed units, checking the ids exist.

    Raises
    ------
    UnknownUnitError
        For an unknown unit id (with the closest known id).
    UsageError
        For a unit both included and excluded.
    """
    known = set(q.unit_ids())
    for uid in (*include, *exclude):
        if uid not in known:
            raise UnknownUnitError(uid, q.unit_ids(), where=q.id)
    both = set(include) & set(exclude)
    if both:
        raise UsageError(f"unit(s) both included and excluded: {', '.join(sorted(both))}")
    return {**dict.fromkeys(include, True), **dict.fromkeys(exclude, False)}


def dp_method(q: Qualification) -> Method:
    """The method of the exact programme that counts ``q`` (and sums any semiring over its pathways)."""
    choice = choose(q, Question.COUNT)
    return Method(choice.engine.method) if choice.engine else Method.TYPE_DYNAMIC_PROGRAMMING
