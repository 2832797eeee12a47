"""The engine against the Billy emulator: a real database, real DBOS, an in-process Billy."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.sync.engine import Engine, EngineOptions
from billysync.sync.runtime import AttemptBackoff, Runtime
from tests.support.sync_harness import TOKEN, Harness, make_shop


@pytest.fixture
def harness_for(tmp_path: Path) -> Iterator[Callable[..., Harness]]:
    engines: list[Engine] = []

    def build(database_url: str, emu: BillyEmulator | None = None) -> Harness:
        emu = emu or BillyEmulator()
        process = ProcessSettings(data_dir=tmp_path, database_url=database_url)
        rt = Runtime.from_settings(
            process,
            billy_transport=emu.transport(),
            retry=AttemptBackoff(attempts=8, first_delay=0.05, factor=2.0, max_delay=0.5),
            billy_rate_per_second=1000.0,
        )
        engine = Engine(rt, EngineOptions(role="test", run_loops=False, polling_interval=0.05))
        engine.start()
        engines.append(engine)
        shop_id, accounts = make_shop(rt, emu, TOKEN, "Butik A")
        return Harness(emu, rt, engine, shop_id, TOKEN, accounts)

    yield build
    for engine in engines:
        engine.stop()
        engine.rt.db.dispose()


@pytest.fixture
def harness(harness_for: Callable[..., Harness], tmp_path: Path) -> Harness:
    return harness_for(f"sqlite:///{tmp_path / 'billysync.db'}")
