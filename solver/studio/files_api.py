"""The studio's endpoints for files: the workspace list, reading, saving, creating, history and restore.

Every path goes through :class:`~solver.studio.workspace.Workspace`, the one gate; a save names
the version it was edited from and is refused (409) when the file changed since.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..model.errors import RuleSetError
from . import analysis
from .answers_api import prefetch
from .jobs import GRACE
from .requests import Refusal, State, error_response, handler, read_body, run_job, text_field, timeout_of
from .templates import TEMPLATES, template_text
from .workspace import NotAllowed, NotFound
from .yamledit import to_data

__all__ = ["file_create", "file_get", "file_put", "history_get", "history_list", "lint_file", "must_be_yaml",
           "restore", "workspace_list"]


@handler
async def workspace_list(request: Request, state: State) -> Response:
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

    listed = await run_in_threadpool(rows)
    if state.settings.prefetch and not any(not t.done() for t in state.background):
        # what the designer opens next is most likely one of these: answer them while they choose
        order = [(f["name"], f["version"]) for f in listed if f.get("valid") and f.get("kind") != "library"]
        task = asyncio.get_running_loop().create_task(prefetch(state, order))
        state.background.add(task)
        task.add_done_callback(state.background.discard)
    return JSONResponse({"root": str(ws.root), "files": listed, "templates": sorted(TEMPLATES)})


@handler
async def lint_file(request: Request, state: State) -> Response:
    """Lint findings of a saved file (``lint --json``), each located; cached by version.

    A job (so a check that runs past its limit is stopped), answered when it ends; 503 when it
    was stopped or failed.
    """
    body = await read_body(request)
    name = text_field(body, "name") or ""
    version = state.workspace.read(name)[1]
    timeout = timeout_of(state, body)
    key = ("lint", name, version, timeout)
    if key not in state.cache:
        reply = await run_job(state, "lint", analysis.lint_summary, state.workspace.root, name, timeout,
                              limit=timeout * 2, wait=timeout * 2 + GRACE + 1, key=key)
        job = json.loads(bytes(reply.body))
        if job.get("state") != "done":
            return error_response(503, f"{name}: lint did not finish: {job.get('error') or job.get('state')}")
    return JSONResponse(state.cache[key])


@handler
async def file_get(request: Request, state: State) -> Response:
    """The text of a rule file and its version."""
    name = request.path_params["name"]
    text, version = state.workspace.read(name)
    return JSONResponse({"name": name, "text": text, "version": version})


@handler
async def file_put(request: Request, state: State) -> Response:
    """Save a rule file (atomic; the replaced version goes to the history; 409 when it changed meanwhile)."""
    name = request.path_params["name"]
    body = await read_body(request)
    text = text_field(body, "text") or ""
    version = text_field(body, "version", required=False)
    state.workspace.path(name)
    await run_in_threadpool(must_be_yaml, name, text)
    new = await run_in_threadpool(state.workspace.save, name, text, version=version)
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, text)
    return JSONResponse({"name": name, "version": new, "valid": result["valid"], "problems": result["problems"]})


def must_be_yaml(name: str, text: str) -> None:
    """Refuse text that is not YAML at all (a rule file with problems may be saved; a non-YAML one may not)."""
    try:
        to_data(text, name)
    except RuleSetError as exc:
        problems = analysis.problems_of(exc, {})
        raise Refusal(422, f"{name}: not saved: the text is not YAML", problems=problems) from None


@handler
async def file_create(request: Request, state: State) -> Response:
    """A new rule file: from a template, or a copy of another file (a draft revision)."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    source = text_field(body, "from", required=False)
    if source is not None:
        text, _version = state.workspace.read(source)
        text = await run_in_threadpool(analysis.moved_libraries, text, source, name)
    else:
        template = text_field(body, "template", required=False) or "blank"
        if template not in TEMPLATES:
            raise Refusal(400, f"no template {template!r}; choose one of {', '.join(sorted(TEMPLATES))}")
        text = template_text(template, Path(name).stem)
    version = await run_in_threadpool(state.workspace.create, name, text)
    return JSONResponse({"name": name, "version": version}, status_code=201)


@handler
async def history_list(request: Request, state: State) -> Response:
    """Earlier versions of a file, newest first."""
    name = request.query_params.get("name", "")
    return JSONResponse({"name": name, "history": [r.to_dict() for r in state.workspace.history(name)]})


@handler
async def history_get(request: Request, state: State) -> Response:
    """The text of one earlier version."""
    name = request.query_params.get("name", "")
    rid = request.query_params.get("id", "")
    return JSONResponse({"name": name, "id": rid, "text": state.workspace.revision(name, rid)})


@handler
async def restore(request: Request, state: State) -> Response:
    """Make an earlier version current (the replaced one is kept too)."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    rid = text_field(body, "id") or ""
    version = text_field(body, "version", required=False)
    new = await run_in_threadpool(state.workspace.restore, name, rid, version=version)
    text, _ = state.workspace.read(name)
    return JSONResponse({"name": name, "version": new, "text": text})
