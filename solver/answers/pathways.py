"""Stream pathways, in a documented order, without ever holding them all.

Order: compare two pathways at the lowest-numbered candidate unit that one
holds and the other does not; the one holding it comes first (see
``docs/semantics.md``). Structures with a fixed allocation are searched by
:class:`solver.exact.search.Searcher`; others (overlapping pools, double counting)
by python-constraint through :mod:`solver.csp.stream`.

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> first = next(iter_pathways(q))
>>> first.units[-1], first.unit_count
('support-improvements', 5)
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator, Mapping

from ..csp.stream import iter_csp_pathways
from ..exact.engines import ENGINES, Question, choose
from ..exact.product import ProductEnumerator
from ..exact.search import Searcher
from ..model.results import Method, Pathway, PathwayMaker
from ..model.structure import Qualification
from .options import forced_units


def _until(items: Iterator[tuple[str, ...]], deadline: float | None) -> Iterator[tuple[str, ...]]:
    """Stop an iterator at a :func:`time.monotonic` deadline (checked every 4,096 items)."""
    for i, item in enumerate(items):
        if deadline is not None and not i & 4095 and time.monotonic() > deadline:
            return
        yield item

__all__ = ["count_by_search", "engine_for", "iter_pathways"]


def engine_for(q: Qualification) -> Method:
    """The engine :func:`iter_pathways` uses for ``q`` (for a long listing)."""
    choice = choose(q, Question.STREAM)
    return Method(choice.engine.method) if choice.engine else Method.CONSTRAINT_ENUMERATION


#: Below this many pathways wanted, searching beats listing every group's subsets first.
PRODUCT_THRESHOLD = 20_000


def iter_units(
    q: Qualification, *, minimal: bool, forced: Mapping[str, bool], deadline: float | None,
    wanted: int | None = None,
) -> tuple[Iterator[tuple[str, ...]], Method]:
    engines = ENGINES if wanted is None or wanted > PRODUCT_THRESHOLD else [e for e in ENGINES if e.name != "product"]
    choice = choose(q, Question.STREAM, engines)
    if choice.engine is not None and choice.engine.name == Method.PRODUCT:
        product = ProductEnumerator(q, minimal=minimal, forced=forced)
        return _until(product.iter_pathways(), deadline), Method.PRODUCT
    if choice.engine is not None and choice.engine.name == Method.SEARCH:
        searcher = Searcher(q)
        return searcher.iter_pathways(minimal=minimal, forced=forced, deadline=deadline), Method.SEARCH
    include = [u for u, v in forced.items() if v]
    exclude = [u for u, v in forced.items() if not v]
    order = {u: i for i, u in enumerate(q.unit_ids())}

    def generate() -> Iterator[tuple[str, ...]]:
        for i, found in enumerate(iter_csp_pathways(q, minimal=minimal, include=include, exclude=exclude)):
            if deadline is not None and i % 256 == 0 and time.monotonic() > deadline:
                return
            yield tuple(sorted(found, key=order.__getitem__))

    return generate(), Method.CONSTRAINT_ENUMERATION


def iter_pathways(
    q: Qualification,
    *,
    minimal: bool = False,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    limit: int | None = None,
    timeout: float | None = None,
) -> Iterator[Pathway]:
    """Yield the pathways of ``q`` lazily, in the documented order.

    Parameters
    ----------
    q
        The qualification.
    minimal
        Only minimal pathways (no unit can be dropped).
    include, exclude
        Units every pathway must hold / must not hold.
    limit
        Stop after this many pathways.
    timeout
        Stop after this many seconds.

    Yields
    ------
    Pathway
        With its totals; ``units`` in candidate-unit order.
    """
    forced = forced_units(q, include, exclude)
    deadline = None if timeout is None else time.monotonic() + timeout
    found, _method = iter_units(q, minimal=minimal, forced=forced, deadline=deadline, wanted=limit)
    make = PathwayMaker(q).ordered  # every engine yields known units in candidate order
    for n, units in enumerate(found):
        if limit is not None and n >= limit:
            return
        yield make(tuple(units))


def count_by_search(
    q: Qualification,
    *,
    minimal: bool = False,
    forced: Mapping[str, bool] | None = None,
    limit: int | None = None,
    timeout: float | None = None,
    interruptible: bool = False,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, Method, bool]:
    """Count pathways by enumerating them: ``(count, method, complete)``.

    ``complete`` is false when ``limit`` or ``timeout`` stopped the count, or, with
    ``interruptible``, when Ctrl-C did. ``progress``, when given, is called with the
    count so far every 4,096 pathways (the command line draws a bar with it).
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    found, method = iter_units(q, minimal=minimal, forced=dict(forced or {}), deadline=deadline, wanted=limit)
    n = 0
    try:
        for _units in found:
            n += 1
            if limit is not None and n >= limit:
                return n, method, False
            if progress is not None and not n & 4095:
                progress(n)
    except KeyboardInterrupt:
        if not interruptible:
            raise
        return n, method, False  # Ctrl-C: report what was counted, marked partial
    complete = deadline is None or time.monotonic() <= deadline
    return n, method, complete
