"""The browser tests' world: the Billy emulator over real sockets, billysync's web app under a
real uvicorn on a free port, and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from billysync.config import ProcessSettings
from billysync.sync.runtime import Runtime
from billysync.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Skip without Debian's chromium on a developer machine; in CI that is a failure."""
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail("/usr/bin/chromium is missing; CI must run the browser tests")
    pytest.skip("/usr/bin/chromium is not installed")


@dataclass
class Served:
    url: str
    rt: Runtime


@contextmanager
def serve(rt: Runtime, before_start: Callable[[Runtime], None] | None = None) -> Iterator[Served]:
    """billysync's web app on 127.0.0.1 at a free port, in a thread, until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    rt.process.public_url = url
    if before_start is not None:
        before_start(rt)
    config = uvicorn.Config(create_app(rt), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 20 s")
        time.sleep(0.02)
    try:
        yield Served(url, rt)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def make_runtime(tmp_path: Path, **overrides: Any) -> Runtime:
    process = ProcessSettings(
        data_dir=tmp_path,
        database_url=None,
        secret_key_file=None,
        admin_password=None,
        public_url=None,
    )
    rt = Runtime.from_settings(process, **overrides)
    rt.db.migrate()
    return rt


def shot(page: Any, name: str) -> None:
    """A full-page screenshot under test-artifacts/screenshots/ (for people, not assertions)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def off_loop(call: Callable[[], object]) -> None:
    """Run `call` outside Playwright's event loop (DBOS refuses to start or stop inside one);
    what it raises is raised here."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test thread below
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if failure:
        raise failure[0]
