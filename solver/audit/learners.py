r"""Learner records in, audits out: a streaming CSV reader and the batch audit.

The learner file
----------------
A CSV file with a header row and one row per learner and unit:

============= ========= ===========================================================
column        required  meaning
============= ========= ===========================================================
learner       yes       the learner's id (any text)
unit          yes       a unit id
qualification no        the qualification the row is for; rows for another
                        qualification are skipped (with a warning)
status        no        ``achieved`` (the default when empty) or ``planned``
date          no        when the unit was achieved; kept, not interpreted
============= ========= ===========================================================

Rows must be *grouped by learner* (all rows of a learner together, in any
order); that is what lets a file of any size be read in one pass with flat
memory. A learner id that comes back after other learners is an error naming
both lines; sort the file first (``sort -t, -k1,1``) or pass ``sort=True`` to
group it in memory (for files that fit). Blank lines are skipped; quoted
fields may hold commas and newlines; a repeated row is kept once and reported
once; an unknown status is an error located by line.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "learners.csv"
>>> _ = path.write_text("learner,unit\nL1,resolve-problems\nL1,resolve-problems\n\nL2,promote-products\n")
>>> [(r.learner, r.achieved, r.warnings) for r in iter_learners(path)]
[('L1', ('resolve-problems',), ('line 3: unit resolve-problems repeated',)), ('L2', ('promote-products',), ())]
"""

from __future__ import annotations

import csv
import io
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..answers.report import dumps
from ..model.cells import join_ids, safe_cell
from ..model.errors import QualificationError, UsageError
from ..model.files import write_atomic
from ..model.structure import Qualification, format_number
from .batch import AuditSummary, BatchAuditor
from .results import Audit

__all__ = ["COLUMNS", "LearnerFileError", "LearnerRecord", "audit_batch", "batch_csv_header", "iter_learners"]

#: Columns a learner file may have; the first two are required.
COLUMNS = ("learner", "unit", "qualification", "status", "date")
_STATUSES = ("achieved", "planned")


class LearnerFileError(QualificationError):
    """A learner file that cannot be read: ``path:line: what was found, what was expected``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnerRecord:
    """One learner's rows: units achieved and planned, where they came from, and any warnings."""

    learner: str
    achieved: tuple[str, ...]
    planned: tuple[str, ...] = ()
    qualification: str = ""
    line: int = 0
    """The line of the learner's first row."""
    warnings: tuple[str, ...] = ()


def _open_rows(path: Path, reader: Any) -> dict[str, int]:
    """The column of each name, reading the header row."""
    try:
        header = next(reader)
    except StopIteration:
        raise LearnerFileError(f"{path}:1: the file is empty; expected a header row "
                               f"with columns {', '.join(COLUMNS[:2])}") from None
    names = [h.strip().lower() for h in header]
    where = {n: i for i, n in enumerate(names) if n}
    missing = [c for c in COLUMNS[:2] if c not in where]
    if missing:
        raise LearnerFileError(f"{path}:1: header has no {' or '.join(repr(m) for m in missing)} column; "
                               f"found {', '.join(repr(n) for n in names)}; expected learner,unit"
                               f"[,qualification,status,date]")
    return where


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Rows with the line each starts on."""
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        yield start, row


def iter_learners(path: str | Path, *, qualification: str | None = None, sort: bool = False,
                  known_units: Iterable[str] | None = None) -> Iterator[LearnerRecord]:
    """Yield each learner's record from a learner file, streaming (see the module docstring).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    qualification : str, optional
        Keep only rows whose ``qualification`` column is empty or equals this (the others
        are reported in the learner's warnings).
    sort : bool
        Group the rows in memory instead of requiring a grouped file.
    known_units : iterable of str, optional
        Unit ids to expect; others are reported in the learner's warnings.

    Raises
    ------
    LearnerFileError
        Missing columns, an unknown status, text that is not UTF-8 (a binary file, a
        Latin-1 export), a field longer than ``csv.field_size_limit()``, or (unless ``sort``) a
        learner whose rows are not together; each located by line.
    """
    path = Path(path)
    try:
        yield from _iter_records(path, qualification, sort, known_units)
    except UnicodeDecodeError:
        raise LearnerFileError(_not_utf8(path)) from None


def _not_utf8(path: Path) -> str:
    """Where a file stops being UTF-8, found again line by line (the happy path pays nothing for it)."""
    with path.open("rb") as handle:
        for line, raw in enumerate(handle, 1):  # b"\n" is never inside a UTF-8 character
            try:
                raw.decode("utf-8-sig" if line == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                byte = exc.object[exc.start]
                return (f"{path}:{line}: found the byte 0x{byte:02x}, which is not UTF-8; expected a UTF-8 "
                        "text file (save the CSV as UTF-8)")
    return f"{path}: found text that is not UTF-8; expected a UTF-8 text file (save the CSV as UTF-8)"


def _csv_problem(path: Path, line: int, exc: csv.Error) -> str:
    words = str(exc)
    if "field larger than field limit" in words:
        return (f"{path}:{line}: found a field longer than {csv.field_size_limit():,} characters; expected "
                "learner ids and unit ids of ordinary length (an unclosed quote swallows the rest of a file)")
    return f"{path}:{line}: found CSV the reader cannot take ({words}); expected a CSV file"


def _iter_records(path: Path, qualification: str | None, sort: bool,
                  known_units: Iterable[str] | None) -> Iterator[LearnerRecord]:
    known = None if known_units is None else frozenset(known_units)
    with path.open(newline="", encoding="utf-8-sig") as text:
        reader = csv.reader(text)
        try:
            yield from _read_records(path, reader, qualification, sort, known)
        except csv.Error as exc:  # reader.line_num: the lines read so far, the bad one included
            raise LearnerFileError(_csv_problem(path, reader.line_num, exc)) from None


def _read_records(path: Path, reader: Any, qualification: str | None, sort: bool,
                  known: frozenset[str] | None) -> Iterator[LearnerRecord]:
    where = _open_rows(path, reader)
    rows: Iterable[list[str]] = reader
    numbers: Iterator[int] | None = None
    if sort:
        numbered = sorted(_numbered(reader), key=lambda lr: _cell(lr[1], where, "learner"))
        rows = [row for _line, row in numbered]
        numbers = iter([line for line, _row in numbered])
    seen: set[str] = set()
    current: _Builder | None = None
    li, ui = where["learner"], where["unit"]
    si, qi = where.get("status", -1), where.get("qualification", -1)
    width = 1 + max(li, ui, si, qi)
    pad = [""] * width
    prev = reader.line_num
    # The loop is the reader's hot path (one pass per row): plain locals, no calls in the common case.
    for row in rows:
        if numbers is None:
            line, prev = prev + 1, reader.line_num
        else:
            line = next(numbers)
        if len(row) < width:
            row = row + pad[len(row):]
        learner = row[li].strip()
        if not learner:
            if not "".join(row).strip():  # a blank line: every cell empty
                continue
            raise LearnerFileError(f"{path}:{line}: empty learner id; expected a value in column 'learner'")
        if current is None or learner != current.learner:
            if current is not None:
                yield current.record()
            if learner in seen:
                raise LearnerFileError(
                    f"{path}:{line}: learner {learner!r} appears again after other learners; "
                    f"expected each learner's rows together (sort the file by learner, or use --sort)")
            seen.add(learner)
            current = _Builder(learner, line)
        unit = row[ui].strip()
        status = row[si].strip() if si >= 0 else ""
        qual = row[qi].strip() if qi >= 0 else ""
        units = current.units
        if (unit and not qual and (status == "achieved" or not status) and unit not in units
                and (known is None or unit in known)):
            units[unit] = "achieved"
        else:
            current.add(path, line, unit, status, qual, qualification, known)
    if current is not None:
        yield current.record()


def _cell(row: Sequence[str], where: dict[str, int], name: str) -> str:
    i = where.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


class _Builder:
    def __init__(self, learner: str, line: int) -> None:
        self.learner = learner
        self.line = line
        self.units: dict[str, str] = {}
        self.qualification = ""
        self.warnings: list[str] = []
        self.skipped: set[str] = set()

    def add(self, path: Path, line: int, unit: str, status: str, qual: str, wanted: str | None,
            known: frozenset[str] | None) -> None:
        if status != "achieved":
            status = status.lower() or "achieved"
            if status not in _STATUSES:
                raise LearnerFileError(f"{path}:{line}: status {status!r}; expected achieved or planned")
        if not unit:
            self.warnings.append(f"line {line}: no unit id")
            return
        if qual:
            if wanted is not None and qual != wanted:
                if qual not in self.skipped:
                    self.skipped.add(qual)
                    self.warnings.append(f"line {line}: rows for qualification {qual} skipped")
                return
            self.qualification = self.qualification or qual
        units = self.units
        if unit in units:
            if status == "achieved" and units[unit] == "planned":
                units[unit] = "achieved"
            else:
                self.warnings.append(f"line {line}: unit {unit} repeated")
            return
        if known is not None and unit not in known:
            self.warnings.append(f"line {line}: unknown unit {unit}")
        units[unit] = status

    def record(self) -> LearnerRecord:
        units = self.units
        planned: tuple[str, ...] = ()
        if "planned" not in units.values():
            achieved = tuple(units)
        else:
            achieved = tuple(u for u, s in units.items() if s == "achieved")
            planned = tuple(u for u, s in units.items() if s == "planned")
        return LearnerRecord(learner=self.learner, line=self.line, qualification=self.qualification,
                             achieved=achieved, planned=planned, warnings=tuple(self.warnings))


# -- the batch audit --------------------------------------------------------------------------------
def batch_csv_header(criteria: Sequence[str] = ("credits",)) -> list[str]:
    """Columns of the batch CSV report (one row per learner)."""
    return ["learner", "qualification", "achieved", *(f"remaining_{c}" for c in criteria), "add",
            "counting", "not_counting", "unknown", "blocked", "not_met", "warnings", "status"]


def _csv_row(record: LearnerRecord, result: AuditSummary) -> list[str]:
    remaining = [format_number(v) for v in (result.remaining or {}).values()] or [""] * len(result.objective)
    # Text cells only go through safe_cell: the numbers (what remains) are never negative.
    return [safe_cell(record.learner), safe_cell(result.qualification), "yes" if result.achieved else "no",
            *remaining, *(safe_cell(join_ids(ids)) for ids in (result.add, result.counting, result.not_counting,
                                                                 result.unknown, result.blocked)),
            safe_cell("; ".join(result.not_met)), safe_cell("; ".join(record.warnings)), result.status.value]


def _json_row(record: LearnerRecord, result: Audit) -> dict[str, Any]:
    data = {"learner": record.learner, "line": record.line, **result.to_dict()}
    data["planned"] = list(record.planned)
    data["warnings"] = list(record.warnings)
    return data


# A worker process keeps one compiled auditor.
_WORKER: BatchAuditor | None = None


def _init_worker(q: Qualification, by: tuple[str, ...]) -> None:
    global _WORKER
    _WORKER = BatchAuditor(q, by=by)


def _format_chunk(records: list[LearnerRecord], fmt: str) -> str:
    if _WORKER is None:  # the pool initializer sets it
        raise RuntimeError("worker started without an auditor")
    return _render(_WORKER, records, fmt)


def _render(auditor: BatchAuditor, records: Sequence[LearnerRecord], fmt: str) -> str:
    buffer = io.StringIO()
    held = [record.achieved for record in records]
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerows(_csv_row(record, result) for record, result in zip(records, auditor.summaries(held)))
    else:
        for record, full in zip(records, auditor.audits(held)):
            buffer.write(dumps(_json_row(record, full)) + "\n")
    return buffer.getvalue()


def _chunks(items: Iterable[LearnerRecord], size: int) -> Iterator[list[LearnerRecord]]:
    chunk: list[LearnerRecord] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def audit_batch(
    q: Qualification,
    learners: Iterable[LearnerRecord],
    out: str | Path,
    *,
    format: str = "csv",
    by: str | Sequence[str] = ("credits",),
    workers: int = 1,
    inputs: Sequence[str | Path] = (),
    chunk: int = 4096,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Audit every learner and write one report row (CSV) or object (JSON Lines) each.

    Learners are read, audited and written as a stream, so memory stays flat
    whatever the number of learners. Each chunk is audited by a
    :class:`solver.audit.batch.BatchAuditor`: one vectorised pass for the
    whole chunk when the structure is a product of groups, else one learner at
    a time (the same answers either way).

    A CSV row is the learner's :class:`solver.audit.batch.AuditSummary`, which
    equals what :func:`solver.audit.audit` reports for that learner:
    ``achieved`` (yes/no), ``remaining_<criterion>`` (the least cost of the
    units still to add), ``add`` (the units of the first cheapest completion,
    candidate order), ``counting`` (achieved units that completion uses, in the
    learner's order), ``not_counting`` (achieved units that count towards
    nothing: unknown, or in no cheapest completion), ``unknown``, ``blocked``,
    ``not_met`` (progress rows not met by the achieved units alone),
    ``warnings`` (from the learner file) and ``status``. The report is written to a temporary
    file in the same folder and moved into place at the end, so ``out`` is
    never left half-written.

    Parameters
    ----------
    q : Qualification
        The structure every learner is audited against.
    learners : iterable of LearnerRecord
        Usually :func:`iter_learners`.
    out : str or Path
        The report file.
    format : {"csv", "jsonl"}
        CSV (columns of :func:`batch_csv_header`) or JSON Lines (each line an
        :meth:`Audit.to_dict` with ``learner``, ``line``, ``planned`` and ``warnings``).
    by : str or sequence of str
        Criteria for the cost of what remains.
    workers : int
        Processes to audit in (1: in this process).
    inputs : sequence of paths
        Files the report must not overwrite (the learner file).
    chunk : int
        Learners per unit of work handed to a process.
    progress : callable, optional
        Called with the number of learners written so far after each chunk (the
        command line draws a progress bar with it).

    Returns
    -------
    int
        How many learners were audited.

    Raises
    ------
    UsageError
        For an unknown format, or ``out`` naming one of ``inputs``.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from solver.model.load import load_qualification, bundled_rules
    >>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report.csv"
    >>> audit_batch(q, [LearnerRecord(learner="L1", achieved=("resolve-problems",))], out, by="units")
    1
    >>> row = out.read_text().splitlines()[1].split(",")
    >>> row[:4], row[5], row[9]
    (['L1', 'OCR-NVQ2-CS', 'no', '4'], 'resolve-problems', 'group mandatory; group optional')
    """
    if format not in ("csv", "jsonl"):
        raise UsageError(f"unknown report format {format!r}; expected csv or jsonl")
    target = Path(out)
    for path in inputs:
        if Path(path).exists() and target.exists() and os.path.samefile(path, target):
            raise UsageError(f"refusing to write the report over the input file {path}")
    auditor = BatchAuditor(q, by=by)
    count = 0

    def write(stream: TextIO) -> None:
        nonlocal count
        if format == "csv":
            csv.writer(stream, lineterminator="\n").writerow(batch_csv_header(auditor.criteria))
        if workers <= 1:
            for part in _chunks(learners, chunk):
                stream.write(_render(auditor, part, format))
                count += len(part)
                if progress is not None:
                    progress(count)
        else:
            count = _in_processes(q, auditor.criteria, learners, stream, format, workers, chunk, progress)

    write_atomic(target, write)
    return count


def _in_processes(q: Qualification, by: tuple[str, ...], learners: Iterable[LearnerRecord], stream: TextIO,
                  fmt: str, workers: int, chunk: int, progress: Callable[[int], None] | None) -> int:
    count = 0
    # At most a few chunks per worker in flight: the reader never runs far ahead (flat memory).
    pending: deque[tuple[Future[str], int]] = deque()
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(q, by)) as pool:
        for part in _chunks(learners, chunk):
            pending.append((pool.submit(_format_chunk, part, fmt), len(part)))
            if len(pending) >= 3 * workers:
                future, n = pending.popleft()
                stream.write(future.result())
                count += n
                if progress is not None:
                    progress(count)
        while pending:
            future, n = pending.popleft()
            stream.write(future.result())
            count += n
            if progress is not None:
                progress(count)
    return count
