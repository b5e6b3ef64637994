"""How the browser tests get their browser: skip locally without one, install it under CI, never pass by not running."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
import studio_browser


def test_without_chromium_locally_the_reason_is_given_and_nothing_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(studio_browser, "find_chromium", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    ran: list[Any] = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: ran.append(a))
    path, why = studio_browser.ensure_chromium()
    assert path is None and "apt-get install chromium" in why and ran == []


def test_under_ci_it_is_installed_with_apt(monkeypatch: pytest.MonkeyPatch) -> None:
    found = iter([None, "/usr/bin/chromium"])
    monkeypatch.setattr(studio_browser, "find_chromium", lambda: next(found))
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(studio_browser.os, "geteuid", lambda: 0)
    monkeypatch.setattr(studio_browser.shutil, "which", lambda name: "/usr/bin/apt-get")
    ran: list[Any] = []

    def run(command: list[str], **kwds: Any) -> subprocess.CompletedProcess[str]:
        ran.append(command)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", run)
    assert studio_browser.ensure_chromium() == ("/usr/bin/chromium", "")
    assert "apt-get install" in ran[0][-1] and "chromium" in ran[0][-1]


def test_under_ci_without_root_it_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(studio_browser, "find_chromium", lambda: None)
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(studio_browser.os, "geteuid", lambda: 1000)
    path, why = studio_browser.ensure_chromium()
    assert path is None and "needs root" in why
