"""``python -m bench.stream_memory [LIMIT] [SECONDS]``: stream minimal pathways in a fresh process, report memory.

Run in its own interpreter so that the peak resident memory is the stream's own (the
benchmark's process holds OR-Tools, python-constraint and every earlier structure).
Prints one JSON object: pathways streamed, seconds, peak RSS after the first 1 % and at the end.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from solver import iter_pathways

from . import generate


def peak_mb() -> float:
    """This process's peak resident memory, in MB.

    ``VmHWM`` from ``/proc/self/status`` where there is one: ``ru_maxrss`` keeps the peak of
    the process image before ``exec``, which for a child of the benchmark is the benchmark's
    own size (OR-Tools and all), not the stream's.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(limit: int, seconds: float) -> dict[str, float]:
    """Stream up to ``limit`` minimal pathways of SYN-UK-39-1, stopping after ``seconds``."""
    q = generate.uk_credit(39, seed=1)
    start = time.perf_counter()
    n = 0
    rss0 = 0.0
    for _p in iter_pathways(q, minimal=True):
        n += 1
        if n == max(1, limit // 100):
            rss0 = peak_mb()
        if n >= limit or (n % 4096 == 0 and time.perf_counter() - start > seconds):
            break
    rss1 = peak_mb()
    return {"structure": q.id, "units": len(q.unit_ids()), "streamed": n, "seconds": time.perf_counter() - start,
            "rss_start_mb": rss0 or rss1, "rss_end_mb": rss1}


if __name__ == "__main__":
    limit = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 150.0
    print(json.dumps(stream(limit, seconds)))
