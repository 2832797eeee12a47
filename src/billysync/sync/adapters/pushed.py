"""A shop that pushes canonical JSON to /api/v1: its newest push is the shop's word."""

from __future__ import annotations

import json
from datetime import datetime

from billysync.shop.errors import ObjectGone
from billysync.shop.models import Order, Product, Return
from billysync.store import inbox
from billysync.sync.runtime import Runtime


class PushedSource:
    """Reads what the shop pushed (the inbox keeps every push); costs no call anywhere."""

    takes_event_copies = False  # every push is read and merged anyway (read_order)

    def __init__(self, rt: Runtime, shop_id: int) -> None:
        self.rt, self.shop_id = rt, shop_id

    def _pushed(self, object_type: str, key: str | None = None) -> list[tuple[str, str]]:
        """(object key, payload) of every push, oldest first."""
        with self.rt.db.reading() as session:
            return inbox.pushed_payloads(session, self.shop_id, object_type, key)

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

    def event_order(self, payload: str) -> Order | None:
        return None  # reading the pushes is free: always merge them all (merged_order)

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
