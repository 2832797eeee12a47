"""A shop's orders and returns in a period, as reconciliation and backfill read them.

A Shoporama shop is listed over REST (`last_modified` since the period's first day, so an
order created in the period is listed however often it changed since); every page is one
call of Shoporama's daily budget (docs/shoporama-api.md §1.4), and the listing stops with
a clear error when the budget is spent. A shop that pushes to our JSON API is read from
the copies it pushed: they are the shop's word (sync/sources.py).

Days are the merchant's days: an order belongs to the period by its date in Denmark.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from pydantic import ValidationError

from billysync.localtime import DANISH_TIME, local_date
from billysync.shop.models import Order, Return
from billysync.store import inbox, shops
from billysync.store.tables import Shop
from billysync.sync.adapters import SHOPORAMA
from billysync.sync.adapters.pushed import merged_order
from billysync.sync.adapters.shoporama_period import list_since
from billysync.sync.runtime import NotConfigured, Runtime


@dataclass(frozen=True)
class Period:
    """From the first to the last day, both included, in Denmark."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(
                f"the period ends ({self.last}) before it starts ({self.first}): swap the dates"
            )

    @classmethod
    def parse(cls, first: str, last: str) -> Period:
        try:
            return cls(date.fromisoformat(first), date.fromisoformat(last))
        except ValueError as exc:
            if "swap" in str(exc):
                raise
            raise ValueError(f"dates are written YYYY-MM-DD (got {first!r} and {last!r})") from None

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=DANISH_TIME).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def last_days(today: date, days: int) -> Period:
    return Period(today - timedelta(days=days), today - timedelta(days=1))


@dataclass(frozen=True)
class Unreadable:
    """An order or return the shop has that cannot be mapped, with what is wrong with it."""

    kind: str  # order | return
    key: str
    reason: str


@dataclass
class ShopPeriod:
    """What the shop holds for a period; `payloads` are Shoporama's raw copies by key."""

    orders: list[Order] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    payloads: dict[tuple[str, str], str] = field(default_factory=dict)
    listed_over_rest: bool = False


def read_period(rt: Runtime, shop: Shop, period: Period) -> ShopPeriod:
    """The shop's orders created and returns dated in `period` (errors name what to fix)."""
    if shop.platform == SHOPORAMA:
        return _shoporama_period(rt, shop, period)
    return _pushed_period(rt, shop.id, period)


def _shoporama_period(rt: Runtime, shop: Shop, period: Period) -> ShopPeriod:
    token = shops.shop_token(shop, rt.box)
    if not token or not shop.shop_base_url:
        raise NotConfigured(
            f"shop {shop.name!r} has no Shoporama connection: enter the REST address "
            "and API token under the shop's connection settings"
        )
    listed = list_since(rt, shop, token, period.starts_at)
    found = ShopPeriod(listed_over_rest=True)
    found.unreadable = [Unreadable(*item) for item in listed.unreadable]
    for order, payload in listed.orders:
        if period.holds(local_date(order.created_at)):
            found.orders.append(order)
            found.payloads[("order", order.key)] = payload
    found.returns = [r for r in listed.returns if period.holds(r.date)]
    return found


def _pushed_period(rt: Runtime, shop_id: int, period: Period) -> ShopPeriod:
    copies: dict[tuple[str, str], list[str]] = defaultdict(list)
    with rt.db.session() as session:
        for kind in ("order", "return"):
            for key, payload in inbox.pushed_payloads(session, shop_id, kind):
                copies[(kind, key)].append(payload)
    found = ShopPeriod()
    for (kind, key), payloads in copies.items():
        try:
            if kind == "order":
                order = merged_order([Order.model_validate(json.loads(p)) for p in payloads])
                if period.holds(local_date(order.created_at)):
                    found.orders.append(order)
            else:
                ret = Return.model_validate(json.loads(payloads[-1]))
                if period.holds(ret.date):
                    found.returns.append(ret)
        except (ValidationError, ValueError) as exc:
            found.unreadable.append(Unreadable(kind, key, _short(exc)))
    found.orders.sort(key=lambda o: o.created_at)
    return found


def _short(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(map(str, first['loc']))}: {first['msg']}"
    return str(exc)
