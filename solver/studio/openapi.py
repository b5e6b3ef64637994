"""The studio's JSON API described as OpenAPI 3.1 (served at ``/api/openapi.json``).

Answers are the ``to_dict()`` of qualpath's result objects, the same JSON as the command
line's ``--json``; their schemas name the command whose output they equal. Written by hand
from one table, so that the description is short and every route is in it (a test checks
the routes against it).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ENDPOINTS", "openapi"]

_S = {"type": "string"}
_N = {"type": "number"}
_NAME = {"type": "string", "description": "a rule file's path inside the workspace, e.g. rules/diploma.yaml"}
_TEXT = {"type": "string", "description": "the YAML being edited (a draft); leave out to use the saved file"}
_BY = {"type": "string", "default": "credits",
       "description": "criteria, lexicographic: credits, units, glh, fee, hours"}
_TIMEOUT = {"type": "number", "description": "seconds the fallback engines may take (at most the studio's limit)"}
_WAIT = {"type": "number", "description": "seconds to wait for the job before answering 202 with it", "default": 1.5}
_JOB = "a job: 200 with `result` when it finished in time, else 202; follow it at /api/jobs/{id}"

#: (method, path, summary, request body properties, required, answer)
ENDPOINTS: list[tuple[str, str, str, dict[str, Any], list[str], str]] = [
    ("get", "/api/workspace", "Every rule file: title, id, valid, achievable, pathway count (lint: /api/lint per file)",
     {}, [], "{root, files: [{name, version, kind, id, title, valid, feasible, pathways, count, problems}], "
     "templates}"),
    ("post", "/api/files", "Create a file from a template, or duplicate one as a draft revision",
     {"name": _NAME, "template": _S, "from": _NAME}, ["name"], "201 {name, version}; 409 when it exists"),
    ("get", "/api/files/{name}", "A rule file's text and version", {}, [], "{name, text, version}"),
    ("put", "/api/files/{name}", "Save (atomic; the replaced version goes to the history)",
     {"text": _S, "version": {"type": ["string", "null"], "description": "the version the text was edited from"}},
     ["text"], "{name, version, valid, problems}; 409 {error, current_version, kept_as} when it changed meanwhile"),
    ("get", "/api/history", "Earlier versions of a file (query: name)", {}, [],
     "{name, history: [{id, saved, reason, version, size}]}"),
    ("get", "/api/history/version", "The text of an earlier version (query: name, id)", {}, [], "{name, id, text}"),
    ("post", "/api/restore", "Make an earlier version current",
     {"name": _NAME, "id": _S, "version": _S}, ["name", "id"], "{name, version, text}; 409 as for a save"),
    ("post", "/api/answers", "Everything the structure view shows",
     {"name": _NAME, "text": _TEXT, "timeout": _TIMEOUT, "wait": _WAIT}, ["name"],
     _JOB + "; result {valid, problems, exact, summary (= report --json), lint (= lint --json), units}"),
    ("post", "/api/lint", "Lint findings of a saved file (= lint --json, plus counts by severity)",
     {"name": _NAME, "timeout": _TIMEOUT}, ["name"], "LintReport: {qualification, findings: [{code, severity, "
     "subject, message, file, line, column, path}], worst, counts}; 503 when it did not finish within its limit"),
    ("post", "/api/recount", "The live recount of a draft", {"name": _NAME, "text": _TEXT, "timeout": _TIMEOUT},
     ["name", "text"], "{valid, problems: [{file, line, column, path, message, text}], data, exact, "
     "count (= count --json) or job}"),
    ("post", "/api/apply", "Write the builder's data into the YAML text, keeping comments and layout",
     {"name": _NAME, "text": _TEXT, "data": {"type": "object"}}, ["name", "text", "data"],
     "{text, valid, problems, data, exact, count}"),
    ("post", "/api/cheapest", "The cheapest pathways (= cheapest --json)",
     {"name": _NAME, "text": _TEXT, "by": _BY, "top": {"type": "integer", "minimum": 1, "maximum": 50}},
     ["name"], "Optimum: {qualification, objective, optimum, ties, pathways, method, status, proof}"),
    ("post", "/api/diagram", "The handbook diagram (= draw)",
     {"name": _NAME, "text": _TEXT, "format": {"enum": ["svg", "png", "pdf"]},
      "highlight": {"description": "\"cheapest\" or a list of unit ids"}, "by": _BY, "download": {"type": "boolean"}},
     ["name"], "image/svg+xml, image/png or application/pdf"),
    ("post", "/api/diff", "What-if: the draft against the saved version (= diff --json)",
     {"name": _NAME, "text": _TEXT, "learners_csv": _S, "timeout": _TIMEOUT, "wait": _WAIT}, ["name", "text"],
     _JOB + "; result = diff --json, plus lost_examples_break: for each lost example, the rules it breaks"),
    ("post", "/api/diff/diagram", "The change view of the draft against the saved version (= draw --diff)",
     {"name": _NAME, "text": _TEXT, "format": {"enum": ["svg", "png", "pdf"]}}, ["name", "text"], "an image"),
    ("post", "/api/export", "The structure as Mermaid or DOT text",
     {"name": _NAME, "text": _TEXT, "format": {"enum": ["mermaid", "dot"]}}, ["name", "format"], "text/plain"),
    ("post", "/api/audit", "One learner's audit (= audit --json)",
     {"name": _NAME, "text": _TEXT, "achieved": {"type": "array", "items": _S}, "by": _BY}, ["name", "achieved"],
     "Audit: {qualification, held, achieved, objective, remaining, completions, ties, progress, ...}"),
    ("post", "/api/audit/batch", "A batch audit of a learner CSV (= audit --learners FILE -o report.csv)",
     {"name": _NAME, "csv": _S, "by": _BY, "wait": _WAIT}, ["name", "csv"],
     _JOB + "; result {learners, achieved, report_csv, rows} or {error}"),
    ("get", "/api/jobs/{id}", "A job: state (running, done, failed, cancelled, timed-out), elapsed, done, result",
     {}, [], "{id, kind, state, elapsed, limit, done, result | error}"),
    ("delete", "/api/jobs/{id}", "Cancel a running job", {}, [], "the job, state cancelled"),
    ("get", "/api/openapi.json", "This description", {}, [], "OpenAPI 3.1"),
]

_ERRORS = {
    "400": "bad input (a missing or mistyped field)", "403": "outside the workspace, not a YAML file, or refused "
    "by the host/token check", "404": "no such file, version or job", "409": "the file changed since it was opened",
    "413": "the body is too large", "415": "not JSON, or not a text file", "422": "the rule file has problems "
    "({error, problems})",
}


def openapi() -> dict[str, Any]:
    """The description, as a JSON-ready dict.

    Examples
    --------
    >>> spec = openapi()
    >>> spec["openapi"], "/api/recount" in spec["paths"]
    ('3.1.0', True)
    """
    paths: dict[str, Any] = {}
    for method, path, summary, props, required, answer in ENDPOINTS:
        op: dict[str, Any] = {"summary": summary, "operationId": f"{method}_{path.strip('/').replace('/', '_')}",
                              "responses": {"200": {"description": answer},
                                            **{k: {"description": v} for k, v in _ERRORS.items()}}}
        params = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
        if params:
            op["parameters"] = [{"name": p, "in": "path", "required": True, "schema": _S} for p in params]
        if props:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": props, "required": required}}}}
        paths.setdefault(path, {})[method] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "qualpath studio", "version": "1",
                 "description": "The JSON API behind `qualpath studio`. Answers are the same JSON as the command "
                                "line's --json. Requests with a body send JSON. See docs/studio-api.md."},
        "servers": [{"url": "/"}],
        "paths": paths,
    }
