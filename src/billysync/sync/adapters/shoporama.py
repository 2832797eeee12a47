"""The Shoporama adapter: a shop re-read over Shoporama's REST API within its call budget.

Shoporama counts calls per token per day (1,000 by default). The budget is kept in our
database per shop and day (`shop_call_counts`), so a restart does not forget what was
spent; each process adds what it spent (an increment, never an overwrite), so several
workers together still count every call.
"""

from __future__ import annotations

import json
import threading
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from billysync.shop.errors import ShopError, ShopRefused, ShopUnavailable
from billysync.shop.models import Order, Product, Return
from billysync.shop.shoporama.budget import CallBudget
from billysync.shop.shoporama.client import ShoporamaClient
from billysync.shop.shoporama.errors import BudgetExhausted, UnmappablePayload
from billysync.shop.shoporama.mapper import order_from_payload, return_from_payload
from billysync.shop.shoporama.products import product_from_payload
from billysync.store.db import insert_absent
from billysync.store.tables import Shop, ShopCallCount
from billysync.sync.runtime import Runtime
from billysync.sync.sources import Connection

_budgets: dict[tuple[str, int], CallBudget] = {}
_lock = threading.Lock()


def budget_for(rt: Runtime, shop: Shop) -> CallBudget:
    """One budget per shop (and database) in this process, kept in the database."""
    key = (rt.db.url, shop.id)
    with _lock:
        budget = _budgets.get(key)
        if budget is None or budget.daily_limit != shop.shop_daily_call_limit:
            budget = _persistent_budget(rt, shop.id, shop.shop_daily_call_limit)
            _budgets[key] = budget
        return budget


def _persistent_budget(rt: Runtime, shop_id: int, limit: int) -> CallBudget:
    saved: dict[date, int] = {}  # what this process has written per day
    saving = threading.Lock()  # calls are spent from several threads at once

    def load(day: date) -> int | None:
        with rt.db.session() as session:
            row = session.get(ShopCallCount, (shop_id, day.isoformat()))
            calls = row.calls if row else 0
        saved[day] = calls
        return calls

    def save(day: date, used: int) -> None:
        with saving:
            delta = used - saved.get(day, 0)
            if delta <= 0:
                return
            with rt.db.session() as session:
                add_calls(session, shop_id, day, delta)
            saved[day] = used

    return CallBudget(limit, load=load, save=save)


def add_calls(session: Session, shop_id: int, day: date, delta: int) -> None:
    """Add `delta` to the shop's count of Shoporama calls on `day`."""
    if session.get(ShopCallCount, (shop_id, day.isoformat())) is None:
        # another process may add today's row at the same moment
        insert_absent(session, ShopCallCount, shop_id=shop_id, day=day.isoformat(), calls=0)
    session.execute(
        update(ShopCallCount)
        .where(ShopCallCount.shop_id == shop_id, ShopCallCount.day == day.isoformat())
        .values(calls=ShopCallCount.calls + delta)
    )


def calls_today(rt: Runtime, shop_id: int, day: date) -> int:
    with rt.db.session() as session:
        calls = session.scalar(
            select(ShopCallCount.calls).where(
                ShopCallCount.shop_id == shop_id, ShopCallCount.day == day.isoformat()
            )
        )
    return calls or 0


class ShoporamaSource:
    takes_event_copies = True  # a webhook's or a poll's copy may spare a REST read

    def __init__(self, rt: Runtime, shop: Shop, token: str) -> None:
        assert shop.shop_base_url
        self.client = ShoporamaClient(
            token,
            base_url=shop.shop_base_url,
            transport=rt.shop_transport,
            budget=budget_for(rt, shop),
        )

    def read_order(self, key: str) -> Order:
        """The order now; a 404 is `ObjectGone` (ShoporamaNotFound is one, by type)."""
        return order_from_payload(self.client.get_order(key))

    def read_return(self, key: str) -> Return:
        return return_from_payload(self.client.get_return(key))

    def list_products(self, since: datetime | None = None) -> list[Product]:
        """Products changed since `since` (all of them without it): listing costs calls."""
        return [product_from_payload(p) for p in self.client.list_products(since=since)]

    def event_order(self, payload: str) -> Order | None:
        """A webhook's (`{"data": …}`) or a poll's copy of an order, if it maps cleanly."""
        try:
            body = json.loads(payload)
            data = body.get("data", body) if isinstance(body, dict) else None
            if not isinstance(data, dict):
                return None
            return order_from_payload(data)
        except (ValueError, UnmappablePayload):
            return None  # the REST read will say what is wrong

    def connection(self) -> Connection:
        """One call within the budget, and what it showed about the connection settings."""
        try:
            self.client.probe()
        except ShopRefused:
            return Connection.TOKEN
        except BudgetExhausted:
            return Connection.BUDGET
        except ShopUnavailable:
            return Connection.UNREACHABLE
        except ShopError:  # an answer, but not from a Shoporama shop's REST API
            return Connection.ADDRESS
        return Connection.OK

    def close(self) -> None:
        self.client.close()
