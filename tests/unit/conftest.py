"""The command line against a live Billy emulator.

`cli` runs `billysync …` in-process (Typer's CliRunner) with BILLYSYNC_DATA_DIR and
BILLYSYNC_DATABASE_URL pointing at a fresh SQLite database; `cli_any_db` does the same on
SQLite and on PostgreSQL. `billy` is the emulator's base URL.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from billysync.cli import app
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.server import start_background_server
from tests.support.cli_helpers import BILLY_TOKEN, OTHER_TOKEN, Billy, Run


@pytest.fixture
def billy() -> Iterator[Billy]:
    emulator = BillyEmulator()
    emulator.add_organization(token=BILLY_TOKEN, name="CLI ApS")
    emulator.add_organization(token=OTHER_TOKEN, name="Anden ApS")
    url, stop = start_background_server(emulator)
    yield Billy(url + "/v2", emulator)
    stop()


def _unhook_closed_streams() -> None:
    # DBOS hooks its log handler to the stderr of the first command that started it; the
    # runner closes that stream afterwards (a real command line is a new process each time).
    for handler in logging.getLogger("dbos").handlers:
        stream = getattr(handler, "stream", None)
        if isinstance(handler, logging.StreamHandler) and getattr(stream, "closed", False):
            handler.stream = sys.__stderr__  # setStream would flush the closed one


def _runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Run:
    monkeypatch.setenv("BILLYSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BILLYSYNC_DATABASE_URL", database_url)
    for name in ("BILLYSYNC_BILLY_KEY", "BILLYSYNC_LANGUAGE", "BILLYSYNC_SHOP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def run(*args: object) -> Result:
        _unhook_closed_streams()
        return runner.invoke(app, [str(a) for a in args])

    return run


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """The command line on SQLite: for what does not depend on the database."""
    return _runner(tmp_path, monkeypatch, f"sqlite:///{tmp_path / 'billysync.db'}")


@pytest.fixture
def cli_any_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> Run:
    """The command line on SQLite and on PostgreSQL: saving settings, running the engine."""
    return _runner(tmp_path, monkeypatch, database_url)
