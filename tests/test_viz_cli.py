"""``qualpath draw``: through ``solver.cli.main``, exit codes, no overwrites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import solver.cli
from solver.model.load import bundled_rules

DIPLOMA = bundled_rules() / "l2-diploma-customer-service.yaml"


def run(*argv: str) -> int:
    return solver.cli.main(list(argv))


def test_draw_png_with_cheapest_pathway(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "d.png"
    assert run("draw", "nvq", "-o", str(out), "--highlight", "cheapest", "--by", "units", "--dpi", "40") == 0
    assert out.read_bytes().startswith(b"\x89PNG")
    assert capsys.readouterr().out.strip() == str(out)


def test_draw_units_svg_and_title(tmp_path: Path) -> None:
    out = tmp_path / "d.svg"
    assert run("draw", "nvq", "-o", str(out), "--highlight", "promote-products", "nvq-positive-impression",
               "--title", "Centre copy") == 0
    assert "Centre copy" in out.read_text(encoding="utf-8")


def test_draw_diff_and_charts(tmp_path: Path) -> None:
    new = tmp_path / "new.yaml"
    text = DIPLOMA.read_text(encoding="utf-8").replace("library: [libraries/", f"library: [{DIPLOMA.parent}/libraries/")
    new.write_text(text.replace("min_credits: 16", "min_credits: 18", 1), encoding="utf-8")
    assert run("draw", str(DIPLOMA), "--diff", str(new), "-o", str(tmp_path / "diff.svg")) == 0
    assert "min 16 → 18 credits" in (tmp_path / "diff.svg").read_text(encoding="utf-8")
    assert run("draw", "diploma", "--chart", "histogram", "-o", str(tmp_path / "h.pdf")) == 0
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    assert run("draw", "nvq", "--chart", "frequency", "-o", str(tmp_path / "f.png"), "--dpi", "30") == 0


def test_draw_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("draw", "nvq", "--pages", "-o", str(tmp_path / "p.png"), "--dpi", "30") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p-1.png", "p-2.png"]
    assert run("draw", "nvq", "--pages", "-o", str(tmp_path / "p.pdf")) == 0
    assert (tmp_path / "p.pdf").read_bytes().count(b"/Type /Page\n") + \
        (tmp_path / "p.pdf").read_bytes().count(b"/Type /Page ") >= 2


def test_refuses_to_overwrite_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.png"  # an odd name for a rule file, but the check is by resolved path
    shutil.copytree(DIPLOMA.parent / "libraries", tmp_path / "libraries")
    shutil.copy(DIPLOMA, old)
    before = old.read_bytes()
    assert run("draw", str(old), "-o", str(tmp_path / "." / "old.png")) == 2
    assert "refusing to write over the input file" in capsys.readouterr().err
    new = tmp_path / "new.svg"
    shutil.copy(DIPLOMA, new)
    assert run("draw", str(old), "--diff", str(new), "-o", str(new)) == 2
    assert old.read_bytes() == before and new.read_bytes() == DIPLOMA.read_bytes()


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "{tmp}/x.gif"], "expected .png, .svg or .pdf"),
    (["-o", "{tmp}/missing/x.png"], "does not exist"),
    (["-o", "{tmp}/x.png", "--chart", "histogram", "--highlight", "cheapest"], "cannot be combined"),
    (["-o", "{tmp}/x.png", "--by", "units"], "use it with --highlight cheapest"),
    (["-o", "{tmp}/x.png", "--highlight", "cheapest", "make-calls"], "not both"),
    (["-o", "{tmp}/x.svg", "--pages"], "not SVG"),
])
def test_usage_errors_exit_2_without_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                               argv: list[str], message: str) -> None:
    code = run("draw", "diploma", *(a.replace("{tmp}", str(tmp_path)) for a in argv))
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_missing_output_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        run("draw", "diploma")
    assert exc.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_solver_cli_does_not_load_matplotlib() -> None:
    import subprocess
    import sys

    code = ("import sys, argparse, solver.cli, solver.cli.draw; p = argparse.ArgumentParser(); "
            "solver.cli.draw.register(p.add_subparsers()); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('viz', 'matplotlib')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
