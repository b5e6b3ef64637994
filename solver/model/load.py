"""Load rule files: YAML text to a checked, immutable :class:`~solver.model.Qualification`.

Loading is safe (PyYAML's ``SafeLoader`` composes nodes; nothing is ever
constructed from tags), bounded (file size, nesting depth and alias
expansion are capped) and complete (every problem in a file is reported in
one :class:`~solver.model.errors.RuleSetError`).

Examples
--------
>>> from pathlib import Path
>>> q = load_qualification(bundled_rules() / "ocr-l2-nvq-customer-service.yaml")
>>> q.id, len(q.unit_ids())
('OCR-NVQ2-CS', 8)
"""

from __future__ import annotations

import dataclasses
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from . import structure as model
from .decode import BAD, MAX_UNITS, Decoder
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
#: Paths longer than this are shortened in messages.
_LONGEST_SHOWN_PATH = 400
_UNIT_ENTRY = re.compile(r"units\[\d+\](?:\.id)?")


class _NodeLoader(yaml.SafeLoader):
    """SafeLoader that only composes, with a nesting limit."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > _MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise yaml.MarkedYAMLError(problem=f"_depth:{_MAX_DEPTH}", problem_mark=mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def bundled_rules() -> Path:
    """Return the folder of structures that ship with qualpath (the repository's ``rules/``)."""
    package = Path(__file__).resolve().parent.parent  # solver/
    for candidate in (package.parent / "rules", package / "_rules"):
        if candidate.is_dir():
            return candidate
    raise UsageError("the bundled rules folder is missing from this installation")


def find_structure(name: str | Path) -> Path:
    """Return a path as given, or the bundled structure of that name.

    ``diploma`` finds ``rules/l2-diploma-customer-service.yaml`` when the name is unambiguous.
    """
    path = Path(name)
    if len(str(name)) > _LONGEST_SHOWN_PATH or path.exists() or path.suffix in (".yaml", ".yml") or "/" in str(name):
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


def _one(file: str, message: str) -> RuleSetError:
    return RuleSetError([RuleError(Location(file=file), message)])


def _read(path: Path) -> str:
    shown = _shown(path)
    try:
        data = _read_regular_file(path, shown)
    except IsADirectoryError:
        raise _one(shown, "found a folder; expected a YAML file") from None
    except FileNotFoundError:
        raise _one(shown, "found no such file; expected a YAML rule file") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise _one(shown, f"found a path of {len(str(path)):,} characters, longer than the system "
                       "allows; expected a shorter path") from None
        why = f"found a file that cannot be read ({exc.strerror}); expected a readable file"
        raise _one(shown, why) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RuleSetError([RuleError(Location(file=shown, line=line, column=column),
                                      f"found the byte 0x{data[exc.start]:02x}, which is not UTF-8; "
                                      "expected a UTF-8 text file (save it as UTF-8)")]) from None


def _read_regular_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`, refusing anything else.

    Opened without blocking, so a FIFO is refused instead of waiting for a writer;
    checked on the open descriptor, so what is read is what was checked; and read
    at most one byte past the limit, so ``/dev/zero`` or a growing file cannot
    fill memory.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        if not stat.S_ISREG(mode):
            raise _one(shown, f"found {_file_type(mode)}; expected a regular YAML file")
        size = os.fstat(fd).st_size
        if size <= MAX_FILE_BYTES:
            data = handle.read(MAX_FILE_BYTES + 1)
            size = max(size, len(data))
        if size > MAX_FILE_BYTES:
            raise _one(shown, f"found a file of {size:,} bytes; expected "
                       f"at most {MAX_FILE_BYTES:,} bytes (split it into libraries)")
    return data


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the system, for one
        return False


def _file_type(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something that is not a file"


def _shown(path: Path) -> str:
    """A path for messages, cut short when absurdly long (it is repeated on every line)."""
    text = str(path)
    if len(text) <= _LONGEST_SHOWN_PATH:
        return text
    return f"{text[:60]}...{text[-20:]}"


def _compose(text: str, file: str) -> yaml.Node | None:
    done, node = _compose_with_libyaml(text)
    if done:
        return node
    try:
        loader = _NodeLoader(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, found on reading
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise RuleSetError([RuleError(Location(file=file, line=line, column=column),
                                      f"found the control character U+{exc.character:04X}; "
                                      "expected printable text")]) from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark, message = _syntax_problem(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleSetError([RuleError(Location(file=file, line=line, column=column), message)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors when parsing
        raise RuleSetError([RuleError(Location(file=file, line=1, column=1),
                                      f"YAML syntax error: {exc}")]) from None
    except RecursionError:  # pragma: no cover - the depth limit comes first
        raise RuleSetError([RuleError(Location(file=file, line=1, column=1),
                                      "found nesting too deep to read; expected a rule file")]) from None
    finally:
        loader.dispose()


def _compose_with_libyaml(text: str) -> tuple[bool, yaml.Node | None]:
    """Whether libyaml composed the text (ten times faster than PyYAML's own parser), and the node tree.

    Not done means "ask PyYAML": libyaml is not installed, the text is nested
    deeper than :data:`_MAX_DEPTH` (libyaml composes recursively in C, so depth is
    counted on its events first), or it is not valid YAML. PyYAML then reads the
    file again and reports the problem in the words pinned by the tests.
    """
    loader_class = getattr(yaml, "CSafeLoader", None)
    if loader_class is None:  # pragma: no cover - PyYAML built without libyaml
        return False, None
    opened = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closed = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        depth = 0
        for event in yaml.parse(text, Loader=loader_class):
            if isinstance(event, opened):
                depth += 1
                if depth > _MAX_DEPTH:
                    return False, None
            elif isinstance(event, closed):
                depth -= 1
        loader = loader_class(text)
        try:
            node: yaml.Node | None = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return False, None
    _plain_style_is_none(node)
    return True, node


def _plain_style_is_none(root: yaml.Node | None) -> None:
    """Give plain scalars style ``None`` as PyYAML does (libyaml gives ``''``); the decoder tests for ``None``."""
    stack = [root] if root is not None else []
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias: the same node again
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.style == "":
                node.style = None
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


_TOKENS = {
    "<block mapping start>": "a key",
    "?": "a key",
    "<block sequence start>": "a list item",
    "-": "a list item",
    "<scalar>": "a value",
    "<stream end>": "the end of the file",
    "<block end>": "the end of a block",
}


def _token(found: str) -> str:
    found = found.strip().strip("'")
    return _TOKENS.get(found, repr(found))


def _syntax_problem(exc: yaml.MarkedYAMLError) -> tuple[Any, str]:
    """Say what PyYAML found and what it expected, in a handbook writer's words."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    at, start = exc.problem_mark, exc.context_mark
    if problem.startswith("_depth:"):
        limit = problem.split(":", 1)[1]
        return at, f"found lists or mappings nested more than {limit} levels deep; expected a shallower file"
    if problem == "found unexpected end of stream" and "quoted scalar" in context:
        return start or at, ("YAML syntax error: found quoted text with no closing quote; "
                             "expected a closing quote")
    return at, f"YAML syntax error: {_syntax_words(problem, context, start)}"


def _syntax_words(problem: str, context: str, start: Any) -> str:
    since = f" (opened at line {start.line + 1})" if start else ""
    if "cannot start any token" in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
        if char == "\\t":
            return "found a tab; expected spaces (YAML does not allow tabs for indentation)"
        return f"found {char!r}, which cannot start a value; expected it inside quotes"
    if problem == "mapping values are not allowed here":
        return ("found ':' where no key can start; expected quotes around a value that "
                    "contains ': ', or a key on its own line")
    if problem.startswith("expected <block end>, but found"):
        found = _token(problem.split("but found", 1)[1])
        return (f"found {found} that does not line up with the lines above{since}; "
                    "expected the same indentation as its neighbours")
    if problem.startswith("expected ',' or"):
        close = problem[len("expected ',' or '")]
        what = "list" if close == "]" else "mapping"
        found = _token(problem.split("but got", 1)[1])
        hint = " (or quotes around a value that contains ': ')" if found == "':'" else ""
        return f"found {found} in a [...] {what}{since}; expected ',' or {close!r}{hint}".replace(
            "[...] mapping", "{...} mapping")
    if problem.startswith("found undefined alias"):
        name = problem.split("'")[1]
        return (f"found the alias *{name} with no anchor &{name} before it; "
                    "expected an anchor defined earlier")
    if context.startswith("found duplicate anchor"):
        name = context.split("'")[1]
        first = f" (first at line {start.line + 1})" if start else ""
        return f"found the anchor &{name} a second time{first}; expected each anchor name once"
    if context == "expected a single document in the stream":
        return "found a second document (after '---'); expected one document per file"
    if problem.startswith("found unknown escape character"):
        return (f"{problem} in double-quoted text; expected a valid escape "
                    "(write \\\\ for a backslash, or use single quotes)")
    words = problem if problem.startswith(("found", "expected")) else f"found {problem}"
    return words + (f" {context}" if context else "")


def _decode(path: Path, classes: dict[str, type]) -> tuple[Any, Decoder]:
    file = _shown(path)
    node = _compose(_read(path), file)
    decoder = Decoder(file)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 4 * _MAX_DEPTH + 200))
    try:
        value = decoder.document(node, classes)
    finally:
        sys.setrecursionlimit(limit)
    return value, decoder


def _library(path: Path) -> tuple[model.Library | None, list[RuleError], set[str]]:
    """Read a library: its model (``None`` when its unit ids cannot all be known) and its problems."""
    try:
        value, decoder = _decode(path, {"library": model.Library, "qualification": model.Qualification})
    except RuleSetError as exc:
        return None, list(exc.errors), set()
    errors = list(decoder.errors)
    broken = {f"{path}#{p}" for p in decoder.broken}
    if isinstance(value, model.Qualification):
        errors.append(RuleError(value.loc.child("kind"), "found kind 'qualification'; expected kind "
                                "'library' (a file of units that qualifications list under 'library:')"))
        return None, errors, broken
    if value is BAD or decoder.overflowed or "units" in decoder.broken:
        return None, errors, broken
    if any(_UNIT_ENTRY.fullmatch(p) for p in decoder.broken):
        return None, errors, broken  # some unit's id is unknown, so references to it cannot be checked
    return value, errors, broken


def load_library(path: str | Path) -> model.Library:
    """Load a shared unit library file (``kind: library``).

    Raises
    ------
    RuleSetError
        With every problem found in the file.
    """
    library, errors, _broken = _library(Path(path))
    if errors or library is None:
        raise RuleSetError(errors)
    return library


def parse_qualification(path: str | Path) -> model.Qualification:
    """Decode and validate a qualification file, resolving its unit libraries.

    Same as :func:`load_qualification`; kept as the name the pipeline stage uses.
    """
    path = Path(path)
    value, decoder = _decode(path, {"qualification": model.Qualification, "library": model.Library})
    errors = list(decoder.errors)
    if isinstance(value, model.Library):
        errors.append(RuleError(value.loc.child("kind"), "found kind 'library'; expected kind "
                                "'qualification' (check a library through a qualification that lists "
                                "it under 'library:')"))
        value = BAD
    if value is BAD or decoder.overflowed:
        raise RuleSetError(errors)
    qualification: model.Qualification = value
    broken = set(decoder.broken)
    library_units: list[model.Unit] = []
    for i, name in enumerate(qualification.library):
        where = decoder.sources.get(f"library[{i}]", qualification.loc).child(f"library[{i}]")
        lib_path = path.parent / name
        if len(name) > _LONGEST_SHOWN_PATH:
            errors.append(RuleError(where, f"found a library path of {len(name):,} characters; expected "
                                    f"at most {_LONGEST_SHOWN_PATH} (a file name next to {path.name})"))
            broken.add("units")
            continue
        if not _is_file(lib_path):
            errors.append(RuleError(where, f"found no file {name!r} next to {path.name}; "
                                    "expected a library file (paths are relative to this file)"))
            broken.add("units")
            continue
        library, found, lib_broken = _library(lib_path)
        errors.extend(found)
        broken |= lib_broken
        if library is None:
            broken.add("units")
        else:
            library_units.extend(library.units)
    qualification = dataclasses.replace(qualification, units=qualification.units + tuple(library_units))
    if len(qualification.units) > MAX_UNITS:
        raise RuleSetError([*errors, RuleError(decoder.sources.get("library", qualification.loc).child("library"),
                                               f"found {len(qualification.units):,} units with the libraries'; "
                                               f"expected at most {MAX_UNITS:,} (the limit of one structure)")])
    object.__setattr__(qualification, "_sources", decoder.sources)
    errors.extend(validate(qualification, sources=decoder.sources, broken=broken))
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
