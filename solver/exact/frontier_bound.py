"""A least cost proven on the structure without its barred sets, where that is enough.

The frontier engine's tables carry a bit for every unit of a barred set whose partners
are not all decided yet; twenty barred pairs across three groups of a diploma hold
eight such bits at once, and its tables 500 times as many cells as without them. For a
least cost alone (:func:`solver.exact.frontier.least_each`) there is often a shortcut:

* The structure without its barred sets (the *relaxation*) has every pathway of the
  structure and more, so its least cost is a lower bound.
* Forbidding in each barred set every unit but one, its *keeper*, leaves pathways of
  the structure only: a barred set is kept when at most one of its units is taken.
* So where one of the relaxation's cheapest pathways takes no forbidden unit, it is a
  pathway of the structure, and the bound is the structure's least cost.

One pass over the relaxation tells: each objective's cost vector gains a last component,
the number of forbidden units taken (:func:`with_forbidden`). The least vector is
lexicographic, so its first components are the relaxation's least cost, and its last is
0 exactly when a cheapest pathway takes no forbidden unit (:func:`proven`). Anything
else proves nothing, and the structure's own pass answers. Where the relaxation has no
pathway, neither has the structure.

Examples
--------
Two barred pairs ``{a, b}`` and ``{c, d}`` in a group of at least 2 credits. Keeping the
cheaper unit of each pair forbids ``b`` and ``d``:

>>> from decimal import Decimal
>>> from solver.model import Barred, Group, Qualification, Unit
>>> credits = {"a": 1, "b": 2, "c": 1, "d": 3}
>>> q = Qualification(id="Q", title="T",
...     units=tuple(Unit(id=u, title=u, credits=Decimal(c)) for u, c in credits.items()),
...     requirements=(Group(id="G", units=tuple("abcd"), min_credits=Decimal(2)),),
...     barred=(Barred(units=("a", "b")), Barred(units=("c", "d"))))
>>> costs = {u: (c,) for u, c in credits.items()}
>>> sorted(forbidden(q, costs, {}))
['b', 'd']
>>> extended = with_forbidden(costs, forbidden(q, costs, {}))
>>> extended["b"], extended["c"]
((2, 1), (1, 0))

The relaxation's least is 2, by ``{a, c}`` (no forbidden unit: proven) or by ``{b}``:

>>> proven((2, 0)), proven((2, 1)), proven(None)
(True, False, True)
>>> without_forbidden((2, 0)), without_forbidden(None)
((2,), None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..model.structure import Qualification

__all__ = ["forbidden", "proven", "with_forbidden", "without_forbidden"]


def forbidden(q: Qualification, costs: Mapping[str, Sequence[Any]], fixed: Mapping[str, bool]) -> frozenset[str] | None:
    """The units to forbid: in each barred set every unit but its keeper.

    The keeper is the unit ``fixed`` holds in, or else the cheapest by ``costs`` (earliest
    listed among equals) of the units not already forbidden by another set: a cheapest
    pathway more likely takes the cheaper unit. ``None`` when some barred set holds two
    units fixed in (there is no pathway: the structure's own pass says so).

    >>> from solver.model import Barred, Qualification, Unit
    >>> q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abc"),
    ...     barred=(Barred(units=("a", "b")), Barred(units=("b", "c"))))
    >>> sorted(forbidden(q, {"a": (3,), "b": (1,), "c": (2,)}, {}))
    ['a', 'c']
    >>> sorted(forbidden(q, {"a": (3,), "b": (1,), "c": (2,)}, {"a": True}))
    ['b']
    >>> forbidden(q, {}, {"a": True, "b": True}) is None
    True
    """
    out: set[str] = set()
    # sets with a unit fixed in first: that unit must be their keeper
    ordered = sorted(q.barred, key=lambda b: not any(fixed.get(u) is True for u in b.units))
    for barred in ordered:
        held = [u for u in barred.units if fixed.get(u) is True]
        if len(held) > 1 or (held and held[0] in out):
            return None
        free = [u for u in barred.units if u not in out and fixed.get(u) is not False]
        if held:
            keeper = held[0]
        elif free:
            keeper = min(free, key=lambda u: tuple(costs.get(u, ())))  # min() keeps the first of equals
        else:
            continue  # every unit already out
        out.update(u for u in barred.units if u != keeper)
    return frozenset(out)


def with_forbidden(costs: Mapping[str, Sequence[Any]], units: frozenset[str]) -> dict[str, tuple[Any, ...]]:
    """``costs`` with a last component: 1 for a forbidden unit, else 0."""
    return {u: (*vector, int(u in units)) for u, vector in costs.items()}


def proven(value: tuple[Any, ...] | None) -> bool:
    """Whether the relaxation's least (with the forbidden count last) is the structure's."""
    return value is None or value[-1] == 0


def without_forbidden(value: tuple[Any, ...] | None) -> tuple[Any, ...] | None:
    """The least cost itself, the forbidden count dropped."""
    return None if value is None else value[:-1]
