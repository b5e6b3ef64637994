"""Files written whole or not at all: every output qualpath writes goes through :func:`write_atomic`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a.txt", lambda fh: fh.write("hello")).read_text()
'hello'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["write_atomic", "write_bytes_atomic"]


def write_atomic(path: str | Path, write: Callable[[Any], object], *, binary: bool = False,
                 durable: bool = False) -> Path:
    """Call ``write(handle)`` on a temporary file next to ``path``, then rename it into place.

    Readers never see a half-written file, and a failure leaves the old file as it was. The
    file gets the mode of the one it replaces, or ``0o644``. Text is UTF-8, its newlines written
    as given. With ``durable`` the data is
    flushed to disk before the rename (a saved rule file that must survive a power cut).
    """
    path = Path(path)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            write(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: str | Path, data: bytes, *, durable: bool = False) -> Path:
    """:func:`write_atomic` for bytes already made."""
    return write_atomic(path, lambda handle: handle.write(data), binary=True, durable=durable)
