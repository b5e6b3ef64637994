"""Counting tables as numpy arrays, for the tree programme of :mod:`solver.dp` on large structures.

A table maps a state (saturated totals) to how many ways reach it. Counts outgrow
64 bits, so they stay Python integers in object arrays (exact); only the state
arithmetic is done in machine integers.

* :func:`add_units` takes every subset of some units on top of a table: one
  shifted add per unit over a dense array.
* :func:`convolve_counts` pairs every state of one table with every state of
  another.
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
from typing import Any

__all__ = ["add_units", "below", "convolve_counts"]

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
    key = flat @ weights
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    values = np.multiply.outer(np.array(list(left.values()), dtype=object),
                               np.array(list(right.values()), dtype=object)).ravel()
    totals = np.add.reduceat(values[order], starts)
    states = flat[order[starts]]
    return {tuple(s): int(t) for s, t in zip(states.tolist(), totals)}
