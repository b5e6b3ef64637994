"""Long work for the studio: each job in its own process, with a time limit, progress and cancel.

A count that falls back to enumeration, a first look at a structure the exact engines do not
cover, or a big learner file can take seconds or minutes. The server must stay responsive and
the designer must be able to stop it, and a Python thread cannot be stopped from outside; a
process can. So every job runs in a child process (forked from a server process that has
already imported qualpath, so a job starts in milliseconds), reports progress through shared
memory, and is ended when the page cancels it or when it passes its time limit. The work
itself is given the same limit (the engines' own ``timeout``), so it usually stops by itself
with a ``partial`` answer; the hard stop is for what cannot.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing.connection import Connection
from typing import Any

__all__ = ["Job", "JobState", "Jobs"]

#: Seconds a job may run past its limit before its process is ended.
GRACE = 2.0
#: Finished jobs kept for the page to collect.
KEEP = 200


class JobState(StrEnum):
    """Where a job is."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed-out"


@dataclass(slots=True)
class Job:
    """One piece of long work and what is known about it."""

    id: str
    kind: str
    limit: float
    started: float = field(default_factory=time.monotonic)
    state: JobState = JobState.RUNNING
    result: Any = None
    error: str = ""
    finished: float | None = None
    progress: Any = None
    process: Any = None
    conn: Connection | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``id``, ``kind``, ``state``, ``elapsed``, ``limit``, ``done``, ``result`` or ``error``.

        ``done`` counts items finished (learners audited); ``result`` comes with ``done`` state,
        ``error`` with the others.
        """
        end = self.finished if self.finished is not None else time.monotonic()
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "state": self.state.value,
                               "elapsed": round(end - self.started, 3), "limit": self.limit,
                               "done": None if self.progress is None else self.progress.value}
        if self.state is JobState.DONE:
            out["result"] = self.result
        elif self.state is not JobState.RUNNING:
            out["error"] = self.error
        return out


def _child(conn: Connection, work: Callable[..., Any], args: tuple[Any, ...], progress: Any, nice: int = 0) -> None:
    if nice and hasattr(os, "nice"):
        os.nice(nice)  # background work gives way to what a designer is waiting for
    try:
        result = work(*args, progress=progress)
    except BaseException as exc:  # reported to the page, never a silent death
        message = str(exc) if not isinstance(exc, MemoryError) else "ran out of memory"
        kind = type(exc).__name__
        known = kind.endswith("Error") and type(exc).__module__.startswith("solver")
        conn.send(("error", message if known else f"{kind}: {message}\n{traceback.format_exc(limit=4)}"))
    else:
        conn.send(("ok", result))
    finally:
        conn.close()


class Jobs:
    """The jobs of one server: start, look at, cancel; a watcher thread enforces time limits."""

    def __init__(self, *, preload: tuple[str, ...] = ()) -> None:
        # a fork of a server that has loaded qualpath starts in milliseconds; where there is no
        # fork (Windows), a spawned process imports it first
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx: Any = multiprocessing.get_context(method)  # a ForkServerContext or a SpawnContext
        if preload and method == "forkserver":
            self._ctx.set_forkserver_preload(list(preload))
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="qualpath-studio-jobs", daemon=True)
        self._watcher.start()

    def start(self, kind: str, work: Callable[..., Any], *args: Any, limit: float, nice: int = 0) -> Job:
        """Run ``work(*args, progress=counter)`` in a child process; ``work`` must be a module-level function.

        ``nice`` lowers the process's priority (background work).
        """
        parent, child = self._ctx.Pipe(duplex=False)
        progress = self._ctx.Value("q", 0, lock=False)
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, limit=limit, progress=progress, conn=parent)
        job.process = self._ctx.Process(target=_child, args=(child, work, args, progress, nice), daemon=True)
        job.process.start()
        child.close()
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        return job

    def get(self, job_id: str) -> Job | None:
        """The job of that id (collecting its result when it has finished)."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._collect(job)
            return job

    def cancel(self, job_id: str) -> Job | None:
        """Stop a running job (its process is ended); finished jobs are left as they are."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._collect(job)
                if job.state is JobState.RUNNING:
                    self._end(job, JobState.CANCELLED, "cancelled from the page")
            return job

    def close(self) -> None:
        """End every running job and the watcher."""
        self._stop.set()
        with self._lock:
            for job in self._jobs.values():
                if job.state is JobState.RUNNING:
                    self._end(job, JobState.CANCELLED, "the studio stopped")
        self._watcher.join(timeout=2)

    # -- inside the lock -----------------------------------------------------------------------------
    def _collect(self, job: Job) -> None:
        if job.state is not JobState.RUNNING or job.conn is None:
            return
        # ask whether it ended before asking for its answer: an answer sent just before the end is
        # then still found in the pipe, never mistaken for a death
        ended = not job.process.is_alive()
        try:
            ready = job.conn.poll()
        except (OSError, EOFError):
            ready = False
        if ready:
            try:
                status, payload = job.conn.recv()
            except (EOFError, OSError):
                status, payload = "error", "the job ended without an answer"
            job.state = JobState.DONE if status == "ok" else JobState.FAILED
            job.result = payload if status == "ok" else None
            job.error = "" if status == "ok" else str(payload)
            self._finish(job)
        elif ended:
            job.process.join()
            self._end(job, JobState.FAILED, f"the job's process ended unexpectedly (exit code {job.process.exitcode})")

    def _finish(self, job: Job) -> None:
        job.finished = time.monotonic()
        job.process.join(timeout=1)
        if job.process.is_alive():
            job.process.kill()
            job.process.join()
        job.process.close()
        if job.conn is not None:
            job.conn.close()
            job.conn = None
        job.progress = _Fixed(job.progress.value)

    def _end(self, job: Job, state: JobState, why: str) -> None:
        job.process.kill()
        job.process.join()
        job.state, job.error = state, why
        self._finish(job)

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.state is not JobState.RUNNING]
        for job in sorted(finished, key=lambda j: j.finished or 0)[: max(0, len(finished) - KEEP)]:
            del self._jobs[job.id]

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            with self._lock:
                for job in list(self._jobs.values()):
                    self._collect(job)
                    if job.state is JobState.RUNNING and time.monotonic() - job.started > job.limit + GRACE:
                        self._end(job, JobState.TIMED_OUT,
                                  f"stopped at the {job.limit:g} s time limit (the answer would have been partial)")


@dataclass(frozen=True, slots=True)
class _Fixed:
    value: int

