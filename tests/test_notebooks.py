"""Every notebook in notebooks/ runs top to bottom, and is committed without outputs.

Each notebook ends with a cell asserting the numbers it showed, so running it
is the test. The kernel is always this interpreter (``sys.executable``), whatever
kernels Jupyter may have registered for the user, so the notebooks see the
qualpath installed here.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from traitlets import default

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
CELL_TIMEOUT = 120


class ThisPython(KernelSpecManager):
    """Kernel specs that always start ``sys.executable -m ipykernel_launcher``."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                          display_name="Python 3", language="python", name=kernel_name, env={})


class ThisPythonKernel(AsyncKernelManager):
    """A kernel manager using :class:`ThisPython`; the notebook client owns it and shuts it down."""

    @default("kernel_spec_manager")
    def _this_python(self) -> KernelSpecManager:
        return ThisPython()


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def test_the_five_notebooks_are_there() -> None:
    assert [p.stem[:2] for p in PATHS] == ["01", "02", "03", "04", "05"]
    assert (NOTEBOOKS / "README.md").exists()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_committed_without_outputs(path: Path) -> None:
    nb = load(path)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: cell {cell.id} has outputs"
            assert cell.execution_count is None, f"{path.name}: cell {cell.id} has an execution count"


def test_notebooks_match_their_sources() -> None:
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    sources = sorted(p.stem for p in (NOTEBOOKS / "src").glob("*.py"))
    assert sources == [p.stem for p in PATHS]
    for stem in sources:
        expected = build.text_of(build.build(NOTEBOOKS / "src" / f"{stem}.py"))
        assert (NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8") == expected, (
            f"{stem}.ipynb is out of date: run python notebooks/build.py")


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    nb = load(path)
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", kernel_manager_class=ThisPythonKernel,
                            resources={"metadata": {"path": str(tmp_path)}})  # run away from the repository
    client.execute()  # speed is measured in bench/, not asserted here; the cell timeout bounds a hang
    last = nb.cells[-1]
    assert last.cell_type == "code" and "assert" in last.source, "the last cell asserts what was shown"
    assert any("all checks passed" in out.get("text", "") for out in last.outputs)
