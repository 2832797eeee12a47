"""The seam between the engine and a shop: what the engine may ask of any platform.

An event is only a hint: the engine reads an order, return or product as the shop has it
*now* through a `ShopSource`. Each platform's source lives in `sync/adapters/` (the one
place in `sync/` that knows a platform) and raises only the shop-neutral errors of
`shop/errors.py` (`ObjectGone`, `ShopUnavailable`, …), so the engine decides by type.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from billysync.shop.models import Order, Product, Return


class Connection(StrEnum):
    """What one call to the shop showed about its connection settings."""

    OK = "ok"
    TOKEN = "token"  # the shop refused our token
    ADDRESS = "address"  # something answered, but not the shop's REST API
    UNREACHABLE = "unreachable"  # nothing answered (network, DNS, the shop is down)
    BUDGET = "budget"  # not contacted: today's call budget is used up


class ShopSource(Protocol):
    # Whether `event_order` may find an order in an event's payload (else the event is
    # not read back at all).
    takes_event_copies: bool

    def read_order(self, key: str) -> Order: ...
    def read_return(self, key: str) -> Return: ...
    def list_products(self, since: datetime | None = None) -> list[Product]: ...

    def event_order(self, payload: str) -> Order | None:
        """The order an event's payload carries, when this platform's events carry one
        that can be read without guessing (None otherwise: read the shop instead)."""
        ...

    def close(self) -> None: ...
