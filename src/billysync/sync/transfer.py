"""One attempt at transferring an order into Billy (returns: returns.py).

Re-read the order → trigger met? → ensure products → contact → invoice (approved) →
payment (documents.py). Every ensure is idempotent (exporter.py), so an attempt can be
repeated after any crash or fault; the workflow (workflows.py) repeats transient failures
with a durable backoff.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from billysync.mapping.settings import BillySettings
from billysync.shop.models import Order, Return
from billysync.store import bindings, inbox, shops, transfers
from billysync.store.transfers import TransferState
from billysync.sync.adapters import source_for
from billysync.sync.context import TransferContext
from billysync.sync.documents import (
    BilledDocument,
    ensure_invoice_email,
    ensure_invoiced,
    ensure_payment,
    payment_bound,
)
from billysync.sync.intake import Event, EventSource, submit
from billysync.sync.order_state import order_fingerprint, trigger_moment
from billysync.sync.settings import billy_settings
from billysync.sync.sources import ShopSource


@dataclass(frozen=True)
class Outcome:
    """How an attempt that did not fail ended: the transfer's new state, in words."""

    state: TransferState
    message: str


def shop_settings_and_source(ctx: TransferContext) -> tuple[BillySettings, ShopSource]:
    """The shop's Billy settings (checked) and where its orders and returns are read."""
    with ctx.rt.db.session() as session:
        shop = shops.get_shop(session, ctx.shop_id)
        assert shop is not None
        return billy_settings(shop), source_for(ctx.rt, shop)


# --- orders ---------------------------------------------------------------------------


def transfer_order(ctx: TransferContext, order_key: str) -> Outcome:
    rt, shop_id = ctx.rt, ctx.shop_id
    settings, source = shop_settings_and_source(ctx)
    with closing(source):
        order = current_order(ctx, settings, source, order_key)
    fingerprint = order_fingerprint(order)
    earlier = _note_order(ctx, order, fingerprint)
    moment = trigger_moment(order, settings)
    if moment is None:
        invoiced = _invoiced(ctx, order.key)
        if invoiced is not None:  # an older copy, or a cancellation after invoicing
            return _already_invoiced(ctx, order, invoiced)
        why = "cancelled in the shop" if order.cancelled else f"not yet {settings.trigger}"
        state = TransferState.SKIPPED if order.cancelled else TransferState.WAITING
        return finish(ctx, order, state, f"order {order.number} is {why}")

    done = ensure_invoiced(ctx, order, settings, moment)
    invoice = done.invoice
    with rt.db.session() as session:
        transfers.record_document(
            session,
            shop_id,
            "order",
            order.key,
            billy_id=invoice.billy_id,
            number=invoice.number,
            gross=invoice.gross,
            currency=invoice.currency,
            transferred_hash=earlier or fingerprint,
        )
    _wake_waiting_returns(ctx, order.key)
    changed = earlier is not None and earlier != fingerprint
    if changed and payment_bound(ctx, order.key):
        # Billy holds the invoice and its payment: say what differs, book nothing more.
        note = _changed_after_invoicing(ctx, order, invoice, paid=True)
        return finish(ctx, order, TransferState.PAID, note, note=note)
    if settings.post_payments and order.is_paid:
        ensure_payment(ctx, order, settings, invoice)
        state, message = TransferState.PAID, f"order {order.number} invoiced and paid in Billy"
    else:
        state, message = TransferState.TRANSFERRED, f"order {order.number} invoiced in Billy"
    ensure_invoice_email(ctx, order, settings, invoice, done.contact)
    if changed:
        note = _changed_after_invoicing(ctx, order, invoice, paid=state == TransferState.PAID)
        return finish(ctx, order, state, note, note=note)
    return finish(ctx, order, state, message)


def _changed_after_invoicing(
    ctx: TransferContext, order: Order, invoice: BilledDocument, *, paid: bool
) -> str:
    """What Billy holds of an order the shop changed after it was invoiced, and what differs.

    Never re-invoiced and never advice that books twice (docs/invariants.md I10): Billy's
    documents stay as they are, and the merchant decides how the change is booked.
    """
    holds = f"invoice {invoice.number or invoice.billy_id} for {invoice.gross} {invoice.currency}"
    if paid:
        holds += " and its payment"
    note = (
        f"order {order.number} changed in the shop after it was invoiced: Billy keeps {holds}; "
        f"the shop's total is now {order.total} {order.currency}. Nothing was changed in Billy. "
        "If the change is real, make a return in the shop for what was taken off, "
        "or book the difference in Billy by hand."
    )
    ctx.log("changed", note)
    return note


def _wake_waiting_returns(ctx: TransferContext, order_key: str) -> None:
    """Returns that arrived before this order run again now (the dispatcher starts them)."""
    with ctx.rt.db.session() as session:
        waiting = transfers.waiting_returns(session, ctx.shop_id, order_key)
    for key in waiting:
        wake = f"wake:{order_key}:{key}"
        event = Event(ctx.shop_id, EventSource.COMMAND, "order arrived", "return", key, wake)
        submit(ctx.rt, event, start=False)


def current_order(
    ctx: TransferContext, settings: BillySettings, source: ShopSource, key: str
) -> Order:
    """The order as the shop has it now, spending a Shoporama call only where it matters.

    Shoporama allows 1,000 calls a day, so the event's own copy of the order is used when
    it cannot mislead: a poll's copy (it was just read over REST), or a webhook's copy that
    says the trigger is not met yet for an order we have not invoiced (the event that meets
    it re-reads, and the poll catches a lost one), or one identical to what we invoiced
    and completed. Anything else is re-read: the event is only a hint.
    """
    hint = _hinted_order(ctx, source, key)
    if hint is not None:
        order, fresh = hint
        with ctx.rt.db.session() as session:
            row = transfers.get_transfer(session, ctx.shop_id, "order", key)
            state = row.state if row else None
            invoiced = row.transferred_hash if row else None
        if fresh:
            return order
        untouched = state in (None, TransferState.RECEIVED, TransferState.WAITING) and not invoiced
        if untouched and not order.cancelled and trigger_moment(order, settings) is None:
            return order
        if state == TransferState.PAID and invoiced == order_fingerprint(order):
            return order
    return source.read_order(key)


def _hinted_order(ctx: TransferContext, source: ShopSource, key: str) -> tuple[Order, bool] | None:
    """(the event's copy of the order, whether it is a fresh REST read) or None."""
    if ctx.event_id is None:
        return None
    with ctx.rt.db.session() as session:
        event = inbox.get_event(session, ctx.event_id)
        if event is None:
            return None
        origin, payload = event.source, event.payload
    order = source.event_order(payload)
    if order is None or order.key != key:
        return None
    return order, origin == EventSource.POLL


def _invoiced(ctx: TransferContext, order_key: str) -> TransferState | None:
    """The state of an order that already has its Billy invoice (transferred or paid)."""
    with ctx.rt.db.session() as session:
        if bindings.get_binding(session, ctx.shop_id, "invoice", order_key) is None:
            return None
        row = transfers.get_transfer(session, ctx.shop_id, "order", order_key)
        paid = row is not None and row.state == TransferState.PAID
        return TransferState.PAID if paid else TransferState.TRANSFERRED


def _already_invoiced(ctx: TransferContext, order: Order, state: TransferState) -> Outcome:
    """An invoiced order never steps back to waiting; a cancellation is for a person."""
    if order.cancelled:
        message = (
            f"order {order.number} was cancelled in the shop after it was invoiced: "
            "credit it in Billy (or make a return in the shop) if the money goes back"
        )
        ctx.log("changed", message)
        with ctx.rt.db.session() as session:
            transfers.note_reason(session, ctx.shop_id, "order", order.key, message)
        return Outcome(state, message)
    message = f"order {order.number}: an older copy (trigger not met) was ignored"
    return Outcome(state, message)


def _note_order(ctx: TransferContext, order: Order, fingerprint: str) -> str | None:
    """Keep the order as read now; returns the fingerprint of what was invoiced, if any."""
    with ctx.rt.db.session() as session:
        row = transfers.note_read(
            session,
            ctx.shop_id,
            "order",
            order.key,
            order_key=order.key,
            number=order.number,
            order_date=order.created_at,
            currency=order.currency,
            snapshot=order.model_dump_json(),
            snapshot_hash=fingerprint,
        )
        return row.transferred_hash


def finish(
    ctx: TransferContext,
    obj: Order | Return,
    state: TransferState,
    message: str,
    *,
    note: str | None = None,
) -> Outcome:
    """End the attempt in `state`; `note` stays on the transfer for the merchant to read."""
    kind = "order" if isinstance(obj, Order) else "return"
    with ctx.rt.db.session() as session:
        unchanged = transfers.finish(session, ctx.shop_id, kind, obj.key, state, note)
        # A repeated event that changed nothing adds no line to the chain.
        if not (unchanged and not ctx.calls):
            ctx.log_in(session, state.value, message)
    return Outcome(state, message)
