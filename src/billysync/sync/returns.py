"""One attempt at transferring a return (or credit note) into Billy.

Ensure the original invoice (the order's own steps, done once) → the credit note
(`type: creditNote`, `creditedInvoiceId`) → the refund posting when payment posting is on
and the money went back. A return that arrives before its order waits; the order's
transfer wakes it.
"""

from __future__ import annotations

from contextlib import closing
from datetime import datetime

from billysync.shop.errors import ObjectGone
from billysync.store import transfers
from billysync.store.transfers import TransferState
from billysync.sync.context import TransferContext
from billysync.sync.documents import ensure_credit_note, ensure_invoiced, ensure_refund
from billysync.sync.order_state import trigger_moment
from billysync.sync.transfer import Outcome, finish, shop_settings_and_source


def transfer_return(ctx: TransferContext, return_key: str) -> Outcome:
    rt, shop_id = ctx.rt, ctx.shop_id
    settings, source = shop_settings_and_source(ctx)
    with closing(source):
        ret = source.read_return(return_key)
        with rt.db.session() as session:
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
                f"return {ret.key} waits for order {ret.order_number}",
            )
    moment = trigger_moment(order, settings) or (order.paid_at or order.shipped_at)
    if moment is None:
        return finish(
            ctx,
            ret,
            TransferState.SKIPPED,
            f"order {order.number} was never invoiced (not {settings.trigger}); nothing to credit",
        )
    done = ensure_invoiced(ctx, order, settings, moment)
    credit = ensure_credit_note(
        ctx, ret, order, settings, done.contact_id, done.invoice, done.product_ids
    )
    with rt.db.session() as session:
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
    message = f"return {ret.key} of order {order.number} credited in Billy"
    if settings.post_payments and ret.refunded and order.is_paid:
        ensure_refund(ctx, ret, settings, credit)
        message += " and the refund posted"
    return finish(ctx, ret, TransferState.CREDITED, message)
