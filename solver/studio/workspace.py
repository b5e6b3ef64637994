r"""The studio's folder of rule files: safe paths, versions, atomic saves, history and conflicts.

Every request names a file by its path relative to the workspace folder. :meth:`Workspace.path`
is the one gate: it refuses absolute paths, ``..``, hidden parts, names that are not YAML,
and anything whose real location (symlinks followed) is outside the folder. A file's version
is a hash of its bytes; a save names the version it was edited from, and a save from an older
version is refused (:class:`Conflict`) with the refused text kept in the history, so two tabs
never overwrite each other silently. Every save and restore first copies the version it
replaces into ``.qualpath-history/`` (beside the files, hidden from the listing).

Examples
--------
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as folder:
...     ws = Workspace(folder)
...     first = ws.create("a.yaml", "kind: qualification\n")
...     second = ws.save("a.yaml", "kind: qualification  # edited\n", version=first)
...     [h.reason for h in ws.history("a.yaml")], ws.read("a.yaml")[1] == second
(['saved'], True)
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..model.errors import QualificationError
from ..model.files import write_bytes_atomic

__all__ = ["HISTORY", "MAX_BYTES", "Conflict", "NotAllowed", "Revision", "Workspace", "version_of"]

#: The largest rule file the studio reads or writes (the loader's own limit).
MAX_BYTES = 5 * 1024 * 1024
#: The hidden folder of earlier versions, inside the workspace.
HISTORY = ".qualpath-history"
_SUFFIXES = (".yaml", ".yml")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\- ]*")


class NotAllowed(QualificationError):
    """A request for a file the studio may not touch (outside the folder, not YAML, too big)."""


class NotFound(QualificationError):
    """No such rule file (or history entry) in the workspace."""


class Conflict(QualificationError):
    """A save from a version that is no longer the file's current one."""

    def __init__(self, message: str, *, current: str, kept_as: str) -> None:
        super().__init__(message)
        self.current = current
        self.kept_as = kept_as


@dataclass(frozen=True, slots=True, kw_only=True)
class Revision:
    """One earlier version of a file, kept in the history."""

    id: str
    saved: float
    reason: str
    version: str
    size: int

    def to_dict(self) -> dict[str, object]:
        """JSON-ready."""
        return {"id": self.id, "saved": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.saved)),
                "reason": self.reason, "version": self.version, "size": self.size}


def version_of(data: bytes) -> str:
    """The version tag of a file's bytes (what a save must name to replace it)."""
    return hashlib.sha256(data).hexdigest()[:16]


class Workspace:
    """A folder of rule files that the studio reads and writes, and nothing outside it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve(strict=True)
        if not self.root.is_dir():
            raise NotAllowed(f"{root}: not a folder")

    # -- the one gate --------------------------------------------------------------------------------
    def path(self, name: str) -> Path:
        """The real path of the rule file ``name`` (relative, POSIX), or :class:`NotAllowed`."""
        if not name or "\x00" in name or "\\" in name or len(name) > 400:
            raise NotAllowed(f"{name!r}: not a rule file name")
        pure = PurePosixPath(name)
        if pure.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
            raise NotAllowed(f"{name}: paths must stay inside the workspace (no '..', no absolute paths)")
        if not all(_NAME.fullmatch(part) for part in pure.parts):
            raise NotAllowed(f"{name}: names may hold letters, digits, spaces, '.', '_' and '-', "
                             "and may not start with '.'")
        if pure.suffix.lower() not in _SUFFIXES:
            raise NotAllowed(f"{name}: only YAML rule files (.yaml, .yml) can be opened")
        path = self.root.joinpath(*pure.parts)
        real = path.resolve()
        if not real.is_relative_to(self.root):
            raise NotAllowed(f"{name}: leads outside the workspace (a symbolic link); refused")
        return path

    def name(self, path: Path) -> str:
        """The workspace name of a real path inside it."""
        return path.relative_to(self.root).as_posix()

    # -- reading -------------------------------------------------------------------------------------
    def files(self) -> list[str]:
        """Every rule file in the folder (history and hidden folders left out), sorted."""
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for file in filenames:
                path = Path(dirpath) / file
                if file.startswith(".") or path.suffix.lower() not in _SUFFIXES:
                    continue
                try:
                    found.append(self.name(self.path(self.name(path))))
                except NotAllowed:
                    continue  # a link out of the folder: not shown, never read
        return sorted(found)

    def read_bytes(self, name: str) -> bytes:
        """The bytes of a rule file (at most :data:`MAX_BYTES`)."""
        path = self.path(name)
        if not path.is_file():
            raise NotFound(f"{name}: no such rule file in the workspace")
        if path.stat().st_size > MAX_BYTES:
            raise NotAllowed(f"{name}: larger than {MAX_BYTES:,} bytes; the studio opens smaller files")
        return path.read_bytes()

    def read(self, name: str) -> tuple[str, str]:
        """The text of a rule file and its version."""
        data = self.read_bytes(name)
        try:
            return data.decode("utf-8-sig"), version_of(data)
        except UnicodeDecodeError:
            raise NotAllowed(f"{name}: not UTF-8 text") from None

    def version(self, name: str) -> str | None:
        """The current version of a file (``None`` when it does not exist)."""
        path = self.path(name)
        return version_of(path.read_bytes()) if path.is_file() else None

    # -- writing -------------------------------------------------------------------------------------
    @staticmethod
    def _encode(name: str, text: str) -> bytes:
        data = text.encode("utf-8")
        if len(data) > MAX_BYTES:
            raise NotAllowed(f"{name}: {len(data):,} bytes is more than the {MAX_BYTES:,} a rule file may hold")
        return data

    def _keep(self, name: str, data: bytes, reason: str) -> str:
        folder = self.root / HISTORY / name
        folder.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        rid = f"{stamp}-{time.time_ns() % 1_000_000_000:09d}-{reason}-{version_of(data)}"
        write_bytes_atomic(folder / f"{rid}.yaml", data, durable=True)
        return rid

    def save(self, name: str, text: str, *, version: str | None) -> str:
        """Replace the file's text atomically, keeping the version it replaces; returns the new version.

        ``version`` is the version the text was edited from (``None`` for a new file). When the file
        has changed since, nothing is overwritten: the refused text goes to the history and
        :class:`Conflict` is raised.
        """
        data = self._encode(name, text)
        path = self.path(name)
        current = path.read_bytes() if path.is_file() else None
        current_version = None if current is None else version_of(current)
        if current_version != version:
            kept = self._keep(name, data, "conflict")
            what = "was created" if version is None and current is not None else "changed"
            raise Conflict(f"{name} {what} since you opened it (in another tab or by another person); "
                           "your version was not saved over it but kept in the history as "
                           f"'{kept}'. Reload to see the current version.", current=current_version or "",
                           kept_as=kept)
        if current is not None:
            if current == data:
                return version_of(data)
            self._keep(name, current, "saved")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data, durable=True)
        return version_of(data)

    def create(self, name: str, text: str) -> str:
        """Write a new file; refused when one of that name exists."""
        if self.path(name).exists():
            raise Conflict(f"{name} already exists; choose another name", current=self.version(name) or "",
                           kept_as="")
        return self.save(name, text, version=None)

    def history(self, name: str) -> list[Revision]:
        """Earlier versions of a file, newest first."""
        self.path(name)
        folder = self.root / HISTORY / name
        if not folder.is_dir():
            return []
        out = []
        for item in folder.glob("*.yaml"):
            parts = item.stem.split("-")
            if len(parts) != 4:
                continue
            stat = item.stat()
            out.append(Revision(id=item.stem, saved=stat.st_mtime, reason=parts[2], version=parts[3],
                                size=stat.st_size))
        return sorted(out, key=lambda r: r.id, reverse=True)

    def revision(self, name: str, rid: str) -> str:
        """The text of one history entry."""
        self.path(name)
        if not re.fullmatch(r"[0-9T]+-[0-9]+-[a-z]+-[0-9a-f]+", rid):
            raise NotFound(f"{rid!r}: no such version of {name}")
        item = self.root / HISTORY / name / f"{rid}.yaml"
        if not item.is_file():
            raise NotFound(f"{rid!r}: no such version of {name}")
        return item.read_bytes().decode("utf-8-sig")

    def restore(self, name: str, rid: str, *, version: str | None) -> str:
        """Make a history entry the current text (the replaced text goes to the history too)."""
        return self.save(name, self.revision(name, rid), version=version)

