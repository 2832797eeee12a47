"""The first-run admin claim needs the one-time code the server printed on its console."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from billysync.store.tables import AdminUser, SetupCode
from billysync.sync.runtime import Runtime
from billysync.web import security
from tests.support.web_helpers import PASSWORD, client_for, csrf_from, make_runtime, seen

PRINTED_CODE = re.compile(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def _printed_code(capsys: pytest.CaptureFixture[str]) -> str:
    printed = capsys.readouterr().err
    match = PRINTED_CODE.search(printed)
    assert match, f"no setup code on the console: {printed!r}"
    return match.group(1)


def _admins(rt: Runtime) -> int:
    with rt.db.session() as session:
        return session.query(AdminUser).count()


def _setup(client: TestClient, code: str, password: str = PASSWORD) -> object:
    token = csrf_from(client.get("/setup").text)
    return client.post(
        "/setup",
        data={"code": code, "password": password, "confirm": password, "csrf_token": token},
        follow_redirects=False,
    )


def test_the_first_visitor_cannot_take_the_server_without_the_console_code(
    rt: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_for(rt) as client:
        code = _printed_code(capsys)
        for wrong in ("", "AAAA-BBBB-CCCC"):
            answer = _setup(client, wrong)
            assert answer.status_code == 403, wrong  # type: ignore[attr-defined]
            assert "setup code is not right" in seen(answer)  # type: ignore[arg-type]
        assert _admins(rt) == 0
        assert client.get("/shops", follow_redirects=False).status_code == 303
        # Typed as a person would: lower case, spaces instead of dashes.
        done = _setup(client, "  " + code.lower().replace("-", " ") + " ")
        assert done.status_code == 303  # type: ignore[attr-defined]
        assert done.headers["location"] == "/shops"  # type: ignore[attr-defined]
        assert client.get("/shops").status_code == 200
    assert _admins(rt) == 1
    with rt.db.session() as session:
        assert session.query(SetupCode).count() == 0  # used up: nobody can claim again


def test_every_start_without_an_admin_prints_a_code_any_process_accepts(
    rt: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_for(rt):
        first = _printed_code(capsys)
    with client_for(rt) as second_process:
        second = _printed_code(capsys)
        assert first != second
        assert _setup(second_process, first).status_code == 303  # type: ignore[attr-defined]


def test_no_code_is_printed_once_an_admin_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rt = make_runtime(tmp_path, admin_password="from the environment")
    with client_for(rt) as client:
        assert "setup code" not in capsys.readouterr().err
        assert client.get("/setup", follow_redirects=False).headers["location"] == "/login"
    with rt.db.session() as session:
        assert session.query(SetupCode).count() == 0
    rt.db.dispose()


def test_wrong_codes_are_throttled_like_wrong_passwords(
    rt: Runtime, capsys: pytest.CaptureFixture[str]
) -> None:
    # The service's limit over an hour: a slow machine cannot age the first failures out.
    throttle = security.LoginThrottle(rt.db, limit=5, window=3600)
    with client_for(rt, login_throttle=throttle) as client:
        code = _printed_code(capsys)
        for _ in range(5):
            assert _setup(client, "WRONG").status_code == 403  # type: ignore[attr-defined]
        blocked = _setup(client, code)
        assert blocked.status_code == 429  # type: ignore[attr-defined]
        assert int(blocked.headers["Retry-After"]) > 0  # type: ignore[attr-defined]
    assert _admins(rt) == 0


@pytest.mark.parametrize(
    ("language", "where"),
    [("en", "the console where it runs"), ("da", "i konsollen, hvor den kører")],
)
def test_the_setup_page_says_where_to_find_the_code(rt: Runtime, language: str, where: str) -> None:
    with client_for(rt) as client:
        page = client.get("/setup", headers={"Accept-Language": language})
        assert page.status_code == 200
        assert where in seen(page)
        assert 'name="code"' in page.text
