"""The ``qualpath`` command line (filled in by later stages)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import QualificationError, RuleSetError
from .load import find_structure, load_qualification

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = argparse.ArgumentParser(prog="qualpath")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check")
    check.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    status = 0
    for name in args.files:
        try:
            q = load_qualification(find_structure(name))
        except RuleSetError as exc:
            print(exc)
            status = 1
            continue
        except QualificationError as exc:
            print(f"qualpath: {exc}", file=sys.stderr)
            return 2
        print(f"{name}: ok ({q.id})")
    return status
