"""Pathways drawn uniformly at random: "show me some typical pathways", and unbiased test cases.

Every pathway is equally likely: the draws are exact, guided by whole-number counts.

Where it can, a draw walks back through the tables of one counting pass, the draws
moving together. Two such passes are tried, in the order the counting question picks
their engines (:func:`solver.exact.choose`):

* the frontier programme's (:func:`solver.exact.frontier.sample`): polynomial in the
  structure for a bounded frontier of coupled units, whatever the number of pathways;
  tried first where it is the counting engine (many barred sets and prerequisites);
* the unit-type programme's (:func:`solver.exact.interchangeable.sample_types`), given
  :data:`TYPES_BUDGET` seconds: one step per type per draw (or, when there are no more
  pathways than draws, every pathway listed once and the draws made from the list); it
  takes the bundled structures, overlapping pools and caps in well under a second.

Where neither does, units are decided in the documented order, and a unit is taken with
probability (pathways that take it, given the units decided so far) / (pathways given
those units). ``n`` draws share their prefixes: at each unit the number of draws that
take it is drawn at once (each of the draws independently, from whole-number counts),
and the two halves go on with their own counts. The work is one conditional count per
distinct prefix the draws pass through, at most ``n`` times the number of units, far
fewer near the top. The counts come from the exact engines (:func:`solver.exact.solve`;
the tree programme's caching :class:`~solver.exact.Engine` where it applies). A structure
no exact engine takes cannot be sampled and raises :class:`~solver.exact.kernel.NotSupported`.

Examples
--------
>>> from solver.model import bundled_rules, load_qualification
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> drawn = sample_pathways(q, 5, seed=1)
>>> len(drawn), all(len(p.units) == 5 for p in drawn)
(5, True)
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Collection, Mapping

from .. import exact
from ..exact import frontier
from ..exact.interchangeable import sample_types
from ..model.results import Pathway, PathwayMaker
from ..model.structure import Qualification
from .options import forced_units

__all__ = ["MAX_SAMPLES", "sample_pathways"]

#: Most pathways one call draws.
MAX_SAMPLES = 100_000

#: Seconds the unit-type programme's counting pass may take before the conditional counts are used instead.
TYPES_BUDGET = 2.0


def _counter(q: Qualification) -> Callable[[Mapping[str, bool]], int]:
    """Exact conditional counts, sharing tables between calls where the tree programme applies."""
    try:
        engine = exact.Engine(q, exact.COUNT)
    except exact.NotSupported:
        return lambda fixed: exact.solve(q, exact.COUNT, forced=fixed)
    return engine.solve


def _how_many(rng: random.Random, draws: int, taking: int, total: int) -> int:
    """How many of ``draws`` independent uniform draws among ``total`` fall in the first ``taking``."""
    if taking == 0:
        return 0
    if taking == total:
        return draws
    return sum(1 for _ in range(draws) if rng.randrange(total) < taking)


def _walk_back(q: Qualification, n: int, rng: random.Random,
               forced: Mapping[str, bool]) -> list[frozenset[str]] | None:
    """Draws walked back through one counting pass's tables, or ``None`` where no such pass is quick.

    The frontier programme's first where counting would use it, the unit-type programme's
    (within :data:`TYPES_BUDGET`) first elsewhere.
    """
    chosen = exact.choose(q, exact.Question.COUNT).engine
    passes = [_by_frontier, _by_types]
    if chosen is None or chosen.name != "frontier":
        passes.reverse()
    for draw in passes:
        try:
            return draw(q, n, rng, forced)
        except (exact.NotSupported, TimeoutError):
            continue
    return None


def _by_frontier(q: Qualification, n: int, rng: random.Random, forced: Mapping[str, bool]) -> list[frozenset[str]]:
    return frontier.sample(q, n, rng, forced=forced)


def _by_types(q: Qualification, n: int, rng: random.Random, forced: Mapping[str, bool]) -> list[frozenset[str]]:
    deadline = time.monotonic() + TYPES_BUDGET
    return [frozenset(units) for units in sample_types(q, n, rng, forced=forced, deadline=deadline)]


def sample_pathways(
    q: Qualification,
    n: int,
    *,
    seed: int | None = None,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
) -> list[Pathway]:
    """``n`` pathways drawn independently and uniformly from every pathway (with repetition).

    Parameters
    ----------
    q
        The qualification.
    n
        How many to draw (at most :data:`MAX_SAMPLES`).
    seed
        Makes the draw repeatable: the same seed gives the same pathways in the same order.
    include, exclude
        Draw only among pathways that hold / do not hold these units.

    Returns
    -------
    list of Pathway
        In random order; empty when no pathway exists.

    Raises
    ------
    UsageError
        For an unknown unit id, or ``n`` outside 0 to :data:`MAX_SAMPLES`.
    NotSupported
        When no exact engine counts ``q``.
    """
    from ..model.errors import UsageError

    if not 0 <= n <= MAX_SAMPLES:
        raise UsageError(f"expected 0 to {MAX_SAMPLES:,} pathways to draw, found {n}")
    forced = forced_units(q, include, exclude)
    rng = random.Random(seed)
    order = {u: i for i, u in enumerate(q.unit_ids())}
    found = _walk_back(q, n, rng, forced)
    if found is not None:
        make_one = PathwayMaker(q).ordered
        return [make_one(tuple(sorted(units, key=order.__getitem__))) for units in found]
    count = _counter(q)
    units = [u for u in q.unit_ids() if u not in forced]
    total = count(forced)
    if n == 0 or total == 0:
        return []
    make = PathwayMaker(q).ordered
    drawn: list[Pathway] = []
    # depth-first over prefixes: (next unit, units fixed so far, pathways given them, draws to place)
    stack: list[tuple[int, dict[str, bool], int, int]] = [(0, dict(forced), total, n)]
    while stack:
        i, fixed, pathways, draws = stack.pop()
        if i == len(units):
            taken = tuple(sorted((u for u, v in fixed.items() if v), key=order.__getitem__))
            drawn.extend([make(taken)] * draws)
            continue
        unit = units[i]
        with_unit = count({**fixed, unit: True})
        taking = _how_many(rng, draws, with_unit, pathways)
        if draws - taking:
            stack.append((i + 1, {**fixed, unit: False}, pathways - with_unit, draws - taking))
        if taking:
            stack.append((i + 1, {**fixed, unit: True}, with_unit, taking))
    rng.shuffle(drawn)
    return drawn
