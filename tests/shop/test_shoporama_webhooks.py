"""Webhook signatures and events: what the receiver in web/ relies on."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest

from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama.webhooks import (
    MAX_BODY_BYTES,
    SIGNATURE_HEADER,
    InvalidWebhook,
    parse_event,
    signature_from_headers,
    verify_signature,
)

SECRET = "whsec-9d1e"
BODY = json.dumps(
    {"event": "paid", "webshop_id": 1,
     "data": {"order_id": 500001, "last_modified": "2025-03-04 15:00:00", "paid": 1}}
).encode()  # fmt: skip


def digest(body: bytes = BODY, secret: str = SECRET) -> bytes:
    return hmac.new(secret.encode(), body, hashlib.sha256).digest()


@pytest.mark.parametrize(
    "header",
    [
        digest().hex(),
        digest().hex().upper(),
        "sha256=" + digest().hex(),
        "SHA256=" + digest().hex(),
        base64.b64encode(digest()).decode(),
        "sha256=" + base64.b64encode(digest()).decode(),
        base64.urlsafe_b64encode(digest()).decode().rstrip("="),
        f"  {digest().hex()}  ",
    ],
    ids=["hex", "HEX", "prefix-hex", "PREFIX-hex", "base64", "prefix-base64", "urlsafe", "spaces"],
)
def test_good_signatures_are_accepted(header: str) -> None:
    assert verify_signature(BODY, header, SECRET)


def test_bad_signatures_are_refused() -> None:
    assert not verify_signature(BODY, digest(secret="another-secret").hex(), SECRET)
    assert not verify_signature(BODY.replace(b"500001", b"500002"), digest().hex(), SECRET)
    assert not verify_signature(BODY, None, SECRET)
    assert not verify_signature(BODY, "", SECRET)
    assert not verify_signature(BODY, digest().hex(), "")
    assert not verify_signature(BODY, "not a signature!", SECRET)
    assert not verify_signature(BODY, digest().hex()[:-2], SECRET)


def test_the_signature_header_is_found_whatever_its_case() -> None:
    headers = {"content-type": "application/json", SIGNATURE_HEADER.lower(): "abc"}
    assert signature_from_headers(headers) == "abc"
    assert signature_from_headers({"X-Sig": "def"}, "x-sig") == "def"
    assert signature_from_headers({"X-Other": "abc"}) is None


def envelope(event: str, **data: Any) -> bytes:
    return json.dumps({"event": event, "webshop_id": 1, "data": data}).encode()


@pytest.mark.parametrize(
    ("event", "data", "object_type", "object_id"),
    [
        ("order_created", {"order_id": 5}, "order", "5"),
        ("paid", {"order_id": "5"}, "order", "5"),
        ("new_status", {"order_id": 5, "status": "shipped"}, "order", "5"),
        ("order_withdrawn", {"order_id": 5}, "order", "5"),
        ("new_return", {"order_return_id": 9001, "order_id": 5}, "return", "9001"),
        ("new_return", {"order_id": 5}, "order", "5"),
        ("product", {"product_id": 196401}, "product", "196401"),
        ("stock", {"product_id": 196401, "own_id": "KOP-BLAA", "stock": 3}, "stock", "196401"),
        ("stock", {"own_id": "KOP-BLAA", "stock": 3}, "stock", "KOP-BLAA"),
        ("newsletter_subscribe", {"email": "a@b.dk"}, "unknown", None),
    ],
)
def test_events_name_their_object(
    event: str, data: dict[str, Any], object_type: str, object_id: str | None
) -> None:
    parsed = parse_event(envelope(event, **data))
    assert (parsed.name, parsed.object_type, parsed.object_id) == (event, object_type, object_id)
    assert parsed.data == data


def test_the_event_name_may_come_from_the_app_callback_url() -> None:
    bare = json.dumps({"order_id": 77, "last_modified": "2025-03-04 15:00:00"}).encode()
    parsed = parse_event(bare, {"type": "paid", "webshop_id": "1"})
    assert (parsed.name, parsed.object_type, parsed.object_id) == ("paid", "order", "77")
    assert parsed.last_modified is not None and parsed.last_modified.utcoffset() is not None


def test_dedupe_keys() -> None:
    first = parse_event(BODY)
    assert parse_event(bytes(BODY)).dedupe_key == first.dedupe_key  # the same delivery again
    later = envelope("paid", order_id=500001, last_modified="2025-03-04 16:00:00", paid=1)
    assert parse_event(later).dedupe_key != first.dedupe_key
    other_event = envelope("new_status", order_id=500001, last_modified="2025-03-04 15:00:00")
    assert parse_event(other_event).dedupe_key != first.dedupe_key
    # The same change re-serialised differently is still the same event.
    respaced = json.dumps(json.loads(BODY), indent=2).encode()
    assert parse_event(respaced).dedupe_key == first.dedupe_key
    assert len(first.dedupe_key) == 64


def test_without_last_modified_the_body_decides() -> None:
    one = envelope("stock", product_id=1, own_id="A", stock=3)
    two = envelope("stock", product_id=1, own_id="A", stock=2)
    assert parse_event(one).dedupe_key == parse_event(bytes(one)).dedupe_key
    assert parse_event(one).dedupe_key != parse_event(two).dedupe_key
    assert parse_event(one).last_modified is None


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", json.dumps({"order_id": 5}).encode(), b"\xff\xfe"],
    ids=["not-json", "array", "no-event", "not-utf8"],
)
def test_unreadable_deliveries(body: bytes) -> None:
    with pytest.raises(InvalidWebhook):
        parse_event(body)


def test_oversized_bodies_are_refused() -> None:
    padding = "x" * MAX_BODY_BYTES
    with pytest.raises(InvalidWebhook, match="larger"):
        parse_event(envelope("paid", order_id=1, note=padding))
    assert MAX_BODY_BYTES == 1 << 20


def test_known_event_names_come_from_the_fields_module() -> None:
    names = {F.EVENT_ORDER_CREATED, F.EVENT_PAID, F.EVENT_NEW_STATUS, F.EVENT_NEW_RETURN,
             F.EVENT_ORDER_WITHDRAWN, F.EVENT_PRODUCT, F.EVENT_STOCK}  # fmt: skip
    for name in names:
        assert parse_event(envelope(name, order_id=1)).object_type != "unknown"
