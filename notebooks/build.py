"""Build the notebooks from their readable sources: ``python notebooks/build.py [--check]``.

Each notebook is written as a ``# %%`` script in ``notebooks/src/`` (the
percent format of jupytext, Spyder and VS Code): a line ``# %%`` starts a code
cell, ``# %% [markdown]`` a Markdown cell whose lines are comments. This
script turns every source into ``notebooks/NAME.ipynb`` (nbformat 4) with no
outputs, no execution counts and stable cell ids, so the committed notebooks
diff cleanly. With ``--check`` it writes nothing and exits 1 when a notebook
is missing or differs from its source.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _cells(text: str) -> list[tuple[str, str]]:
    """Split a percent-format script into ``(kind, source)`` pairs."""
    cells: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("# %%"):
            kind = "markdown" if "[markdown]" in line else "code"
            cells.append((kind, []))
        elif cells:
            cells[-1][1].append(line)
    out = []
    for kind, lines in cells:
        if kind == "markdown":
            lines = [line[2:] if line.startswith("# ") else line.lstrip("#") for line in lines]
        body = "\n".join(lines).strip("\n")
        if body:
            out.append((kind, body))
    return out


def build(source: Path) -> nbformat.NotebookNode:
    """The notebook for one source file, without outputs."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": dict(KERNEL), "language_info": {"name": "python"}}
    for i, (kind, body) in enumerate(_cells(source.read_text(encoding="utf-8"))):
        digest = hashlib.sha1(f"{source.stem}:{i}:{body}".encode()).hexdigest()[:8]
        cell = nbformat.v4.new_markdown_cell(body) if kind == "markdown" else nbformat.v4.new_code_cell(body)
        cell.id = f"{i:02d}-{digest}"
        nb.cells.append(cell)
    nbformat.validate(nb)
    return nb


def text_of(nb: nbformat.NotebookNode) -> str:
    """The notebook as it is committed: 1-space indented JSON, ending with a newline."""
    return nbformat.writes(nb, version=4) + "\n"


def main(argv: list[str]) -> int:
    """Write (or with ``--check``, compare) every notebook."""
    check = "--check" in argv
    stale = []
    for source in sorted(SOURCES.glob("*.py")):
        target = HERE / f"{source.stem}.ipynb"
        text = text_of(build(source))
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target.name)
        if not check:
            target.write_text(text, encoding="utf-8")
    if check and stale:
        print("out of date (run python notebooks/build.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    for name in stale:
        print(f"wrote notebooks/{name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
