"""Interleaving groups' fixed sequences (solver.exact.frontier_merge) against trying every interleaving."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.exact import frontier_merge
from solver.exact.frontier_merge import interleave
from solver.exact.frontier_problem import shape_problem
from solver.model import Barred, Group, Qualification, Unit


def _cost(order: list[str], groups: dict[str, list[str]], cells: dict[str, int], pairs: list[tuple[str, str]]) -> int:
    """The work of deciding ``order``, written out: each step's table is the product of the
    totals of the groups begun and not finished, times 2 for each unit decided with a barred
    partner still to come, and 2 more when the unit decided has one."""
    position = {u: i for i, u in enumerate(order)}
    mates = {u: [b if a == u else a for a, b in pairs if u in (a, b)] for u in order}
    total = 0
    for i, u in enumerate(order):
        table = 1
        for g, members in groups.items():
            first, last = min(position[v] for v in members), max(position[v] for v in members)
            if first <= i <= last:
                table *= cells[g]
        bits = sum(1 for v in order[:i] if any(position[m] >= i for m in mates[v]))
        bits += any(position[m] > i for m in mates[u])
        total += table * 2 ** bits
    return total


def _interleavings(sequences: list[list[str]]) -> list[list[str]]:
    """Every order holding each sequence in its own order (as the positions each one takes)."""
    out = []
    slots = [g for g, seq in enumerate(sequences) for _ in seq]
    for labels in set(itertools.permutations(slots)):
        taken = [iter(seq) for seq in sequences]
        out.append([next(taken[g]) for g in labels])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_the_interleaving_costs_least_of_all(data: Any) -> None:
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=2, max_size=3), label="group sizes")
    groups = {f"G{g}": [f"g{g}u{i}" for i in range(n)] for g, n in enumerate(sizes)}
    units = [u for members in groups.values() for u in members]
    minima = {g: data.draw(st.integers(1, len(members)), label=f"min of {g}") for g, members in groups.items()}
    free = list(units)
    pairs = []
    for _ in range(data.draw(st.integers(0, len(units) // 2), label="pairs")):
        a, b = data.draw(st.permutations(free), label="pair")[:2]
        pairs.append((a, b))
        free = [u for u in free if u not in (a, b)]
        if len(free) < 2:
            break
    q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u, credits=Decimal(1)) for u in units),
                      requirements=tuple(Group(id=g, units=tuple(members), min_credits=Decimal(minima[g]))
                                         for g, members in groups.items()),
                      barred=tuple(Barred(units=pair) for pair in pairs))
    sequences = [data.draw(st.permutations(members), label=f"order of {g}") for g, members in groups.items()]
    got = interleave(shape_problem(q), sequences)
    assert got is not None and sorted(got) == sorted(units)
    for seq in sequences:
        assert [u for u in got if u in seq] == list(seq)
    cells = {g: minima[g] + 1 for g in groups}  # a total saturating at its minimum: 0 .. min
    if pairs:
        best = min(_cost(order, groups, cells, pairs) for order in _interleavings(sequences))
        assert _cost(got, groups, cells, pairs) == best


def test_groups_without_barred_units_come_first_and_whole() -> None:
    q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in ("a", "b", "c", "d", "e")),
                      requirements=(Group(id="A", units=("a", "b"), min_units=1),
                                    Group(id="B", units=("c", "d", "e"), min_units=1)),
                      barred=(Barred(units=("a", "b")),))
    assert interleave(shape_problem(q), [["a", "b"], ["e", "c", "d"]]) == ["e", "c", "d", "a", "b"]


def test_a_grid_past_its_limit_is_declined(monkeypatch: Any) -> None:
    q = Qualification(id="Q", title="T", units=tuple(Unit(id=u, title=u) for u in "abcd"),
                      requirements=(Group(id="A", units=("a", "b"), min_units=1),
                                    Group(id="B", units=("c", "d"), min_units=1)),
                      barred=(Barred(units=("a", "c")),))
    monkeypatch.setattr(frontier_merge, "MAX_POINTS", math.prod((3, 3)) - 1)
    assert interleave(shape_problem(q), [["a", "b"], ["c", "d"]]) is None
