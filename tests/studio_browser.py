"""A real browser for the studio's end-to-end tests: Debian's chromium driven by Playwright from PyPI.

``playwright install`` downloads browser builds from outside the package registries, which this
project's machines cannot reach; Debian's ``chromium`` package works with Playwright's own driver
(see ../shared/FACTS.md). :func:`ensure_chromium` finds it and, under CI (``CI=true``) as root,
installs it with apt the first time, so the README's test command is all a fresh machine needs.
Locally, without it, the browser tests skip; under CI they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-headless-shell", "chromium-browser")
#: Keeps the browser from looking up outside hosts (it tries to, in the background).
ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"]
APT = ("apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
       "apt-get install -y -qq --no-install-recommends chromium")


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def find_chromium() -> str | None:
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_chromium() -> tuple[str | None, str]:
    """(path of a chromium, "") or (None, why not); installs it with apt under CI as root."""
    found = find_chromium()
    if found or not under_ci():
        return found, "" if found else "chromium is not installed (apt-get install chromium; CI installs it)"
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "chromium is missing and CI cannot install it here (needs root and apt-get)"
    done = subprocess.run(["bash", "-c", APT], capture_output=True, text=True, timeout=900, check=False)
    found = find_chromium()
    return found, "" if found else f"installing chromium with apt failed: {done.stderr[-2000:]}"


@contextlib.contextmanager
def studio_server(folder: Path, **settings: Any) -> Iterator[str]:
    """Serve the studio on a free port of 127.0.0.1 from a thread; yields its base address."""
    import uvicorn

    from solver.studio.api import Settings, create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(Settings(root=folder, **settings)), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


@contextlib.contextmanager
def browser(executable: str) -> Iterator[Any]:
    """A headless chromium (Playwright's ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            yield b
        finally:
            b.close()
