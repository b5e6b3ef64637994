"""Progress on long work, and ``qualpath --version`` (issue 13, item 16).

Bars are drawn by the command line only, on stderr, when stderr is a terminal;
never with ``--json`` or on a pipe. Library functions take a ``progress``
callback instead.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from solver.answers.pathways import count_by_search
from solver.audit.learners import LearnerRecord, audit_batch
from solver.cli import common
from solver.cli.app import main
from solver.model.load import bundled_rules, load_qualification


@pytest.fixture(scope="module")
def diploma():
    return load_qualification(bundled_rules() / "l2-diploma-customer-service.yaml")


def test_version_is_the_installed_one() -> None:
    result = subprocess.run([sys.executable, "-m", "solver", "--version"], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0
    assert result.stdout == f"qualpath {metadata.version('qualpath')}\n"


def test_library_functions_report_progress_through_a_callback(diploma, tmp_path: Path) -> None:
    seen: list[int] = []
    n, _method, complete = count_by_search(diploma, limit=10_000, progress=seen.append)
    assert (n, complete) == (10_000, False) and seen == [4096, 8192]
    seen.clear()
    records = [LearnerRecord(learner=f"L{i}", achieved=("negotiate",)) for i in range(5)]
    audit_batch(diploma, records, tmp_path / "r.csv", chunk=2, progress=seen.append)
    assert seen == [2, 4, 5]


def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stderr looks like a terminal (stdout stays captured, like a file) and bars show at once.

    Called in the test body: capsys puts its own sys.stderr in place for the call only.
    """
    monkeypatch.setattr(common, "PROGRESS_DELAY", 0.0)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_enumerate_to_a_file_shows_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    terminal(monkeypatch)
    assert main(["enumerate", "diploma", "--limit", "5000"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 5000
    assert "writing pathways" in err


def test_a_batch_audit_shows_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    terminal(monkeypatch)
    learners = tmp_path / "l.csv"
    learners.write_text("learner,unit\n" + "".join(f"L{i},negotiate\n" for i in range(10)), encoding="utf-8")
    assert main(["audit", "diploma", "--learners", str(learners)]) == 0
    assert "auditing learners" in capsys.readouterr().err


def test_no_bar_with_json(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    terminal(monkeypatch)
    assert common.show_progress()
    assert main(["count", "diploma", "--json"]) == 0
    assert main(["cheapest", "diploma", "--json"]) == 0
    assert capsys.readouterr().err == ""


def test_no_bar_on_a_pipe(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "PROGRESS_DELAY", 0.0)
    assert main(["enumerate", "diploma", "--limit", "5000"]) == 0
    assert "qualpath: stopped after --limit 5000" in capsys.readouterr().err
    assert not common.show_progress()


def test_only_the_command_line_draws_bars() -> None:
    root = Path(__file__).resolve().parent.parent
    users = sorted(str(p.relative_to(root)) for folder in ("solver", "viz") for p in (root / folder).rglob("*.py")
                   if "tqdm" in p.read_text(encoding="utf-8"))
    assert users == ["solver/cli/common.py"]
