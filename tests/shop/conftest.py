"""Fixtures for the shop adapters' tests: Shoporama's captured responses and the emulator."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.shop.shoporama import CallBudget, ShoporamaClient


@pytest.fixture
def load_fixture(shoporama_fixtures: Path) -> Callable[[str], Any]:
    def load(name: str) -> Any:
        return json.loads((shoporama_fixtures / name).read_text(encoding="utf-8"))

    return load


@pytest.fixture
def emulator() -> Iterator[ShoporamaEmulator]:
    shop = ShoporamaEmulator(seed=7)
    yield shop
    shop.close()


@pytest.fixture
def shop_client(emulator: ShoporamaEmulator) -> Iterator[ShoporamaClient]:
    client = ShoporamaClient(
        emulator.token,
        base_url="https://shop.test/REST",
        transport=emulator.transport(),
        budget=CallBudget(daily_limit=100_000),
    )
    yield client
    client.close()
