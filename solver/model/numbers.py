"""Exact numbers (ints, Decimals, Fractions) as whole numbers times one common scale.

The array programmes add machine integers, never Decimals: a column of credits such as
7.5 and 5 becomes 15 and 10 at scale 2, summed exactly and divided once at the end.

>>> from decimal import Decimal
>>> whole_numbers([Decimal("7.5"), 5, Decimal("0.25")])
([30, 20, 1], 4)
"""

from __future__ import annotations

from collections.abc import Iterable
from math import lcm
from typing import Any

__all__ = ["whole_numbers"]


def whole_numbers(values: Iterable[Any]) -> tuple[list[int], int]:
    """The values times the least scale that makes every one whole, and that scale."""
    ratios = [(int(n), int(d)) for n, d in (v.as_integer_ratio() for v in values)]  # exact for all three
    scale = lcm(1, *(d for _n, d in ratios))
    return [n * (scale // d) for n, d in ratios], scale
