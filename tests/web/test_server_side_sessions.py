"""Sessions end on the server: after logout or a new password a copied cookie opens nothing.

Two apps on one database stand for two web processes: what one ends, the other refuses too.
Each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.store.tables import AdminSession
from billysync.sync.runtime import Runtime
from billysync.web import security
from billysync.web.app import SESSION_COOKIE, create_app
from tests.support.web_helpers import PASSWORD, PUBLIC_URL, csrf_of, log_in, set_password


@pytest.fixture
def two_processes(database_url: str, tmp_path: Path) -> Iterator[tuple[Runtime, Runtime]]:
    """Two runtimes (as two web processes would have) on one database and one data folder."""
    settings = ProcessSettings(data_dir=tmp_path, database_url=database_url, public_url=PUBLIC_URL)
    first = Runtime.from_settings(settings)
    first.db.migrate()
    second = Runtime.from_settings(settings)
    set_password(first)
    yield first, second
    first.db.dispose()
    second.db.dispose()


def _client(rt: Runtime, cookie: str | None = None) -> TestClient:
    client = TestClient(
        create_app(rt), base_url="https://testserver", headers={"Accept-Language": "en"}
    )
    if cookie is not None:
        client.cookies.set(SESSION_COOKIE, cookie)
    return client


def _opens(client: TestClient, csrf: str) -> tuple[bool, bool]:
    """(a GET shows a page, a POST changes something) with this client's cookie."""
    page = client.get("/shops", follow_redirects=False)
    post = client.post("/shops", data={"name": "Stolen", "platform": "generic", "csrf_token": csrf})
    return page.status_code == 200, post.status_code == 200


def test_logout_ends_the_session_everywhere_for_gets_and_posts(
    two_processes: tuple[Runtime, Runtime],
) -> None:
    here, there = two_processes
    with _client(here) as merchant:
        csrf = log_in(merchant)
        cookie = merchant.cookies[SESSION_COOKIE]
        with _client(there, cookie) as copy:
            assert _opens(copy, csrf) == (True, True)  # the other process knows the session
        answer = merchant.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
        assert answer.status_code == 303
    for rt in (here, there):
        with _client(rt, cookie) as copy:
            assert _opens(copy, csrf) == (False, False)
    with here.db.session() as session:
        assert session.query(AdminSession).count() == 0


def test_a_new_password_ends_every_session(two_processes: tuple[Runtime, Runtime]) -> None:
    here, there = two_processes
    with _client(here) as first, _client(there) as second:
        sessions = [(first, log_in(first)), (second, log_in(second))]
        cookies = [(client.cookies[SESSION_COOKIE], csrf) for client, csrf in sessions]
        with here.db.session() as session:
            security.set_admin_password(session, "a brand new password")
    for cookie, csrf in cookies:
        for rt in (here, there):
            with _client(rt, cookie) as copy:
                assert _opens(copy, csrf) == (False, False)
    with _client(there) as client:
        assert csrf_of(client, "/login")
        log_in(client, "a brand new password")


def test_logging_in_again_replaces_the_session(two_processes: tuple[Runtime, Runtime]) -> None:
    here, _ = two_processes
    with _client(here) as client:
        log_in(client, PASSWORD)
        before = client.cookies[SESSION_COOKIE]
        csrf = log_in(client, PASSWORD)
    with _client(here, before) as old:
        assert _opens(old, csrf) == (False, False)
    with here.db.session() as session:
        assert session.query(AdminSession).count() == 1


def test_the_database_holds_only_a_digest_of_the_session_id(
    two_processes: tuple[Runtime, Runtime],
) -> None:
    here, _ = two_processes
    with _client(here) as client:
        log_in(client)
        cookie = client.cookies[SESSION_COOKIE]
    with here.db.session() as session:
        [row] = session.query(AdminSession).all()
        digest, expires_at, created_at = row.id_digest, row.expires_at, row.created_at
    assert digest not in cookie and len(digest) == 64
    assert (expires_at - created_at) == security.SESSION_LIFETIME
