"""The ``lint`` and ``diff`` commands of the ``qualpath`` command line.

:func:`register` adds both to the main parser's sub-commands. Exit codes:
``lint`` 0 when no finding is at least as serious as ``--fail-on``
(default ``warning``), else 1; ``diff`` 0.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from .errors import UsageError

__all__ = ["cmd_diff", "cmd_lint", "register"]


def _out(text: str) -> None:
    from .cli import _out as out

    out(text)


def _load(name: str) -> tuple[Any, str]:
    from .cli import _load as load

    result: tuple[Any, str] = load(name)
    return result


def cmd_lint(args: argparse.Namespace) -> int:
    """``qualpath lint FILE...``: findings about each structure."""
    from .lint import format_lint, lint
    from .report import dumps

    failed = False
    reports = []
    texts = []
    for name in args.files:
        q, path = _load(name)
        report = lint(q, severity=args.severity, timeout=args.timeout)
        failed = failed or report.fails(args.fail_on)
        reports.append({"file": path, **report.to_dict()})
        texts.append(format_lint(report, path))
    _out(dumps(reports[0] if len(reports) == 1 else reports) if args.json else "\n\n".join(texts))
    return 1 if failed else 0


def cmd_diff(args: argparse.Namespace) -> int:
    """``qualpath diff OLD NEW``: what changed and what it does."""
    from .diff import diff, format_diff
    from .report import dumps

    old, _old_path = _load(args.old)
    new, _new_path = _load(args.new)
    learners: Any = ()
    if args.learners:
        try:
            reader: Any = importlib.import_module(".learners", __package__)
        except ImportError:
            raise UsageError("--learners needs solver.learners (the learner CSV reader), "
                             "which this installation does not have") from None
        learners = list(reader.iter_learners(args.learners))
    result = diff(old, new, examples=args.examples, timeout=args.timeout, learners=learners)
    _out(dumps(result.to_dict()) if args.json else format_diff(result, old, new))
    return 0


def _seconds_type() -> Any:
    from .cli import _seconds

    return _seconds


def _count_type() -> Any:
    from .cli import _positive_int

    return _positive_int


def register(subparsers: Any) -> None:
    """Add the ``lint`` and ``diff`` commands to ``subparsers`` (from ``add_subparsers``).

    Examples
    --------
    >>> parser = argparse.ArgumentParser(prog="qualpath")
    >>> register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["lint", "diploma", "--fail-on", "error"])
    >>> args.func is cmd_lint, args.fail_on, args.severity
    (True, 'error', 'info')
    """
    severities = ("error", "warning", "info")
    text = "is the structure sound? dead and forced units, redundant rules, declared figures, UK checks"
    p = subparsers.add_parser("lint", help=text, description=text)
    p.set_defaults(func=cmd_lint)
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--severity", choices=severities, default="info",
                   help="show findings at least this serious (info)")
    p.add_argument("--fail-on", choices=severities, default="warning",
                   help="exit 1 when a finding is at least this serious (warning)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=_seconds_type(), default=10.0, help="seconds each fallback count may take (10)")

    text = "what-if: compare two versions of a structure (data changes, pathways lost and gained)"
    p = subparsers.add_parser("diff", help=text, description=text)
    p.set_defaults(func=cmd_diff)
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--examples", type=_count_type(), default=3, help="lost and gained pathways to show (3)")
    p.add_argument("--learners", metavar="FILE",
                   help="CSV of learners' units: who is valid under OLD and not NEW")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=_seconds_type(), default=10.0,
                   help="seconds each fallback enumeration may take (10)")
