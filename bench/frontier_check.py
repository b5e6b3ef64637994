"""Time the frontier engine (solver/frontier.py) on the issue-14 families, and check its optima against CP-SAT.

Run ``python -m bench.frontier_check`` (``--quick`` for one size of each family).
Every case runs in a child process, so its peak memory is its own:

* ``plan``: reading the structure and choosing the deciding order;
* ``count``: the exact number of pathways;
* ``cheapest``: least credits, then fewest units, with the number of ties and the
  first optimal pathway;
* ``peak MB``: the child's largest resident size (``ru_maxrss``, the interpreter and
  numpy included), and ``tables MB``: the largest that numpy's arrays held at once
  (``tracemalloc``, measured in a second, slower run of ``cheapest``);
* ``CP-SAT``: OR-Tools' proven least credits and its time, when ``ortools`` is
  installed; the engine's least credits must equal it.

Times are single runs (medians of three under a second) on whatever the machine is
doing; the table says which host load it saw.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from bench.families import prerequisite_edges, uk_diploma, university_programme
from solver.exact import frontier
from solver.exact.frontier_plan import work
from solver.model import Qualification
from solver.model.validate import validate

__all__ = ["main"]

Case = tuple[str, Callable[[], Qualification]]


def _cases(quick: bool) -> list[Case]:
    sizes = (100,) if quick else (50, 100, 200)
    seeds = (0,) if quick else (0, 1, 2)
    out: list[Case] = []
    for n in sizes:
        for seed in seeds:
            out.append((f"university {n} courses, seed {seed}",
                        lambda n=n, seed=seed: university_programme(n, seed)))  # type: ignore[misc]
    for across in ((0.5,) if quick else (0.0, 0.25, 0.5, 0.75, 1.0)):
        for seed in seeds:
            out.append((f"UK diploma 60 units, 20 pairs ({round(across * 100)}% across groups), seed {seed}",
                        lambda across=across, seed=seed: uk_diploma(60, 20, seed, across=across)))  # type: ignore[misc]
    return out


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    first = time.perf_counter() - start
    if first > 1.0:
        return first, result
    times = [first]
    for _ in range(2):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _costs(q: Qualification) -> dict[str, tuple[Any, ...]]:
    return {u: (q.unit(u).credits or 0, 1) for u in q.unit_ids()}


def _measure(make: Callable[[], Qualification], out: Any) -> None:
    q = make()
    row: dict[str, Any] = {"units": len(q.unit_ids()), "barred": len(q.barred), "edges": prerequisite_edges(q),
                           "valid": not validate(q)}
    start = time.perf_counter()
    reason = frontier.supports(q)
    row["plan_s"] = time.perf_counter() - start
    found = frontier.plan_for(q)
    if found is not None:
        problem, plan = found
        row["coupled"] = len({u for c in problem.clauses for u in c.units})
        row["cells"] = plan.peak
        row["bits"] = plan.peak_bits
        row["work"] = work(plan)
    if reason is not None:
        row["declined"] = reason
        out.put(row)
        return
    row["count_s"], row["count"] = _timed(lambda: frontier.count(q))
    row["cheapest_s"], best = _timed(lambda: frontier.optimum(q, _costs(q)))
    row["best"] = None if best is None else (best[0], best[1], len(best[2]))
    row["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    frontier.optimum(q, _costs(q))
    row["tables_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    out.put(row)


def _cpsat(q: Qualification, limit: float) -> tuple[Any, float] | None:
    try:
        from bench.cpsat import available, solve_cpsat
    except ImportError:
        return None
    if not available():
        return None
    result = solve_cpsat(q, by="credits", time_limit=limit)
    return (result.objective if result.status == "optimal" else result.status), result.solve_seconds


def _run_case(make: Callable[[], Qualification], limit: float) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    out: Any = ctx.Queue()
    child = ctx.Process(target=_measure, args=(make, out))
    start = time.perf_counter()
    child.start()
    child.join(limit)
    if child.is_alive():
        child.kill()
        child.join()
        return {"declined": f"over the {limit:.0f} s limit"}
    row: dict[str, Any] = out.get() if not out.empty() else {"declined": f"child failed ({child.exitcode})"}
    row["wall_s"] = time.perf_counter() - start
    return row


def main(argv: list[str] | None = None) -> None:
    """Print one row per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one size of each family")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per case (default 120)")
    parser.add_argument("--no-cpsat", action="store_true", help="skip the CP-SAT cross-check")
    args = parser.parse_args(argv)
    print(f"host: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start\n")
    print("| structure | units | coupled | barred | edges | largest table (cells, bits) | work (cells) | plan s "
          "| count s | cheapest s | peak MB | tables MB | pathways | least (credits, units), ties | CP-SAT least, s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, make in _cases(args.quick):
        row = _run_case(make, args.limit)
        cp = None if args.no_cpsat else _cpsat(make(), args.limit)
        if "declined" in row and "count" not in row:
            print(f"| {name} | {row.get('units', '')} | {row.get('coupled', '')} | {row.get('barred', '')} "
                  f"| {row.get('edges', '')} | {row.get('cells', 0):,}, {row.get('bits', '')} "
                  f"| {row.get('work', 0):,} | declined: {row['declined']} |||||||| {_show_cp(cp)} |")
            continue
        best = row["best"]
        least = "none" if best is None else f"({best[0][0]}, {best[0][1]}), {best[1]:,}"
        agree = ""
        if cp is not None and best is not None and isinstance(cp[0], type(best[0][0])):
            agree = " ✓" if cp[0] == best[0][0] else " ✗ DIFFERS"
        print(f"| {name} | {row['units']} | {row['coupled']} | {row['barred']} | {row['edges']} "
              f"| {row['cells']:,}, {row['bits']} | {row['work']:,} | {row['plan_s']:.2f} | {row['count_s']:.2f} "
              f"| {row['cheapest_s']:.2f} | {row['peak_mb']:.0f} | {row['tables_mb']:.0f} | {row['count']:.3e} "
              f"| {least} | {_show_cp(cp)}{agree} |", flush=True)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end")


def _show_cp(cp: tuple[Any, float] | None) -> str:
    return "" if cp is None else f"{cp[0]}, {cp[1]:.2f}"


if __name__ == "__main__":
    main()
