"""Run the studio: a workspace folder, a local port, the browser opened on it.

With no folder the studio works on a copy of the bundled structures (so a first look changes
nothing that ships). It listens on 127.0.0.1 only; another address needs ``allow_remote`` and
then every request must carry a token (printed in the address, as Jupyter does).
"""

from __future__ import annotations

import secrets
import shutil
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from ..model.errors import UsageError
from ..model.load import bundled_rules

__all__ = ["first_workspace", "free_port", "serve"]

LOCAL = ("127.0.0.1", "localhost", "::1")


def first_workspace(where: Path | None = None) -> Path:
    """A fresh copy of the bundled structures to work on (in ``where``, or a new temporary folder)."""
    folder = Path(where) if where is not None else Path(tempfile.mkdtemp(prefix="qualpath-studio-"))
    target = folder / "rules"
    shutil.copytree(bundled_rules(), target, dirs_exist_ok=True)
    return folder


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def serve(folder: Path | None, *, host: str = "127.0.0.1", port: int = 0, allow_remote: bool = False,
          open_browser: bool = True, timeout: float = 10.0, say: Callable[[str], object] = print) -> None:
    """Serve the studio until interrupted."""
    import uvicorn

    from .api import Settings, create_app

    if host not in LOCAL and not allow_remote:
        raise UsageError(f"--host {host}: the studio listens on 127.0.0.1 only; to let other machines in, "
                         "add --allow-remote (every request then needs the token printed at start)")
    if folder is None:
        folder = first_workspace()
        note = f"working on a copy of the bundled structures in {folder} (the originals are not changed)"
    else:
        folder = Path(folder)
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder")
        note = f"working on the rule files in {folder.resolve()}"
    token = secrets.token_urlsafe(24) if host not in LOCAL else None
    port = port or free_port(host)
    shown = "127.0.0.1" if host in LOCAL else host
    url = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    hosts = ("127.0.0.1", "localhost", "[::1]", "::1")
    settings = Settings(root=folder, timeout=timeout, token=token, hosts=hosts)
    say(f"qualpath studio: {note}")
    say(f"qualpath studio: open {url}  (Ctrl-C stops it)")
    if open_browser:
        threading.Timer(0.8, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
