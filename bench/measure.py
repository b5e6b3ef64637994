"""Timing helpers: medians over repeats, and runs in a child process stopped at a time cap."""

from __future__ import annotations

import multiprocessing as mp
import queue
import statistics
import time
from collections.abc import Callable
from typing import Any

__all__ = ["Capped", "median_time", "run_capped"]


def median_time(fn: Callable[[], Any], *, repeats: int = 5, budget: float = 10.0) -> tuple[float, Any]:
    """Median wall time of ``fn()`` over ``repeats`` calls (fewer when they exceed ``budget``)."""
    times = []
    result = None
    start = time.perf_counter()
    for _ in range(repeats):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times), result


class Capped:
    """What a capped run produced: its result and time, or the progress it had made."""

    def __init__(self, done: bool, seconds: float, result: Any = None, progress: Any = None) -> None:
        self.done = done
        self.seconds = seconds
        self.result = result
        self.progress = progress


def _child(q: Any, fn: Callable[..., Any], args: tuple[Any, ...], prepare: Callable[..., Any] | None) -> None:
    def report(value: Any) -> None:
        q.put(("progress", value))

    try:
        if prepare is not None:
            prepare(*args)
        t = time.perf_counter()
        result = fn(*args, report)
    except BaseException as exc:  # the parent shows it
        q.put(("error", repr(exc)))
        return
    q.put(("done", (result, time.perf_counter() - t)))


def run_capped(fn: Callable[..., Any], args: tuple[Any, ...], cap: float, *,
               prepare: Callable[..., Any] | None = None) -> Capped:
    """Run ``fn(*args, report)`` in a forked child; stop it after ``cap`` seconds.

    ``report(value)`` records progress (the last value is kept when the cap stops the run).
    The time is measured inside the child, around ``fn`` only; ``prepare(*args)`` runs in
    the child before it, untimed (a model built where it is solved, as CP-SAT's is).
    """
    ctx = mp.get_context("fork")
    q: Any = ctx.Queue()
    proc = ctx.Process(target=_child, args=(q, fn, args, prepare), daemon=True)
    start = time.perf_counter()
    proc.start()
    progress = None
    while True:
        left = cap - (time.perf_counter() - start)
        try:
            kind, value = q.get(timeout=max(0.01, left))
        except queue.Empty:
            if time.perf_counter() - start >= cap:
                proc.kill()
                proc.join()
                while True:  # drain what arrived meanwhile
                    try:
                        kind, value = q.get_nowait()
                    except queue.Empty:
                        break
                    if kind == "progress":
                        progress = value
                return Capped(False, cap, progress=progress)
            continue
        if kind == "progress":
            progress = value
        elif kind == "error":
            proc.join()
            raise RuntimeError(f"{getattr(fn, '__name__', fn)} failed: {value}")
        else:
            proc.join()
            result, seconds = value
            return Capped(True, seconds, result=result, progress=progress)
