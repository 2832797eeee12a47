"""Where the engine reads an order, return or product as the shop has it *now*.

An event is only a hint. A Shoporama shop is re-read over its REST API; a shop that pushes
through our JSON API is read from the newest payload it pushed (that is the shop's word).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from billysync.shop.models import Order, Product, Return
from billysync.store import shops
from billysync.store.tables import InboxEvent, Shop
from billysync.sync.runtime import NotConfigured, Runtime


class ShopSource(Protocol):
    def read_order(self, key: str) -> Order: ...
    def read_return(self, key: str) -> Return: ...
    def list_products(self, since: datetime | None = None) -> list[Product]: ...
    def close(self) -> None: ...


class ObjectGone(LookupError):
    """The shop no longer has (or never sent) this object."""


class PushedSource:
    """A shop that pushes canonical JSON to /api/v1: its newest push is the truth."""

    def __init__(self, rt: Runtime, shop_id: int) -> None:
        self.rt, self.shop_id = rt, shop_id

    def _pushed(self, object_type: str, key: str | None = None) -> list[tuple[str, str]]:
        """(object key, payload) of every push, oldest first."""
        with self.rt.db.session() as session:
            query = select(InboxEvent.object_key, InboxEvent.payload).where(
                InboxEvent.shop_id == self.shop_id,
                InboxEvent.object_type == object_type,
                InboxEvent.source == "api",  # not retry requests and the like
            )
            if key is not None:
                query = query.where(InboxEvent.object_key == key)
            return [(k, p) for k, p in session.execute(query.order_by(InboxEvent.id))]

    def _newest(self, object_type: str, key: str | None) -> list[str]:
        """The newest payload of each object."""
        return list(dict(self._pushed(object_type, key)).values())

    def read_order(self, key: str) -> Order:
        copies = [Order.model_validate(json.loads(p)) for _, p in self._pushed("order", key)]
        if not copies:
            raise ObjectGone(f"no order {key!r} was pushed for this shop")
        return merged_order(copies)

    def read_return(self, key: str) -> Return:
        payloads = self._newest("return", key)
        if not payloads:
            raise ObjectGone(f"no return {key!r} was pushed for this shop")
        return Return.model_validate(json.loads(payloads[-1]))

    def list_products(self, since: datetime | None = None) -> list[Product]:
        # Pushed products cost nothing to read: every pass compares them all.
        return [Product.model_validate(json.loads(p)) for p in self._newest("product", None)]

    def close(self) -> None:
        pass


def merged_order(copies: list[Order]) -> Order:
    """The newest copy, keeping what already happened: pushes can arrive out of order, and
    an order once paid or shipped does not become unpaid or unshipped."""
    newest = copies[-1]
    paid = next((c for c in reversed(copies) if c.paid_at is not None), None)
    shipped = next((c for c in reversed(copies) if c.shipped_at is not None), None)
    changes: dict[str, object] = {}
    if newest.paid_at is None and paid is not None:
        changes.update(paid_at=paid.paid_at, payment=paid.payment)
    if newest.shipped_at is None and shipped is not None:
        changes["shipped_at"] = shipped.shipped_at
    return newest.model_copy(update=changes) if changes else newest


def source_for(rt: Runtime, shop: Shop) -> ShopSource:
    if shop.platform == "shoporama":
        from billysync.sync.shoporama_source import ShoporamaSource

        token = shops.shop_token(shop, rt.box)
        if not token or not shop.shop_base_url:
            raise NotConfigured(
                f"shop {shop.name!r} has no Shoporama connection: enter the REST address "
                "and API token under the shop's connection settings"
            )
        return ShoporamaSource(rt, shop, token)
    return PushedSource(rt, shop.id)
