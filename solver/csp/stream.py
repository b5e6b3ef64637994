"""Pathways one at a time from the constraint engine, and counts made by enumerating them.

The general engine: it handles every rule the language has, at the price of
visiting every pathway. :func:`iter_csp_pathways` streams distinct pathways
in the documented order (``docs/semantics.md``) in constant memory: the
compiled problem assigns unit variables first, 1 before 0, in candidate-unit
order, and goes back to the last unit after the first allocation that works,
so each pathway comes once and in order. Minimality is checked exactly with
:class:`solver.model.check.PathwayChecker` (no single unit can be dropped).

Examples
--------
>>> from solver.model.load import load_qualification, bundled_rules
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> count_by_enumeration(q).pathways
4
>>> p = next(iter_csp_pathways(q, exclude=["support-improvements"]))
>>> "nvq-personal-performance" in p, len(p)
(True, 5)
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator

from ..model.check import PathwayChecker
from ..model.results import CountResult, Method, Status
from ..model.structure import Qualification
from .problem import compile_problem

__all__ = ["count_by_enumeration", "iter_csp_pathways"]


def iter_csp_pathways(
    q: Qualification,
    *,
    minimal: bool = False,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    deadline: float | None = None,
) -> Iterator[frozenset[str]]:
    """Every pathway of ``q`` (or every minimal one), once each, in the documented order.

    Parameters
    ----------
    q : Qualification
        The structure.
    minimal : bool
        Only pathways from which no single unit can be dropped.
    include, exclude : collection of str
        Units every pathway must hold / must not hold (minimality is still
        judged against all pathways of ``q``).
    deadline : float, optional
        A ``time.monotonic()`` value after which the iterator raises
        :class:`TimeoutError`.

    Yields
    ------
    frozenset of str
        Unit ids of one pathway.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> len(list(iter_csp_pathways(q, minimal=True)))
    4
    """
    cp = compile_problem(q, include=include, exclude=exclude, minimal_check=minimal)
    checker = PathwayChecker(q, deadline=deadline) if minimal else None
    previous: frozenset[str] | None = None
    for solution in cp.iter_solutions(deadline=deadline):
        pathway = cp.pathway(solution)
        if pathway == previous:  # cannot happen with one allocation per pathway; cheap to be sure
            continue
        previous = pathway
        if checker is not None and any(checker.is_pathway(pathway - {u}) for u in pathway):
            continue
        yield pathway


def count_by_enumeration(
    q: Qualification,
    *,
    minimal: bool = False,
    include: Collection[str] = (),
    exclude: Collection[str] = (),
    limit: int | None = None,
    timeout: float | None = None,
) -> CountResult:
    """Count pathways (or minimal ones) by enumerating them with the constraint engine.

    Parameters
    ----------
    q : Qualification
        The structure.
    minimal : bool
        Count minimal pathways only.
    include, exclude : collection of str
        As for :func:`iter_csp_pathways`.
    limit : int, optional
        Stop after this many pathways.
    timeout : float, optional
        Stop after this many seconds.

    Returns
    -------
    CountResult
        ``status`` is ``complete`` when every pathway was counted, ``partial``
        (the count a lower bound) when the limit or the timeout stopped it;
        ``method`` is ``constraint-enumeration``.

    Examples
    --------
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> r = count_by_enumeration(q, limit=1000)
    >>> r.pathways, r.status.value
    (1000, 'partial')
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    n = 0
    note = ""
    try:
        for _ in iter_csp_pathways(q, minimal=minimal, include=include, exclude=exclude, deadline=deadline):
            if limit is not None and n >= limit:
                note = f"stopped at the limit of {limit:,} pathways"
                break
            n += 1
    except TimeoutError:
        note = f"stopped after {timeout} s"
    return CountResult(qualification=q.id, pathways=n, minimal=minimal,
                       method=Method.CONSTRAINT_ENUMERATION,
                       status=Status.PARTIAL if note else Status.COMPLETE, note=note)
