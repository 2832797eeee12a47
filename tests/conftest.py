"""Fixtures for every suite: captured API responses, databases, whether CI demands every part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.captured import SHOPORAMA_FIXTURES

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(scope="session")
def shoporama_fixtures() -> Path:
    """tests/fixtures/shoporama: real Shoporama REST answers (where from: its README)."""
    return SHOPORAMA_FIXTURES


PG_ADMIN_URL = os.environ.get("BILLYSYNC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def require_postgres() -> None:
    """Skip without PostgreSQL on a developer machine; in CI a missing server is a failure."""
    if postgres_available():
        return
    if IN_CI:
        pytest.fail("PostgreSQL on 127.0.0.1:5432 is down; CI must run the PostgreSQL tests")
    pytest.skip("PostgreSQL on 127.0.0.1:5432 is not running")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    import uuid

    import psycopg

    require_postgres()
    name = f"bs_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs on real SQLite and on real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'billysync.db'}"
    return str(request.getfixturevalue("postgres_url"))
