"""The ``qualpath`` command line.

Every command takes rule files by path or bundled structures by name
(``qualpath report diploma``). Exit codes: 0 success, 1 a rule file is bad or
a structure cannot be achieved, 2 usage errors, 130 interrupted. Bad input
never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from .errors import QualificationError, RuleSetError, UsageError

__all__ = ["main"]

EPILOG = """\
Structures are YAML rule files (see rules/README.md); a bare name such as
'diploma' or 'nvq' finds a bundled structure in rules/.

examples:
  qualpath report diploma
  qualpath check rules/*.yaml
  qualpath count diploma --json
  qualpath cheapest diploma --by credits,units --top 5
  qualpath enumerate nvq --format csv
  qualpath lint diploma
  qualpath diff old.yaml new.yaml
  qualpath audit diploma --achieved deliver-customer-service understand-customers
  qualpath transfer --from nvq --to diploma --achieved resolve-problems develop-relationships
"""


def _shown(path: Any) -> str:
    """A path as a person would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def _load(name: str) -> Any:
    from .load import find_structure, load_qualification

    path = find_structure(name)
    return load_qualification(path), _shown(path)


def _units(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for value in values or ():
        out.extend(v for v in value.replace(",", " ").split() if v)
    return out


def _out(text: str, stream: TextIO | None = None) -> None:
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


# -- commands ------------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    from .feasible import check_feasible
    from .load import find_structure, load_qualification
    from .report import dumps
    from .summary import exact_feasible

    status = 0
    reports: list[dict[str, Any]] = []
    for name in args.files:
        path = find_structure(name)
        if path.is_absolute():
            path = type(path)(_shown(path))
        try:
            q = load_qualification(path)
        except RuleSetError as exc:
            status = 1
            reports.append({"file": str(path), "valid": False, "achievable": None,
                            "problems": [{"file": e.location.file, "line": e.location.line,
                                          "column": e.location.column, "path": e.location.path,
                                          "message": e.message} for e in exc.errors]})
            if not args.json:
                _out(str(exc))
            continue
        feasibility = check_feasible(q, is_feasible=exact_feasible)
        reports.append({"file": str(path), "valid": True, "qualification": q.id,
                        "achievable": feasibility.feasible, "feasibility": feasibility.to_dict()})
        if feasibility.feasible:
            if not args.json:
                _out(f"{path}: ok: {q.id} is valid and can be achieved")
        else:
            status = 1
            if not args.json:
                _out(f"{path}: {q.id} is valid but cannot be achieved: these rules cannot all hold together:")
                for rule in feasibility.conflict:
                    _out(f"  {rule}")
    if args.json:
        _out(dumps(reports[0] if len(reports) == 1 else reports))
    return status


def cmd_explain(args: argparse.Namespace) -> int:
    from .explain import explain

    q, _path = _load(args.file)
    _out(explain(q))
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    from .count import breakdown, count_pathways
    from .report import dumps, format_breakdown, format_count

    q, _path = _load(args.file)
    result = count_pathways(q, minimal=args.minimal, include=_units(args.include), exclude=_units(args.exclude),
                            limit=args.limit, timeout=args.timeout, interruptible=True)
    detail = breakdown(q) if args.breakdown else None
    if args.json:
        data = result.to_dict()
        if detail is not None:
            data["breakdown"] = detail.to_dict()
        _out(dumps(data))
    else:
        _out(format_count(result))
        if detail is not None:
            _out(format_breakdown(q, detail))
    return 0


def cmd_enumerate(args: argparse.Namespace) -> int:
    from .enumerate import iter_pathways
    from .report import PathwayLines, pathway_csv_header, pathway_csv_row

    q, _path = _load(args.file)
    line = PathwayLines()
    started = time.monotonic()
    stream = sys.stdout
    if args.format == "csv":
        stream.write(",".join(pathway_csv_header()) + "\n")
    n = 0
    for n, pathway in enumerate(iter_pathways(q, minimal=args.minimal, include=_units(args.include),
                                              exclude=_units(args.exclude), limit=args.limit,
                                              timeout=args.timeout), 1):
        if args.format == "csv":
            stream.write(pathway_csv_row(n, pathway))
        else:
            stream.write(line(pathway) + "\n")
    stopped_by_time = args.timeout is not None and time.monotonic() - started >= args.timeout
    if args.limit is not None and n >= args.limit:
        print(f"qualpath: stopped after --limit {args.limit} pathways (there may be more)", file=sys.stderr)
    elif stopped_by_time:
        print(f"qualpath: stopped at --timeout {args.timeout:g}s after {n:,} pathways (there are more)",
              file=sys.stderr)
    return 0


def cmd_cheapest(args: argparse.Namespace) -> int:
    from .optimise import cheapest_pathways
    from .report import dumps, format_optimum

    q, _path = _load(args.file)
    result = cheapest_pathways(q, by=args.by, top=args.top, include=_units(args.include),
                               exclude=_units(args.exclude), timeout=args.timeout, count_ties=not args.no_ties)
    _out(dumps(result.to_dict()) if args.json else format_optimum(q, result))
    return 0 if result.optimum is not None else 1


def cmd_report(args: argparse.Namespace) -> int:
    from .report import dumps, format_summary
    from .summary import summarise

    q, path = _load(args.file)
    summary = summarise(q, timeout=args.timeout)
    _out(dumps(summary.to_dict()) if args.json else format_summary(summary, path))
    return 0 if summary.feasibility.feasible else 1


# -- parser --------------------------------------------------------------------------------------
def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, found {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, found {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, found {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="qualpath",
        description="Check, count, optimise and explain the pathways of qualification rules of combination.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    def units_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--include", nargs="+", metavar="UNIT", help="units every pathway must hold")
        p.add_argument("--exclude", nargs="+", metavar="UNIT", help="units no pathway may hold")

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
    p.add_argument("--limit", type=_positive_int, help="stop a fallback enumeration after N pathways")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds a fallback count may take (60)")
    units_options(p)

    p = command("enumerate", cmd_enumerate, "stream pathways in the documented order")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--minimal", action="store_true", help="only minimal pathways")
    p.add_argument("--limit", type=_positive_int, default=1000, help="stop after N pathways (1000; 0 = none)")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="stop after this many seconds (60)")
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    units_options(p)

    p = command("cheapest", cmd_cheapest, "the proven cheapest pathways, their ties and runners-up")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--by", default="credits", help="criteria, lexicographic: credits, units, glh, fee, hours")
    p.add_argument("--top", type=_positive_int, default=1, help="how many pathways to show (1)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds a fallback search may take (60)")
    p.add_argument("--no-ties", action="store_true",
                   help="skip counting the pathways that tie where that costs more than the optimum "
                        "(thousands of units); ties then show as not counted")
    units_options(p)

    from .cli_analysis import register as register_analysis
    from .cli_draw import register as register_draw
    from .cli_learners import register as register_learners

    register_analysis(sub)
    register_learners(sub)
    register_draw(sub)

    p = command("report", cmd_report, "the one-page summary: achievable, pathways, cheapest, forced units")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=_seconds, default=60.0, help="seconds each fallback step may take (60)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    if getattr(args, "limit", None) == 0 and args.command == "enumerate":
        args.limit = None
    try:
        return int(args.func(args))
    except RuleSetError as exc:
        print(exc, file=sys.stderr)
        return 1
    except UsageError as exc:
        print(f"qualpath: {exc}", file=sys.stderr)
        return 2
    except QualificationError as exc:
        print(f"qualpath: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("qualpath: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); silence the flush at exit too
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
