"""The safety net: a periodic pass over a Shoporama shop's changed orders and returns.

Webhooks can be lost (our server down longer than Shoporama retries, a secret changed). A
pass lists what changed since the last pass (`last_modified`, a few minutes of overlap)
and stores an inbox event for each order or return that is not already where it should
be; the usual workflow then transfers it. An order whose transfer is complete with the
same content costs nothing more. Listing is non-essential spending of Shoporama's daily
call budget: a pass is skipped, and says so, when the budget is close to its end.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict

from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama.client import ShoporamaClient
from billysync.shop.shoporama.errors import ShoporamaError, UnmappablePayload
from billysync.shop.shoporama.mapper import order_from_payload
from billysync.store import polls, shops, transfers
from billysync.store.tables import utcnow
from billysync.store.transfers import TransferState
from billysync.sync.adapters.shoporama import budget_for
from billysync.sync.intake import Event, EventSource, submit
from billysync.sync.order_state import order_fingerprint
from billysync.sync.runtime import Runtime

OVERLAP = timedelta(minutes=5)  # clocks differ; a change at the edge is listed twice, not lost
FINAL_ORDER_STATES = (TransferState.PAID, TransferState.SKIPPED)


class PollPass(TypedDict, total=False):
    """A poll's figures (listed, stored as events), or why it was skipped or stopped early."""

    listed: int
    stored: int
    skipped: str
    stopped: str


def poll_shop(rt: Runtime, shop_id: int) -> PollPass:
    """One pass for one shop; returns counts (listed, stored) and why it stopped early."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None or shop.platform != "shoporama" or not shop.shop_base_url:
            return PollPass(skipped="not a connected Shoporama shop")
        token = shops.shop_token(shop, rt.box)
        cursor = polls.poll_cursor(session, shop_id)
        base_url = shop.shop_base_url
        budget = budget_for(rt, shop)
        view = _ShopView(shop.id, shop.trigger, shop.post_payments)
    if not token:
        return PollPass(skipped="no Shoporama token")
    if not budget.may_spend(2):
        return PollPass(skipped=budget.warning or "Shoporama's daily call budget is spent")
    started = utcnow()
    since = cursor - OVERLAP if cursor else None
    counts = PollPass(listed=0, stored=0)
    client = ShoporamaClient(token, base_url=base_url, transport=rt.shop_transport, budget=budget)
    try:
        for payload in client.list_orders(since=since):
            counts["listed"] += 1
            counts["stored"] += _consider(rt, view, "order", payload)
        for payload in client.list_returns(since=since):
            counts["listed"] += 1
            counts["stored"] += _consider(rt, view, "return", payload)
    except ShoporamaError as exc:
        return PollPass(listed=counts["listed"], stored=counts["stored"], stopped=str(exc))
    finally:
        client.close()
    with rt.db.session() as session:
        polls.save_poll_cursor(session, shop_id, started)
    return counts


def _consider(rt: Runtime, shop: _ShopView, kind: str, payload: dict[str, Any]) -> int:
    """Store a poll event unless the object is already where it should be."""
    key = str(payload.get(F.ORDER_ID if kind == "order" else F.RETURN_ID) or "")
    if not key:
        return 0
    with rt.db.session() as session:
        row = transfers.get_transfer(session, shop.id, kind, key)
        state, snapshot = (row.state, row.snapshot_hash) if row else (None, None)
    if kind == "return" and state in (TransferState.CREDITED, TransferState.SKIPPED):
        return 0
    if kind == "order" and state is not None and _order_settled(shop, state, snapshot, payload):
        return 0
    raw = json.dumps(payload, sort_keys=True, default=str)
    digest = hashlib.sha256(f"poll:{kind}:{key}:{raw}".encode()).hexdigest()
    event = Event(shop.id, EventSource.POLL, "poll", kind, key, digest, raw)
    return int(submit(rt, event, start=False).is_new)


def _order_settled(
    shop: _ShopView, state: str, snapshot: str | None, payload: dict[str, Any]
) -> bool:
    """Whether the engine already did all an order in this shape can ask for."""
    try:
        order = order_from_payload(payload)
    except UnmappablePayload:
        return state == TransferState.FAILED  # already failed with the reason; nothing new to say
    if snapshot != order_fingerprint(order):
        return False  # changed: let the workflow look (and report a change after transfer)
    met = order.paid_at if shop.trigger == "paid" else order.shipped_at
    if state == TransferState.WAITING:
        return met is None and not order.cancelled
    if state == TransferState.TRANSFERRED:
        return not (shop.post_payments and order.is_paid)
    return state in FINAL_ORDER_STATES


@dataclass(frozen=True)
class _ShopView:
    id: int
    trigger: str
    post_payments: bool
