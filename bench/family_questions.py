"""``python -m bench.family_questions SPEC CAP``: every question on one family structure, in a fresh process.

``SPEC`` is a JSON object naming a builder of :mod:`bench.families` and its arguments,
e.g. ``{"make": "uk_diploma", "args": [60, 20, 0], "kwargs": {"across": 0.5}}``. The
questions are asked in turn (count, minimal count, cheapest with ties, a sample of 1,000
pathways), each stopped after ``CAP`` seconds: the counts and the cheapest by their own
``timeout`` (a partial answer), every one also by an alarm (for the engines that take
no timeout). After each question one JSON line is printed: its answer, time, status and
the process's peak resident memory so far.

Run in its own interpreter so that the peak is the questions' own: the benchmark's
process holds OR-Tools, python-constraint and every earlier structure, and a forked
child starts with all of that resident.

Examples
--------
>>> spec = {"make": "australian_package", "args": [11, 0], "kwargs": {"core": 2}}
>>> build(spec).id
'FAM-AU-11-0'
>>> answer = ask(build(spec), "count", 10.0)
>>> answer["done"], answer["status"], answer["peak_mb"] > 0
(True, 'complete', True)
"""

from __future__ import annotations

import json
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from solver import bundled_rules, cheapest_pathways, count_pathways, load_qualification
from solver.answers.sample import sample_pathways
from solver.exact import type_record
from solver.model import Qualification

from . import families
from .stream_memory import peak_mb

__all__ = ["QUESTIONS", "SAMPLES", "ask", "build", "main"]

#: The questions, in the order they are asked.
QUESTIONS = ("count", "minimal", "cheapest", "sample")
#: Pathways drawn by the "sample" question, and the seed they are drawn with.
SAMPLES, SEED = 1000, 1


class _Late(BaseException):
    """The alarm rang: the question passed its cap (not an ``Exception``, so that no handler takes it)."""


def _ring(signum: int, frame: FrameType | None) -> None:
    raise _Late


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`_Late` inside the block after ``seconds`` (Python code only)."""
    old = signal.signal(signal.SIGALRM, _ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def build(spec: dict[str, Any]) -> Qualification:
    """The structure ``spec`` names: ``families.<make>(*args, **kwargs)``."""
    make: Callable[..., Qualification] = getattr(families, spec["make"])
    return make(*spec.get("args", ()), **spec.get("kwargs", {}))


def _by(q: Qualification) -> str:
    return "credits" if q.counts_credits() else "hours"


def _answer(q: Qualification, question: str, cap: float) -> tuple[str, str]:
    """The answer to one question in words, and its status (``complete``, ``partial`` or ``unsupported``)."""
    if question in ("count", "minimal"):
        r = count_pathways(q, minimal=question == "minimal", timeout=cap)
        return f"{r.pathways} by {r.method.value}", r.status.value
    if question == "cheapest":
        by = _by(q)
        o = cheapest_pathways(q, by=by, timeout=cap)
        best = o.optimum[by] if o.optimum else None
        return f"{best} {by} x{o.ties}", o.status.value
    try:
        drawn = sample_pathways(q, SAMPLES, seed=SEED)
    except Exception as exc:  # NotSupported: no exact engine counts q
        return f"{type(exc).__name__}: {exc}", "unsupported"
    return f"{len(drawn)} drawn", "complete"


def ask(q: Qualification, question: str, cap: float) -> dict[str, Any]:
    """Ask one question of ``q``, stopped after ``cap`` seconds; its answer, time and the peak memory so far.

    Each question starts from nothing the others found: no unit-type record is kept from
    an earlier question (:func:`solver.exact.type_record.forget`), as a user asking just
    this one would meet it.
    """
    type_record.forget()
    start = time.perf_counter()
    try:
        with _alarm(cap + 1.0):  # the engines' own timeouts stop them first where they take one
            answer, status = _answer(q, question, cap)
    except _Late:
        answer, status = f"> cap ({cap:g} s)", "stopped"
    seconds = time.perf_counter() - start
    return {"question": question, "answer": answer, "status": status, "seconds": seconds,
            "done": status == "complete", "peak_mb": peak_mb()}


def _warm_up() -> None:
    """Load the engines' modules on a small structure, so that no question pays for the imports."""
    q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    for question in QUESTIONS:
        _answer(q, question, 10.0)


def main(argv: list[str]) -> int:
    """Ask every question of the structure ``argv[0]`` names, capped at ``argv[1]`` seconds each."""
    spec, cap = json.loads(argv[0]), float(argv[1])
    _warm_up()
    q = build(spec)
    print(json.dumps({"question": "structure", "structure": q.id, "units": len(q.unit_ids()),
                      "peak_mb": peak_mb()}), flush=True)
    for question in QUESTIONS:
        print(json.dumps(ask(q, question, cap)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
