"""The ``lint`` and ``diff`` commands of the ``qualpath`` command line.

:func:`register` adds both to the main parser's sub-commands. Exit codes:
``lint`` 0 when no finding is at least as serious as ``--fail-on``
(default ``warning``), else 1; ``diff`` 0.
"""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from ..model.errors import UsageError
from .common import load_structure, positive_int, progress_bar, say, seconds, show_progress

__all__ = ["cmd_diff", "cmd_lint", "register"]


def cmd_lint(args: argparse.Namespace) -> int:
    """``qualpath lint FILE...``: findings about each structure."""
    from ..answers.report import dumps
    from ..design.lint import format_lint, lint

    failed = False
    reports = []
    texts = []
    for name in args.files:
        q, path = load_structure(name)
        report = lint(q, severity=args.severity, timeout=args.timeout)
        failed = failed or report.fails(args.fail_on)
        reports.append({"file": path, **report.to_dict()})
        texts.append(format_lint(report, path))
    say(dumps(reports[0] if len(reports) == 1 else reports) if args.json else "\n\n".join(texts))
    return 1 if failed else 0


def cmd_diff(args: argparse.Namespace) -> int:
    """``qualpath diff OLD NEW``: what changed and what it does."""
    from ..answers.report import dumps
    from ..design.diff import diff, format_diff

    old, _old_path = load_structure(args.old)
    new, _new_path = load_structure(args.new)
    learners: Any = ()
    if args.learners:
        try:
            reader: Any = importlib.import_module(".learners", __package__)
        except ImportError:
            raise UsageError("--learners needs solver.audit.learners (the learner CSV reader), "
                             "which this installation does not have") from None
        learners = list(reader.iter_learners(args.learners))
    with progress_bar("comparing", unit="", enabled=show_progress(json=args.json)):
        result = diff(old, new, examples=args.examples, timeout=args.timeout, learners=learners)
    say(dumps(result.to_dict()) if args.json else format_diff(result, old, new))
    return 0


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
    p.add_argument("--timeout", type=seconds, default=10.0, help="seconds each fallback count may take (10)")

    text = "what-if: compare two versions of a structure (data changes, pathways lost and gained)"
    p = subparsers.add_parser("diff", help=text, description=text)
    p.set_defaults(func=cmd_diff)
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")
    p.add_argument("--examples", type=positive_int, default=3, help="lost and gained pathways to show (3)")
    p.add_argument("--learners", metavar="FILE",
                   help="CSV of learners' units: who is valid under OLD and not NEW")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--timeout", type=seconds, default=10.0,
                   help="seconds each fallback enumeration may take (10)")
