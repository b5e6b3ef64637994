"""What the studio asks of qualpath: every answer as the result objects' ``to_dict()``, as the CLI's ``--json``.

The functions here are the studio's only road to the answers. Each takes a workspace folder,
a file name and (for a draft) the text being edited, loads it with qualpath's own loader
(PyYAML, located errors), and returns plain JSON-ready data built from the same result
objects the command line prints with ``--json``: :class:`~solver.answers.summary.Summary`,
:class:`~solver.design.lint.LintReport`, :class:`~solver.model.results.CountResult`,
:class:`~solver.model.results.Optimum`, :class:`~solver.design.diff.Diff` and
:class:`~solver.audit.results.Audit`. Functions taking ``progress`` run as jobs in a child
process (:mod:`solver.studio.jobs`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..answers.cheapest import cheapest_pathways
from ..answers.count import count_pathways
from ..answers.summary import summarise
from ..audit.learners import LearnerFileError, audit_batch, iter_learners
from ..audit.single import audit
from ..design.diff import check_learners, diff
from ..design.lint import lint
from ..exact.engines import Question, choose
from ..model.errors import QualificationError, RuleSetError
from ..model.load import load_qualification
from ..model.results import Status
from ..model.structure import Qualification
from .yamledit import to_data

__all__ = [
    "audit_learner",
    "audit_learners",
    "cheapest",
    "compare",
    "diagram",
    "exact_covers",
    "full_answers",
    "lint_summary",
    "load_draft",
    "moved_libraries",
    "outline",
    "ping",
    "problems_of",
    "recount",
]

#: Seconds the fallback engines may take in a live recount (the page asks for a job past that).
RECOUNT_TIMEOUT = 2.0


def problems_of(exc: QualificationError, shown_as: dict[str, str]) -> list[dict[str, Any]]:
    """Located problems as JSON (``file`` named as in the workspace, never a temporary path)."""
    if isinstance(exc, RuleSetError):
        out = []
        for e in exc.errors:
            loc = e.location
            out.append({"file": shown_as.get(loc.file, loc.file), "line": loc.line, "column": loc.column,
                        "path": loc.path, "message": e.message,
                        "text": f"{shown_as.get(loc.file, loc.file)}{f':{loc.line}:{loc.column}' if loc.line else ''}"
                                f": {loc.path + ': ' if loc.path else ''}{e.message}"})
        return out
    return [{"file": "", "line": 0, "column": 0, "path": "", "message": str(exc), "text": str(exc)}]


@contextlib.contextmanager
def _draft_file(root: Path, name: str, text: str | None) -> Iterator[tuple[Path, dict[str, str]]]:
    """The file to load: the saved one, or the draft text in a hidden file beside it.

    Beside it, because a rule file names its unit libraries relative to itself.
    """
    path = root / name
    if text is None:
        yield path, {str(path): name}
        return
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".qualpath-draft-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        yield Path(tmp), {tmp: name, str(path): name}
    finally:
        Path(tmp).unlink(missing_ok=True)


def load_draft(root: Path, name: str, text: str | None = None) -> Qualification:
    """Load a workspace file, or the text being edited for it; :class:`RuleSetError` names ``name``."""
    with _draft_file(root, name, text) as (path, shown_as):
        try:
            return load_qualification(path)
        except RuleSetError as exc:
            raise _renamed(exc, shown_as) from None


def _renamed(exc: RuleSetError, shown_as: dict[str, str]) -> RuleSetError:
    from dataclasses import replace

    from ..model.errors import RuleError

    return RuleSetError([RuleError(replace(e.location, file=shown_as.get(e.location.file, e.location.file)),
                                   e.message) for e in exc.errors])


def moved_libraries(text: str, source: str, target: str) -> str:
    """The text of ``source`` for a copy at ``target``: its ``library`` paths still lead to the same files."""
    import posixpath

    old, new = posixpath.dirname(source), posixpath.dirname(target)
    if old == new:
        return text
    try:
        data = to_data(text, source)
    except RuleSetError:
        return text
    if not isinstance(data, dict) or not isinstance(data.get("library"), list):
        return text
    data["library"] = [posixpath.relpath(posixpath.normpath(posixpath.join(old, str(p))), new or ".")
                       for p in data["library"]]
    from .yamledit import apply_data

    return apply_data(text, data, source)


def exact_covers(q: Qualification) -> bool:
    """Whether an exact engine counts ``q`` (so a recount takes milliseconds)."""
    return choose(q, Question.COUNT).engine is not None


def _kind(text: str) -> str:
    for line in text.splitlines()[:200]:
        if line.startswith("kind:"):
            return line.partition(":")[2].split("#")[0].strip()
    return ""


def outline(root: Path, name: str, text: str) -> dict[str, Any]:
    """One row of the workspace list: title, id, valid, achievable and pathways (when an exact engine counts it)."""
    row: dict[str, Any] = {"name": name, "kind": _kind(text) or "qualification", "id": None, "title": None,
                           "valid": None, "feasible": None, "pathways": None, "count": None, "lint": None,
                           "problems": []}
    if row["kind"] == "library":
        return row
    try:
        q = load_draft(root, name)
    except QualificationError as exc:
        row.update(valid=False, problems=problems_of(exc, {}))
        return row
    row.update(id=q.id, title=q.title, valid=True)
    if not exact_covers(q):
        row["note"] = "counted when opened (needs the general engine)"
        return row
    count = count_pathways(q, timeout=RECOUNT_TIMEOUT)
    if count.status is not Status.COMPLETE:  # an engine found the structure beyond it as it ran
        row["note"] = "counted when opened (needs the general engine)"
        return row
    row.update(feasible=count.pathways > 0, pathways=count.pathways, count=count.to_dict())
    return row


def lint_summary(root: Path, name: str, timeout: float, *, progress: Any = None) -> dict[str, Any]:
    """Lint of a saved file (``lint --json``) with the number of findings of each severity."""
    report = lint(load_draft(root, name), timeout=timeout)
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.severity.value] = counts.get(f.severity.value, 0) + 1
    return {**report.to_dict(), "counts": counts}


def full_answers(root: str, name: str, text: str | None, timeout: float, *, progress: Any = None) -> dict[str, Any]:
    """Everything the structure view shows: the summary (``qualpath report --json``) and lint (``lint --json``)."""
    try:
        q = load_draft(Path(root), name, text)
    except QualificationError as exc:
        return {"valid": False, "problems": problems_of(exc, {})}
    summary = summarise(q, timeout=timeout)
    report = lint(q, timeout=timeout)
    return {"valid": True, "problems": [], "exact": exact_covers(q), "summary": summary.to_dict(),
            "lint": report.to_dict(), "units": _units(q)}


def _units(q: Qualification) -> list[dict[str, Any]]:
    from ..model.results import json_number

    return [{"id": u.id, "title": u.title, "credits": json_number(u.credits), "level": u.level} for u in q.units]


def recount(root: Path, name: str, text: str) -> dict[str, Any]:
    """The live recount after an edit: located problems, or the count (``count --json``) when exact."""
    try:
        data = to_data(text, name)
    except RuleSetError as exc:
        return {"valid": False, "problems": problems_of(exc, {}), "data": None}
    try:
        q = load_draft(root, name, text)
    except QualificationError as exc:
        return {"valid": False, "problems": problems_of(exc, {}), "data": data}
    if not exact_covers(q):
        return {"valid": True, "problems": [], "data": data, "count": None, "exact": False}
    count = count_pathways(q, timeout=RECOUNT_TIMEOUT)
    return {"valid": True, "problems": [], "data": data, "exact": True, "count": count.to_dict()}


def count_job(root: str, name: str, text: str | None, timeout: float, *, progress: Any = None) -> dict[str, Any]:
    """A count the exact engines do not cover, with the time limit (``partial`` when it is reached)."""
    q = load_draft(Path(root), name, text)
    return count_pathways(q, timeout=timeout).to_dict()


def ping(seconds: float = 0.0, *, progress: Any = None) -> str:
    """A job that only waits (starting one readies the job server; tests time limits and cancel with it)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.01)
        if progress is not None:
            progress.value += 1
    return "ready"


def cheapest(q: Qualification, by: str, top: int = 1, timeout: float | None = None) -> dict[str, Any]:
    """The cheapest pathways (``cheapest --json``); ``timeout`` bounds a fallback enumeration, as ``--timeout``."""
    return cheapest_pathways(q, by=by, top=top, timeout=timeout).to_dict()


def diagram(q: Qualification, fmt: str, *, highlight: list[str] | None = None, other: Qualification | None = None,
            dpi: float = 150) -> bytes:
    """The handbook diagram (or the change view against ``other``) as SVG, PNG or PDF bytes."""
    with tempfile.TemporaryDirectory(prefix="qualpath-studio-") as folder:
        out = Path(folder) / f"diagram.{fmt}"
        if other is not None:
            from viz.diff import render_diff

            render_diff(other, q, out, old_label="saved", new_label="draft", dpi=dpi)
        else:
            from viz.draw import render

            render(q, out, highlight=highlight, dpi=dpi)
        return out.read_bytes()


def compare(root: str, name: str, text: str, timeout: float, learners_csv: str | None = None, *,
            progress: Any = None) -> dict[str, Any]:
    """What-if: the draft against the saved file (``diff --json``)."""
    old = load_draft(Path(root), name)
    new = load_draft(Path(root), name, text)
    learners: list[tuple[str, frozenset[str]]] = []
    if learners_csv:
        learners = [(r.learner, frozenset(r.achieved)) for r in _records(Path(root), learners_csv, old)]
    result = diff(old, new, timeout=timeout, learners=learners).to_dict()
    # why each lost example is lost: the rules of the draft without which it would be a pathway again
    examples = [(str(i), frozenset(p["units"])) for i, p in enumerate(result["lost_examples"])]
    why = {c.learner: list(c.reasons) for c in check_learners(old, new, examples)}
    result["lost_examples_break"] = [why.get(str(i), []) for i in range(len(examples))]
    return result


def audit_learner(q: Qualification, achieved: list[str], by: str, timeout: float | None = None) -> dict[str, Any]:
    """One learner's audit (``audit --json``); ``timeout`` bounds a fallback enumeration, as ``--timeout``."""
    return audit(q, achieved, by=by, timeout=timeout).to_dict()


def _records(root: Path, csv_text: str, q: Qualification) -> list[Any]:
    with tempfile.TemporaryDirectory(prefix="qualpath-studio-") as folder:
        path = Path(folder) / "learners.csv"
        path.write_text(csv_text, encoding="utf-8")
        return list(iter_learners(path, qualification=q.id, sort=True, known_units=q.unit_ids()))


def audit_learners(root: str, name: str, csv_text: str, by: str, *, progress: Any = None) -> dict[str, Any]:
    """A batch audit of a learner CSV: the report (``audit --learners`` CSV) and its totals."""
    q = load_draft(Path(root), name)
    try:
        records = _records(Path(root), csv_text, q)
    except LearnerFileError as exc:
        return {"error": str(exc).replace(str(Path(tempfile.gettempdir())), "")}
    with tempfile.TemporaryDirectory(prefix="qualpath-studio-") as folder:
        out = Path(folder) / "report.csv"

        def counted() -> Iterator[Any]:
            for i, record in enumerate(records, 1):
                if progress is not None:
                    progress.value = i
                yield record

        audit_batch(q, counted(), out, by=by)
        report = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(report)))
    achieved = sum(1 for r in rows if r.get("achieved") == "yes")
    return {"learners": len(rows), "achieved": achieved, "report_csv": report, "rows": rows[:200]}
