"""The emulator's REST API under `/REST/`: what a client sees of Shoporama.

Read-only (billysync never writes to Shoporama). Served as the reference describes:
- `Authorization: Shoporama <token>` (also `Bearer <token>` and the bare token, DOC S2);
  without a valid token: 401, and the call is not counted;
- a daily call counter per token (UTC day of the emulator's clock): past the limit every
  call answers 429 with a plain-text body (Shoporama's real answer is undocumented);
- lists as `{"paging": {offset, limit, count, total}, "<plural>": [...]}`, oldest id first,
  `limit` at most 100; `category` and `shipping` as bare arrays without paging;
- `last_modified=<ISO time>` keeps items changed at or after it (Danish local time);
  `search=` on products, `customer_id=` on orders; single objects bare; 404 as plain text.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from billysync.emulators.shoporama import catalogue as C
from billysync.emulators.shoporama.activity import ShopActivity

Payload = dict[str, Any]
MAX_LIMIT = 100
# resource → (id field, plural list key); None = answered as a bare array
LISTS: dict[str, tuple[str, str | None]] = {
    "product": ("product_id", "products"),
    "order": ("order_id", "orders"),
    "order-return": ("order_return_id", "order_returns"),
    "customer": ("customer_id", "customers"),
    "category": ("category_id", None),
    "shipping": ("shipping_id", None),
}


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def _json(status: int, data: object) -> Answer:
    body = json.dumps(data).encode()  # PHP-like: non-ASCII as \u escapes
    return Answer(status, body, {"Content-Type": "application/json; charset=utf-8"})


def _text(status: int, message: str, **headers: str) -> Answer:
    return Answer(status, message.encode(), {"Content-Type": "text/plain", **headers})


class RestApi:
    def __init__(
        self,
        shop: ShopActivity,
        *,
        token: str,
        daily_limit: int,
        now: Callable[[], datetime],
    ) -> None:
        self.shop = shop
        self.token = token
        self.daily_limit = daily_limit
        self._now = now
        self.calls: dict[tuple[str, date], int] = {}

    def calls_today(self, token: str | None = None) -> int:
        return self.calls.get((token or self.token, self._today()), 0)

    def handle(
        self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str]
    ) -> Answer:
        token = self._token(headers)
        if token is None:
            return _text(401, "Unauthorized: send Authorization: Shoporama <token>")
        key = (token, self._today())
        self.calls[key] = self.calls.get(key, 0) + 1
        if self.calls[key] > self.daily_limit:
            midnight = datetime.combine(self._today() + timedelta(days=1), time(), tzinfo=UTC)
            wait = int((midnight - self._now().astimezone(UTC)).total_seconds())
            return _text(
                429,
                f"Too many requests: daily limit of {self.daily_limit} calls reached",
                **{"Retry-After": str(max(wait, 1))},
            )
        if method != "GET":
            return _text(405, "Method not allowed: the emulator is read-only")
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[0].upper() != "REST":
            return _text(404, "Not found")
        resource, rest = parts[1], parts[2:]
        if resource == "self" and not rest:
            return _json(200, self._self())
        if resource not in LISTS or len(rest) > 1:
            return _text(404, "Not found")
        id_field, plural = LISTS[resource]
        items = self._items(resource)
        if rest:
            found = next((i for i in items if str(i.get(id_field)) == rest[0]), None)
            return _json(200, found) if found is not None else _text(404, "Not found")
        items = _filtered(resource, items, query)
        if plural is None:
            return _json(200, items)
        try:
            limit = min(max(int(query.get("limit", MAX_LIMIT)), 1), MAX_LIMIT)
            offset = max(int(query.get("offset", 0)), 0)
        except ValueError:
            return _text(400, "limit and offset must be whole numbers")
        page = items[offset : offset + limit]
        paging = {"offset": offset, "limit": limit, "count": len(page), "total": len(items)}
        return _json(200, {"paging": paging, plural: page})

    def _items(self, resource: str) -> list[Payload]:
        shop = self.shop
        if resource == "category":
            return list(shop.categories)
        if resource == "shipping":
            return [
                {"shipping_id": i, "name": name, "price": float(dkk)}
                for i, name, dkk, _ in C.SHIPPING_METHODS
            ]
        source = {
            "product": shop.products,
            "order": shop.orders,
            "order-return": shop.returns,
            "customer": shop.customers,
        }[resource]
        return [source[key] for key in sorted(source)]

    def _self(self) -> Payload:
        return {
            "webshop_id": 1,
            "name": "Nordisk Hjem",
            "url": "https://nordiskhjem.example",
            "currency": self.shop.currency,
            "daily_limit": self.daily_limit,
            "current_usage": self.calls_today(),
        }

    def _token(self, headers: Mapping[str, str]) -> str | None:
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        parts = value.strip().split(None, 1)
        if len(parts) == 2 and parts[0].lower() in ("shoporama", "bearer"):
            candidate = parts[1].strip()
        elif len(parts) == 1:
            candidate = parts[0]
        else:
            return None
        return candidate if hmac.compare_digest(candidate, self.token) else None

    def _today(self) -> date:
        return self._now().astimezone(UTC).date()


def _filtered(resource: str, items: list[Payload], query: Mapping[str, str]) -> list[Payload]:
    since = query.get("last_modified")
    if since:
        cutoff = since.strip().replace("T", " ")[:19]
        if len(cutoff) == 10:
            cutoff += " 00:00:00"
        # Both sides are Shoporama's "YYYY-MM-DD HH:MM:SS" in Danish time: text order is time order.
        items = [i for i in items if str(i.get("last_modified") or "") >= cutoff]
    search = query.get("search")
    if resource == "product" and search:
        items = [i for i in items if search.lower() in str(i.get("name", "")).lower()]
    customer_id = query.get("customer_id")
    if resource == "order" and customer_id:
        items = [i for i in items if str(i.get("customer_id")) == customer_id]
    return items
