"""Fixtures for the Billy client tests (helpers live in billy_doubles.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from billy_doubles import Harness


@pytest.fixture(scope="session")
def billy_fixtures(shared_reference: Path) -> Path:
    return shared_reference / "billy-fixtures"


@pytest.fixture
def harness() -> Iterator[Harness]:
    yield Harness()
