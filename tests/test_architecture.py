"""The layout keeps its promises: stages import one way, no cycles, nothing private across modules.

Every module of ``solver/`` and ``viz/`` is parsed with :mod:`ast` (imports inside functions
count too, so a cycle cannot hide in one), and the rules of ``docs/architecture.md`` are
checked on the import graph:

- a stage imports only the stages below it (``model`` <- {``exact``, ``csp``} <- ``answers``
  <- {``design``, ``audit``, ``viz``} <- ``cli``);
- no module imports another that (directly or not) imports it back;
- no ``from .x import _name`` across modules, and no ``module._name`` attribute use;
- only ``solver/csp/`` imports python-constraint; no module of ``solver`` but the command line
  imports ``viz`` or matplotlib.

The checks are tried on small hand-made graphs first, so a walker that finds nothing fails.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: What each stage may import (besides itself).
ALLOWED = {
    "model": set(),
    "exact": {"model"},
    "csp": {"model"},
    "answers": {"model", "exact", "csp"},
    "design": {"model", "exact", "csp", "answers"},
    "handbook": {"model", "answers"},
    "audit": {"model", "exact", "csp", "answers"},
    "viz": {"model", "exact", "csp", "answers", "design", "audit", "handbook"},
    # the studio is a face like the command line; only the command line may start it
    "studio": {"model", "exact", "csp", "answers", "design", "audit", "handbook", "viz"},
    "cli": {"model", "exact", "csp", "answers", "design", "audit", "handbook", "viz", "studio"},
    # the package face (solver/__init__.py, __main__.py) may name everything
    "": {"model", "exact", "csp", "answers", "design", "audit", "handbook", "cli"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def stage(module: str) -> str:
    parts = module.split(".")
    if parts[0] == "viz":
        return "viz"
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else ""


def iter_imports(path: Path) -> Iterator[tuple[str, tuple[str, ...], int]]:
    """(imported module, names taken from it, line) for every import in the file, at any depth."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            folder = ROOT.joinpath(*target.split("."))
            submodules = {a.name for a in node.names
                          if (folder / f"{a.name}.py").exists() or (folder / a.name / "__init__.py").exists()}
            names = tuple(a.name for a in node.names if a.name not in submodules)
            if names:
                yield target, names, node.lineno
            for name in sorted(submodules):  # `from . import tree` imports the module, not the face
                yield f"{target}.{name}", (), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), node.lineno


def ours(name: str) -> bool:
    return name.split(".")[0] in ("solver", "viz")


def modules() -> dict[str, Path]:
    found = {}
    for top in ("solver", "viz"):
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


def resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module an import names (``solver.exact.tree.COUNT`` is in ``solver.exact.tree``)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for target, _names, _line in iter_imports(path):
            if ours(target):
                found = resolve(target, known)
                if found and found != module:
                    edges[module].add(found)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a closed path, or None (networkx's search)."""
    graph = nx.DiGraph([(a, b) for a, targets in edges.items() for b in targets])
    try:
        found = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [a for a, _b in found] + [found[0][0]]


def package_faces(edges: dict[str, set[str]]) -> set[str]:
    """Package ``__init__`` modules: importing one imports what it re-exports, not a cycle of code."""
    return {m for m in edges if (ROOT / Path(*m.split(".")) / "__init__.py").exists()}


# -- the checks are tried on graphs with a known answer first ---------------------------------------
def test_cycle_finder_finds_and_clears() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) in (["a", "b", "c", "a"], ["b", "c", "a", "b"],
                                                              ["c", "a", "b", "c"])
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    code = "def f():\n    from .tree import _plan\n"
    tree = ast.parse(code)
    inner = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert inner and inner[0].names[0].name == "_plan"
    # and on the real tree, the walker finds the imports it must (a walker that finds none fails)
    edges = graph()
    assert "solver.model.structure" in edges["solver.exact.tree"]
    assert "solver.answers.count" in edges["solver.cli.answers"]  # imported inside a function


# -- the rules -------------------------------------------------------------------------------------
def test_stages_import_one_way() -> None:
    edges = graph()
    wrong = []
    for module, targets in sorted(edges.items()):
        here = stage(module)
        for target in sorted(targets):
            there = stage(target)
            if there != here and there not in ALLOWED[here]:
                wrong.append(f"{module} ({here or 'face'}) imports {target} ({there or 'face'})")
    assert wrong == []


def through_faces(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """The graph of code modules: an import of a package face stands for what that face imports."""
    faces = package_faces(edges)

    def expand(target: str, seen: frozenset[str] = frozenset()) -> set[str]:
        if target not in faces:
            return {target}
        out: set[str] = set()
        for t in edges[target] - seen:
            out |= expand(t, seen | {target})
        return out

    return {m: {x for t in ts for x in expand(t)} - {m} for m, ts in edges.items() if m not in faces}


def test_faces_stand_for_what_they_import() -> None:
    edges = graph()
    assert "solver.exact" in edges["solver.answers.count"]  # `from .. import exact`
    expanded = through_faces(edges)
    assert {"solver.exact.tree", "solver.exact.kernel"} <= expanded["solver.answers.count"]
    assert "solver.exact" not in expanded["solver.answers.count"]


def test_no_import_cycles() -> None:
    edges = graph()
    faces = package_faces(edges)
    # a module importing from its own package's face would loop through the face: forbid it
    inward = [f"{m} imports its package face {t}" for m, ts in edges.items() for t in ts
              if t in faces and m.startswith(t + ".")]
    assert inward == []
    assert find_cycle(through_faces(edges)) is None


def test_nothing_private_crosses_modules() -> None:
    known = modules()
    found = []
    for module, path in known.items():
        for target, names, line in iter_imports(path):
            if ours(target) and resolve(target, known) != module:
                found += [f"{path.relative_to(ROOT)}:{line}: {target}.{n}" for n in names
                          if n.startswith("_") and n != "__version__"]
        # `tree._plan`: an attribute of an imported module used from outside
        aliases = {}
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                for a in node.names:
                    aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.Import):
                aliases.update({(a.asname or a.name): a.name for a in node.names if ours(a.name)})
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in aliases and node.attr.startswith("_") and not node.attr.startswith("__")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


@pytest.mark.parametrize(("library", "only"), [("constraint", "csp"), ("matplotlib", "viz")])
def test_libraries_stay_in_their_stage(library: str, only: str) -> None:
    offenders = []
    for module, path in modules().items():
        if stage(module) in (only, "cli") or (library == "matplotlib" and module.startswith("viz")):
            continue
        for target, _names, line in iter_imports(path):
            if target.split(".")[0] == library:
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_solver_never_imports_viz_but_from_the_command_line() -> None:
    offenders = [f"{m} imports {t}" for m, ts in graph().items() for t in ts
                 if m.startswith("solver") and t.startswith("viz") and stage(m) not in ("cli", "studio")]
    assert offenders == []


def test_only_the_command_line_imports_the_studio() -> None:
    offenders = [f"{m} imports {t}" for m, ts in graph().items() for t in ts
                 if t.startswith("solver.studio") and stage(m) not in ("cli", "studio")]
    assert offenders == []


def test_face_names_are_what_they_say_after_every_module_is_imported() -> None:
    # importing a submodule binds the package attribute of that name to the module; a face's
    # lazily loaded name must not be shadowed that way (solver.model.validate once read as the module)
    import importlib
    import types

    for name in sorted(modules()):
        if not name.endswith("__main__"):
            importlib.import_module(name)
    for face_name in ("solver", "solver.model", "solver.exact", "solver.audit", "solver.cli", "solver.handbook"):
        face = importlib.import_module(face_name)
        shadowed = [n for n in face.__all__ if isinstance(getattr(face, n), types.ModuleType)]
        assert shadowed == [], face_name
