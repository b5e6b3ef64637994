"""The studio's endpoints for answers: recounts, builder edits, diagrams, what-if, audits and jobs.

Also the structure's answers and its cheapest pathways. Each answers with the ``to_dict()`` of
the result object the command line prints with ``--json``. Engine work runs in the thread pool,
or in a job process when it can take long.
"""

from __future__ import annotations

import asyncio
import hashlib

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from ..model.errors import QualificationError
from . import analysis
from .jobs import JobState
from .requests import (
    FORMATS,
    Refusal,
    State,
    criteria_of,
    download_headers,
    error_response,
    handler,
    load_structure,
    read_body,
    run_job,
    text_field,
    timeout_of,
    wait_of,
)
from .workspace import MAX_BYTES
from .yamledit import apply_data

__all__ = [
    "answers",
    "answers_key",
    "apply",
    "audit_many",
    "audit_one",
    "cheapest",
    "diagram",
    "diagram_key",
    "diff_diagram",
    "diff_view",
    "export_text",
    "job_cancel",
    "job_get",
    "prefetch",
    "recount",
]


@handler
async def answers(request: Request, state: State) -> Response:
    """Everything the structure view shows (``report --json`` and ``lint --json``), as a job."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    text = text_field(body, "text", required=False)
    _saved, version = state.workspace.read(name)
    timeout = timeout_of(state, body)
    key = answers_key(name, version if text is None else hashlib.sha256(text.encode()).hexdigest(), timeout)
    if key in state.cache:
        return JSONResponse({"state": "done", "result": state.cache[key]})
    # always a job: even a structure an exact engine takes may turn out beyond it as it runs
    return await run_job(state, "answers", analysis.full_answers, str(state.workspace.root), name, text,
                         timeout, limit=timeout * 2, wait=wait_of(body, state), key=key)


def answers_key(name: str, version: str, timeout: float) -> tuple[str, str, str, float]:
    """Where the answers of a saved version are cached."""
    return ("answers", name, version, timeout)


def diagram_key(name: str, q: object, units: list[str] | None, fmt: str) -> tuple[str, str, str]:
    """Where a drawing is cached: by what is drawn, so an unchanged structure is drawn once."""
    return ("diagram", name, hashlib.sha256(repr((q, units, fmt)).encode()).hexdigest())


async def prefetch(state: State, files: list[tuple[str, str]]) -> None:
    """Answer and draw saved structures one after another in the background, at low priority.

    What a designer opens next is then usually answered from the cache; a request that comes
    while its structure is being answered follows that job instead of starting another.
    """
    timeout = state.settings.timeout
    for name, version in files:
        key = answers_key(name, version, timeout)
        if key in state.cache or key in state.running:
            continue
        job = await run_in_threadpool(state.jobs.start, "answers", analysis.full_answers, str(state.workspace.root),
                                      name, None, timeout, limit=timeout * 2, nice=10)
        state.running[key] = job
        while (found := state.jobs.get(job.id)) is not None and found.state is JobState.RUNNING:
            await asyncio.sleep(0.05)
        state.running.pop(key, None)
        if found is not None and found.state is JobState.DONE:
            state.remember(key, found.result)
            if found.result.get("valid"):
                try:
                    q = await run_in_threadpool(analysis.load_draft, state.workspace.root, name, None)
                    drawing = await run_in_threadpool(analysis.diagram, q, "svg")
                except (QualificationError, OSError):
                    continue
                state.remember(diagram_key(name, q, None, "svg"), drawing)


@handler
async def recount(request: Request, state: State) -> Response:
    """The live recount of a draft: located problems, or the count when an exact engine covers it."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    text = text_field(body, "text") or ""
    state.workspace.read_bytes(name)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise Refusal(413, f"the text is larger than {MAX_BYTES:,} bytes")
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, text)
    if result["valid"] and not result.get("exact"):
        timeout = timeout_of(state, body)
        job = await run_in_threadpool(state.jobs.start, "count", analysis.count_job, str(state.workspace.root),
                                      name, text, timeout, limit=timeout)
        result["job"] = job.to_dict()
    return JSONResponse(result)


@handler
async def apply(request: Request, state: State) -> Response:
    """Write the builder's data into the YAML text (comments and layout kept), then recount."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    text = text_field(body, "text") or ""
    if "data" not in body or not isinstance(body["data"], dict):
        raise Refusal(400, "'data' must be the structure as a JSON object")
    state.workspace.read_bytes(name)
    new_text = await run_in_threadpool(apply_data, text, body["data"], name)
    if len(new_text.encode("utf-8")) > MAX_BYTES:
        raise Refusal(413, f"the text would be larger than {MAX_BYTES:,} bytes")
    result = await run_in_threadpool(analysis.recount, state.workspace.root, name, new_text)
    return JSONResponse({**result, "text": new_text})


@handler
async def cheapest(request: Request, state: State) -> Response:
    """The cheapest pathways (``cheapest --json``)."""
    body = await read_body(request)
    _name, q = await load_structure(state, body)
    top = body.get("top", 1)
    if not isinstance(top, int) or isinstance(top, bool) or not 1 <= top <= 50:
        raise Refusal(400, "'top' must be a whole number from 1 to 50")
    return JSONResponse(await run_in_threadpool(analysis.cheapest, q, criteria_of(body), top, timeout_of(state, body)))


@handler
async def diagram(request: Request, state: State) -> Response:
    """The handbook diagram as SVG, PNG or PDF; ``highlight`` is unit ids or ``"cheapest"``."""
    body = await read_body(request)
    name, q = await load_structure(state, body)
    fmt = body.get("format", "svg")
    if fmt not in FORMATS:
        raise Refusal(400, "'format' must be svg, png or pdf")
    highlight = body.get("highlight")
    units: list[str] | None = None
    if highlight == "cheapest":
        best = await run_in_threadpool(analysis.cheapest, q, criteria_of(body), 1, timeout_of(state, body))
        units = list(best["pathways"][0]["units"]) if best["pathways"] else None
    elif isinstance(highlight, list) and all(isinstance(u, str) for u in highlight):
        unknown = [u for u in highlight if u not in set(q.unit_ids())]
        if unknown:
            raise Refusal(400, f"unknown unit ids to highlight: {', '.join(unknown)}")
        units = highlight
    elif highlight is not None:
        raise Refusal(400, "'highlight' must be \"cheapest\" or a list of unit ids")
    key = diagram_key(name, q, units, fmt)
    data = state.cache.get(key) or state.remember(key, await run_in_threadpool(
        lambda: analysis.diagram(q, fmt, highlight=units)))
    return Response(data, media_type=FORMATS[fmt], headers=download_headers(body, name, fmt))


@handler
async def diff_view(request: Request, state: State) -> Response:
    """What-if: the draft against the saved version (``diff --json``), as a job."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    text = text_field(body, "text") or ""
    learners = text_field(body, "learners_csv", required=False)
    state.workspace.read_bytes(name)
    timeout = timeout_of(state, body)
    return await run_job(state, "diff", analysis.compare, str(state.workspace.root), name, text, timeout,
                          learners, limit=timeout * 2, wait=wait_of(body, state))


@handler
async def diff_diagram(request: Request, state: State) -> Response:
    """The change view of the draft against the saved version (SVG, PNG or PDF)."""
    body = await read_body(request)
    name, q = await load_structure(state, body)
    saved = await run_in_threadpool(analysis.load_draft, state.workspace.root, name, None)
    fmt = body.get("format", "svg")
    if fmt not in FORMATS:
        raise Refusal(400, "'format' must be svg, png or pdf")
    data = await run_in_threadpool(lambda: analysis.diagram(q, fmt, other=saved))
    return Response(data, media_type=FORMATS[fmt], headers=download_headers(body, name, fmt))


@handler
async def export_text(request: Request, state: State) -> Response:
    """The structure as Mermaid or DOT text (``viz.export``)."""
    body = await read_body(request)
    _name, q = await load_structure(state, body)
    fmt = body.get("format")
    if fmt not in ("mermaid", "dot"):
        raise Refusal(400, "'format' must be mermaid or dot")

    def make() -> str:
        from viz.export import to_dot, to_mermaid
        from viz.graph import to_graph

        return to_mermaid(to_graph(q)) if fmt == "mermaid" else to_dot(to_graph(q))

    return PlainTextResponse(await run_in_threadpool(make))


@handler
async def audit_one(request: Request, state: State) -> Response:
    """One learner's audit (``audit --json``)."""
    body = await read_body(request)
    _name, q = await load_structure(state, body)
    achieved = body.get("achieved")
    if not isinstance(achieved, list) or not all(isinstance(u, str) for u in achieved) or len(achieved) > 10_000:
        raise Refusal(400, "'achieved' must be a list of unit ids")
    return JSONResponse(await run_in_threadpool(analysis.audit_learner, q, achieved, criteria_of(body),
                                                timeout_of(state, body)))


@handler
async def audit_many(request: Request, state: State) -> Response:
    """A batch audit of a learner CSV (the ``audit --learners`` report), as a job."""
    body = await read_body(request)
    name = text_field(body, "name") or ""
    csv_text = text_field(body, "csv") or ""
    state.workspace.read_bytes(name)
    if "\x00" in csv_text[:65536]:
        raise Refusal(415, "the learner file is not text; expected a CSV file")
    return await run_job(state, "audit", analysis.audit_learners, str(state.workspace.root), name, csv_text,
                          criteria_of(body), limit=state.settings.timeout * 6, wait=wait_of(body, state))


# -- jobs ----------------------------------------------------------------------------------------------
@handler
async def job_get(request: Request, state: State) -> Response:
    """A job's state, progress and (when done) answer."""
    job = state.jobs.get(request.path_params["id"])
    if job is None:
        return error_response(404, "no such job (finished jobs are kept for a while, then forgotten)")
    return JSONResponse(job.to_dict(), status_code=202 if job.state is JobState.RUNNING else 200)


@handler
async def job_cancel(request: Request, state: State) -> Response:
    """Stop a running job."""
    job = await run_in_threadpool(state.jobs.cancel, request.path_params["id"])
    if job is None:
        return error_response(404, "no such job")
    return JSONResponse(job.to_dict())
