"""The ``qualpath`` command line: the parser of every command family, and the exit codes.

Every command takes rule files by path or bundled structures by name
(``qualpath report diploma``). Exit codes: 0 success, 1 a rule file is bad or
a structure cannot be achieved, 2 usage errors, 3 undecided within ``--timeout``,
130 interrupted. Bad input never shows a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..model.errors import QualificationError, RuleSetError, UsageError
from . import answers, audit, design, draw, handbook, schema, studio

__all__ = ["build_parser", "installed_version", "main"]

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

"cheapest" means fewest credits and, among those, fewest units (units alone when
the rules count no credits), in report, cheapest and draw --highlight cheapest.

exit codes:
  0    fine
  1    a rule file is bad, a structure cannot be achieved, or a lint finding
       at or above --fail-on
  2    usage error
  3    undecided: not known within --timeout whether the structure can be
       achieved (check, report, cheapest, audit); never read as "cannot"
  130  interrupted
"""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="qualpath",
        description="Check, count, optimise and explain the pathways of qualification rules of combination.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action=_Version, help="show the installed version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    answers.register(sub)
    design.register(sub)
    audit.register(sub)
    draw.register(sub)
    handbook.register(sub)
    schema.register(sub)
    studio.register(sub)
    return parser


class _Version(argparse.Action):
    """``--version``: reads the installed distribution's metadata only when asked (startup stays fast)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        print(f"{parser.prog} {installed_version()}")
        parser.exit()


def installed_version() -> str:
    """The version of the installed ``qualpath`` distribution (``unknown`` when run from a bare checkout)."""
    from importlib import metadata  # only for --version: the rest of startup never needs it

    try:
        return metadata.version("qualpath")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


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
