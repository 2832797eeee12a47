"""Fixtures for the reliability tests: an engine per test, or the `billysync` processes of
an installation (`processes_for`, tests/support/worker_processes.py).

Shops wired to the Billy emulator (`tests.support.sync_harness.make_shop`) and the order
builders (`tests.support.shop_builders`) are the engine tests' own, so both suites build
shops and orders the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.sync import reference
from billysync.sync.engine import Engine, EngineOptions, is_running
from billysync.sync.runtime import AttemptBackoff, Runtime
from tests.support.worker_processes import Processes, Setup

# Quick backoff, but enough attempts that a run of transient faults (20 % of calls) ends.
FAST_RETRY = AttemptBackoff(attempts=14, first_delay=0.05, factor=2.0, max_delay=0.4)


@pytest.fixture
def processes_for() -> Iterator[Callable[[Setup], Processes]]:
    """Processes of an installation; every one a test starts is killed at its end."""
    made: list[Processes] = []

    def make(setup: Setup) -> Processes:
        made.append(Processes(setup))
        return made[-1]

    yield make
    for processes in made:
        processes.close()


@pytest.fixture
def engine_for(tmp_path: Path) -> Iterator[Callable[..., Engine]]:
    """The engine in this process against an in-process emulator; stopped afterwards.

    `launch=False` leaves it unstarted, so a test can store events first (as a web-only
    process would) and start the engine, whose dispatcher then enqueues them, later.
    """
    engines: list[Engine] = []

    def start(
        database_url: str, emu: BillyEmulator, *, concurrency: int = 8, launch: bool = True
    ) -> Engine:
        process = ProcessSettings(data_dir=tmp_path, database_url=database_url)
        rt = Runtime.from_settings(
            process,
            billy_transport=emu.transport(),
            retry=FAST_RETRY,
            billy_rate_per_second=1000.0,
        )
        options = EngineOptions(
            role="test", run_loops=False, polling_interval=0.05, worker_concurrency=concurrency
        )
        engine = Engine(rt, options)
        rt.db.migrate()  # shops can be made before the engine starts
        if launch:
            engine.start()
        engines.append(engine)
        return engine

    yield start
    for engine in engines:
        if is_running():  # one engine per process at a time: DBOS is process-wide
            engine.stop()
        engine.rt.db.dispose()
    # Reference data is cached per shop id for the process; the next test's shop 1 is
    # another organization.
    for shop_id in range(1, 10):
        reference.forget(shop_id)
