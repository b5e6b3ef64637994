"""``qualpath schema``: where the rule language's JSON Schema is, for an editor's ``$schema`` line.

A rule file inside ``rules/`` points at ``schema.json`` beside it; a file anywhere else needs
the installed schema's path (or a copy), which this command prints or writes.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from .common import say

__all__ = ["cmd_schema", "register"]


def cmd_schema(args: argparse.Namespace) -> int:
    """``qualpath schema [--print | -o FILE]``: the installed schema's path, its text, or a copy."""
    from ..model.load import bundled_rules
    from ..model.schema import schema_text

    if args.print:
        say(schema_text())
        return 0
    if args.output:
        target = Path(args.output)
        if target.exists() and not target.is_file():
            raise UsageError(f"{target} exists and is not a file")
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(schema_text(), encoding="utf-8")
        tmp.replace(target)
        say(f"wrote {target}")
        return 0
    path = (bundled_rules() / "schema.json").resolve()
    say(str(path))
    say(f"first line of a rule file elsewhere: # yaml-language-server: $schema={path.as_uri()}")
    return 0


def register(subparsers: Any) -> None:
    """Add ``schema`` to ``subparsers`` (from ``add_subparsers``)."""
    text = "where the rule language's JSON Schema is (for an editor's $schema line), or print or copy it"
    p = subparsers.add_parser("schema", help=text, description=text)
    group = p.add_mutually_exclusive_group()
    group.add_argument("--print", action="store_true", help="print the schema itself")
    group.add_argument("-o", "--output", metavar="FILE", help="write a copy of the schema to FILE")
    p.set_defaults(func=cmd_schema)
