"""Shoporama's orders and returns of a period, listed over REST (reconciliation, backfill).

Listing asks for what changed since the period's first day (`last_modified`), so an order
created in the period is listed however often it changed since; every page is one call of
the daily budget (docs/shoporama-api.md §1.4), and a spent budget stops the listing with
Shoporama's own error, in words. Each order comes with the payload it was read from: the
backfill books from that copy and spends no further call on it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from billysync.shop.models import Order, Return
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama.client import ShoporamaClient
from billysync.shop.shoporama.errors import UnmappablePayload
from billysync.shop.shoporama.mapper import order_from_payload, return_from_payload
from billysync.store.tables import Shop
from billysync.sync.adapters.shoporama import budget_for
from billysync.sync.runtime import Runtime


@dataclass
class Listed:
    orders: list[tuple[Order, str]] = field(default_factory=list)  # with the listed payload
    returns: list[Return] = field(default_factory=list)
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)  # kind, key, reason


def list_since(rt: Runtime, shop: Shop, token: str, since: datetime) -> Listed:
    assert shop.shop_base_url
    listed = Listed()
    client = ShoporamaClient(
        token, base_url=shop.shop_base_url, transport=rt.shop_transport, budget=budget_for(rt, shop)
    )
    with client:
        for payload in client.list_orders(since=since):
            try:
                order = order_from_payload(payload)
            except UnmappablePayload as exc:
                listed.unreadable.append(("order", str(payload.get(F.ORDER_ID, "?")), str(exc)))
                continue
            listed.orders.append((order, json.dumps(payload, default=str)))
        for payload in client.list_returns(since=since):
            try:
                listed.returns.append(return_from_payload(payload))
            except UnmappablePayload as exc:
                listed.unreadable.append(("return", str(payload.get(F.RETURN_ID, "?")), str(exc)))
    return listed
