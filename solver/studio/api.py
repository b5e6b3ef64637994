"""The studio's web application: the JSON API (documented in ``docs/studio-api.md``) and the pages.

Every answer is the ``to_dict()`` of the result object the command line prints with ``--json``,
wrapped with what the page needs (the file's version, located problems). Engine work runs in
the thread pool, or in a job process when it can take long (:mod:`solver.studio.jobs`), so the
server answers other tabs meanwhile. Files are reached only through
:class:`~solver.studio.workspace.Workspace`, the one gate for paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..model.errors import QualificationError, RuleSetError, UsageError
from . import analysis
from .jobs import Job, Jobs, JobState
from .openapi import openapi
from .templates import TEMPLATES, template_text
from .workspace import MAX_BYTES, Conflict, NotAllowed, NotFound, Workspace
from .yamledit import apply_data, to_data

__all__ = ["MAX_BODY", "Settings", "create_app"]

#: The largest request body (a rule file or a learner CSV, with its JSON wrapping).
MAX_BODY = 2 * MAX_BYTES
_FORMATS = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}
_CRITERIA = ("credits", "units", "glh", "fee", "hours")
STATIC = files("solver.studio") / "static"


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


@dataclass(slots=True)
class _State:
    settings: Settings
    workspace: Workspace
    jobs: Jobs
    cache: OrderedDict[Any, Any] = field(default_factory=OrderedDict)

    def remember(self, key: Any, value: Any) -> Any:
        self.cache[key] = value
        while len(self.cache) > 64:
            self.cache.popitem(last=False)
        return value


class BadRequest(QualificationError):
    """A request the API cannot take (missing field, wrong type)."""


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def _body(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise _Refusal(415, "send JSON (Content-Type: application/json)")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise _Refusal(413, f"the request is {int(declared):,} bytes; at most {MAX_BODY:,} are accepted")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > MAX_BODY:
            raise _Refusal(413, f"the request is larger than {MAX_BODY:,} bytes")
    try:
        value = json.loads(data or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise _Refusal(400, "the request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise _Refusal(400, "expected a JSON object")
    return value


class _Refusal(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


def _text(body: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _Refusal(400, f"'{key}' must be text")
    return value


def _by(body: dict[str, Any]) -> str:
    by = body.get("by", "credits")
    if not isinstance(by, str) or not all(c.strip() in _CRITERIA for c in by.split(",")):
        raise _Refusal(400, f"'by' must be criteria from {', '.join(_CRITERIA)}, separated by commas")
    return by


def _timeout(state: _State, body: dict[str, Any]) -> float:
    value = body.get("timeout", state.settings.timeout)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= state.settings.timeout:
        raise _Refusal(400, f"'timeout' must be a number of seconds, more than 0 and at most "
                            f"{state.settings.timeout:g} (the studio's limit)")
    return float(value)


def handler(fn: Callable[[Request, _State], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    """Turn the studio's errors into JSON answers with the right status."""

    async def endpoint(request: Request) -> Response:
        state: _State = request.app.state.studio
        try:
            return await fn(request, state)
        except _Refusal as exc:
            return _error(exc.status, str(exc), **exc.extra)
        except NotAllowed as exc:
            return _error(403, str(exc))
        except NotFound as exc:
            return _error(404, str(exc))
        except Conflict as exc:
            return _error(409, str(exc), current_version=exc.current, kept_as=exc.kept_as)
        except UsageError as exc:
            return _error(400, str(exc))
        except QualificationError as exc:
            return _error(422, str(exc), problems=analysis.problems_of(exc, {}))

    endpoint.__name__ = fn.__name__
    endpoint.__doc__ = fn.__doc__
    return endpoint


async def _load(state: _State, body: dict[str, Any]) -> tuple[str, Any]:
    name = _text(body, "name") or ""
    text = _text(body, "text", required=False)
    state.workspace.read_bytes(name)  # the gate: inside, YAML, exists, not too big
    if text is not None and len(text.encode("utf-8")) > MAX_BYTES:
        raise _Refusal(413, f"the text is larger than {MAX_BYTES:,} bytes")
    q = await run_in_threadpool(analysis.load_draft, state.workspace.root, name, text)
    return name, q


async def _run_job(state: _State, kind: str, work: Callable[..., Any], *args: Any, wait: float | None = None,
                   limit: float) -> Response:
    job = await run_in_threadpool(state.jobs.start, kind, work, *args, limit=limit)
    return await _answer_when_done(state, job, state.settings.wait if wait is None else wait)


async def _answer_when_done(state: _State, job: Job, wait: float) -> Response:
    loop = asyncio.get_running_loop()
    end = loop.time() + wait
    while True:
        found = state.jobs.get(job.id)
        if found is None:  # forgotten already: only when hundreds of jobs finished meanwhile
            return _error(404, "the job was forgotten before it could be collected; try again")
        if found.state is not JobState.RUNNING or loop.time() >= end:
            break
        await asyncio.sleep(0.01)
    data = found.to_dict()
    if found.state is JobState.RUNNING:
        return JSONResponse(data, status_code=202)
    return JSONResponse(data)


# -- files ---------------------------------------------------------------------------------------------
@handler
async def workspace_list(request: Request, state: _State) -> Response:
    """Every rule file with its title, id, validity, achievability, count and lint (exact engines)."""
    ws = state.workspace

    def rows() -> list[dict[str, Any]]:
        out = []
        for name in ws.files():
            try:
                text, version = ws.read(name)
            except (NotAllowed, NotFound) as exc:
                out.append({"name": name, "valid": False, "problems": analysis.problems_of(exc, {})})
                continue
            key = ("outline", name, version)
            row = state.cache.get(key) or state.remember(key, analysis.outline(ws.root, name, text))
            out.append({**row, "version": version})
        return out

    return JSONResponse({"root": str(ws.root), "files": await run_in_threadpool(rows),
                         "templates": sorted(TEMPLATES)})


@handler
async def lint_file(request: Request, state: _State) -> Response:
    """Lint findings of a saved file (``lint --json``), each located; cached by version."""
    body = await _body(request)
    name = _text(body, "name") or ""
    version = state.workspace.read(name)[1]
    timeout = _timeout(state, body)
    key = ("lint", name, version, timeout)
    if key not in state.cache:
        state.remember(key, await run_in_threadpool(analysis.lint_summary, state.workspace.root, name, timeout))
    return JSONResponse(state.cache[key])


@handler
async def file_get(request: Request, state: _State) -> Response:
    """The text of a rule file and its version."""
    name = request.path_params["name"]
    text, version = state.workspace.read(name)
    return JSONResponse({"name": name, "text": text, "version": version})


@handler
async def file_put(request: Request, state: _State) -> Response:
    """Save a rule file (atomic; the replaced version goes to the history; 409 when it changed meanwhile)."""
    name = request.path_params["name"]
    body = await _body(request)
    text = _text(body, "text") or ""
    version = _text(body, "version", required=False)
    state.workspace.path(name)
    await run_in_threadpool(_must_be_yaml, name, text)
    new = await run_in_threadpool(state.workspace.save, name, text, version=version)
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, text)
    return JSONResponse({"name": name, "version": new, "valid": result["valid"], "problems": result["problems"]})


def _must_be_yaml(name: str, text: str) -> None:
    """Refuse text that is not YAML at all (a rule file with problems may be saved; a non-YAML one may not)."""
    try:
        to_data(text, name)
    except RuleSetError as exc:
        problems = analysis.problems_of(exc, {})
        raise _Refusal(422, f"{name}: not saved: the text is not YAML", problems=problems) from None


@handler
async def file_create(request: Request, state: _State) -> Response:
    """A new rule file: from a template, or a copy of another file (a draft revision)."""
    body = await _body(request)
    name = _text(body, "name") or ""
    source = _text(body, "from", required=False)
    if source is not None:
        text, _version = state.workspace.read(source)
        text = await run_in_threadpool(analysis.moved_libraries, text, source, name)
    else:
        template = _text(body, "template", required=False) or "blank"
        if template not in TEMPLATES:
            raise _Refusal(400, f"no template {template!r}; choose one of {', '.join(sorted(TEMPLATES))}")
        text = template_text(template, Path(name).stem)
    version = await run_in_threadpool(state.workspace.create, name, text)
    return JSONResponse({"name": name, "version": version}, status_code=201)


@handler
async def history_list(request: Request, state: _State) -> Response:
    """Earlier versions of a file, newest first."""
    name = request.query_params.get("name", "")
    return JSONResponse({"name": name, "history": [r.to_dict() for r in state.workspace.history(name)]})


@handler
async def history_get(request: Request, state: _State) -> Response:
    """The text of one earlier version."""
    name = request.query_params.get("name", "")
    rid = request.query_params.get("id", "")
    return JSONResponse({"name": name, "id": rid, "text": state.workspace.revision(name, rid)})


@handler
async def restore(request: Request, state: _State) -> Response:
    """Make an earlier version current (the replaced one is kept too)."""
    body = await _body(request)
    name = _text(body, "name") or ""
    rid = _text(body, "id") or ""
    version = _text(body, "version", required=False)
    new = await run_in_threadpool(state.workspace.restore, name, rid, version=version)
    text, _ = state.workspace.read(name)
    return JSONResponse({"name": name, "version": new, "text": text})


# -- answers -------------------------------------------------------------------------------------------
@handler
async def answers(request: Request, state: _State) -> Response:
    """Everything the structure view shows (``report --json`` and ``lint --json``), as a job."""
    body = await _body(request)
    name = _text(body, "name") or ""
    text = _text(body, "text", required=False)
    _saved, version = state.workspace.read(name)
    timeout = _timeout(state, body)
    key = ("answers", name, version if text is None else hashlib.sha256(text.encode()).hexdigest(), timeout)
    if key in state.cache:
        return JSONResponse({"state": "done", "result": state.cache[key]})
    # always a job: even a structure an exact engine takes may turn out beyond it as it runs
    response = await _run_job(state, "answers", analysis.full_answers, str(state.workspace.root), name, text,
                              timeout, limit=timeout * 2, wait=_wait(body, state))
    payload = json.loads(bytes(response.body))
    if payload.get("state") == "done":
        state.remember(key, payload["result"])
    return response


def _wait(body: dict[str, Any], state: _State) -> float:
    value = body.get("wait", state.settings.wait)
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 30:
        raise _Refusal(400, "'wait' must be a number of seconds from 0 to 30")
    return float(value)


@handler
async def recount(request: Request, state: _State) -> Response:
    """The live recount of a draft: located problems, or the count when an exact engine covers it."""
    body = await _body(request)
    name = _text(body, "name") or ""
    text = _text(body, "text") or ""
    state.workspace.read_bytes(name)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _Refusal(413, f"the text is larger than {MAX_BYTES:,} bytes")
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, text)
    if result["valid"] and not result.get("exact"):
        timeout = _timeout(state, body)
        job = await run_in_threadpool(state.jobs.start, "count", analysis.count_job, str(state.workspace.root),
                                      name, text, timeout, limit=timeout)
        result["job"] = job.to_dict()
    return JSONResponse(result)


@handler
async def apply(request: Request, state: _State) -> Response:
    """Write the builder's data into the YAML text (comments and layout kept), then recount."""
    body = await _body(request)
    name = _text(body, "name") or ""
    text = _text(body, "text") or ""
    if "data" not in body or not isinstance(body["data"], dict):
        raise _Refusal(400, "'data' must be the structure as a JSON object")
    state.workspace.read_bytes(name)
    new_text = await run_in_threadpool(apply_data, text, body["data"], name)
    if len(new_text.encode("utf-8")) > MAX_BYTES:
        raise _Refusal(413, f"the text would be larger than {MAX_BYTES:,} bytes")
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, new_text)
    return JSONResponse({**result, "text": new_text})


@handler
async def cheapest(request: Request, state: _State) -> Response:
    """The cheapest pathways (``cheapest --json``)."""
    body = await _body(request)
    _name, q = await _load(state, body)
    top = body.get("top", 1)
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 50:
        raise _Refusal(400, "'top' must be a whole number from 1 to 50")
    return JSONResponse(await run_in_threadpool(analysis.cheapest, q, _by(body), top))


@handler
async def diagram(request: Request, state: _State) -> Response:
    """The handbook diagram as SVG, PNG or PDF; ``highlight`` is unit ids or ``"cheapest"``."""
    body = await _body(request)
    name, q = await _load(state, body)
    fmt = body.get("format", "svg")
    if fmt not in _FORMATS:
        raise _Refusal(400, "'format' must be svg, png or pdf")
    highlight = body.get("highlight")
    units: list[str] | None = None
    if highlight == "cheapest":
        best = await run_in_threadpool(analysis.cheapest, q, _by(body), 1)
        units = list(best["pathways"][0]["units"]) if best["pathways"] else None
    elif isinstance(highlight, list) and all(isinstance(u, str) for u in highlight):
        unknown = [u for u in highlight if u not in set(q.unit_ids())]
        if unknown:
            raise _Refusal(400, f"unknown unit ids to highlight: {', '.join(unknown)}")
        units = highlight
    elif highlight is not None:
        raise _Refusal(400, "'highlight' must be \"cheapest\" or a list of unit ids")
    key = ("diagram", name, hashlib.sha256(repr((q, units, fmt)).encode()).hexdigest())
    data = state.cache.get(key) or state.remember(key, await run_in_threadpool(
        lambda: analysis.diagram(q, fmt, highlight=units)))
    return Response(data, media_type=_FORMATS[fmt], headers=_download(body, name, fmt))


def _download(body: dict[str, Any], name: str, fmt: str) -> dict[str, str]:
    if not body.get("download"):
        return {}
    return {"Content-Disposition": f'attachment; filename="{Path(name).stem}.{fmt}"'}


@handler
async def diff_view(request: Request, state: _State) -> Response:
    """What-if: the draft against the saved version (``diff --json``), as a job."""
    body = await _body(request)
    name = _text(body, "name") or ""
    text = _text(body, "text") or ""
    learners = _text(body, "learners_csv", required=False)
    state.workspace.read_bytes(name)
    timeout = _timeout(state, body)
    return await _run_job(state, "diff", analysis.compare, str(state.workspace.root), name, text, timeout,
                          learners, limit=timeout * 2, wait=_wait(body, state))


@handler
async def diff_diagram(request: Request, state: _State) -> Response:
    """The change view of the draft against the saved version (SVG, PNG or PDF)."""
    body = await _body(request)
    name, q = await _load(state, body)
    saved = await run_in_threadpool(analysis.load_draft, state.workspace.root, name, None)
    fmt = body.get("format", "svg")
    if fmt not in _FORMATS:
        raise _Refusal(400, "'format' must be svg, png or pdf")
    data = await run_in_threadpool(lambda: analysis.diagram(q, fmt, other=saved))
    return Response(data, media_type=_FORMATS[fmt], headers=_download(body, name, fmt))


@handler
async def export_text(request: Request, state: _State) -> Response:
    """The structure as Mermaid or DOT text (``viz.export``)."""
    body = await _body(request)
    _name, q = await _load(state, body)
    fmt = body.get("format")
    if fmt not in ("mermaid", "dot"):
        raise _Refusal(400, "'format' must be mermaid or dot")

    def make() -> str:
        from viz.export import to_dot, to_mermaid
        from viz.graph import to_graph

        return to_mermaid(to_graph(q)) if fmt == "mermaid" else to_dot(to_graph(q))

    return PlainTextResponse(await run_in_threadpool(make))


@handler
async def audit_one(request: Request, state: _State) -> Response:
    """One learner's audit (``audit --json``)."""
    body = await _body(request)
    _name, q = await _load(state, body)
    achieved = body.get("achieved")
    if not isinstance(achieved, list) or not all(isinstance(u, str) for u in achieved) or len(achieved) > 10_000:
        raise _Refusal(400, "'achieved' must be a list of unit ids")
    return JSONResponse(await run_in_threadpool(analysis.audit_learner, q, achieved, _by(body)))


@handler
async def audit_many(request: Request, state: _State) -> Response:
    """A batch audit of a learner CSV (the ``audit --learners`` report), as a job."""
    body = await _body(request)
    name = _text(body, "name") or ""
    csv_text = _text(body, "csv") or ""
    state.workspace.read_bytes(name)
    if "\x00" in csv_text[:65536]:
        raise _Refusal(415, "the learner file is not text; expected a CSV file")
    return await _run_job(state, "audit", analysis.audit_learners, str(state.workspace.root), name, csv_text,
                          _by(body), limit=state.settings.timeout * 6, wait=_wait(body, state))


# -- jobs ----------------------------------------------------------------------------------------------
@handler
async def job_get(request: Request, state: _State) -> Response:
    """A job's state, progress and (when done) answer."""
    job = state.jobs.get(request.path_params["id"])
    if job is None:
        return _error(404, "no such job (finished jobs are kept for a while, then forgotten)")
    return JSONResponse(job.to_dict(), status_code=202 if job.state is JobState.RUNNING else 200)


@handler
async def job_cancel(request: Request, state: _State) -> Response:
    """Stop a running job."""
    job = await run_in_threadpool(state.jobs.cancel, request.path_params["id"])
    if job is None:
        return _error(404, "no such job")
    return JSONResponse(job.to_dict())


async def openapi_json(request: Request) -> Response:
    """The API described as OpenAPI 3.1."""
    return JSONResponse(openapi())


async def index(request: Request) -> Response:
    """The single page."""
    return FileResponse(str(STATIC / "index.html"), headers={"Cache-Control": "no-store"})


# -- safety --------------------------------------------------------------------------------------------
class Guard(BaseHTTPMiddleware):
    """Only this machine's host names (no DNS rebinding), and the token when the studio listens wider."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        settings: Settings = request.app.state.studio.settings
        host = request.headers.get("host", "").rsplit(":", 1)[0].strip("[]")
        if settings.token is None and host not in settings.hosts:
            return PlainTextResponse(f"refused: the studio answers requests for {', '.join(settings.hosts)} only",
                                     status_code=403)
        if settings.token is not None:
            given = request.query_params.get("token") or request.cookies.get("qualpath_token") \
                or request.headers.get("x-qualpath-token") or ""
            if not secrets.compare_digest(given.encode(), settings.token.encode()):
                return PlainTextResponse("refused: open the address with the token the studio printed "
                                         "(…/?token=…)", status_code=403)
            if request.query_params.get("token") and request.url.path == "/":
                response: Response = RedirectResponse("/", status_code=303)
                response.set_cookie("qualpath_token", settings.token, httponly=True, samesite="strict")
                return response
        origin = request.headers.get("origin")
        if origin and request.method not in ("GET", "HEAD") and origin.split("://")[-1] != request.headers.get("host"):
            return PlainTextResponse("refused: a request from another site", status_code=403)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; "
                                    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'")
        return response


ROUTES = [
    Route("/", index),
    Route("/api/openapi.json", openapi_json),
    Route("/api/workspace", workspace_list),
    Route("/api/files", file_create, methods=["POST"]),
    Route("/api/files/{name:path}", file_get, methods=["GET"]),
    Route("/api/files/{name:path}", file_put, methods=["PUT"]),
    Route("/api/history", history_list),
    Route("/api/history/version", history_get),
    Route("/api/restore", restore, methods=["POST"]),
    Route("/api/answers", answers, methods=["POST"]),
    Route("/api/lint", lint_file, methods=["POST"]),
    Route("/api/recount", recount, methods=["POST"]),
    Route("/api/apply", apply, methods=["POST"]),
    Route("/api/cheapest", cheapest, methods=["POST"]),
    Route("/api/diagram", diagram, methods=["POST"]),
    Route("/api/diff", diff_view, methods=["POST"]),
    Route("/api/diff/diagram", diff_diagram, methods=["POST"]),
    Route("/api/export", export_text, methods=["POST"]),
    Route("/api/audit", audit_one, methods=["POST"]),
    Route("/api/audit/batch", audit_many, methods=["POST"]),
    Route("/api/jobs/{id}", job_get, methods=["GET"]),
    Route("/api/jobs/{id}", job_cancel, methods=["DELETE"]),
]


def create_app(settings: Settings) -> Starlette:
    """The studio's ASGI application for one workspace folder.

    Examples
    --------
    >>> import tempfile
    >>> from starlette.testclient import TestClient
    >>> with tempfile.TemporaryDirectory() as folder, TestClient(create_app(Settings(root=Path(folder))),
    ...                                                         base_url="http://127.0.0.1") as client:
    ...     client.get("/api/workspace").json()["files"]
    []
    """
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        jobs = Jobs(preload=settings.preload)
        app.state.studio = _State(settings=settings, workspace=Workspace(settings.root), jobs=jobs)
        jobs.start("warm-up", analysis.ping, limit=30)  # the first job starts the job server: do it now
        try:
            yield
        finally:
            await run_in_threadpool(jobs.close)

    app = Starlette(routes=[*ROUTES, Mount("/static", StaticFiles(directory=str(STATIC)), name="static")],
                    middleware=[Middleware(Guard)], lifespan=lifespan)
    return app
