"""Benchmark: batch audit of 100,000 learners against the Level 2 Diploma.

Run: python bench/bench_audit.py [--learners N] [--jobs J] [--format csv|jsonl] [--split]

Writes a learner file (one row per learner and unit, grouped by learner) to a
temporary folder, audits it with ``audit_batch`` into a report, and prints
learners per second, CPU time (this process and its workers: other work on
the machine inflates wall time, not CPU time) and peak resident memory (from
``resource.getrusage``; tracemalloc would slow the run several-fold).
Learners hold a random 1-14 of the Diploma's 39 units, so most are distinct
and many exceed Group C's maximum (the slower case: spare units are checked
one by one); 1 in 20 also holds an id the Diploma does not list.

``--split`` then runs the same stream again in one process and times its
three stages apart: reading (``iter_learners``), auditing
(``BatchAuditor.summaries``) and writing (formatting and writing the rows).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from solver.audit.batch import BatchAuditor
from solver.audit.learners import _chunks, _csv_row, audit_batch, batch_csv_header, iter_learners
from solver.model import Qualification
from solver.model.load import bundled_rules, load_qualification


def write_learners(path: Path, n: int, units: list[str], seed: int = 1) -> int:
    rng = random.Random(seed)
    rows = 0
    with path.open("w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["learner", "unit", "status", "date"])
        for i in range(n):
            held = rng.sample(units, rng.randint(1, 14))
            if rng.random() < 0.05:
                held.append("legacy-unit")
            for uid in held:
                out.writerow([f"L{i:07d}", uid, "achieved", "2024-06-30"])
                rows += 1
    return rows


def peak_mb() -> tuple[float, float]:
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / scale / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / scale / 1024
    return me, kids


def cpu_seconds() -> float:
    """User and system time of this process and its finished children."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def split(q: Qualification, source: Path, out: Path) -> dict[str, float]:
    """Seconds spent reading, auditing and writing, streaming in one process."""
    spent = {"read": 0.0, "audit": 0.0, "write": 0.0}
    auditor = BatchAuditor(q)
    learners = iter_learners(source, known_units=q.unit_ids())
    parts = _chunks(learners, 4096)
    with out.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, lineterminator="\n").writerow(batch_csv_header(auditor.criteria))
        while True:
            t0 = time.perf_counter()
            part = next(parts, None)
            t1 = time.perf_counter()
            spent["read"] += t1 - t0
            if part is None:
                break
            summaries = auditor.summaries([r.achieved for r in part])
            t2 = time.perf_counter()
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerows(_csv_row(r, s) for r, s in zip(part, summaries))
            stream.write(buffer.getvalue())
            spent["audit"] += t2 - t1
            spent["write"] += time.perf_counter() - t2
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv")
    parser.add_argument("--split", action="store_true", help="also time reading, auditing and writing apart")
    args = parser.parse_args()
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "learners.csv"
        rows = write_learners(source, args.learners, list(q.unit_ids()))
        out = Path(folder) / f"report.{args.format}"
        cpu = cpu_seconds()
        started = time.perf_counter()
        n = audit_batch(q, iter_learners(source, known_units=q.unit_ids()), out, format=args.format,
                        workers=args.jobs, inputs=[source])
        elapsed = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        me, kids = peak_mb()
        print(f"{n:,} learners ({rows:,} rows, {source.stat().st_size / 1e6:.1f} MB) audited in {elapsed:.1f} s "
              f"with {args.jobs} process(es): {n / elapsed:,.0f} learners/second; {cpu:.1f} s CPU")
        print(f"peak resident memory: {me:.0f} MB (main), {kids:.0f} MB (largest worker)")
        if args.split:
            spent = split(q, source, Path(folder) / "split.csv")
            total = sum(spent.values())
            print(f"one process, {total:.1f} s: " + ", ".join(
                f"{name} {s:.1f} s ({100 * s / total:.0f}%)" for name, s in spent.items()))


if __name__ == "__main__":
    main()
