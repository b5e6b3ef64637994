"""What every command family of the command line shares: loading by name, ids, output, option types."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

__all__ = ["load_path", "load_structure", "positive_int", "say", "seconds", "shown", "unit_ids"]


def shown(path: Any) -> str:
    """A path as a person would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def load_path(name: str) -> tuple[Any, Path]:
    """The structure a command names (a path or a bundled name) and the path it came from."""
    from ..model.load import find_structure, load_qualification

    path = find_structure(name)
    return load_qualification(path), path


def load_structure(name: str) -> tuple[Any, str]:
    """The structure a command names and its path as a person would type it."""
    q, path = load_path(name)
    return q, shown(path)


def unit_ids(values: Sequence[str] | None) -> list[str]:
    """Unit ids from command-line values."""
    out: list[str] = []
    for value in values or ():
        out.extend(v for v in value.replace(",", " ").split() if v)
    return out


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` with exactly one final newline."""
    (stream or sys.stdout).write(text if text.endswith("\n") else text + "\n")


def positive_int(text: str) -> int:
    """An argparse type: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, found {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, found {value}")
    return value


def seconds(text: str) -> float:
    """An argparse type: a positive number of seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, found {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, found {text!r}")
    return value
