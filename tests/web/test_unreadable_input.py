"""Addresses no row can have answer 404; webhook bodies we cannot read answer 400; never 500.

On SQLite and PostgreSQL: a shop id above 2^63-1 (SQLite) or 2^31-1 (PostgreSQL's INTEGER)
used to reach the database and fail there.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billysync.config import ProcessSettings
from billysync.store import shops
from billysync.store.tables import InboxEvent
from billysync.sync.runtime import Runtime
from billysync.web.app import create_app
from tests.support.web_helpers import PUBLIC_URL, add_shop, log_in, set_password

SECRET = "whsec-unreadable-1"
TOO_BIG = str(2**63)
PAGES = (
    "/shops/{id}/settings",
    "/shops/{id}/orders",
    "/shops/{id}/orders/1001",
    "/shops/{id}/returns/R1",
    "/shops/{id}/failed",
    "/shops/{id}/check",
    "/shops/{id}/preview",
    "/shops/{id}/products",
    "/shops/{id}/token",
    "/shops/{id}/remove",
)


@pytest.fixture
def world(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, str, int, Runtime]]:
    """A logged-in client, its CSRF token, a Shoporama shop with a webhook secret."""
    settings_ = ProcessSettings(data_dir=tmp_path, database_url=database_url, public_url=PUBLIC_URL)
    rt = Runtime.from_settings(settings_)
    rt.db.migrate()
    set_password(rt)
    app = create_app(rt)
    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
        csrf = log_in(client)
        shop_id, _ = add_shop(client, csrf, "Butik", "shoporama")
        with rt.db.session() as session:
            shop = shops.get_shop(session, shop_id)
            assert shop is not None
            shops.set_shop_connection(shop, rt.box, webhook_secret=SECRET)
        yield client, csrf, shop_id, rt
    rt.db.dispose()


def _deliver(client: TestClient, shop_id: int | str, body: bytes) -> int:
    signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    answer = client.post(
        f"/hooks/shoporama/{shop_id}",
        content=body,
        headers={"X-Shoporama-Signature": signature, "Content-Type": "application/json"},
    )
    return answer.status_code


def test_ids_out_of_range_answer_404_on_every_page_and_the_webhook(
    world: tuple[TestClient, str, int, Runtime],
) -> None:
    client, csrf, _, _ = world
    for too_big in (TOO_BIG, str(2**31), "9" * 40, "0"):
        for page in PAGES:
            url = page.format(id=too_big)
            assert client.get(url).status_code == 404, url
        for action in ("/shops/{id}/settings", "/shops/{id}/remove", "/shops/{id}/token"):
            url = action.format(id=too_big)
            assert client.post(url, data={"csrf_token": csrf}).status_code == 404, url
        assert _deliver(client, too_big, b'{"event": "paid", "data": {"order_id": 1}}') == 404
    # The largest id a column holds is simply a shop that does not exist.
    largest = str(2**31 - 1)
    assert client.get(f"/shops/{largest}/settings").status_code == 404
    assert _deliver(client, largest, b'{"event": "paid"}') == 401


def test_keys_no_column_holds_answer_404(world: tuple[TestClient, str, int, Runtime]) -> None:
    client, _, shop_id, _ = world
    for key in ("A%00B", "K" * 201):
        assert client.get(f"/shops/{shop_id}/orders/{key}").status_code == 404, key
        assert client.get(f"/shops/{shop_id}/returns/{key}").status_code == 404, key


UNREADABLE = {
    "nested 100k deep": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "invalid UTF-8": b'{"event": "paid", "data": {"order_id": "\xff\xfe"}}',
    "lone surrogate escape": b'{"event": "paid\\ud800", "data": {"order_id": "\\udfff"}}',
    "not an object": b"[1, 2, 3]",
    "no event": b'{"data": {"order_id": 5}}',
    "truncated": b'{"event": "paid", "data": {',
    "NUL in the id": b'{"event": "paid", "data": {"order_id": "12\\u00003"}}',
    "NUL in the event": b'{"event": "pa\\u0000id", "data": {"order_id": 12}}',
    "huge integer": b'{"event": "paid", "data": {"order_id": ' + b"9" * 5000 + b"}}",
    "id longer than any key column": b'{"event": "paid", "data": {"order_id": "'
    + b"x" * 5000
    + b'"}}',
    "event name of 5000 characters": b'{"event": "' + b"e" * 5000 + b'", "data": {}}',
    # JSON between systems is UTF-8 (RFC 8259 §8.1); Python alone would also read UTF-16.
    "UTF-16": '{"event": "paid", "data": {"order_id": 12}}'.encode("utf-16"),
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_unreadable_webhook_bodies_answer_400(
    world: tuple[TestClient, str, int, Runtime], name: str
) -> None:
    client, _, shop_id, rt = world
    assert _deliver(client, shop_id, UNREADABLE[name]) == 400
    with rt.db.session() as session:
        assert session.query(InboxEvent).count() == 0


def test_odd_but_readable_bodies_are_stored_or_ignored(
    world: tuple[TestClient, str, int, Runtime],
) -> None:
    client, _, shop_id, _ = world
    odd = [
        {"event": "paid", "data": {"order_id": 7, "last_modified": 1e308}},
        {"event": "paid", "data": {"order_id": 8, "last_modified": -1e308}},
        {"event": "paid", "data": {"order_id": 9, "last_modified": "9999-12-31 23:59:59"}},
    ]
    for body in odd:
        assert _deliver(client, shop_id, json.dumps(body).encode()) in (200, 202), body
    infinite = b'{"event": "paid", "data": {"order_id": 11, "last_modified": Infinity}}'
    assert _deliver(client, shop_id, infinite) in (200, 202)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["event", "data", "order_id", "last_modified", "id", "x"]),
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ).map(lambda value: json.dumps(value).encode()),
    )
)
def test_no_signed_body_makes_the_receiver_fail(
    world: tuple[TestClient, str, int, Runtime], body: bytes
) -> None:
    client, _, shop_id, _ = world
    assert _deliver(client, shop_id, body) in (200, 202, 400)
