"""The Shoporama webhook receiver and the JSON API: authenticated, fast, store-then-work."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.store.tables import InboxEvent, Transfer
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import add_shop

SECRET = "whsec-test-7d1f"


def _events(rt: Runtime) -> list[InboxEvent]:
    with rt.db.session() as session:
        return list(session.query(InboxEvent).order_by(InboxEvent.id))


def _sign(body: bytes, secret: str = SECRET) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _body(
    event: str = "paid", order_id: int = 123456, modified: str = "2025-03-04 14:06:10"
) -> bytes:
    data = {"order_id": order_id, "webshop_order_id": 10234, "last_modified": modified}
    return json.dumps({"event": event, "webshop_id": 1, "data": data}).encode()


@pytest.fixture
def shoporama_shop(admin: tuple[TestClient, str], rt: Runtime) -> int:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Shoporama-butik", "shoporama")
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_shop_connection(shop, rt.box, webhook_secret=SECRET)
    return shop_id


def _deliver(
    client: TestClient, shop_id: int, body: bytes, signature: str | None, **headers: str
) -> Any:
    sent = {"Content-Type": "application/json", **headers}
    if signature is not None:
        sent["X-Shoporama-Signature"] = signature
    return client.post(f"/hooks/shoporama/{shop_id}", content=body, headers=sent)


def test_signed_webhook_is_stored_once_and_acknowledged(
    anonymous: TestClient, rt: Runtime, shoporama_shop: int, billy: BillyEmulator
) -> None:
    calls_before = len(billy.journal)
    body = _body()
    first = _deliver(anonymous, shoporama_shop, body, _sign(body))
    assert first.status_code == 202 and first.json()["status"] == "accepted"
    again = _deliver(anonymous, shoporama_shop, body, _sign(body))
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    [event] = _events(rt)
    assert (event.shop_id, event.source, event.event_name) == (shoporama_shop, "webhook", "paid")
    assert (event.object_type, event.object_key) == ("order", "123456")
    assert event.payload == body.decode()
    assert len(billy.journal) == calls_before  # no Billy call in the request


def test_webhook_needs_no_session_but_a_signature(
    anonymous: TestClient, rt: Runtime, shoporama_shop: int, caplog: pytest.LogCaptureFixture
) -> None:
    body = _body()
    with caplog.at_level(logging.WARNING, logger="billysync.web.routes.hooks"):
        unsigned = _deliver(anonymous, shoporama_shop, body, None)
        wrong = _deliver(anonymous, shoporama_shop, body, _sign(body, "another secret"))
        tampered = _deliver(anonymous, shoporama_shop, _body(order_id=999), _sign(body))
    assert [r.status_code for r in (unsigned, wrong, tampered)] == [401, 401, 401]
    assert _events(rt) == []
    refusals = [r for r in caplog.records if "webhook refused" in r.getMessage()]
    assert len(refusals) == 3
    assert all(SECRET not in r.getMessage() and "123456" not in r.getMessage() for r in refusals)


def test_signature_header_name_is_the_shops_setting(
    anonymous: TestClient, rt: Runtime, shoporama_shop: int
) -> None:
    with rt.db.session() as session:
        shop = shops.get_shop(session, shoporama_shop)
        assert shop is not None
        shop.signature_header = "X-Webhook-Signature"
    body = _body()
    default_header = _deliver(anonymous, shoporama_shop, body, _sign(body))
    assert default_header.status_code == 401
    ok = _deliver(anonymous, shoporama_shop, body, None, **{"X-Webhook-Signature": _sign(body)})
    assert ok.status_code == 202


def test_webhook_for_an_unknown_shop_or_one_without_secret_is_refused(
    admin: tuple[TestClient, str], rt: Runtime
) -> None:
    client, csrf = admin
    generic, _ = add_shop(client, csrf, "Generic", "generic")
    body = _body()
    for shop_id in (generic, generic + 100):
        assert _deliver(client, shop_id, body, _sign(body)).status_code == 401
    assert _events(rt) == []


def test_oversized_webhook_is_refused_before_reading(
    anonymous: TestClient, rt: Runtime, shoporama_shop: int
) -> None:
    big = b'{"event":"paid","data":{"order_id":1,"pad":"' + b"x" * (1 << 20) + b'"}}'
    answer = _deliver(anonymous, shoporama_shop, big, _sign(big))
    assert answer.status_code == 413

    def chunks() -> Any:  # no Content-Length: counted while it streams in
        for _ in range(20):
            yield b"x" * 65536

    streamed = anonymous.post(
        f"/hooks/shoporama/{shoporama_shop}",
        content=chunks(),
        headers={"X-Shoporama-Signature": "00"},
    )
    assert streamed.status_code == 413
    assert _events(rt) == []


def test_unknown_and_irrelevant_events_are_acknowledged_and_ignored(
    anonymous: TestClient, rt: Runtime, shoporama_shop: int
) -> None:
    for event in ("newsletter_subscribe", "stock", "category"):
        body = _body(event=event)
        answer = _deliver(anonymous, shoporama_shop, body, _sign(body))
        assert answer.status_code == 202 and answer.json()["status"] == "ignored"
    garbled = b"not json"
    assert _deliver(anonymous, shoporama_shop, garbled, _sign(garbled)).status_code == 400
    assert _events(rt) == []


# --- the JSON API -------------------------------------------------------------------------


ORDER = {
    "key": "A-1",
    "number": "1001",
    "created_at": "2025-03-04T14:05:49+01:00",
    "paid_at": "2025-03-04T14:06:10+01:00",
    "customer": {"key": "c-1", "name": "Jens Hansen", "country": "DK"},
    "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": "89.00"}],
    "total": 89,
}


@pytest.fixture
def api(admin: tuple[TestClient, str]) -> tuple[TestClient, int, str]:
    client, csrf = admin
    shop_id, token = add_shop(client, csrf, "API-butik", "generic")
    client.post("/logout", data={"csrf_token": csrf})  # the API needs no session
    return client, shop_id, token


def test_put_order_stores_one_event_and_answers_202(
    api: tuple[TestClient, int, str], rt: Runtime, billy: BillyEmulator
) -> None:
    client, shop_id, token = api
    calls_before = len(billy.journal)
    auth = {"Authorization": f"Bearer {token}"}
    first = client.put("/api/v1/orders/A-1", json=ORDER, headers=auth)
    assert first.status_code == 202, first.text
    assert first.json()["status"] == "accepted"
    again = client.put("/api/v1/orders/A-1", json=ORDER, headers=auth)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    [event] = _events(rt)
    assert (event.shop_id, event.source, event.object_type, event.object_key) == (
        shop_id,
        "api",
        "order",
        "A-1",
    )
    assert event.dedupe_key == hashlib.sha256(event.payload.encode()).hexdigest()
    assert json.loads(event.payload)["lines"][0]["unit_price"] == "89.00"
    state = client.get("/api/v1/orders/A-1", headers=auth)
    assert state.status_code == 200 and state.json()["state"] == "received"
    assert len(billy.journal) == calls_before  # no Billy call in the request


def test_changed_order_is_a_new_event(api: tuple[TestClient, int, str], rt: Runtime) -> None:
    client, _, token = api
    auth = {"Authorization": f"Bearer {token}"}
    client.put("/api/v1/orders/A-1", json=ORDER, headers=auth)
    shipped = {**ORDER, "shipped_at": "2025-03-05T09:00:00+01:00"}
    assert client.put("/api/v1/orders/A-1", json=shipped, headers=auth).status_code == 202
    assert len(_events(rt)) == 2


def test_invalid_order_names_each_field_and_stores_nothing(
    api: tuple[TestClient, int, str], rt: Runtime
) -> None:
    client, _, token = api
    bad = {
        **ORDER,
        "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 0, "unit_price": "abc"}],
        "currency": "kroner",
        "colour": "red",
    }
    del bad["total"]
    answer = client.put(
        "/api/v1/orders/A-1", json=bad, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 422
    problems = {p["field"]: p["problem"] for p in answer.json()["errors"]}
    assert "must be more than 0" in problems["lines.0.quantity"]
    assert "lines.0.unit_price" in problems
    assert "ISO 4217" in problems["currency"]
    assert problems["total"] == "add it: it is required"
    assert problems["colour"] == "remove it: there is no such field"
    assert "Nothing was stored" in answer.json()["detail"]
    assert _events(rt) == []
    with rt.db.session() as session:
        assert session.query(Transfer).count() == 0


def test_body_key_must_match_the_url(api: tuple[TestClient, int, str], rt: Runtime) -> None:
    client, _, token = api
    answer = client.put(
        "/api/v1/orders/B-2", json=ORDER, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "key"
    assert _events(rt) == []


def test_api_needs_the_shops_token(api: tuple[TestClient, int, str], rt: Runtime) -> None:
    client, _, token = api
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": token}):
        answer = client.put("/api/v1/orders/A-1", json=ORDER, headers=headers)
        assert answer.status_code == 401 and answer.headers["WWW-Authenticate"] == "Bearer"
    assert _events(rt) == []


def test_a_token_never_reads_another_shops_order(
    admin: tuple[TestClient, str], rt: Runtime
) -> None:
    client, csrf = admin
    _, token_a = add_shop(client, csrf, "A", "generic")
    _, token_b = add_shop(client, csrf, "B", "generic")
    put = client.put(
        "/api/v1/orders/A-1", json=ORDER, headers={"Authorization": f"Bearer {token_a}"}
    )
    assert put.status_code == 202
    assert (
        client.get("/api/v1/orders/A-1", headers={"Authorization": f"Bearer {token_b}"}).status_code
        == 404
    )


def test_returns_and_products_are_received(api: tuple[TestClient, int, str], rt: Runtime) -> None:
    client, _, token = api
    auth = {"Authorization": f"Bearer {token}"}
    ret = {
        "key": "R-1",
        "order_key": "A-1",
        "order_number": "1001",
        "date": "2025-03-10",
        "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 1, "unit_price": 89}],
        "amount": 89,
    }
    product = {"key": "P-1", "item_number": "MUG-01", "name": "Mug", "price": "89.00"}
    assert client.put("/api/v1/returns/R-1", json=ret, headers=auth).status_code == 202
    assert client.put("/api/v1/products/P-1", json=product, headers=auth).status_code == 202
    empty = {**ret, "key": "R-2", "lines": []}
    refused = client.put("/api/v1/returns/R-2", json=empty, headers=auth)
    assert refused.status_code == 422 and "at least one line" in refused.text
    assert [(e.object_type, e.object_key) for e in _events(rt)] == [
        ("return", "R-1"),
        ("product", "P-1"),
    ]


def test_api_is_documented_in_openapi(anonymous: TestClient) -> None:
    spec = anonymous.get("/openapi.json").json()
    put = spec["paths"]["/api/v1/orders/{key}"]["put"]
    assert put["summary"] and put["description"]
    assert "422" in put["responses"] and "202" in put["responses"]
    examples = put["requestBody"]["content"]["application/json"]["examples"]
    assert "paid" in examples
    assert "/api/v1/returns/{key}" in spec["paths"] and "/api/v1/products/{key}" in spec["paths"]
    assert "/shops" not in spec["paths"]  # admin pages are not part of the API
