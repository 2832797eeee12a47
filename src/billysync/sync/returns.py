"""One attempt at transferring a return (or credit note) into Billy.

Ensure the original invoice (the order's own steps, done once) → the credit note
(`type: creditNote`, `creditedInvoiceId`) → the refund posting when payment posting is on
and the money went back. A return that arrives before its order waits; the order's
transfer wakes it.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime

from billysync.billy.errors import BillyOutcomeUnknown
from billysync.mapping.credit_limits import check_credit_within_invoice
from billysync.mapping.settings import BillySettings
from billysync.shop.errors import ObjectGone
from billysync.shop.models import Order, Return
from billysync.store import bindings, intents, transfers
from billysync.store.transfers import TransferState
from billysync.sync.context import TransferContext
from billysync.sync.documents import (
    BilledDocument,
    InvoicedOrder,
    customer_block,
    ensure_credit_note,
    ensure_invoiced,
    ensure_refund,
)
from billysync.sync.order_state import trigger_moment
from billysync.sync.reasons import Reason
from billysync.sync.transfer import Outcome, finish, shop_settings_and_source


def transfer_return(ctx: TransferContext, return_key: str) -> Outcome:
    shop_id = ctx.shop_id
    settings, source = shop_settings_and_source(ctx)
    with closing(source):
        ret = source.read_return(return_key)
        with ctx.unit() as session:
            transfers.note_read(
                session,
                shop_id,
                "return",
                ret.key,
                order_key=ret.order_key,
                number=f"{ret.order_number}-R{ret.key}",
                order_date=datetime.combine(ret.date, datetime.min.time()),
                currency=ret.currency,
                snapshot=ret.model_dump_json(),
            )
        try:
            order = source.read_order(ret.order_key)
        except ObjectGone:  # pushed before its order: the order's transfer wakes it
            return finish(
                ctx,
                ret,
                TransferState.WAITING,
                Reason("log.return_waiting"),
            )
    moment = trigger_moment(order, settings) or (order.paid_at or order.shipped_at)
    if moment is None:
        return finish(
            ctx,
            ret,
            TransferState.SKIPPED,
            Reason("log.never_invoiced"),
        )
    done = ensure_invoiced(ctx, order, settings, moment)
    credit = _credit_within_invoice(ctx, ret, order, settings, done)
    with ctx.unit() as session:
        transfers.record_document(
            session,
            shop_id,
            "return",
            ret.key,
            billy_id=credit.billy_id,
            number=credit.number,
            gross=credit.gross,
            currency=credit.currency,
        )
    message = Reason("log.credited")
    if settings.post_payments and ret.refunded and order.is_paid:
        ensure_refund(ctx, ret, order, settings, credit)
        message = Reason("log.refunded")
    return finish(ctx, ret, TransferState.CREDITED, message)


# The lock that keeps two returns of one order from both passing the check below before
# either credit note exists: a write intent on the order (store/intents.py), so a crashed
# attempt's lock lapses after the intent's lease.
CREDIT_LOCK = "credit_limit"


def _credit_within_invoice(
    ctx: TransferContext, ret: Return, order: Order, settings: BillySettings, done: InvoicedOrder
) -> BilledDocument:
    """The return's credit note, made only while the order has that much left to credit.

    Returns of one order run as separate workflows, side by side; the check and the credit
    note are therefore made under the order's credit lock. A credit note already bound is
    simply returned (the check was passed when it was made).
    """
    if ctx.binding("credit_note", ret.key) is not None:
        return _credit_note(ctx, ret, order, settings, done)
    with ctx.unit() as session:
        intents.claim(
            session,
            shop_id=ctx.shop_id,
            kind=CREDIT_LOCK,
            local_key=order.key,
            owner=ctx.owner,
            marker=order.number,
        )
    try:
        check_credit_within_invoice(ret, order, _credited_returns(ctx, order.key))
        credit = _credit_note(ctx, ret, order, settings, done)
    except BillyOutcomeUnknown:
        raise  # keep the lock: Billy may hold this credit note, unbound, until we look
    except BaseException:
        _release_credit_lock(ctx, order.key)
        raise
    _release_credit_lock(ctx, order.key)
    return credit


def _credit_note(
    ctx: TransferContext, ret: Return, order: Order, settings: BillySettings, done: InvoicedOrder
) -> BilledDocument:
    # The credit note goes to the contact of the invoice it credits (Billy requires it).
    contact_id = done.invoice.contact_id or done.contact_id
    return ensure_credit_note(
        ctx,
        ret,
        order,
        settings,
        contact_id,
        done.invoice,
        done.product_ids,
        customer=customer_block(order, settings),
    )


def _credited_returns(ctx: TransferContext, order_key: str) -> list[Return]:
    """The order's returns that have a credit note in Billy, as the shop last had them."""
    with ctx.rt.db.reading() as session:
        rows = transfers.returns_of(session, ctx.shop_id, order_key)
        return [
            Return.model_validate_json(row.snapshot)
            for row in rows
            if row.snapshot
            and bindings.get_binding(session, ctx.shop_id, "credit_note", row.object_key)
        ]


def _release_credit_lock(ctx: TransferContext, order_key: str) -> None:
    # Through the attempt's unit of work: the credit note's binding, carried, commits with
    # the release, so the next return under the lock counts it.
    with ctx.unit() as session:
        intents.release(session, shop_id=ctx.shop_id, kind=CREDIT_LOCK, local_key=order_key)
