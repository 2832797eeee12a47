"""Shoporama webhooks: check the signature, read the event, compute its dedupe key.

Pure functions for the HTTP receiver in `web/`: it reads the raw body (at most
`MAX_BODY_BYTES`), calls `verify_signature` with the header Shoporama signed it in, then
`parse_event`, stores the event under `dedupe_key` and answers 2xx at once. The event is
only a hint: the workflow re-reads the object over REST before acting.

What Shoporama publishes (docs/shoporama-api.md §6): every webhook has its own secret and every call
is signed with it. What it does not: the header name, the algorithm and the encoding. We
assume HMAC-SHA256 over the raw body, accept hex and base64 (with or without a `sha256=`
prefix), and make the header name a setting (default `X-Shoporama-Signature`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from billysync.shop import bounds
from billysync.shop.errors import ShopDataError
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama import values as V

MAX_BODY_BYTES = 1 << 20
MAX_EVENT_NAME = 50  # inbox_events.event_name
SIGNATURE_HEADER = F.SIGNATURE_HEADER
_PREFIXES = ("sha256=", "hmac-sha256=")

# What each event is about, and which field holds that object's id.
_OBJECT_OF_EVENT: dict[str, tuple[str, tuple[str, ...]]] = {
    **{name: ("order", (F.ORDER_ID,)) for name in F.ORDER_EVENTS},
    F.EVENT_NEW_RETURN: ("return", (F.RETURN_ID,)),
    F.EVENT_PRODUCT: ("product", (F.PRODUCT_ID,)),
    F.EVENT_STOCK: ("stock", (F.PRODUCT_ID, F.STOCK_ITEM_NUMBER)),
    F.EVENT_CATEGORY: ("category", ("category_id",)),
    F.EVENT_CUSTOMER_CREATED: ("customer", (F.CUSTOMER_ID,)),
}
_ANY_ID = (F.ORDER_ID, F.PRODUCT_ID, F.CUSTOMER_ID, "id")


class InvalidWebhook(ShopDataError):
    """A webhook body we cannot read; answer 400 and keep the reason in the log."""


@dataclass(frozen=True)
class WebhookEvent:
    name: str  # Shoporama's event name, e.g. "paid"; kept as sent for unknown events
    object_type: str  # order | return | product | stock | category | customer | unknown
    object_id: str | None  # the announced object's id, when the body names one
    last_modified: datetime | None  # the object's last_modified, when sent
    dedupe_key: str  # sha256 hex of (event, object id, last_modified or the body's hash)
    data: Mapping[str, Any]  # the object as sent (a hint only; re-read it over REST)


def signature_from_headers(
    headers: Mapping[str, str], header_name: str = SIGNATURE_HEADER
) -> str | None:
    """The signature header's value, whatever the case of its name."""
    wanted = header_name.lower()
    for name, value in headers.items():
        if name.lower() == wanted:
            return value
    return None


def verify_signature(raw_body: bytes, header_value: str | None, secret: str) -> bool:
    """True when `header_value` is HMAC-SHA256(secret, raw_body) in hex or base64."""
    if not header_value or not secret:
        return False
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).digest()
    claimed = _decode_signature(header_value.strip())
    if claimed is None:
        return False
    return hmac.compare_digest(expected, claimed)


def _decode_signature(value: str) -> bytes | None:
    for prefix in _PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
            break
    if len(value) == 64:
        try:
            return bytes.fromhex(value)
        except ValueError:
            pass  # 64 characters of base64 are possible in theory; try that next
    padded = value + "=" * (-len(value) % 4)
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            return decode(padded.encode("ascii"))
        except (binascii.Error, ValueError, UnicodeEncodeError):
            continue
    return None


def parse_event(raw_body: bytes, query_params: Mapping[str, str] | None = None) -> WebhookEvent:
    """The event in a delivery. The name comes from the body, else from `?type=` (apps)."""
    if len(raw_body) > MAX_BODY_BYTES:
        raise InvalidWebhook(f"the body is larger than {MAX_BODY_BYTES} bytes")
    try:
        # UTF-8 only, as JSON between systems must be (RFC 8259 §8.1): Python would also read
        # UTF-16, whose text then is not what we store.
        text = raw_body.decode("utf-8-sig")
        body = json.loads(text) if text.strip() else {}
    except (ValueError, RecursionError) as exc:
        # ValueError covers invalid UTF-8 and bad JSON; RecursionError a nesting deeper than
        # Python's stack (e.g. 100,000 open brackets). Either way: not a body we can read.
        raise InvalidWebhook(f"the body is not UTF-8 JSON we can read: {exc}") from exc
    if not isinstance(body, dict):
        raise InvalidWebhook("the body is not a JSON object")

    name = _event_name(body, query_params or {})
    data = _object(body)
    object_type, id_fields = _OBJECT_OF_EVENT.get(name, ("unknown", _ANY_ID))
    object_id = _first_id(data, id_fields)
    if object_type == "return" and object_id is None and _first_id(data, (F.ORDER_ID,)):
        # A return event that carries only its order: the order's returns are re-read.
        object_type, object_id = "order", _first_id(data, (F.ORDER_ID,))
    _check_bounded("event name", name, MAX_EVENT_NAME)
    if object_id is not None:
        _check_bounded(f"{object_type} id", object_id, bounds.MAX_KEY)
    for text in (name, object_id or ""):
        if not _storable(text):
            raise InvalidWebhook(
                "the event name or the object's id has a NUL character or a lone UTF-16 "
                "surrogate (e.g. \\ud800): send them as plain UTF-8 text"
            )
    raw_changed = data.get(F.LAST_MODIFIED)
    try:
        last_modified = V.timestamp(raw_changed)
    except (V.BadValue, OverflowError, OSError, ValueError):
        # A time no calendar holds (e.g. 1e308 seconds) is no version; the body's hash is.
        last_modified = None
    version = str(raw_changed) if last_modified else hashlib.sha256(raw_body).hexdigest()
    dedupe = hashlib.sha256(f"{name}\n{object_id or ''}\n{version}".encode()).hexdigest()
    return WebhookEvent(name, object_type, object_id, last_modified, dedupe, data)


def _storable(text: str) -> bool:
    """Text a database column holds: no NUL (PostgreSQL refuses it) and valid UTF-8."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_bounded(what: str, value: str, max_length: int) -> None:
    """Ids and names are stored as they are: bounded like the canonical models' keys."""
    try:
        bounds.one_line(value)
    except ValueError as exc:
        raise InvalidWebhook(f"the {what} {exc}") from None
    if len(value) > max_length:
        raise InvalidWebhook(
            f"the {what} has {len(value)} characters; at most {max_length} are stored"
        )


def _event_name(body: Mapping[str, Any], query: Mapping[str, str]) -> str:
    for key in F.WEBHOOK_EVENT_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    value = query.get(F.WEBHOOK_QUERY_TYPE)
    if value and value.strip():
        return value.strip()
    raise InvalidWebhook(
        "the delivery names no event (no 'event' in the body, no ?type= in the URL)"
    )


def _object(body: Mapping[str, Any]) -> Mapping[str, Any]:
    for key in F.WEBHOOK_OBJECT_KEYS:
        value = body.get(key)
        if isinstance(value, Mapping):
            return value
    return body  # a bare object: the event's data is the body itself


def _first_id(data: Mapping[str, Any], id_fields: tuple[str, ...]) -> str | None:
    for field in id_fields:
        raw = data.get(field)
        try:
            value = V.identifier(raw) if not isinstance(raw, dict | list) else None
        except V.BadValue:
            continue
        if value:
            return value
    return None
