"""The JSON API's strict edge, on SQLite and PostgreSQL: every bad input issues 9 and 10 found
is answered 4xx naming the field in plain words, and nothing is stored (no inbox event, no
transfer) and nothing reaches Billy. Also: bad JSON says "line L, column C"; an order's state
over the API shows whether the newest push was worked and a time zone on every time.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.store.tables import InboxEvent, Shop, Transfer
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import PUBLIC_URL, add_shop, client_for, log_in, set_password

ORDER: dict[str, Any] = {
    "key": "A-1",
    "number": "1001",
    "created_at": "2025-03-04T14:05:49+01:00",
    "paid_at": "2025-03-04T14:06:10+01:00",
    "customer": {"key": "c-1", "name": "Jens Hansen", "country": "DK"},
    "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 2, "unit_price": "89.00"}],
    "shipping": {"method": "GLS", "price": 39},
    "discounts": [{"code": "JUL10", "amount": "10.00"}],
    "gift_cards": [{"code": "GC1", "amount": "20.00"}],
    "total": "187.00",
}

# (what, change as {dotted path: value}, the field the 422 must name)
BAD: list[tuple[str, dict[str, Any], str]] = [
    ("1e308 price", {"lines.0.unit_price": 1e308}, "lines.0.unit_price"),
    ("year 9999", {"created_at": "9999-12-31T23:59:59+00:00"}, "created_at"),
    ("number longer than its column", {"number": "9" * 101}, "number"),
    ("NUL in the number", {"number": "10\u000001"}, "number"),
    ("NUL in the customer's name", {"customer.name": "Jens\u0000"}, "customer.name"),
    ("currency XYZ", {"currency": "XYZ"}, "currency"),
    ("country XX", {"customer.country": "XX"}, "customer.country"),
    ("negative unit price", {"lines.0.unit_price": -89}, "lines.0.unit_price"),
    ("negative shipping", {"shipping.price": -39}, "shipping.price"),
    ("negative discount", {"discounts.0.amount": -10}, "discounts.0.amount"),
    ("negative gift card", {"gift_cards.0.amount": -20}, "gift_cards.0.amount"),
    ("10,000 lines", {"lines": [ORDER["lines"][0]] * 10_000}, "lines"),
]


def changed(change: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(ORDER)
    for path, value in change.items():
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return data


@pytest.fixture
def api(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Runtime]]:
    """A shop's API client (with its token) on a fresh database of either kind."""
    billy = BillyEmulator(seed=3)
    process = ProcessSettings(data_dir=tmp_path, database_url=database_url, public_url=PUBLIC_URL)
    rt = Runtime.from_settings(process, billy_transport=billy.transport())
    rt.db.migrate()
    set_password(rt)
    with client_for(rt) as client:
        csrf = log_in(client)
        _, token = add_shop(client, csrf, "API-butik", "generic")
        client.post("/logout", data={"csrf_token": csrf})
        yield client, {"Authorization": f"Bearer {token}"}, rt
    assert len(billy.journal) == 0, "nothing may reach Billy from the edge"
    rt.db.dispose()


def stored(rt: Runtime) -> tuple[int, int]:
    with rt.db.session() as session:
        return session.query(InboxEvent).count(), session.query(Transfer).count()


def test_every_bad_input_is_refused_naming_the_field_and_nothing_is_stored(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    client, auth, rt = api
    wrong = []
    for what, change, field in BAD:
        answer = client.put("/api/v1/orders/A-1", json=changed(change), headers=auth)
        fields = [p["field"] for p in answer.json().get("errors", [])]
        if answer.status_code != 422 or fields != [field]:
            wrong.append(f"{what}: {answer.status_code} {fields} {answer.text[:300]}")
        elif "Input should" in answer.text or "Nothing was stored" not in answer.text:
            wrong.append(f"{what}: not in plain words: {answer.text[:300]}")
    assert wrong == []
    assert stored(rt) == (0, 0)
    # The same order without the faults is taken (the refusals were about the values).
    assert client.put("/api/v1/orders/A-1", json=ORDER, headers=auth).status_code == 202
    assert stored(rt) == (1, 1)


def test_duplicate_keys_nan_and_bad_json_are_refused_with_where(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    client, auth, rt = api
    headers = {**auth, "Content-Type": "application/json"}
    text = json.dumps(ORDER)
    twice = text.replace('"total": "187.00"', '"total": "187.00", "total": "1.00"')
    nested = text.replace('"quantity": 2', '"quantity": 2, "quantity": 20')
    cases = {
        "duplicate total": (twice, "total", "appears twice"),
        "duplicate in a line": (nested, "lines.0.quantity", "appears twice"),
        "NaN": (text.replace('"187.00"', "NaN"), "", "NaN is not a JSON number"),
        "bad JSON": ('{"key": "A-1",, }', "", "line 1, column 15"),
        "bad JSON on line 3": ('{\n"key": "A-1",\n"number": 1001 "x"}', "", "line 3, column 16"),
        "not UTF-8": (b'{"key": "\xff"}', "", "not UTF-8"),
        "empty": ("", "", "empty"),
    }
    for what, (body, field, words) in cases.items():
        answer = client.put("/api/v1/orders/A-1", content=body, headers=headers)
        assert answer.status_code == 422, what
        [problem] = answer.json()["errors"]
        assert problem["field"] == field, what
        assert words in problem["problem"], (what, problem)
    assert stored(rt) == (0, 0)


def test_a_bad_key_in_the_url_is_refused_not_looked_up(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    client, auth, _ = api
    for key in ("%00", "K" * 101):
        answer = client.get(f"/api/v1/orders/{key}", headers=auth)
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "url: key"


def test_the_state_over_the_api_shows_pushes_and_time_zones(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    client, auth, rt = api
    assert client.put("/api/v1/orders/A-1", json=ORDER, headers=auth).status_code == 202
    first = client.get("/api/v1/orders/A-1", headers=auth).json()
    assert first["versions_received"] == 1
    assert first["latest_push"]["status"] == "new"  # stored, not worked yet
    assert first["updated_at"].endswith("Z") or first["updated_at"].endswith("+00:00")
    assert first["latest_push"]["received_at"].endswith(("Z", "+00:00"))
    assert first["changed_after_invoicing"] is False

    shipped = {**ORDER, "shipped_at": "2025-03-05T09:00:00+01:00"}
    assert client.put("/api/v1/orders/A-1", json=shipped, headers=auth).status_code == 202
    second = client.get("/api/v1/orders/A-1", headers=auth).json()
    assert second["versions_received"] == 2
    assert second["latest_push"]["event_id"] > first["latest_push"]["event_id"]

    # What the engine records after invoicing, and after a change that Billy does not have
    # (the columns the engine writes; the API only reads them).
    with rt.db.session() as session:
        row = session.query(Transfer).filter_by(object_key="A-1").one()
        row.state, row.reason = "paid", "order 1001 changed after it was invoiced"
        row.snapshot_hash, row.transferred_hash = "v2", "v1"
    third = client.get("/api/v1/orders/A-1", headers=auth).json()
    assert third["state"] == "paid" and third["changed_after_invoicing"] is True
    assert "changed after" in third["reason"]


def test_webhook_ids_are_bounded_like_the_api_keys(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    """A signed Shoporama delivery whose order id cannot be stored is a 400, not a 500, and
    is never cut short to fit (two long ids would become one order)."""
    client, _, rt = api
    with rt.db.session() as session:
        shop = session.query(Shop).one()
        shop.platform = "shoporama"
        shops.set_shop_connection(shop, rt.box, webhook_secret="edge-secret")
        shop_id = shop.id
    bad_ids = {"NUL": "12\u00003", "too long": "7" * 101, "line break": "12\n3"}
    for what, order_id in bad_ids.items():
        body = json.dumps({"event": "paid", "data": {"order_id": order_id}}).encode()
        signature = hmac.new(b"edge-secret", body, hashlib.sha256).hexdigest()
        answer = client.post(
            f"/hooks/shoporama/{shop_id}",
            content=body,
            headers={"X-Shoporama-Signature": signature, "Content-Type": "application/json"},
        )
        assert answer.status_code == 400, (what, answer.text)
        assert "order id" in answer.json()["detail"], what
    assert stored(rt) == (0, 0)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_fuzzed_bodies_are_answered_202_or_422_never_500(
    api: tuple[TestClient, dict[str, str], Runtime],
) -> None:
    """Random values in the order's own fields: taken or refused in words, never a crash."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    client, auth, _ = api
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
        st.sampled_from(["", "DKK", "XYZ", "XX", "9999-12-31", "1e308", "-1", "\u0000", "ø"]),
    )
    paths = [
        "number", "currency", "created_at", "paid_at", "total", "customer.country",
        "customer.name", "lines.0.quantity", "lines.0.unit_price", "lines.0.item_number",
        "shipping.price", "discounts.0.amount", "gift_cards.0.code",
    ]  # fmt: skip

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.dictionaries(st.sampled_from(paths), scalars, min_size=1, max_size=4))
    def send(change: dict[str, Any]) -> None:
        answer = client.put("/api/v1/orders/A-1", json=changed(change), headers=auth)
        assert answer.status_code in (200, 202, 422), (change, answer.text)
        if answer.status_code == 422:
            assert "Input should" not in answer.text, answer.text

    send()
