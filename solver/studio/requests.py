"""What every endpoint of the studio shares: its settings and state, reading requests, refusing them, jobs.

A refusal is raised as :class:`Refusal` (status and message) and turned into a JSON answer by
:func:`handler`, which also maps the studio's errors to their statuses: not allowed 403, not
found 404, conflict 409, a rule file's problems 422.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..model.errors import QualificationError, UsageError
from . import analysis
from .jobs import Job, Jobs, JobState
from .workspace import MAX_BYTES, Conflict, NotAllowed, NotFound, Workspace

__all__ = [
    "CRITERIA",
    "FORMATS",
    "MAX_BODY",
    "Refusal",
    "Settings",
    "State",
    "answer_when_done",
    "criteria_of",
    "download_headers",
    "error_response",
    "handler",
    "load_structure",
    "read_body",
    "run_job",
    "text_field",
    "timeout_of",
    "wait_of",
]

#: The largest request body (a rule file or a learner CSV, with its JSON wrapping).
MAX_BODY = 2 * MAX_BYTES
FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
CRITERIA = ("credits", "units", "glh", "fee", "hours")


@dataclass(slots=True, kw_only=True)
class Settings:
    """How one studio runs: its folder, time limit, and the token when it listens beyond this machine."""

    root: Path
    timeout: float = 10.0
    token: str | None = None
    hosts: tuple[str, ...] = ("127.0.0.1", "localhost")
    wait: float = 1.5
    """Seconds a request waits for its job before answering ``202`` with the job to follow."""
    preload: tuple[str, ...] = ("solver.studio.warm",)
    prefetch: bool = True
    """Answer and draw the workspace's structures in the background once the list has been shown."""


@dataclass(slots=True)
class State:
    """One running studio: its settings, its folder, its jobs, and a small cache of answers by file version."""

    settings: Settings
    workspace: Workspace
    jobs: Jobs
    cache: OrderedDict[Any, Any] = field(default_factory=OrderedDict)
    running: dict[Any, Job] = field(default_factory=dict)
    """Jobs under way by cache key: a second request for the same answers follows the first job."""
    background: set[Any] = field(default_factory=set)

    def remember(self, key: Any, value: Any) -> Any:
        """Keep ``value`` under ``key`` (the oldest of more than 256 go) and return it."""
        self.cache[key] = value
        while len(self.cache) > 256:
            self.cache.popitem(last=False)
        return value


def error_response(status: int, message: str, **extra: Any) -> JSONResponse:
    """``{"error": message, ...}`` with that status."""
    return JSONResponse({"error": message, **extra}, status_code=status)


async def read_body(request: Request) -> dict[str, Any]:
    """The JSON object a request sends: refused when not JSON (415), too big (413) or not an object (400)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refusal(415, "send JSON (Content-Type: application/json)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise Refusal(413, f"the request is {int(declared):,} bytes; at most {MAX_BODY:,} are accepted")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise Refusal(413, f"the request is larger than {MAX_BODY:,} bytes")
    try:
        value = json.loads(data or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Refusal(400, "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise Refusal(400, "expected a JSON object")
    return value


class Refusal(Exception):
    """A request refused with an HTTP status and a sentence saying why (and any ``extra`` fields)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


def text_field(body: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    """A text field of the body (``None`` when optional and absent)."""
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise Refusal(400, f"'{key}' must be text")
    return value


def criteria_of(body: dict[str, Any]) -> str:
    """The ``by`` criteria, as ``cheapest --by`` takes them."""
    by = body.get("by", "credits")
    if not isinstance(by, str) or not all(c.strip() in CRITERIA for c in by.split(",")):
        raise Refusal(400, f"'by' must be criteria from {', '.join(CRITERIA)}, separated by commas")
    return by


def timeout_of(state: State, body: dict[str, Any]) -> float:
    """The request's time limit: at most the studio's own."""
    value = body.get("timeout", state.settings.timeout)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= state.settings.timeout:
        raise Refusal(400, f"'timeout' must be a number of seconds, more than 0 and at most "
                            f"{state.settings.timeout:g} (the studio's limit)")
    return float(value)


def handler(fn: Callable[[Request, State], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Turn the studio's errors into JSON answers with the right status."""

    async def endpoint(request: Request) -> Response:
        state: State = request.app.state.studio
        try:
            return await fn(request, state)
        except Refusal as exc:
            return error_response(exc.status, str(exc), **exc.extra)
        except NotAllowed as exc:
            return error_response(403, str(exc))
        except NotFound as exc:
            return error_response(404, str(exc))
        except Conflict as exc:
            return error_response(409, str(exc), current_version=exc.current, kept_as=exc.kept_as)
        except UsageError as exc:
            return error_response(400, str(exc))
        except QualificationError as exc:
            return error_response(422, str(exc), problems=analysis.problems_of(exc, {}))

    endpoint.__name__ = fn.__name__
    endpoint.__doc__ = fn.__doc__
    return endpoint


async def load_structure(state: State, body: dict[str, Any]) -> tuple[str, Any]:
    """The file's name and the structure it holds (or the draft ``text`` sent for it)."""
    name = text_field(body, "name") or ""
    text = text_field(body, "text", required=False)
    state.workspace.read_bytes(name)  # the gate: inside, YAML, exists, not too big
    if text is not None and len(text.encode("utf-8")) > MAX_BYTES:
        raise Refusal(413, f"the text is larger than {MAX_BYTES:,} bytes")
    q = await run_in_threadpool(analysis.load_draft, state.workspace.root, name, text)
    return name, q


async def run_job(state: State, kind: str, work: Callable[..., Any], *args: Any, wait: float | None = None,
                  limit: float, key: Any = None) -> Response:
    """Start ``work`` as a job and answer when it is done, or 202 with the job after ``wait`` seconds.

    With a ``key``, a job already under way for it is followed instead of starting another, and a
    finished answer is kept in the cache under it.
    """
    job = state.running.get(key) if key is not None else None
    if job is not None:
        job = state.jobs.get(job.id)  # collects it, if it has finished
    if job is None or job.state is not JobState.RUNNING:
        job = await run_in_threadpool(state.jobs.start, kind, work, *args, limit=limit)
        if key is not None:
            state.running[key] = job
    response = await answer_when_done(state, job, state.settings.wait if wait is None else wait)
    if key is not None and job.state is not JobState.RUNNING:
        state.running.pop(key, None)
        if job.state is JobState.DONE:
            state.remember(key, job.result)
    return response


async def answer_when_done(state: State, job: Job, wait: float) -> Response:
    """The job's answer when it finishes within ``wait`` seconds, else 202 with where it is."""
    loop = asyncio.get_running_loop()
    end = loop.time() + wait
    while True:
        found = state.jobs.get(job.id)
        if found is None:  # forgotten already: only when hundreds of jobs finished meanwhile
            return error_response(404, "the job was forgotten before it could be collected; try again")
        if found.state is not JobState.RUNNING or loop.time() >= end:
            break
        await asyncio.sleep(0.01)
    data = found.to_dict()
    if found.state is JobState.RUNNING:
        return JSONResponse(data, status_code=202)
    return JSONResponse(data)


def wait_of(body: dict[str, Any], state: State) -> float:
    """How long the request waits for its job (0 to 30 s)."""
    value = body.get("wait", state.settings.wait)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 30:
        raise Refusal(400, "'wait' must be a number of seconds from 0 to 30")
    return float(value)


def download_headers(body: dict[str, Any], name: str, fmt: str) -> dict[str, str]:
    """A download's file name when the request asks for one."""
    if not body.get("download"):
        return {}
    return {"Content-Disposition": f'attachment; filename="{Path(name).stem}.{fmt}"'}
