"""The answer commands of the command line: check, explain, count, enumerate, cheapest and report.

``check`` and ``report`` exit 3 (:data:`EXIT_UNDECIDED`) when they could not decide within
``--timeout`` whether a structure can be achieved: undecided is its own outcome, never
"cannot be achieved" (1).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from ..model.errors import RuleSetError
from .common import load_structure, positive_int, progress_bar, say, seconds, show_progress, shown, unit_ids

__all__ = ["EXIT_UNDECIDED", "cmd_cheapest", "cmd_check", "cmd_count", "cmd_enumerate", "cmd_explain",
           "cmd_report", "register"]

#: The exit code of ``check`` and ``report`` when a structure was not decided within ``--timeout``.
EXIT_UNDECIDED = 3

_CHEAPEST = ("criteria, lexicographic: credits, units, glh, fee, hours (default: credits,units, i.e. fewest "
             "credits and, among those, fewest units; units alone when the rules count no credits)")

def _fixed(args: argparse.Namespace, q: Any) -> tuple[list[str], list[str]]:
    """The ``--include`` and ``--exclude`` ids (and their files), each checked against ``q``."""
    known = frozenset(q.unit_ids())
    return (unit_ids(args.include, known, where=q.id, option="--include", files=args.include_file),
            unit_ids(args.exclude, known, where=q.id, option="--exclude", files=args.exclude_file))


def cmd_check(args: argparse.Namespace) -> int:
    """``qualpath check FILE...``: valid? achievable? (exit 0, 1, or 3 when undecided)."""
    from ..answers.feasible import FeasibilityStatus, check_feasible, exact_feasible
    from ..answers.report import dumps
    from ..model.load import find_structure, load_qualification

    status = 0
    undecided = False
    reports: list[dict[str, Any]] = []
    for name in args.files:
        path = find_structure(name)
        if path.is_absolute():
            path = type(path)(shown(path))
        try:
            q = load_qualification(path)
        except RuleSetError as exc:
            status = 1
            reports.append({"file": str(path), "valid": False, "achievable": None,
                            "problems": [{"file": e.location.file, "line": e.location.line,
                                          "column": e.location.column, "path": e.location.path,
                                          "message": e.message} for e in exc.errors]})
            if not args.json:
                say(str(exc))
            continue
        feasibility = check_feasible(q, is_feasible=exact_feasible, timeout=args.timeout)
        decided = feasibility.status is not FeasibilityStatus.UNDECIDED
        reports.append({"file": str(path), "valid": True, "qualification": q.id,
                        "achievable": feasibility.status is FeasibilityStatus.FEASIBLE if decided else None,
                        "feasibility": feasibility.to_dict()})
        if feasibility.status is FeasibilityStatus.FEASIBLE:
            if not args.json:
                say(f"{path}: ok: {q.id} is valid and can be achieved")
        elif not decided:
            undecided = True
            if not args.json:
                say(f"{path}: undecided: {q.id} is valid, but it is not known whether it can be achieved: "
                    f"{feasibility.note} (try a longer --timeout)")
        else:
            status = 1
            if not args.json:
                say(f"{path}: {q.id} is valid but cannot be achieved: these rules cannot all hold together:")
                for rule in feasibility.conflict:
                    say(f"  {rule}")
                if not feasibility.conflict_minimal:
                    say(f"  ({feasibility.note})")
    if args.json:
        say(dumps(reports[0] if len(reports) == 1 else reports))
    return status or (EXIT_UNDECIDED if undecided else 0)


def cmd_explain(args: argparse.Namespace) -> int:
    """``qualpath explain FILE``: how each rule becomes python-constraint constraints."""
    from ..csp.explain import explain

    q, _path = load_structure(args.file)
    say(explain(q))
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    """``qualpath count FILE``: the exact number of pathways (or minimal pathways), with a breakdown."""
    from ..answers.count import breakdown, count_pathways
    from ..answers.report import dumps, format_breakdown, format_count

    q, _path = load_structure(args.file)
    include, exclude = _fixed(args, q)
    with progress_bar("counting pathways", unit=" pathways", enabled=show_progress(json=args.json)) as tick:
        result = count_pathways(q, minimal=args.minimal, include=include, exclude=exclude, limit=args.limit,
                                timeout=args.timeout, interruptible=True, progress=tick)
    detail = breakdown(q) if args.breakdown else None
    if args.json:
        data = result.to_dict()
        if detail is not None:
            data["breakdown"] = detail.to_dict()
        say(dumps(data))
    else:
        say(format_count(result))
        if detail is not None:
            say(format_breakdown(q, detail))
    return 0


def cmd_enumerate(args: argparse.Namespace) -> int:
    """``qualpath enumerate FILE``: stream pathways in the documented order, capped."""
    from ..answers.pathways import iter_pathways
    from ..answers.report import PathwayLines, pathway_csv_header, pathway_csv_row

    q, _path = load_structure(args.file)
    line = PathwayLines()
    started = time.monotonic()
    stream = sys.stdout
    if args.format == "csv":
        stream.write(",".join(pathway_csv_header()) + "\n")
    n = 0
    include, exclude = _fixed(args, q)
    with progress_bar("writing pathways", unit=" pathways",
                      enabled=show_progress(output_on_terminal=True)) as tick:
        for n, pathway in enumerate(iter_pathways(q, minimal=args.minimal, include=include, exclude=exclude,
                                                  limit=args.limit, timeout=args.timeout), 1):
            if args.format == "csv":
                stream.write(pathway_csv_row(n, pathway))
            else:
                stream.write(line(pathway) + "\n")
            if not n & 1023:
                tick(n)
    stopped_by_time = args.timeout is not None and time.monotonic() - started >= args.timeout
    if args.limit is not None and n >= args.limit:
        print(f"qualpath: stopped after --limit {args.limit} pathways (there may be more)", file=sys.stderr)
    elif stopped_by_time:
        print(f"qualpath: partial: stopped at --timeout {args.timeout:g}s after {n:,} pathways "
              "(there may be more)", file=sys.stderr)
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """``qualpath sample FILE -n N``: pathways drawn uniformly at random, as ``enumerate`` writes them."""
    from ..answers.report import PathwayLines, pathway_csv_header, pathway_csv_row
    from ..answers.sample import sample_pathways

    q, _path = load_structure(args.file)
    include, exclude = _fixed(args, q)
    drawn = sample_pathways(q, args.n, seed=args.seed, include=include, exclude=exclude)
    line = PathwayLines()
    if args.format == "csv":
        sys.stdout.write(",".join(pathway_csv_header()) + "\n")
    for i, pathway in enumerate(drawn, 1):
        sys.stdout.write(pathway_csv_row(i, pathway) if args.format == "csv" else line(pathway) + "\n")
    if not drawn and args.n:
        print(f"qualpath: {q.id}: no pathway satisfies the rules, so none can be drawn", file=sys.stderr)
        return 1
    return 0


def cmd_cheapest(args: argparse.Namespace) -> int:
    """``qualpath cheapest FILE``: the proven cheapest pathways, their ties and runners-up."""
    from ..answers.cheapest import cheapest_pathways
    from ..answers.report import dumps, format_optimum
    from ..model.results import Status

    q, _path = load_structure(args.file)
    include, exclude = _fixed(args, q)
    with progress_bar("finding the cheapest pathways", unit="", enabled=show_progress(json=args.json)):
        result = cheapest_pathways(q, by=args.by, top=args.top, include=include,
                                   exclude=exclude, timeout=args.timeout, count_ties=not args.no_ties)
    say(dumps(result.to_dict()) if args.json else format_optimum(q, result))
    if result.optimum is None:
        return EXIT_UNDECIDED if result.status is Status.PARTIAL else 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``qualpath report FILE``: the one-page summary."""
    from ..answers.feasible import FeasibilityStatus
    from ..answers.report import dumps, format_summary
    from ..answers.summary import summarise

    q, path = load_structure(args.file)
    with progress_bar("summarising", unit="", enabled=show_progress(json=args.json)):
        summary = summarise(q, timeout=args.timeout)
    say(dumps(summary.to_dict()) if args.json else format_summary(summary, path))
    outcome = summary.feasibility.status
    return {FeasibilityStatus.FEASIBLE: 0, FeasibilityStatus.INFEASIBLE: 1}.get(outcome, EXIT_UNDECIDED)


def register(sub: Any) -> None:
    """Add the answer commands to ``sub`` (from ``add_subparsers``)."""

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    def units_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--include", nargs="+", metavar="UNIT",
                       help="units every pathway must hold (one id per argument; quote ids with spaces)")
        p.add_argument("--exclude", nargs="+", metavar="UNIT", help="units no pathway may hold (as --include)")
        p.add_argument("--include-file", action="append", metavar="FILE", help="--include ids, one a line")
        p.add_argument("--exclude-file", action="append", metavar="FILE", help="--exclude ids, one a line")

    p = command("check", cmd_check, "validate rule files and say whether each can be achieved "
                "(exit 0 yes, 1 a file is bad or cannot be achieved, 3 undecided within --timeout)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=60.0,
                   help="seconds to decide each structure (60); past it the answer is 'undecided', exit 3")

    p = command("explain", cmd_explain, "show how each rule becomes python-constraint constraints")
    p.add_argument("file", metavar="FILE")

    p = command("count", cmd_count, "count pathways exactly")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--minimal", action="store_true", help="count only minimal pathways")
    p.add_argument("--breakdown", action="store_true", help="also by total credits, per group and per unit")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--limit", type=positive_int, help="stop a fallback enumeration after N pathways")
    p.add_argument("--timeout", type=seconds, default=60.0, help="seconds a fallback count may take (60)")
    units_options(p)

    p = command("enumerate", cmd_enumerate, "stream pathways in the documented order")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--minimal", action="store_true", help="only minimal pathways")
    p.add_argument("--limit", type=positive_int, default=1000, help="stop after N pathways (1000; 0 = none)")
    p.add_argument("--timeout", type=seconds, default=60.0, help="stop after this many seconds (60)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    units_options(p)

    p = command("sample", cmd_sample, "pathways drawn uniformly at random (every pathway equally likely)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-n", type=positive_int, default=10, help="how many to draw (10), with repetition")
    p.add_argument("--seed", type=int, default=None, help="repeat a draw exactly")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    units_options(p)

    p = command("cheapest", cmd_cheapest, "the proven cheapest pathways, their ties and runners-up")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--by", default=None, help=_CHEAPEST)
    p.add_argument("--top", type=positive_int, default=1, help="how many pathways to show (1)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=60.0, help="seconds a fallback search may take (60)")
    p.add_argument("--no-ties", action="store_true",
                   help="skip counting the pathways that tie where that costs more than the optimum "
                        "(thousands of units); ties then show as not counted")
    units_options(p)

    p = command("report", cmd_report, "the one-page summary: achievable, pathways, cheapest, forced units "
                "(cheapest by credits then units, and by units then credits; exit 3 when undecided)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=60.0,
                   help="seconds the whole report may take (60); a step cut short says partial")
