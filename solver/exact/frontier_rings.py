"""Values the frontier engine carries in its tables, as numpy arrays: counts, and least costs with ties.

A table value is a tuple of arrays of one shape ``(lanes, *cells)``; axis 0 holds
*lanes* (residues of a count, see below) and the table's axes follow. The engine
only asks a ring for these operations:

* ``zero(shape)``: no way at all;
* ``add(a, b)``: the ways of ``a`` or of ``b`` (one cell at a time);
* ``fold(a, axis)``: ``add`` over one axis (kept, with size 1);
* ``keep(a, mask)``: ``a`` where the boolean ``mask`` holds, no way elsewhere;
* ``clear(a, index)``: no way in the cells at ``index`` (in place, on a table the
  engine owns);
* ``take(a, unit)``: the ways of ``a`` with ``unit`` taken as well.

Counts are exact. While the free units are at most 62, no count can pass 2**62 and
machine integers hold it. Beyond that, the ties of an optimum are first counted in one
lane that saturates at 2**61 (ties are usually few; when they reach the stop, the
optimum is solved again with residues), and counts are kept as residues modulo primes below
2**50 (one lane each, enough of them that their product exceeds 2**units) and put
together at the end by the Chinese remainder theorem.

Least costs are lexicographic cost vectors packed into one integer (each criterion
in a radix past its largest total, so integer order is the vector order). Each cell
also keeps the *first* of its cheapest partial pathways in the documented order, as
bits (one per candidate unit, the first unit highest, in 62-bit chunks): ways that
meet in a cell share every completion, so the first of them stays first whatever
follows, and the cheapest complete pathway's bits read out the first optimal pathway.

>>> import numpy as np
>>> ring = Counts(units=3)
>>> a = ring.one(())
>>> int(ring.total(ring.add(a, a)))
2
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from math import lcm
from typing import Any

import numpy as np

__all__ = ["Counts", "Least", "Lowest", "Value"]

Value = tuple[Any, ...]

#: Primes below 2**50: sums of up to 4096 residues stay inside int64.
_PRIMES = (1125899906842597, 1125899906842589, 1125899906842573, 1125899906842553, 1125899906842511,
           1125899906842507, 1125899906842493, 1125899906842463, 1125899906842429, 1125899906842391,
           1125899906842357, 1125899906842283, 1125899906842273, 1125899906842247, 1125899906842201,
           1125899906842177, 1125899906842079, 1125899906842033, 1125899906842021, 1125899906842013,
           1125899906841973, 1125899906841971, 1125899906841959, 1125899906841949)
#: Most residues added in one go (an axis folded in pieces of this many cells).
_FOLD = 4096

#: Free units up to which every count fits a machine integer as it is.
EXACT_UNITS = 62


#: Where a saturating count stops: the sum of two such counts, 2**62, still fits int64.
SATURATED = 1 << 61


class _Ways:
    """Exact counts as int64 arrays: plain, as residues (one lane per prime), or saturating.

    With ``saturate``, one plain lane stops at :data:`SATURATED`: exact below it, and a
    count that reaches it is known to need the residues (:attr:`saturated` tells).
    """

    def __init__(self, units: int, *, saturate: bool = False) -> None:
        self.saturate = saturate and units > EXACT_UNITS
        if units <= EXACT_UNITS or self.saturate:
            self.moduli: tuple[int, ...] = ()
            self.lanes = 1
        else:
            need = units + 1
            chosen: list[int] = []
            while need > 0:
                if len(chosen) == len(_PRIMES):
                    raise ValueError(f"{units} free units: counts too large for the residue lanes")
                chosen.append(_PRIMES[len(chosen)])
                need -= 49
            self.moduli = tuple(chosen)
            self.lanes = len(chosen)
        self.mod = np.array(self.moduli, dtype=np.int64) if self.moduli else None

    def reduce(self, a: Any) -> Any:
        if self.saturate:
            return np.minimum(a, SATURATED)
        if self.mod is None:
            return a
        return a % self.mod.reshape((-1,) + (1,) * (a.ndim - 1))

    def saturated(self, lanes: Any) -> bool:
        """Whether a saturating count reached its stop (and so is not exact)."""
        return self.saturate and int(lanes[0]) >= SATURATED

    def sum(self, a: Any, axis: int) -> Any:
        """``a`` summed over ``axis`` (kept, size 1), reduced.

        Slice by slice: numpy's own reduction over an inner axis is many times slower
        than adding the slices, and reducing every ``_FOLD`` slices keeps residues in range.
        """
        index = (slice(None),) * axis
        total = a[(*index, slice(0, 1))].copy()
        for i in range(1, a.shape[axis]):
            total += a[(*index, slice(i, i + 1))]
            if self.saturate or (self.mod is not None and i % _FOLD == 0):
                total = self.reduce(total)
        return self.reduce(total)

    def value(self, lanes: Any) -> int:
        """The exact count from its lanes."""
        if not self.moduli:
            return int(lanes[0])
        total, modulus = 0, 1
        for r, p in zip((int(x) for x in lanes), self.moduli):
            # the Chinese remainder theorem, one prime at a time
            step = ((r - total) * pow(modulus, -1, p)) % p
            total += modulus * step
            modulus *= p
        return total


class Counts:
    """Numbers of ways (see the module docstring)."""

    def __init__(self, units: int) -> None:
        self.ways = _Ways(units)
        self.arrays = self.ways.lanes
        """Machine integers per cell."""

    def zero(self, shape: Sequence[int]) -> Value:
        """No way, in every cell."""
        return (np.zeros((self.ways.lanes, *shape), dtype=np.int64),)

    def one(self, shape: Sequence[int]) -> Value:
        """One way (nothing taken), in every cell."""
        return (np.ones((self.ways.lanes, *shape), dtype=np.int64),)

    def add(self, a: Value, b: Value) -> Value:
        """The ways of ``a`` or of ``b``."""
        return (self.ways.reduce(a[0] + b[0]),)

    def fold(self, a: Value, axis: int) -> Value:
        """``add`` over one table axis, kept with size 1."""
        return (self.ways.sum(a[0], axis + 1),)

    def keep(self, a: Value, mask: Any) -> Value:
        """``a`` where ``mask`` (cells only, no lane axis) holds."""
        return (np.where(mask[None, ...], a[0], 0),)

    def clear(self, a: Value, index: tuple[Any, ...]) -> None:
        """No way in the cells at ``index`` (in place)."""
        a[0][(slice(None), *index)] = 0

    def take(self, a: Value, unit: str) -> Value:
        """Taking a unit changes no count."""
        return a

    def total(self, a: Value) -> int:
        """The count of a table of one cell."""
        return self.ways.value(a[0].reshape(self.ways.lanes, -1)[:, 0])


def _least(a: Any, axis: int) -> Any:
    """The least of ``a`` over ``axis`` (kept, size 1).

    numpy's own reduction over a short inner axis is many times slower than taking the
    slices' minimum one by one (512 against 20 microseconds for a two-cell last axis); over
    a long axis it is quicker.
    """
    return _along(a, axis, np.minimum)


def _most(a: Any, axis: int) -> Any:
    """The largest of ``a`` over ``axis`` (kept, size 1); see :func:`_least`."""
    return _along(a, axis, np.maximum)


def _along(a: Any, axis: int, pick: Any) -> Any:
    """``pick`` (``np.minimum`` or ``np.maximum``) over ``axis``: reduced if long, slice by slice if short."""
    if a.shape[axis] > 16 or a.dtype == object:
        return pick.reduce(a, axis=axis, keepdims=True)
    index = (slice(None),) * axis
    if a.shape[axis] == 1:
        return a.copy()
    out = pick(a[(*index, slice(0, 1))], a[(*index, slice(1, 2))])  # the first two at once: no copy
    for i in range(2, a.shape[axis]):
        pick(out, a[(*index, slice(i, i + 1))], out=out)
    return out


def _integral(value: Any) -> bool:
    """Whether ``value`` is a whole int or Decimal: the common case, read without a Fraction."""
    return isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value())


def _whole(values: Sequence[Any]) -> tuple[list[int], Fraction]:
    """``values`` as coprime whole numbers, and what they were multiplied by to become them.

    >>> _whole([Decimal(6), Decimal(12), Decimal("7.5")])
    ([4, 8, 5], Fraction(2, 3))
    """
    scale = lcm(1, *(1 if _integral(v) else Fraction(v).denominator for v in values))
    whole = [int(v) * scale if _integral(v) else int(Fraction(v) * scale) for v in values]
    common = math.gcd(*whole) or 1
    return [w // common for w in whole], Fraction(scale, common)


class Least:
    """(Least cost, ways, first cheapest pathway) per cell (see the module docstring).

    ``costs`` maps every candidate unit to its cost vector (ints, Decimals or
    Fractions; negative parts allowed); ``units`` are the candidates in the documented
    order; ``fixed`` the units already decided (in or out).
    """

    def __init__(self, costs: Mapping[str, Sequence[Any]], units: Sequence[str], fixed: Mapping[str, bool],
                 *, saturate: bool = False, first: bool = True) -> None:
        self.ways = _Ways(sum(1 for u in units if u not in fixed), saturate=saturate)
        width = len(next(iter(costs.values()))) if costs else 0
        # each criterion on its own coprime whole-number lattice: lexicographic order kept, and
        # smaller totals (6- and 12-credit courses count 1 and 2) fit narrower integers
        read = [_whole([costs[u][i] for u in units]) for i in range(width)]
        columns = [column for column, _scale in read]
        self.scales = [scale for _column, scale in read]
        self.lows: list[int] = []
        self.radices: list[int] = []
        packed = [0] * len(units)
        for column in columns:
            low = sum(v for v in column if v < 0)
            high = sum(v for v in column if v > 0)
            radix = high - low + 1
            self.lows.append(low)
            self.radices.append(radix)
            packed = [p * radix + v for p, v in zip(packed, column)]
        self.spread = sum(abs(p) for p in packed)
        """The most a pathway's packed total can be, either way from 0."""
        self.exact_ints = self.spread < (1 << 40)
        self.inf: int = (1 << 61) if self.exact_ints else (self.spread + 1) << 64
        self.dtype: Any = np.int64 if self.exact_ints else object
        self.cost = dict(zip(units, packed))
        self.columns = {u: tuple(int(c[i]) for c in columns) for i, u in enumerate(units)}
        # only undecided units need a bit: every pathway holds the units fixed in
        # without ``first`` no pathway is kept: the ties alone, where the first is already known
        free = [u for u in units if u not in fixed] if first else []
        self.chunks = max(1, -(-len(free) // 62)) if first else 0
        self.bit = {u: (i // 62, 1 << (61 - i % 62)) for i, u in enumerate(free)}
        self.fixed_in = frozenset(u for u, take in fixed.items() if take)
        self.arrays = 1 + self.ways.lanes + self.chunks
        """Machine integers per cell (a cost held as a Python integer counts as one)."""
        self.units = tuple(units)
        self.original = costs

    def zero(self, shape: Sequence[int]) -> Value:
        """No way, in every cell."""
        cost = np.full((1, *shape), self.inf, dtype=self.dtype)
        ways = np.zeros((self.ways.lanes, *shape), dtype=np.int64)
        return (cost, ways, *(np.zeros((1, *shape), dtype=np.int64) for _ in range(self.chunks)))

    def one(self, shape: Sequence[int]) -> Value:
        """One way, of cost 0, taking nothing."""
        cost = np.zeros((1, *shape), dtype=self.dtype)
        ways = np.ones((self.ways.lanes, *shape), dtype=np.int64)
        return (cost, ways, *(np.zeros((1, *shape), dtype=np.int64) for _ in range(self.chunks)))

    def _first(self, a: Value, b: Value) -> Any:
        """Cells where ``a``'s pathway bits come first (or tie) in the documented order."""
        if len(a) == 3:  # one chunk: one comparison
            return a[2] >= b[2]
        greater = np.zeros(np.broadcast_shapes(a[2].shape, b[2].shape), dtype=bool)
        equal = np.ones_like(greater)
        for x, y in zip(a[2:], b[2:]):
            greater |= equal & (x > y)
            equal &= x == y
        return greater | equal

    def add(self, a: Value, b: Value) -> Value:
        """Per cell: the cheaper, ways added on a tie, the first pathway kept."""
        a_le = a[0] <= b[0]
        b_le = b[0] <= a[0]
        cost = np.minimum(a[0], b[0])
        ways = self.ways.reduce(np.where(a_le, a[1], 0) + np.where(b_le, b[1], 0))
        if not self.chunks:
            return (cost, ways)
        pick_a = a_le & (~b_le | self._first(a, b))
        bits = tuple(np.where(pick_a, x, y) for x, y in zip(a[2:], b[2:]))
        return (cost, ways, *bits)

    def fold(self, a: Value, axis: int) -> Value:
        """``add`` over one table axis, kept with size 1.

        The least cost first; the ways of the cells that reach it summed; of those cells'
        pathways, the first in the documented order (the largest bits, chunk by chunk).
        """
        cost = _least(a[0], axis + 1)
        if cost.dtype == object:  # costs past machine integers: pairwise, as add does
            index = (slice(None),) * (axis + 1)
            total = tuple(x[(*index, slice(0, 1))] for x in a)
            for i in range(1, a[0].shape[axis + 1]):
                total = self.add(total, tuple(x[(*index, slice(i, i + 1))] for x in a))
            return total
        best = a[0] == cost
        ways = self.ways.sum(np.where(best, a[1], 0), axis + 1)
        bits = []
        for chunk in a[2:]:
            first = _most(np.where(best, chunk, -1), axis + 1)
            bits.append(first)
            best = best & (chunk == first)
        return (cost, ways, *bits)

    def keep(self, a: Value, mask: Any) -> Value:
        """``a`` where ``mask`` holds, no way elsewhere."""
        m = mask[None, ...]
        return (np.where(m, a[0], self.inf), np.where(m, a[1], 0), *a[2:])

    def clear(self, a: Value, index: tuple[Any, ...]) -> None:
        """No way in the cells at ``index`` (in place)."""
        a[0][(slice(None), *index)] = self.inf
        a[1][(slice(None), *index)] = 0

    def take(self, a: Value, unit: str) -> Value:
        """The unit's cost added and its bit set."""
        if unit not in self.bit:
            return (a[0] + self.cost[unit], *a[1:])
        chunk, bit = self.bit[unit]
        bits = list(a[2:])
        bits[chunk] = bits[chunk] | bit
        return (a[0] + self.cost[unit], a[1], *bits)

    def unpack(self, packed: int) -> tuple[Any, ...]:
        """The cost vector a pathway's packed total stands for, in the costs' own type.

        >>> ring = Least({"a": (1, -2), "b": (Decimal("0.5"), 3)}, ("a", "b"), {})
        >>> ring.unpack(ring.cost["a"] + ring.cost["b"])
        (Decimal('1.5'), 1)
        """
        # each column's total lies in low .. low + radix - 1: read the digits from the last column
        shifted = packed - sum(low * math.prod(self.radices[i + 1:]) for i, low in enumerate(self.lows))
        digits: list[int] = []
        for radix in reversed(self.radices):
            shifted, digit = divmod(shifted, radix)
            digits.append(digit)
        totals = [d + low for d, low in zip(reversed(digits), self.lows)]
        return tuple(_like(self.original, i, Fraction(t, scale))
                     for i, (t, scale) in enumerate(zip(totals, self.scales)))

    def total(self, a: Value, *, exact: bool = True) -> tuple[tuple[Any, ...] | None, int, frozenset[str]]:
        """(least cost vector, its ways, the first cheapest pathway) of a table of one cell.

        Without ``first`` the pathway is empty. With ``exact=False`` a saturated count of ways
        is returned as it is (the cost and the pathway are exact all the same).

        Raises
        ------
        OverflowError
            When saturating ways reached their stop: solve again without ``saturate``
            (or, the optimum and its first pathway being known, without ``first``).
        """
        cost = a[0].reshape(-1)[0]
        lanes = a[1].reshape(self.ways.lanes, -1)[:, 0]
        if exact and self.ways.saturated(lanes):
            raise OverflowError("more ties than a saturating count holds")
        ways = self.ways.value(lanes)
        if ways == 0 or cost >= self.inf:
            return None, 0, frozenset()
        if not self.chunks:
            return self.unpack(int(cost)), ways, frozenset()
        words = [int(x.reshape(-1)[0]) for x in a[2:]]
        chosen = self.fixed_in | {u for u, (chunk, bit) in self.bit.items() if words[chunk] & bit}
        width = len(next(iter(self.original.values()))) if self.original else 0
        best = tuple(sum((self.original[u][i] for u in chosen), _zero(self.original, i)) for i in range(width))
        return best, ways, chosen


class Lowest:
    """The least cost per cell and nothing else: the optimum's proof, without its ties or a pathway.

    One array of packed costs per objective (each packed as :class:`Least` packs a cost
    vector), folded with a minimum: about a third of :class:`Least`'s work, for questions
    that only read the value (lint's "would the minimum be lower without this rule?").
    Several objectives are solved side by side in one pass, on one lane each.

    >>> ring = Lowest([{"a": (2,), "b": (3,)}, {"a": (5,), "b": (1,)}], ("a", "b"), {})
    >>> ring.total(ring.add(ring.take(ring.one(()), "a"), ring.take(ring.one(()), "b")))
    [(2,), (1,)]
    """

    def __init__(self, objectives: Sequence[Mapping[str, Sequence[Any]]], units: Sequence[str],
                 fixed: Mapping[str, bool]) -> None:
        self.packings = [Least(costs, units, fixed) for costs in objectives]
        exact = all(p.exact_ints for p in self.packings)
        # a pathway's total lies within its lane's spread; "no way" starts far above it and, costs
        # added (negative ones too), stays above it
        self.spreads = [p.spread for p in self.packings]
        spread = max(self.spreads, default=0)
        # less memory traffic where every total fits: "no way" at 2**14 with totals within 2**13
        # (int16: a quarter of int64's), or at 2**30 with totals within 2**29 (int32)
        self.dtype: Any
        if exact and spread < (1 << 13):
            self.dtype, self.inf = np.int16, 1 << 14
        elif exact and spread < (1 << 29):
            self.dtype, self.inf = np.int32, 1 << 30
        else:
            self.dtype, self.inf = (np.int64 if exact else object), max(p.inf for p in self.packings)
        self.lanes = len(self.packings)
        self.cost = {u: np.array([p.cost[u] for p in self.packings], dtype=self.dtype) for u in units}
        self.arrays = self.lanes

    def zero(self, shape: Sequence[int]) -> Value:
        """No way, in every cell."""
        return (np.full((self.lanes, *shape), self.inf, dtype=self.dtype),)

    def one(self, shape: Sequence[int]) -> Value:
        """One way, of cost 0, taking nothing."""
        return (np.zeros((self.lanes, *shape), dtype=self.dtype),)

    def add(self, a: Value, b: Value) -> Value:
        """Per cell: the cheaper."""
        return (np.minimum(a[0], b[0]),)

    def fold(self, a: Value, axis: int) -> Value:
        """``add`` over one table axis, kept with size 1."""
        return (_least(a[0], axis + 1),)

    def keep(self, a: Value, mask: Any) -> Value:
        """``a`` where ``mask`` holds, no way elsewhere."""
        return (np.where(mask[None, ...], a[0], self.inf),)

    def clear(self, a: Value, index: tuple[Any, ...]) -> None:
        """No way in the cells at ``index`` (in place)."""
        a[0][(slice(None), *index)] = self.inf

    def take(self, a: Value, unit: str) -> Value:
        """The unit's cost added (each objective's on its lane)."""
        return (a[0] + self.cost[unit].reshape((self.lanes,) + (1,) * (a[0].ndim - 1)),)

    def total(self, a: Value) -> list[tuple[Any, ...] | None]:
        """Each objective's least cost vector of a table of one cell, ``None`` for no way."""
        packed = a[0].reshape(self.lanes, -1)[:, 0]
        return [None if value > spread else p.unpack(int(value))
                for value, p, spread in zip(packed, self.packings, self.spreads)]


def _like(costs: Mapping[str, Sequence[Any]], i: int, value: Fraction) -> Any:
    """``value`` in the type of the ``i``-th costs.

    A Decimal where any of them is one, else a Fraction where any is one or ``value`` is not
    whole, else an int.
    """
    kinds = {type(vec[i]) for vec in costs.values()}
    if Decimal in kinds:
        return Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction in kinds or value.denominator != 1:
        return value
    return int(value)


def _zero(costs: Mapping[str, Sequence[Any]], i: int) -> Any:
    for vec in costs.values():
        return type(vec[i])(0) if isinstance(vec[i], (Decimal, Fraction)) else 0
    return 0

