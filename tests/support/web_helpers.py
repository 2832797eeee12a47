"""Helpers for the web tests: a runtime on a fresh SQLite file, a logged-in client, CSRF."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import httpx2
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.store.tables import AdminUser, Shop
from billysync.sync.runtime import Runtime
from billysync.web import security
from billysync.web.app import create_app

PASSWORD = "correct horse battery"
PUBLIC_URL = "https://sync.example"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_runtime(
    tmp_path: Path,
    *,
    admin_password: str | None = None,
    billy_transport: httpx2.BaseTransport | None = None,
    template: Path | None = None,
) -> Runtime:
    """A runtime on a fresh SQLite file; a copy of a migrated `template` saves the migration."""
    if template is not None:
        shutil.copyfile(template, tmp_path / "billysync.db")
    process = ProcessSettings(
        data_dir=tmp_path,
        database_url=None,
        secret_key_file=None,
        admin_password=admin_password,
        public_url=PUBLIC_URL,
        billy_base_url="https://billy.invalid/v2",
    )
    rt = Runtime.from_settings(process, billy_transport=billy_transport)
    if template is None:
        rt.db.migrate()
    return rt


def migrated_template(folder: Path) -> Path:
    """A database file at the newest schema, to copy for each test."""
    from billysync.store.db import Database

    path = folder / "template.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    database.dispose()
    return path


def client_for(rt: Runtime, **app_options: object) -> TestClient:
    # https, because the session cookie is Secure when the public URL is https.
    app = create_app(rt, **app_options)  # type: ignore[arg-type]
    return TestClient(app, base_url="https://testserver", headers={"Accept-Language": "en"})


# A cheap argon2 hash for the fixtures: verification reads the cost from the hash itself, so
# logging in stays the real code path while each test saves ~0.3 s. The first-run and
# configured-password tests use the service's own hashing.
_CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_cheap_hashes: dict[str, str] = {}


def set_password(rt: Runtime, password: str = PASSWORD) -> None:
    if password not in _cheap_hashes:
        _cheap_hashes[password] = _CHEAP.hash(password)
    with rt.db.session() as session:
        user = security.admin_user(session)
        if user is None:
            session.add(
                AdminUser(username=security.ADMIN_USERNAME, password_hash=_cheap_hashes[password])
            )
        else:
            user.password_hash = _cheap_hashes[password]


def csrf_from(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


def csrf_of(client: TestClient, url: str = "/shops") -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return csrf_from(page.text)


def log_in(client: TestClient, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    token = csrf_from(client.get("/login").text)
    answer = client.post(
        "/login", data={"password": password, "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client)


def add_shop(
    client: TestClient, csrf: str, name: str = "Butik A", platform: str = "shoporama"
) -> tuple[int, str]:
    """Add a shop through the page; (its id, the API token shown once). A Shoporama shop goes
    straight to its settings (it never needs the JSON API); its token is made here by the
    rotation a merchant could still ask for at /shops/{id}/token."""
    page = client.post("/shops", data={"name": name, "platform": platform, "csrf_token": csrf})
    assert page.status_code == 200, page.text
    if platform == "shoporama":
        assert page.url.path.endswith("/settings"), page.url
        assert 'id="api-token"' not in page.text
        shop_id = int(page.url.path.split("/")[2])
        rotated = client.post(f"/shops/{shop_id}/token", data={"csrf_token": csrf})
        return shop_id, re.search(r'id="api-token">([^<]+)<', rotated.text).group(1)  # type: ignore[union-attr]
    shop_id = int(re.search(r"/shops/(\d+)/settings", page.text).group(1))  # type: ignore[union-attr]
    token = re.search(r'id="api-token">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]
    return shop_id, token


def shop_row(rt: Runtime, shop_id: int) -> Shop | None:
    with rt.db.session() as session:
        shop = session.get(Shop, shop_id)
        if shop is not None:
            session.expunge(shop)
        return shop


def seen(answer: httpx2.Response) -> str:
    """The page's text as a reader sees it (HTML entities decoded)."""
    return html.unescape(answer.text)
