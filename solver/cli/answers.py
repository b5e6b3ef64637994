"""The answer commands of the command line: check, explain, count, enumerate, cheapest and report."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from ..model.errors import RuleSetError
from .common import load_structure, positive_int, progress_bar, say, seconds, show_progress, shown, unit_ids

__all__ = ["cmd_cheapest", "cmd_check", "cmd_count", "cmd_enumerate", "cmd_explain", "cmd_report", "register"]

def _fixed(args: argparse.Namespace, q: Any) -> tuple[list[str], list[str]]:
    """The ``--include`` and ``--exclude`` ids (and their files), each checked against ``q``."""
    known = frozenset(q.unit_ids())
    return (unit_ids(args.include, known, where=q.id, option="--include", files=args.include_file),
            unit_ids(args.exclude, known, where=q.id, option="--exclude", files=args.exclude_file))


def cmd_check(args: argparse.Namespace) -> int:
    """``qualpath check FILE...``: valid? achievable? (exit 0 or 1)."""
    from ..answers.feasible import check_feasible
    from ..answers.report import dumps
    from ..answers.summary import exact_feasible
    from ..model.load import find_structure, load_qualification

    status = 0
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
        feasibility = check_feasible(q, is_feasible=exact_feasible)
        reports.append({"file": str(path), "valid": True, "qualification": q.id,
                        "achievable": feasibility.feasible, "feasibility": feasibility.to_dict()})
        if feasibility.feasible:
            if not args.json:
                say(f"{path}: ok: {q.id} is valid and can be achieved")
        else:
            status = 1
            if not args.json:
                say(f"{path}: {q.id} is valid but cannot be achieved: these rules cannot all hold together:")
                for rule in feasibility.conflict:
                    say(f"  {rule}")
    if args.json:
        say(dumps(reports[0] if len(reports) == 1 else reports))
    return status


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
        print(f"qualpath: stopped at --timeout {args.timeout:g}s after {n:,} pathways (there are more)",
              file=sys.stderr)
    return 0


def cmd_cheapest(args: argparse.Namespace) -> int:
    """``qualpath cheapest FILE``: the proven cheapest pathways, their ties and runners-up."""
    from ..answers.cheapest import cheapest_pathways
    from ..answers.report import dumps, format_optimum

    q, _path = load_structure(args.file)
    include, exclude = _fixed(args, q)
    with progress_bar("finding the cheapest pathways", unit="", enabled=show_progress(json=args.json)):
        result = cheapest_pathways(q, by=args.by, top=args.top, include=include,
                                   exclude=exclude, timeout=args.timeout, count_ties=not args.no_ties)
    say(dumps(result.to_dict()) if args.json else format_optimum(q, result))
    return 0 if result.optimum is not None else 1


def cmd_report(args: argparse.Namespace) -> int:
    """``qualpath report FILE``: the one-page summary."""
    from ..answers.report import dumps, format_summary
    from ..answers.summary import summarise

    q, path = load_structure(args.file)
    with progress_bar("summarising", unit="", enabled=show_progress(json=args.json)):
        summary = summarise(q, timeout=args.timeout)
    say(dumps(summary.to_dict()) if args.json else format_summary(summary, path))
    return 0 if summary.feasibility.feasible else 1


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

    p = command("check", cmd_check, "validate rule files and say whether each can be achieved")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")

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

    p = command("cheapest", cmd_cheapest, "the proven cheapest pathways, their ties and runners-up")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--by", default="credits", help="criteria, lexicographic: credits, units, glh, fee, hours")
    p.add_argument("--top", type=positive_int, default=1, help="how many pathways to show (1)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=60.0, help="seconds a fallback search may take (60)")
    p.add_argument("--no-ties", action="store_true",
                   help="skip counting the pathways that tie where that costs more than the optimum "
                        "(thousands of units); ties then show as not counted")
    units_options(p)

    p = command("report", cmd_report, "the one-page summary: achievable, pathways, cheapest, forced units")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=60.0, help="seconds each fallback step may take (60)")
