"""The ``studio`` command of the ``qualpath`` command line: the browser workspace.

:func:`register` adds it to the main parser's sub-commands. The web stack (Starlette,
uvicorn, ruamel.yaml) is imported inside the command only, so every other command, and
``qualpath --help``, starts as fast as before. Exit codes: 0 stopped, 2 usage errors.

Examples
--------
>>> import argparse
>>> parser = argparse.ArgumentParser(prog="qualpath")
>>> register(parser.add_subparsers(dest="command"))
>>> args = parser.parse_args(["studio", "--no-browser", "--port", "8765"])
>>> args.func is cmd_studio, args.folder, args.port, args.host
(True, None, 8765, '127.0.0.1')
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .common import positive_int, seconds

__all__ = ["cmd_studio", "register"]


def cmd_studio(args: argparse.Namespace) -> int:
    """``qualpath studio [FOLDER]``: serve the studio and open the browser on it."""
    from ..studio.server import serve

    serve(Path(args.folder) if args.folder else None, host=args.host, port=args.port,
          allow_remote=args.allow_remote, open_browser=not args.no_browser, timeout=args.timeout)
    return 0


def register(subparsers: Any) -> None:
    """Add the ``studio`` command to ``subparsers`` (from ``add_subparsers``)."""
    text = "a browser workspace: edit structures in forms or YAML, see every answer live, compare, audit, export"
    p = subparsers.add_parser("studio", help=text, description=text)
    p.set_defaults(func=cmd_studio)
    p.add_argument("folder", nargs="?", metavar="FOLDER",
                   help="the folder of rule files to work on (default: a copy of the bundled structures)")
    p.add_argument("--port", type=positive_int, default=0, help="port to listen on (default: a free one)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (127.0.0.1; any other needs --allow-remote)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow an address other machines can reach; requests then need the printed token")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.add_argument("--timeout", type=seconds, default=10.0,
                   help="seconds each fallback count or long answer may take (10)")
