"""Fixtures for the web tests: a migrated runtime per test and clients in each state."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import (
    client_for,
    log_in,
    make_runtime,
    migrated_template,
    set_password,
)


@pytest.fixture
def billy() -> BillyEmulator:
    """Billy for these tests: the emulator, reached in-process through the Billy client."""
    return BillyEmulator(seed=7)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def rt(tmp_path: Path, billy: BillyEmulator, template_db: Path) -> Iterator[Runtime]:
    runtime = make_runtime(tmp_path, billy_transport=billy.transport(), template=template_db)
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def anonymous(rt: Runtime) -> Iterator[TestClient]:
    """A client of an app whose admin password is set, not logged in."""
    set_password(rt)
    with client_for(rt) as client:
        yield client


@pytest.fixture
def admin(anonymous: TestClient) -> tuple[TestClient, str]:
    """A logged-in client and its session's CSRF token."""
    return anonymous, log_in(anonymous)
