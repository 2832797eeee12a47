"""Login, the first-run password, the configured password, throttling and sessions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from billysync.store.tables import AdminUser
from billysync.sync.runtime import Runtime
from billysync.web import security
from tests.support.web_helpers import (
    PASSWORD,
    client_for,
    csrf_from,
    csrf_of,
    log_in,
    make_runtime,
    seen,
)


def _admins(rt: Runtime) -> list[AdminUser]:
    with rt.db.session() as session:
        return list(session.query(AdminUser))


def test_first_visit_chooses_the_password_and_it_is_stored_hashed(
    rt: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_for(rt) as client:
        code = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", capsys.readouterr().err)[-1]
        first = client.get("/login", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/setup"
        token = csrf_from(client.get("/setup").text)
        short = client.post(
            "/setup",
            data={"code": code, "password": "short", "confirm": "short", "csrf_token": token},
        )
        assert short.status_code == 400 and "10" in seen(short)
        assert _admins(rt) == []
        mismatch = client.post(
            "/setup",
            data={
                "code": code,
                "password": PASSWORD,
                "confirm": PASSWORD + "x",
                "csrf_token": token,
            },
        )
        assert mismatch.status_code == 400 and _admins(rt) == []
        done = client.post(
            "/setup",
            data={"code": code, "password": PASSWORD, "confirm": PASSWORD, "csrf_token": token},
            follow_redirects=False,
        )
        assert done.status_code == 303 and done.headers["location"] == "/shops"
        assert client.get("/shops").status_code == 200  # logged in by choosing it
    [admin] = _admins(rt)
    assert PASSWORD not in admin.password_hash and admin.password_hash.startswith("$argon2")
    assert security.password_matches(admin.password_hash, PASSWORD)


def test_setup_cannot_overwrite_an_existing_password(anonymous: TestClient, rt: Runtime) -> None:
    assert anonymous.get("/setup", follow_redirects=False).headers["location"] == "/login"
    before = _admins(rt)[0].password_hash
    token = csrf_from(anonymous.get("/login").text)
    answer = anonymous.post(
        "/setup",
        data={
            "password": "an attacker's choice",
            "confirm": "an attacker's choice",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/login"
    assert _admins(rt)[0].password_hash == before


def test_configured_password_is_used_without_a_setup_form(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path, admin_password="from the environment")
    with client_for(rt) as client:
        assert client.get("/login").status_code == 200  # no first-run form
        log_in(client, "from the environment")
    # A changed environment password replaces the stored one at the next start.
    rt.process.admin_password = "changed in the environment"
    with client_for(rt) as client:
        log_in(client, "changed in the environment")
    assert len(_admins(rt)) == 1


def test_wrong_password_is_refused(anonymous: TestClient) -> None:
    token = csrf_from(anonymous.get("/login").text)
    answer = anonymous.post("/login", data={"password": "nope", "csrf_token": token})
    assert answer.status_code == 401
    assert anonymous.get("/shops", follow_redirects=False).status_code == 303


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_login_attempts_are_throttled_per_address(rt: Runtime) -> None:
    from tests.support.web_helpers import set_password

    set_password(rt)
    clock = FakeClock()
    throttle = security.LoginThrottle(rt.db, limit=5, window=60, clock=clock)
    with client_for(rt, login_throttle=throttle) as client:
        token = csrf_from(client.get("/login").text)
        for _ in range(5):
            answer = client.post("/login", data={"password": "guess", "csrf_token": token})
            assert answer.status_code == 401
        clock.advance(10)
        blocked = client.post("/login", data={"password": PASSWORD, "csrf_token": token})
        assert blocked.status_code == 429
        # The right password does not get through either, and the page says how long to wait.
        assert "50 seconds" in seen(blocked) and blocked.headers["Retry-After"] == "50"
        assert client.get("/shops", follow_redirects=False).status_code == 303
        clock.advance(51)
        log_in(client)


def test_throttle_counts_each_address_apart(rt: Runtime) -> None:
    clock = FakeClock()
    throttle = security.LoginThrottle(rt.db, limit=2, window=60, clock=clock)
    throttle.failed("10.0.0.1")
    throttle.failed("10.0.0.1")
    assert throttle.wait_seconds("10.0.0.1") == 60
    assert throttle.wait_seconds("10.0.0.2") == 0
    throttle.succeeded("10.0.0.1")
    assert throttle.wait_seconds("10.0.0.1") == 0


def test_pages_need_a_session_and_htmx_gets_401(anonymous: TestClient) -> None:
    for url in (
        "/shops",
        "/shops/1/settings",
        "/shops/1/orders",
        "/shops/1/failed",
        "/shops/1/check",
    ):
        answer = anonymous.get(url, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login", url
    htmx = anonymous.get("/shops/1/orders", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/login"
    token = csrf_from(anonymous.get("/login").text)
    post = anonymous.post("/shops", data={"name": "x", "platform": "generic", "csrf_token": token})
    assert post.status_code == 401


def test_logout_ends_the_session(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    answer = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert answer.status_code == 303
    assert client.get("/shops", follow_redirects=False).status_code == 303


def test_session_cookie_is_httponly_samesite_and_secure(rt: Runtime) -> None:
    from tests.support.web_helpers import set_password

    set_password(rt)
    with client_for(rt) as client:
        answer = client.get("/login")
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_session_key_lives_beside_the_secret_key_not_in_the_database(
    anonymous: TestClient, rt: Runtime
) -> None:
    key_file = rt.process.resolved_secret_key_file.with_name("session.key")
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    key = key_file.read_text().strip()
    dump = "\n".join(rt.db.engine.raw_connection().driver_connection.iterdump())  # type: ignore[union-attr]
    assert key not in dump


def test_language_choice_switches_the_texts(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    client.post("/language", data={"lang": "en", "back": "/shops", "csrf_token": csrf})
    assert "Add a shop" in client.get("/shops").text
    client.post("/language", data={"lang": "da", "back": "/shops", "csrf_token": csrf})
    assert "Tilføj en butik" in client.get("/shops").text


def test_language_switch_never_redirects_off_site(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    for back in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        answer = client.post(
            "/language",
            data={"lang": "en", "back": back, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/"


def test_csrf_of_helper_sees_the_same_token_on_every_page(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    assert csrf_of(client, "/shops") == csrf
