"""Count pathways exactly, and break the count down by credits, by group and by unit.

The dynamic programme of :mod:`solver.exact.tree` answers in milliseconds whenever
the structure decomposes (every unit in one group, no double counting, few
units coupled by barred sets or prerequisites). Anything else falls back to
enumeration, which is exact but slow and therefore bounded by ``limit`` and
``timeout``; a count that stops early says so (``status = partial``).

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> count_pathways(q)
CountResult(OCR-NVQ2-CS: 4 pathways, by dynamic-programming)
>>> count_pathways(q, minimal=True).pathways
4
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from decimal import Decimal

from .. import exact
from ..exact.engines import Question, choose
from ..model.errors import UsageError
from ..model.results import Breakdown, CountResult, Method, Status
from ..model.structure import Qualification
from .options import DEFAULT_TIMEOUT, forced_units
from .pathways import count_by_search

__all__ = ["breakdown", "count_pathways"]

def count_pathways(
    q: Qualification,
    *,
    minimal: bool = False,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    limit: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    interruptible: bool = False,
    progress: Callable[[int], None] | None = None,
) -> CountResult:
    """The exact number of pathways of ``q`` (or of minimal pathways).

    Parameters
    ----------
    q
        The qualification.
    minimal
        Count only minimal pathways (no unit can be dropped).
    include, exclude
        Unit ids every counted pathway must hold / must not hold.
    limit, timeout
        Bounds for the fallback enumeration only; when one is hit the
        result's ``status`` is ``partial`` and ``pathways`` a lower bound.
    interruptible
        Let Ctrl-C stop a fallback enumeration with a partial result (for the CLI).
    progress
        Called with the pathways counted so far during a fallback enumeration (every
        4,096); the command line draws a progress bar with it.

    Returns
    -------
    CountResult
        With ``method`` saying how the count was made.
    """
    forced = forced_units(q, include, exclude)
    choice = choose(q, Question.MINIMAL if minimal else Question.COUNT)
    note = choice.note()
    if choice.engine is not None:
        try:
            n = (exact.solve_minimal(q, forced=forced, timeout=timeout) if minimal
                 else exact.solve(q, exact.COUNT, forced=forced, timeout=timeout))
        except exact.NotSupported as exc:  # found beyond the engine as it ran (a table past its limit)
            note = f"fast path not used: {exc}"
        except TimeoutError:
            # an exact programme stopped at the limit has no partial count to give: at least 0
            return CountResult(qualification=q.id, pathways=0, minimal=minimal, method=Method(choice.engine.method),
                               status=Status.PARTIAL, note=f"the exact count did not finish within {timeout:g} s")
        else:
            return CountResult(qualification=q.id, pathways=n, minimal=minimal, method=Method(choice.engine.method))
    if minimal:
        # No pathway at all means no minimal pathway: the exact count settles what a search may not.
        counter = choose(q, Question.COUNT)
        if counter.engine is not None:
            try:
                none = exact.solve(q, exact.COUNT, forced=forced) == 0
            except exact.NotSupported:
                none = False
            if none:
                return CountResult(qualification=q.id, pathways=0, minimal=True,
                                   method=Method(counter.engine.method))
    n, method, complete = count_by_search(q, minimal=minimal, forced=forced, limit=limit, timeout=timeout,
                                          interruptible=interruptible, progress=progress)
    return CountResult(qualification=q.id, pathways=n, minimal=minimal, method=method,
                       status=Status.COMPLETE if complete else Status.PARTIAL,
                       note=note)


def _histogram(table: Mapping[tuple[int, ...], int], slot: int, scale: int) -> dict[Decimal, int]:
    out: dict[Decimal, int] = {}
    for state, n in table.items():
        key = Decimal(state[slot]) / scale if scale != 1 else Decimal(state[slot])
        out[key] = out.get(key, 0) + n
    return {k: out[k] for k in sorted(out)}


def breakdown(q: Qualification) -> Breakdown:
    """Pathways by total credits, by credits in each group, and how many include each unit.

    Only for structures the dynamic programme takes (see :func:`solver.exact.tree.supports`).

    Raises
    ------
    UsageError
        When the structure needs the general engine (where this would mean enumerating).

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> b = breakdown(load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml"))
    >>> b.pathways, len(b.always), b.per_unit["promote-products"]
    (4, 4, 1)
    """
    reason = exact.supports(q)
    if reason:
        raise UsageError(f"no exact breakdown for {q.id}: {reason}")
    scale = exact.credit_scale(q)
    units = q.unit_ids()
    credits = exact.unit_credits(q, scale)
    extra = [exact.Dim("__total_credits", credits, None)]
    groups = list(q.iter_groups())
    extra += [exact.Dim(f"__group_{i}", {u: credits[u] for u in g.units}, None) for i, g in enumerate(groups)]
    dims, table = exact.distribution(q, exact.COUNT, extra=extra)
    slot = {d.name: i for i, d in enumerate(dims)}
    total = sum(table.values())
    per_unit = {u: exact.solve(q, exact.COUNT, forced={u: True}) for u in units}
    by_group = {}
    for i, g in enumerate(groups):
        key = g.id if g.id not in by_group else f"{g.id}#{i}"
        by_group[key] = _histogram(table, slot[f"__group_{i}"], scale)
    return Breakdown(qualification=q.id, pathways=total,
                     by_credits=_histogram(table, slot["__total_credits"], scale),
                     by_group_credits=by_group, per_unit=per_unit)
