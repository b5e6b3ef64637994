"""Fixtures for the studio's end-to-end tests in a real browser (see tests/studio_browser.py).

The browser is found (or, under CI as root, installed with apt) once per session. Without it
the browser tests skip locally and fail under CI, so CI cannot pass by not running them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import studio_browser


@pytest.fixture(scope="session")
def chromium() -> str:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        why = "playwright is not installed (pip install -e '.[test]')"
        if studio_browser.under_ci():
            pytest.fail(f"browser tests cannot run under CI: {why}")
        pytest.skip(why)
    path, why = studio_browser.ensure_chromium()
    if path is None:
        if studio_browser.under_ci():
            pytest.fail(f"browser tests cannot run under CI: {why}")
        pytest.skip(why)
    return path


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    with studio_browser.browser(chromium) as b:
        yield b


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[tuple[str, Path]]:
    from solver.studio.server import first_workspace

    folder = first_workspace(tmp_path_factory.mktemp("studio"))
    for slow_to_lint in (folder / "rules").glob("chc33021-*.yaml"):  # seconds of lint each on the list page
        slow_to_lint.unlink()
    # a short wait before a request answers "still working", so the job banner is seen quickly
    with studio_browser.studio_server(folder, wait=0.5) as url:
        yield url, folder


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.set_default_timeout(15_000)
    yield p
    context.close()
    assert errors == [], errors
