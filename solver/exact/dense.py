"""Counting tables as numpy arrays, for the tree programme of :mod:`solver.exact.tree` on large structures.

A table maps a state (saturated totals) to how many ways reach it. Counts outgrow
64 bits, so they stay Python integers in object arrays (exact); only the state
arithmetic is done in machine integers.

* :func:`add_units` takes every subset of some units on top of a table: one
  shifted add per unit over a dense array.
* :func:`convolve_counts` pairs every state of one table with every state of
  another; :func:`convolve_least` does the same for (least cost, ways) values.
* :func:`below` counts a group's subsets that fall short of its one minimum, a
  small table when the minimum is small: a group with a minimum and no maximum
  is then every subset *less* those, which costs one shifted add per unit instead
  of a convolution with thousands of states.

Examples
--------
>>> add_units({(0,): 1}, [(2,), (3,)], [4])  # subsets of {2, 3} with totals capped at 4
{(0,): 1, (2,): 1, (3,): 1, (4,): 1}
>>> below([(2,), (3,)], [9], axis=0, low=3)  # the subsets short of 3: {} and {2}
{(0,): 1, (2,): 1}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from math import prod
from typing import Any

from ..model.numbers import whole_numbers

__all__ = ["add_units", "below", "convolve_counts", "convolve_least"]

State = tuple[int, ...]


def _dense(table: Mapping[State, int], caps: Sequence[int]) -> Any:
    import numpy as np

    arr = np.zeros([c + 1 for c in caps], dtype=object)
    for state, n in table.items():
        arr[state] = n
    return arr


def _sparse(arr: Any) -> dict[State, int]:
    import numpy as np

    return {tuple(int(i) for i in index): int(arr[index]) for index in zip(*np.nonzero(arr))}


def _shifted(arr: Any, vec: State, caps: Sequence[int]) -> Any:
    """The table with ``vec`` added to every state, what passes a cap folded into the cap."""
    import numpy as np

    moved = arr
    for axis, (w, cap) in enumerate(zip(vec, caps)):
        if w == 0:
            continue
        shifted = np.zeros_like(moved)
        keep = [slice(None)] * len(caps)
        into = [slice(None)] * len(caps)
        if w <= cap:
            keep[axis] = slice(0, cap + 1 - w)
            into[axis] = slice(w, cap + 1)
            shifted[tuple(into)] = moved[tuple(keep)]
            tail = [slice(None)] * len(caps)
            tail[axis] = slice(cap + 1 - w, cap + 1)
            folded = np.add.reduce(moved[tuple(tail)], axis=axis)
        else:
            folded = np.add.reduce(moved, axis=axis)
        top: list[Any] = [slice(None)] * len(caps)
        top[axis] = cap
        shifted[tuple(top)] = shifted[tuple(top)] + folded
        moved = shifted
    return moved


def add_units(table: Mapping[State, int], vectors: Sequence[State], caps: Sequence[int]) -> dict[State, int]:
    """``table`` convolved with every subset of units of weights ``vectors`` (states saturate at ``caps``)."""
    arr = _dense(table, caps)
    for vec in vectors:
        arr = arr + _shifted(arr, vec, caps)
    return _sparse(arr)


def below(vectors: Sequence[State], caps: Sequence[int], *, axis: int, low: int) -> dict[State, int]:
    """How many subsets of the units reach each state whose ``axis`` total is under ``low``.

    The axis is capped at ``low`` while counting (everything at or past it is one cell,
    dropped at the end), so the table is small when ``low`` is.
    """
    narrow = list(caps)
    narrow[axis] = min(caps[axis], low)
    found = add_units({(0,) * len(caps): 1}, vectors, narrow)
    return {state: n for state, n in found.items() if state[axis] < low}


def convolve_counts(left: Mapping[State, int], right: Mapping[State, int],
                    caps: Sequence[int | None]) -> dict[State, int]:
    """Every pair of states added (saturating at ``caps``), counts multiplied, equal sums added."""
    import numpy as np

    flat, key = _state_keys(left, right, caps)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    values = np.multiply.outer(np.array(list(left.values()), dtype=object),
                               np.array(list(right.values()), dtype=object)).ravel()
    totals = np.add.reduceat(values[order], starts)
    states = flat[order[starts]]
    return {tuple(s): int(t) for s, t in zip(states.tolist(), totals)}


def _state_keys(left: Any, right: Any, caps: Sequence[int | None]) -> tuple[Any, Any]:
    """Every pair's summed state (saturating), and one machine integer per distinct state."""
    import numpy as np

    a_states = np.array(list(left), dtype=np.int64).reshape(len(left), -1)
    b_states = np.array(list(right), dtype=np.int64).reshape(len(right), -1)
    sums = a_states[:, None, :] + b_states[None, :, :]
    for d, cap in enumerate(caps):
        if cap is not None:
            np.minimum(sums[:, :, d], cap, out=sums[:, :, d])
    flat = sums.reshape(-1, sums.shape[-1])
    # one machine integer per state (mixed radix), so equal states can be found by sorting
    radix = flat.max(axis=0) + 1
    weights = np.cumprod(np.concatenate(([1], radix[:0:-1])))[::-1]
    return flat, flat @ weights


def convolve_least(left: Mapping[State, Least], right: Mapping[State, Least],
                   caps: Sequence[int | None]) -> dict[State, Least] | None:
    """:func:`convolve_counts` for (least cost, ways) values.

    Per summed state: the least total cost, and how many ways reach it. Costs (tuples
    compared in order) are packed into one machine integer per value; ``None`` when they
    cannot be (a cost not finite, or totals too large), and the caller convolves in Python.

    >>> convolve_least({(0,): ((1,), 1), (1,): ((0,), 2)}, {(0,): ((1,), 3)}, [1])
    {(0,): ((2,), 3), (1,): ((1,), 6)}
    """
    import numpy as np

    left = {s: v for s, v in left.items() if v[1]}
    right = {s: v for s, v in right.items() if v[1]}
    if not left or not right:
        return {}
    packing = _packing([c for c, _w in left.values()], [c for c, _w in right.values()])
    if packing is None:
        return None
    radices, scales, kinds = packing

    def pack(values: Any) -> Any:
        out = np.zeros(len(values), dtype=np.int64)
        for i, (radix, scale) in enumerate(zip(radices, scales)):
            out = out * radix + np.array([int(Fraction(c[i]) * scale) for c, _w in values], dtype=np.int64)
        return out

    a_cost, b_cost = pack(list(left.values())), pack(list(right.values()))
    flat, key = _state_keys(left, right, caps)
    cost = (a_cost[:, None] + b_cost[None, :]).ravel()
    order = np.lexsort((cost, key))  # by state, cheapest first
    k, c = key[order], cost[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1])))
    least = np.repeat(c[starts], np.diff(np.concatenate((starts, [len(k)]))))
    tight = order[c == least]  # the pairs reaching their state's least cost, grouped by state
    a_ways = np.array([w for _c, w in left.values()], dtype=object)
    b_ways = np.array([w for _c, w in right.values()], dtype=object)
    ways = a_ways[tight // len(right)] * b_ways[tight % len(right)]
    t_key = key[tight]
    t_starts = np.flatnonzero(np.concatenate(([True], t_key[1:] != t_key[:-1])))
    totals = np.add.reduceat(ways, t_starts)
    out: dict[State, Least] = {}
    for index, total in zip(tight[t_starts].tolist(), totals):
        out[tuple(int(x) for x in flat[index])] = (_unpack(int(cost[index]), radices, scales, kinds), int(total))
    return out


Least = tuple[tuple[Any, ...], int]


def _packing(left: Sequence[tuple[Any, ...]], right: Sequence[tuple[Any, ...]]
             ) -> tuple[list[int], list[int], list[type]] | None:
    """Radices, scales and number types that pack any left cost plus any right cost into 62 bits."""
    radices: list[int] = []
    scales: list[int] = []
    kinds: list[type] = []
    for i in range(len(left[0])):
        column = [c[i] for c in (*left, *right)]
        if not all(isinstance(v, (int, Decimal)) and (isinstance(v, int) or v.is_finite()) for v in column):
            return None
        whole, scale = whole_numbers(column)
        if min(whole) < 0:
            return None
        radices.append(max(whole[:len(left)]) + max(whole[len(left):]) + 1)
        scales.append(scale)
        kinds.append(Decimal if any(isinstance(v, Decimal) for v in column) else int)
    if prod(radices) >= 1 << 62:
        return None
    return radices, scales, kinds


def _unpack(packed: int, radices: Sequence[int], scales: Sequence[int], kinds: Sequence[type]) -> tuple[Any, ...]:
    """A packed cost back to its tuple, each part in its own type (an int, or a Decimal divided exactly)."""
    parts = []
    for radix in reversed(radices):
        packed, v = divmod(packed, radix)
        parts.append(v)
    parts.reverse()
    return tuple(kind(v) if scale == 1 else Decimal(v) / Decimal(scale) for v, scale, kind in zip(parts, scales, kinds))
