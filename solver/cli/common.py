"""What every command family of the command line shares: loading by name, ids, output, option types."""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

__all__ = [
    "PROGRESS_DELAY", "load_path", "load_structure", "positive_int", "progress_bar", "say", "seconds",
    "show_progress", "shown", "unit_ids",
]

#: Seconds of work before a progress bar appears (quick answers never show one).
PROGRESS_DELAY = 1.0


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


def unit_ids(values: Sequence[str] | None, known: Collection[str], *, where: str, option: str,
             files: Sequence[str] | None = None) -> list[str]:
    """Unit ids from command-line values and id files, each checked against ``known``.

    Each value is one whole id, spaces and all (``--achieved "SHC 31" "CMH 301"``). For
    scripts written when values were split at commas, a value that is not an id but
    whose comma-separated parts all are is read as those ids (``--achieved a,b``); an id
    that itself holds a comma always wins. Each file (``--achieved-file``) holds one id
    per line; blank lines are skipped.

    Raises
    ------
    UnknownUnitError
        For an id not in ``known``, with the closest known id (exit 1).
    QualificationError
        For an id file that cannot be read, located by line.
    """
    from ..model.errors import UnknownUnitError

    pool = known if isinstance(known, (set, frozenset, dict)) else frozenset(known)
    out: list[str] = []
    for value in values or ():
        if value in pool:
            out.append(value)
            continue
        parts = [p.strip() for p in value.split(",")]
        if len(parts) > 1 and all(p in pool for p in parts if p) and any(parts):
            out.extend(p for p in parts if p)
            continue
        hint = f" (given to {option})"
        words = value.split()
        if len(words) > 1 and all(w in pool for w in words):
            hint = f" (given to {option}; each id is one argument: quote ids with spaces, separate ids by spaces)"
        raise UnknownUnitError(value, pool, where=where, hint=hint)
    for name in files or ():
        for line, uid in _id_lines(name):
            if uid not in pool:
                raise UnknownUnitError(uid, pool, where=where, hint=f" ({name}:{line})")
            out.append(uid)
    return out


def _id_lines(name: str) -> list[tuple[int, str]]:
    """The ids of an id file with their line numbers (one id per line, blank lines skipped)."""
    from ..model.errors import QualificationError, UsageError

    path = Path(name)
    try:
        data = path.read_bytes() if path.is_file() else None
    except OSError as exc:
        raise QualificationError(f"{name}: cannot read the file ({exc.strerror}); expected a readable text "
                                 "file of unit ids") from None
    if data is None:
        raise UsageError(f"no unit id file {name}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise QualificationError(f"{name}:{line}: found the byte 0x{data[exc.start]:02x}, which is not UTF-8; "
                                 "expected a UTF-8 text file of unit ids, one a line") from None
    return [(i, s.strip()) for i, s in enumerate(text.splitlines(), 1) if s.strip()]


def show_progress(*, json: bool = False, output_on_terminal: bool = False) -> bool:
    """Whether to draw progress bars: for a person watching stderr, never on a pipe or with ``--json``.

    ``output_on_terminal`` is for commands whose results stream to stdout: when that
    is the terminal too, the results themselves show the progress.
    """
    if json or not sys.stderr.isatty():
        return False
    return not (output_on_terminal and sys.stdout.isatty())


@contextmanager
def progress_bar(desc: str, *, unit: str, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A tqdm bar on stderr, shown after :data:`PROGRESS_DELAY` seconds and erased at the end.

    Yields a callback taking how many items are done so far (library functions take it
    as ``progress=``). Where no count comes (a long diff), the elapsed time still moves.
    """
    if not enabled:
        yield _ignore
        return
    from tqdm import tqdm

    bar = tqdm(desc=desc, unit=unit, delay=PROGRESS_DELAY, file=sys.stderr, leave=False, unit_scale=True,
               dynamic_ncols=True)
    started = time.monotonic()
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(0.5):
            if time.monotonic() - started >= PROGRESS_DELAY:
                bar.refresh()

    ticker = threading.Thread(target=tick, name="qualpath-progress", daemon=True)
    ticker.start()
    def update(done: int) -> None:
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        stop.set()
        ticker.join()
        bar.close()


def _ignore(done: int) -> None:
    """A progress callback that shows nothing."""


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
