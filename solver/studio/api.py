"""The studio's web application: the JSON API (documented in ``docs/studio-api.md``) and the pages.

Every answer is the ``to_dict()`` of the result object the command line prints with ``--json``,
wrapped with what the page needs (the file's version, located problems). Engine work runs in
the thread pool, or in a job process when it can take long (:mod:`solver.studio.jobs`), so the
server answers other tabs meanwhile. Files are reached only through
:class:`~solver.studio.workspace.Workspace`, the one gate for paths. The endpoints are in
:mod:`.files_api` and :mod:`.answers_api`; what they share is in :mod:`.requests`.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from importlib.resources import files

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import analysis
from .answers_api import (
    answers,
    apply,
    audit_many,
    audit_one,
    cheapest,
    diagram,
    diff_diagram,
    diff_view,
    export_text,
    job_cancel,
    job_get,
    recount,
)
from .files_api import file_create, file_get, file_put, history_get, history_list, lint_file, restore, workspace_list
from .jobs import Jobs
from .openapi import openapi
from .requests import MAX_BODY, Settings, State
from .workspace import Workspace

__all__ = ["MAX_BODY", "ROUTES", "Settings", "create_app"]

STATIC = files("solver.studio") / "static"


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
    >>> from pathlib import Path
    >>> from starlette.testclient import TestClient
    >>> with tempfile.TemporaryDirectory() as folder, TestClient(create_app(Settings(root=Path(folder))),
    ...                                                         base_url="http://127.0.0.1") as client:
    ...     client.get("/api/workspace").json()["files"]
    []
    """
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        jobs = Jobs(preload=settings.preload)
        app.state.studio = State(settings=settings, workspace=Workspace(settings.root), jobs=jobs)
        jobs.start("warm-up", analysis.ping, limit=30)  # the first job starts the job server: do it now
        try:
            yield
        finally:
            await run_in_threadpool(jobs.close)

    app = Starlette(routes=[*ROUTES, Mount("/static", StaticFiles(directory=str(STATIC)), name="static")],
                    middleware=[Middleware(Guard)], lifespan=lifespan)
    return app
