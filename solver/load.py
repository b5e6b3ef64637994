"""Load rule files: YAML text to a checked, immutable :class:`~solver.model.Qualification`.

Loading is safe (PyYAML's ``SafeLoader`` composes nodes; nothing is ever
constructed from tags), bounded (file size, nesting depth and alias
expansion are capped) and complete (every problem in a file is reported in
one :class:`~solver.errors.RuleSetError`).

Examples
--------
>>> from pathlib import Path
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> q.id, len(q.unit_ids())
('OCR-NVQ2-CS', 8)
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from . import model
from .decode import BAD, Decoder
from .errors import Location, RuleError, RuleSetError, UsageError
from .validate import validate

__all__ = [
    "MAX_FILE_BYTES",
    "bundled_rules",
    "find_structure",
    "load_folder",
    "load_library",
    "load_qualification",
    "parse_qualification",
]

#: Rule files larger than this are refused before parsing.
MAX_FILE_BYTES = 5 * 1024 * 1024
_MAX_DEPTH = 200


class _NodeLoader(yaml.SafeLoader):
    """SafeLoader that only composes, with a nesting limit."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > _MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.MarkedYAMLError(problem=f"nesting deeper than {_MAX_DEPTH} levels",
                                           problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def bundled_rules() -> Path:
    """The folder of structures that ship with qualpath (the repository's ``rules/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "_rules"):
        if candidate.is_dir():
            return candidate
    raise UsageError("the bundled rules folder is missing from this installation")


def find_structure(name: str | Path) -> Path:
    """A path as given, or the bundled structure of that name (``diploma`` finds
    ``rules/l2-diploma-customer-service.yaml`` when the name is unambiguous)."""
    path = Path(name)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in str(name):
        return path
    folder = bundled_rules()
    exact = folder / f"{name}.yaml"
    if exact.exists():
        return exact
    matches = sorted(p for p in folder.glob("*.yaml") if str(name).lower() in p.stem.lower())
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.stem for p in sorted(folder.glob("*.yaml")))
    if matches:
        raise UsageError(f"{name!r} matches several bundled structures: "
                         + ", ".join(p.stem for p in matches))
    raise UsageError(f"no file or bundled structure called {name!r}; bundled: {names}")


def _read(path: Path) -> str:
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RuleSetError([RuleError(Location(file=shown), f"file is {size:,} bytes; "
                                          f"rule files may be at most {MAX_FILE_BYTES:,} bytes")])
        data = path.read_bytes()
    except IsADirectoryError:
        raise RuleSetError([RuleError(Location(file=shown), "is a folder; expected a YAML file")]) from None
    except FileNotFoundError:
        raise RuleSetError([RuleError(Location(file=shown), "no such file")]) from None
    except OSError as exc:
        raise RuleSetError([RuleError(Location(file=shown), f"cannot be read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RuleSetError([RuleError(Location(file=shown, line=line, column=column),
                                      f"byte 0x{data[exc.start]:02x} is not UTF-8; "
                                      "expected a UTF-8 text file (save it as UTF-8)")]) from None


def _compose(text: str, file: str) -> yaml.Node | None:
    loader = _NodeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or "invalid YAML").strip()
        if "\\t" in problem or "tab" in problem:
            problem += " (YAML does not allow tabs for indentation; use spaces)"
        context = f" {exc.context}" if exc.context and "expected a single document" not in exc.context else ""
        raise RuleSetError([RuleError(Location(file=file, line=line, column=column),
                                      f"YAML syntax error: {problem}{context}")]) from None
    except yaml.YAMLError as exc:
        raise RuleSetError([RuleError(Location(file=file, line=1, column=1),
                                      f"YAML syntax error: {exc}")]) from None
    except RecursionError:
        raise RuleSetError([RuleError(Location(file=file, line=1, column=1),
                                      "nesting is too deep to be a rule file")]) from None
    finally:
        loader.dispose()
    return node


def _decode(path: Path, classes: dict[str, type]) -> tuple[Any, Decoder]:
    file = str(path)
    node = _compose(_read(path), file)
    decoder = Decoder(file)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * _MAX_DEPTH + 200))
    try:
        value = decoder.document(node, classes)
    finally:
        sys.setrecursionlimit(limit)
    return value, decoder


def load_library(path: str | Path) -> model.Library:
    """Load a shared unit library file (``kind: library``).

    Raises
    ------
    RuleSetError
        With every problem found in the file.
    """
    value, decoder = _decode(Path(path), {"library": model.Library, "qualification": model.Qualification})
    if value is not BAD and not isinstance(value, model.Library):
        decoder.errors.append(RuleError(value.loc.child("kind"), "found kind 'qualification'; expected a library"))
    if decoder.errors:
        raise RuleSetError(decoder.errors)
    assert isinstance(value, model.Library)
    return value


def parse_qualification(path: str | Path) -> model.Qualification:
    """Decode and validate a qualification file, resolving its unit libraries.

    Same as :func:`load_qualification`; kept as the name the pipeline stage uses.
    """
    path = Path(path)
    value, decoder = _decode(path, {"qualification": model.Qualification, "library": model.Library})
    errors = list(decoder.errors)
    if value is not BAD and isinstance(value, model.Library):
        errors.append(RuleError(value.loc.child("kind"), "found kind 'library'; expected a qualification "
                                "(load a library with load_library or list it under 'library:')"))
        value = BAD
    if value is BAD:
        raise RuleSetError(errors)
    qualification: model.Qualification = value
    library_units: list[model.Unit] = []
    for i, name in enumerate(qualification.library):
        where = decoder.sources.get(f"library[{i}]", qualification.loc).child(f"library[{i}]")
        lib_path = (path.parent / name)
        if not lib_path.is_file():
            errors.append(RuleError(where, f"library file {name!r} not found next to {path.name}"))
            continue
        try:
            library_units.extend(load_library(lib_path).units)
        except RuleSetError as exc:
            errors.extend(exc.errors)
    qualification = dataclasses.replace(qualification, units=qualification.units + tuple(library_units))
    object.__setattr__(qualification, "_sources", decoder.sources)
    errors.extend(validate(qualification, sources=decoder.sources))
    if errors:
        raise RuleSetError(errors)
    return qualification


def load_qualification(path: str | Path) -> model.Qualification:
    """Load a qualification structure from a YAML rule file.

    Parameters
    ----------
    path
        The rule file. Unit libraries it lists are read relative to it.

    Returns
    -------
    Qualification
        The checked, immutable model. Its units include those from libraries.

    Raises
    ------
    RuleSetError
        Every problem found in the file (and its libraries) at once, each
        with file, line, column and document path.

    Examples
    --------
    >>> q = load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")
    >>> q.min_credits, [g.id for g in q.iter_groups()]
    (Decimal('45'), ['mandatory', 'A', 'B', 'C'])
    """
    return parse_qualification(path)


def load_folder(folder: str | Path) -> tuple[model.Qualification, ...]:
    """Load every qualification in a folder (libraries are read through them), sorted by file name.

    Raises
    ------
    RuleSetError
        With the problems of every file that failed.
    """
    errors: list[RuleError] = []
    found: list[model.Qualification] = []
    for path in _yaml_files(Path(folder)):
        try:
            if _kind_of(path) == "library":
                load_library(path)
                continue
            found.append(load_qualification(path))
        except RuleSetError as exc:
            errors.extend(exc.errors)
    if errors:
        raise RuleSetError(errors)
    return tuple(found)


def _yaml_files(folder: Path) -> Iterable[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def _kind_of(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    for line in head.splitlines():
        if line.startswith("kind:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    return None
