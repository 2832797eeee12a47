"""`billysync emulate shoporama`: the command exists, and `run_server` serves a living shop."""

from __future__ import annotations

import queue
import re
import threading
import time

import httpx2
from typer.testing import CliRunner

from billysync.cli import app
from billysync.emulators.shoporama import run_server


def test_the_command_is_registered_with_its_options() -> None:
    result = CliRunner().invoke(app, ["emulate", "shoporama", "--help"])
    assert result.exit_code == 0, result.output
    for option in ("--host", "--port", "--token", "--webhook-url", "--webhook-secret",
                   "--orders-per-minute", "--seed"):  # fmt: skip
        assert option in result.output


def test_run_server_serves_orders_as_they_come_in() -> None:
    lines: queue.Queue[str] = queue.Queue()
    halt = threading.Event()
    options = {"port": 0, "token": "cli-token", "orders_per_minute": 1200, "seed": 3}
    options.update(echo=lines.put, halt=halt)
    thread = threading.Thread(target=run_server, kwargs=options, daemon=True)
    thread.start()
    try:
        match = re.search(r"at (\S+/REST)", lines.get(timeout=10))
        assert match is not None
        url = match.group(1)
        auth = {"Authorization": "Shoporama cli-token"}
        deadline = time.monotonic() + 10
        total = 0
        while total < 2 and time.monotonic() < deadline:
            total = httpx2.get(f"{url}/order", headers=auth).json()["paging"]["total"]
            time.sleep(0.02)
        assert total >= 2
        assert httpx2.get(f"{url}/order").status_code == 401
    finally:
        halt.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
