"""What an order as the shop has it means to the engine: what it is made of, and when it is due.

The fingerprint says whether an order changed since it was invoiced (a change after that
is reported, never re-invoiced); the trigger moment says whether it is due for Billy yet
(paid or shipped, as the shop's setting says).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from billysync.mapping.settings import BillySettings
from billysync.shop.models import Order


def order_fingerprint(order: Order) -> str:
    """What an invoice is made of; a change after transfer is reported, not re-invoiced."""
    billable = order.model_dump(
        mode="json", include={"lines", "shipping", "discounts", "gift_cards", "total", "currency"}
    )
    return hashlib.sha256(repr(billable).encode()).hexdigest()


def trigger_moment(order: Order, settings: BillySettings) -> datetime | None:
    if order.cancelled:
        return None
    return order.paid_at if settings.trigger == "paid" else order.shipped_at
