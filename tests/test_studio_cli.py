"""``qualpath studio``: the command, its refusals, and a command line that never loads the web stack."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import solver.cli
from solver.studio.server import first_workspace, free_port

WEB = ("starlette", "uvicorn", "ruamel", "anyio", "httpx", "httpx2", "solver.studio")


def test_help_and_other_commands_do_not_load_the_web_stack() -> None:
    code = ("import sys, contextlib, io, solver.cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try: solver.cli.main(['--help'])\n"
            "    except SystemExit: pass\n"
            "    solver.cli.main(['count', 'nvq'])\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r} or m.startswith('solver.studio')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_studio_is_listed_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        solver.cli.main(["--help"])
    assert "studio" in capsys.readouterr().out


def test_other_addresses_need_an_explicit_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert solver.cli.main(["studio", "--no-browser", "--host", "0.0.0.0"]) == 2
    assert "--allow-remote" in capsys.readouterr().err
    assert solver.cli.main(["studio", "--no-browser", "/no/such/folder"]) == 2


def test_first_workspace_is_a_copy_of_the_bundled_rules(tmp_path: Path) -> None:
    folder = first_workspace(tmp_path)
    assert (folder / "rules" / "l2-diploma-customer-service.yaml").is_file()
    assert (folder / "rules" / "libraries" / "customer-service-units.yaml").is_file()


def test_the_command_serves_the_studio(tmp_path: Path) -> None:
    port = free_port()
    first_workspace(tmp_path)
    # uvicorn stops on SIGINT only in the main thread; run the command in a child process instead
    proc = subprocess.Popen([sys.executable, "-m", "solver", "studio", str(tmp_path), "--no-browser", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        body = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/workspace", timeout=5) as reply:
                    body = reply.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "l2-diploma-customer-service.yaml" in body
    finally:
        proc.terminate()
        out, _err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out and str(tmp_path) in out
