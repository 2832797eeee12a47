"""One attempt at transferring an order into Billy (returns: returns.py).

Re-read the order → trigger met? → ensure products → contact → invoice (approved) →
payment (documents.py). Every ensure is idempotent (exporter.py), so an attempt can be
repeated after any crash or fault; the workflow (workflows.py) repeats transient failures
with a durable backoff.
"""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass

from sqlalchemy.orm import Session

from billysync.mapping.settings import BillySettings
from billysync.shop.models import Order, Return
from billysync.store import inbox, shops, transfers
from billysync.store.transfers import TransferState
from billysync.sync.adapters import source_for
from billysync.sync.context import TransferContext
from billysync.sync.documents import (
    BilledDocument,
    ensure_invoice_email,
    ensure_invoiced,
    ensure_payment,
    order_bindings,
    payment_bound,
)
from billysync.sync.intake import Event, EventSource, submit
from billysync.sync.order_state import order_fingerprint, trigger_moment
from billysync.sync.reasons import Reason
from billysync.sync.settings import billy_settings
from billysync.sync.sources import ShopSource


@dataclass(frozen=True)
class Outcome:
    """How an attempt that did not fail ended: the transfer's new state, in words."""

    state: TransferState
    message: Reason


def shop_settings_and_source(ctx: TransferContext) -> tuple[BillySettings, ShopSource]:
    """The shop's Billy settings (checked) and where its orders and returns are read."""
    shop = ctx.shop
    if shop is None:
        with ctx.rt.db.reading() as session:
            shop = shops.get_shop(session, ctx.shop_id)
    assert shop is not None
    return billy_settings(shop), source_for(ctx.rt, shop)


# --- orders ---------------------------------------------------------------------------


def transfer_order(ctx: TransferContext, order_key: str) -> Outcome:
    settings, source = shop_settings_and_source(ctx)
    with closing(source):
        order = current_order(ctx, settings, source, order_key)
    fingerprint = order_fingerprint(order)
    ctx.read_bindings(order_bindings(order))
    earlier = _note_order(ctx, order, fingerprint)
    moment = trigger_moment(order, settings)
    if moment is None:
        invoiced = _invoiced(ctx, order.key)
        if invoiced is not None:  # an older copy, or a cancellation after invoicing
            return _already_invoiced(ctx, order, invoiced)
        if order.cancelled:
            return finish(ctx, order, TransferState.SKIPPED, Reason("log.cancelled"))
        not_yet = Reason("log.not_shipped" if settings.trigger == "shipped" else "log.not_paid")
        return finish(ctx, order, TransferState.WAITING, not_yet)

    done = ensure_invoiced(ctx, order, settings, moment)
    invoice = done.invoice
    # With the invoice's binding (carried to the same unit of work): the transfer's record
    # of it and the fingerprint of what was invoiced, so no crash can separate the two.
    ctx.carry.append(
        lambda session: _record_invoice(ctx, session, order.key, invoice, earlier, fingerprint)
    )
    changed = earlier is not None and earlier != fingerprint
    if changed and payment_bound(ctx, order.key):
        # Billy holds the invoice and its payment: say what differs, book nothing more.
        note = _changed_after_invoicing(ctx, order, invoice, paid=True)
        return finish(ctx, order, TransferState.PAID, Reason("log.paid"), note=note)
    if settings.post_payments and order.is_paid:
        ensure_payment(ctx, order, settings, invoice)
        state, message = TransferState.PAID, Reason("log.paid")
    else:
        state, message = TransferState.TRANSFERRED, Reason("log.transferred")
    ensure_invoice_email(ctx, order, settings, invoice, done.contact)
    if changed:
        note = _changed_after_invoicing(ctx, order, invoice, paid=state == TransferState.PAID)
        return finish(ctx, order, state, message, note=note)  # the note is logged once
    return finish(ctx, order, state, message)


def _changed_after_invoicing(
    ctx: TransferContext, order: Order, invoice: BilledDocument, *, paid: bool
) -> Reason:
    """What Billy holds of an order the shop changed after it was invoiced, and what differs.

    Never re-invoiced and never advice that books twice (docs/invariants.md I10): Billy's
    documents stay as they are, and the merchant decides how the change is booked.
    """
    note = Reason(
        "log.changed_after_payment" if paid else "log.changed_after_invoice",
        {
            "invoice": str(invoice.number or invoice.billy_id),
            "invoiced": f"{invoice.gross} {invoice.currency}",
            "total": f"{order.total} {order.currency}",
        },
    )
    ctx.log("changed", note)
    return note


def _record_invoice(
    ctx: TransferContext,
    session: Session,
    order_key: str,
    invoice: BilledDocument,
    earlier: str | None,
    fingerprint: str,
) -> None:
    """Record the invoice on the transfer (once), and wake the returns waiting for it once
    this unit of work has committed."""
    if earlier is None:  # recorded by an earlier attempt otherwise (the same invoice)
        transfers.record_document(
            session,
            ctx.shop_id,
            "order",
            order_key,
            billy_id=invoice.billy_id,
            number=invoice.number,
            gross=invoice.gross,
            currency=invoice.currency,
            transferred_hash=fingerprint,
        )
    waiting = transfers.waiting_returns(session, ctx.shop_id, order_key)
    if waiting:
        ctx.after_commit.append(lambda: _wake_waiting_returns(ctx, order_key, waiting))


def _wake_waiting_returns(ctx: TransferContext, order_key: str, waiting: list[str]) -> None:
    """Returns that arrived before this order run again now (the dispatcher starts them)."""
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
        state, invoiced = _transfer_seen(ctx, key)
        if fresh:
            return order
        untouched = state in (None, TransferState.RECEIVED, TransferState.WAITING) and not invoiced
        if untouched and not order.cancelled and trigger_moment(order, settings) is None:
            return order
        if state == TransferState.PAID and invoiced == order_fingerprint(order):
            return order
    return source.read_order(key)


def _transfer_seen(ctx: TransferContext, key: str) -> tuple[str | None, str | None]:
    """(the transfer's state, the fingerprint of what was invoiced) as the attempt began."""
    if ctx.seen is not None:
        return ctx.seen.state, ctx.seen.transferred_hash
    with ctx.rt.db.reading() as session:
        row = transfers.get_transfer(session, ctx.shop_id, "order", key)
        return (row.state, row.transferred_hash) if row else (None, None)


def _hinted_order(ctx: TransferContext, source: ShopSource, key: str) -> tuple[Order, bool] | None:
    """(the event's copy of the order, whether it is a fresh REST read) or None."""
    if ctx.event_id is None or not source.takes_event_copies:
        return None
    with ctx.rt.db.reading() as session:
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
    if ctx.binding("invoice", order_key) is None:
        return None
    state, _ = _transfer_seen(ctx, order_key)
    return TransferState.PAID if state == TransferState.PAID else TransferState.TRANSFERRED


def _already_invoiced(ctx: TransferContext, order: Order, state: TransferState) -> Outcome:
    """An invoiced order never steps back to waiting; a cancellation is for a person."""
    if order.cancelled:
        message = Reason("log.cancelled_after_invoice")
        with ctx.last_unit() as session:
            ctx.log_in(session, "changed", message)
            transfers.note_reason(session, ctx.shop_id, "order", order.key, message.encode())
        return Outcome(state, message)
    with ctx.last_unit():
        pass  # the order as read, and the attempt's number
    return Outcome(state, Reason("log.older_copy"))


def _note_order(ctx: TransferContext, order: Order, fingerprint: str) -> str | None:
    """Keep the order as read now (carried to the next unit of work, which comes before any
    Billy write: a value the database refuses stops the attempt before Billy is written);
    returns the fingerprint of what was invoiced, if any."""
    snapshot = order.model_dump_json()

    def note(session: Session) -> None:
        transfers.note_read(
            session,
            ctx.shop_id,
            "order",
            order.key,
            order_key=order.key,
            number=order.number,
            order_date=order.created_at,
            currency=order.currency,
            snapshot=snapshot,
            snapshot_hash=fingerprint,
        )

    ctx.carry.append(note)
    return _transfer_seen(ctx, order.key)[1]


def finish(
    ctx: TransferContext,
    obj: Order | Return,
    state: TransferState,
    message: Reason,
    *,
    note: Reason | None = None,
) -> Outcome:
    """End the attempt in `state`; `note` stays on the transfer for the merchant to read."""
    kind = "order" if isinstance(obj, Order) else "return"
    stored = note.encode() if note is not None else None
    with ctx.last_unit() as session:
        if ctx.seen is not None and ctx.attempt is not None:
            unchanged = transfers.finish_seen(
                session,
                ctx.shop_id,
                kind,
                obj.key,
                state,
                stored,
                seen_state=ctx.seen.state,
                seen_reason=ctx.seen.reason,
                attempt=ctx.attempt,
            )
        else:
            unchanged = transfers.finish(session, ctx.shop_id, kind, obj.key, state, stored)
        # A repeated event that changed nothing adds no line to the chain.
        if not (unchanged and not ctx.calls):
            ctx.log_in(session, state.value, message)
        ctx.close_event(session, failed=False, reason=message.encode())
    return Outcome(state, message)
