"""Fixtures for the Billy client tests (helpers live in tests/support/billy_doubles.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.billy_doubles import Harness


@pytest.fixture
def harness() -> Iterator[Harness]:
    yield Harness()
