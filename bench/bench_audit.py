"""Benchmark: batch audit of 100,000 learners against the Level 2 Diploma.

Run: python bench/bench_audit.py [--learners N] [--jobs J]

Writes a learner file (one row per learner and unit, grouped by learner) to a
temporary folder, audits it with ``audit_batch`` into a CSV report, and prints
learners per second and peak resident memory (this process and its workers,
from ``resource.getrusage``; tracemalloc would slow the run several-fold).
Learners hold a random 1-14 of the Diploma's 39 units, so most are distinct
and many exceed Group C's maximum (the slower case: spare units are checked
one by one); 1 in 20 also holds an id the Diploma does not list.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from solver.learners import audit_batch, iter_learners
from solver.load import bundled_rules, load_qualification


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "learners.csv"
        rows = write_learners(source, args.learners, list(q.unit_ids()))
        out = Path(folder) / "report.csv"
        started = time.perf_counter()
        n = audit_batch(q, iter_learners(source, known_units=q.unit_ids()), out, workers=args.jobs,
                        inputs=[source])
        elapsed = time.perf_counter() - started
        me, kids = peak_mb()
        print(f"{n:,} learners ({rows:,} rows, {source.stat().st_size / 1e6:.1f} MB) audited in {elapsed:.1f} s "
              f"with {args.jobs} process(es): {n / elapsed:,.0f} learners/second")
        print(f"peak resident memory: {me:.0f} MB (main), {kids:.0f} MB (largest worker)")


if __name__ == "__main__":
    main()
