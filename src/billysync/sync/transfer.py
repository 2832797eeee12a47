"""One attempt at transferring an order or a return into Billy.

An order: re-read it → trigger met? → ensure products → contact → invoice (approved) →
payment. A return: ensure the original invoice → credit note → refund posting. Every
ensure is idempotent (exporter.py), so an attempt can be repeated after any crash or
fault; the workflow (workflows.py) repeats transient failures with a durable backoff.
"""

from __future__ import annotations

import hashlib
import json
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from billysync.mapping import drafts
from billysync.mapping import orders as order_mapping
from billysync.mapping import products as product_mapping
from billysync.mapping import returns as return_mapping
from billysync.mapping.settings import BillySettings
from billysync.money import parse_money, to_ore
from billysync.shop.models import Order, Product, Return
from billysync.shop.shoporama.errors import UnmappablePayload
from billysync.shop.shoporama.mapper import order_from_payload
from billysync.store import bindings, inbox, shops, transfers
from billysync.store.tables import InboxEvent
from billysync.sync.exporter import Exported, TransferContext, ensure
from billysync.sync.reference import reference_for
from billysync.sync.settings import billy_settings
from billysync.sync.sources import ObjectGone, ShopSource, source_for

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
Status = Literal["waiting", "transferred", "paid", "credited", "skipped"]


@dataclass(frozen=True)
class Outcome:
    status: Status
    message: str


def local_date(moment: datetime) -> date:
    """A shop timestamp's date in Denmark, where the books are kept."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(COPENHAGEN).date()


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


# --- the ensure steps -----------------------------------------------------------------


def ensure_products(ctx: TransferContext, settings: BillySettings, order: Order) -> dict:
    """Billy product ids by item number; products sync in the background, so usually 0 calls."""
    product_ids: dict[str, str] = {}
    for line in order.lines:
        if line.item_number in product_ids:
            continue
        # A product the background sync has not seen yet: made from the line itself.
        product = Product(
            key=line.item_number,
            item_number=line.item_number,
            name=line.name,
            price=line.unit_price,
            currency=order.currency,
            prices_include_vat=order.prices_include_vat,
        )
        draft = product_mapping.products_for(product, settings)[0]
        product_ids[line.item_number] = ensure_product(ctx, draft).billy_id
    return product_ids


def ensure_product(ctx: TransferContext, draft: drafts.ProductDraft) -> Exported:
    client = ctx.client
    return ensure(
        ctx,
        kind="product",
        local_key=draft.product_no,
        marker=draft.product_no,
        lookup=lambda: client.products.find_by_product_no(draft.product_no),
        create=lambda: client.products.create(draft.to_payload()),
        describe=lambda p: (p.id, {}),
        content_hash=draft.content_hash(),
        always_lookup=True,
    )


def ensure_contact(ctx: TransferContext, order: Order, settings: BillySettings) -> Exported:
    draft = order_mapping.contact_for(order.customer, prefix=settings.order_prefix)
    client = ctx.client
    return ensure(
        ctx,
        kind="contact",
        local_key=order.customer.key,
        marker=draft.contact_no,
        lookup=lambda: client.contacts.find_by_contact_no(draft.contact_no),
        create=lambda: client.contacts.create(draft.to_payload()),
        describe=lambda c: (c.id, {}),
    )


def _invoice_extra(invoice: Any) -> tuple[str, dict[str, Any]]:
    return invoice.id, {
        "gross": str(invoice.gross_amount),
        "currency": invoice.currency_id,
        "invoice_no": invoice.invoice_no,
        "exchange_rate": str(invoice.exchange_rate) if invoice.exchange_rate else None,
    }


def ensure_invoice(
    ctx: TransferContext,
    order: Order,
    settings: BillySettings,
    *,
    contact_id: str,
    product_ids: dict[str, str],
    entry_date: date,
) -> Exported:
    ref = reference_for(ctx)
    vat_rate = ref.vat_rate(order.customer.country, order.customer.kind)
    draft = order_mapping.invoice_for(
        order,
        settings,
        contact_id=contact_id,
        product_ids=product_ids,
        vat_rate=vat_rate,
        entry_date=entry_date,
    )
    client = ctx.client
    return ensure(
        ctx,
        kind="invoice",
        local_key=order.key,
        marker=draft.order_no,
        lookup=lambda: client.invoices.find_by_order_no(draft.order_no, type="invoice"),
        create=lambda: client.invoices.create(draft.to_payload()),
        describe=_invoice_extra,
    )


def _cash_terms(
    ctx: TransferContext, settings: BillySettings, document: Exported
) -> tuple[str, Decimal | None]:
    """The payment account's currency, and its rate against the document's currency."""
    ref = reference_for(ctx)
    assert settings.payment_account_id is not None
    account_currency = ref.account_currency(settings.payment_account_id)
    rate = ref.cash_rate(
        document.extra["currency"],
        parse_money(document.extra.get("exchange_rate") or "1"),
        account_currency,
    )
    return account_currency, rate


def ensure_payment(
    ctx: TransferContext, order: Order, settings: BillySettings, invoice: Exported
) -> Exported | None:
    assert order.paid_at is not None
    account_currency, rate = _cash_terms(ctx, settings, invoice)
    draft = order_mapping.payment_for(
        order,
        settings,
        invoice_id=invoice.billy_id,
        invoice_gross=parse_money(invoice.extra["gross"]),
        invoice_currency=invoice.extra["currency"],
        account_currency=account_currency,
        exchange_rate=rate,
        payment_date=order.payment.date if order.payment else local_date(order.paid_at),
    )
    if draft is None:  # nothing to pay (e.g. paid in full with a gift card)
        return None
    client = ctx.client
    return ensure(
        ctx,
        kind="payment",
        local_key=order.key,
        marker=f"invoice:{invoice.billy_id}",
        lookup=lambda: client.bank_payments.for_invoice(invoice.billy_id),
        create=lambda: client.bank_payments.create(draft.to_payload()),
        describe=lambda p: (p.id, {"amount": str(p.cash_amount)}),
    )


# --- orders ---------------------------------------------------------------------------


def transfer_order(ctx: TransferContext, order_key: str) -> Outcome:
    rt, shop_id = ctx.rt, ctx.shop_id
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        settings = billy_settings(shop)
        source = source_for(rt, shop)
    with closing(source):
        order = current_order(ctx, shop.platform, settings, source, order_key)
    fingerprint = order_fingerprint(order)
    _note_order(ctx, order, fingerprint)
    moment = trigger_moment(order, settings)
    if moment is None:
        invoiced = _invoiced(ctx, order.key)
        if invoiced is not None:  # an older copy, or a cancellation after invoicing
            return _already_invoiced(ctx, order, invoiced)
        why = "cancelled in the shop" if order.cancelled else f"not yet {settings.trigger}"
        status: Status = "skipped" if order.cancelled else "waiting"
        return _finish(ctx, order, status, f"order {order.number} is {why}")

    with rt.db.session() as session:
        row = transfers.get_transfer(session, shop_id, "order", order.key)
        earlier = row.transferred_hash if row else None
    if earlier and earlier != fingerprint:
        ctx.log(
            "changed",
            f"order {order.number} changed in the shop after it was invoiced; "
            "not re-invoiced: credit and re-invoice it in Billy if the change is real",
        )

    product_ids = ensure_products(ctx, settings, order)
    contact = ensure_contact(ctx, order, settings)
    invoice = ensure_invoice(
        ctx,
        order,
        settings,
        contact_id=contact.billy_id,
        product_ids=product_ids,
        entry_date=local_date(moment),
    )
    with rt.db.session() as session:
        transfers.update_transfer(
            session,
            shop_id,
            "order",
            order.key,
            invoice_id=invoice.billy_id,
            invoice_no=invoice.extra.get("invoice_no"),
            amount_ore=to_ore(parse_money(invoice.extra["gross"])),
            currency=invoice.extra["currency"],
            transferred_hash=earlier or fingerprint,
        )
    _wake_waiting_returns(ctx, order.key)
    if settings.post_payments and order.is_paid:
        ensure_payment(ctx, order, settings, invoice)
        return _finish(ctx, order, "paid", f"order {order.number} invoiced and paid in Billy")
    return _finish(ctx, order, "transferred", f"order {order.number} invoiced in Billy")


def _wake_waiting_returns(ctx: TransferContext, order_key: str) -> None:
    """Returns that arrived before this order run again now (the dispatcher starts them)."""
    with ctx.rt.db.session() as session:
        waiting = [
            row.object_key
            for row in transfers.list_transfers(
                session, ctx.shop_id, kind="return", state="waiting", limit=10_000
            )
            if row.snapshot and json.loads(row.snapshot).get("order_key") == order_key
        ]
        for key in waiting:
            inbox.store_event(
                session,
                shop_id=ctx.shop_id,
                source="command",
                event_name="order arrived",
                object_type="return",
                object_key=key,
                dedupe_key=f"wake:{order_key}:{key}",
                payload="",
            )


def current_order(
    ctx: TransferContext, platform: str, settings: BillySettings, source: ShopSource, key: str
) -> Order:
    """The order as the shop has it now, spending a Shoporama call only where it matters.

    Shoporama allows 1,000 calls a day, so the event's own copy of the order is used when
    it cannot mislead: a poll's copy (it was just read over REST), or a webhook's copy that
    says the trigger is not met yet for an order we have not invoiced (the event that meets
    it re-reads, and the poll catches a lost one), or one identical to what we invoiced
    and completed. Anything else is re-read: the event is only a hint.
    """
    hint = _hinted_order(ctx, platform, key)
    if hint is not None:
        order, fresh = hint
        with ctx.rt.db.session() as session:
            row = transfers.get_transfer(session, ctx.shop_id, "order", key)
            state = row.state if row else None
            invoiced = row.transferred_hash if row else None
        if fresh:
            return order
        untouched = state in (None, "received", "waiting") and not invoiced
        if untouched and not order.cancelled and trigger_moment(order, settings) is None:
            return order
        if state == "paid" and invoiced == order_fingerprint(order):
            return order
    return source.read_order(key)


def _hinted_order(ctx: TransferContext, platform: str, key: str) -> tuple[Order, bool] | None:
    """(the event's copy of the order, whether it is a fresh REST read) or None."""
    if platform != "shoporama" or ctx.event_id is None:
        return None
    with ctx.rt.db.session() as session:
        event = session.get(InboxEvent, ctx.event_id)
        if event is None:
            return None
        source, payload = event.source, event.payload
    try:
        body = json.loads(payload)
        data = body.get("data", body) if isinstance(body, dict) else None
        if not isinstance(data, dict):
            return None
        order = order_from_payload(data)
    except (ValueError, UnmappablePayload):
        return None  # the REST read will say what is wrong
    return (order, source == "poll") if order.key == key else None


def _invoiced(ctx: TransferContext, order_key: str) -> str | None:
    """The state of an order that already has its Billy invoice, else None."""
    with ctx.rt.db.session() as session:
        if bindings.get_binding(session, ctx.shop_id, "invoice", order_key) is None:
            return None
        row = transfers.get_transfer(session, ctx.shop_id, "order", order_key)
        return row.state if row and row.state in ("transferred", "paid") else "transferred"


def _already_invoiced(ctx: TransferContext, order: Order, state: str) -> Outcome:
    """An invoiced order never steps back to waiting; a cancellation is for a person."""
    if order.cancelled:
        message = (
            f"order {order.number} was cancelled in the shop after it was invoiced: "
            "credit it in Billy (or make a return in the shop) if the money goes back"
        )
        ctx.log("changed", message)
        with ctx.rt.db.session() as session:
            transfers.update_transfer(session, ctx.shop_id, "order", order.key, reason=message)
        return Outcome("transferred" if state == "transferred" else "paid", message)
    message = f"order {order.number}: an older copy (trigger not met) was ignored"
    return Outcome("transferred" if state == "transferred" else "paid", message)


def _note_order(ctx: TransferContext, order: Order, fingerprint: str) -> None:
    with ctx.rt.db.session() as session:
        transfers.update_transfer(
            session,
            ctx.shop_id,
            "order",
            order.key,
            number=order.number,
            order_date=order.created_at,
            currency=order.currency,
            snapshot=order.model_dump_json(),
            snapshot_hash=fingerprint,
        )


def _finish(ctx: TransferContext, obj: Order | Return, status: Status, message: str) -> Outcome:
    kind = "order" if isinstance(obj, Order) else "return"
    with ctx.rt.db.session() as session:
        before = transfers.get_transfer(session, ctx.shop_id, kind, obj.key)
        unchanged = before is not None and before.state == status and before.reason is None
        transfers.update_transfer(
            session, ctx.shop_id, kind, obj.key, state=status, reason=None, error_kind=None
        )
    if unchanged and not ctx.calls:
        return Outcome(status, message)  # a repeated event that changed nothing: no new line
    ctx.log(status, message)
    return Outcome(status, message)


# --- returns --------------------------------------------------------------------------


def transfer_return(ctx: TransferContext, return_key: str) -> Outcome:
    rt, shop_id = ctx.rt, ctx.shop_id
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        settings = billy_settings(shop)
        source = source_for(rt, shop)
    with closing(source):
        ret = source.read_return(return_key)
        with rt.db.session() as session:
            transfers.update_transfer(
                session,
                shop_id,
                "return",
                ret.key,
                number=f"{ret.order_number}-R{ret.key}",
                order_date=datetime.combine(ret.date, datetime.min.time()),
                currency=ret.currency,
                snapshot=ret.model_dump_json(),
            )
        try:
            order = source.read_order(ret.order_key)
        except ObjectGone:  # pushed before its order: the order's transfer wakes it
            return _finish(
                ctx, ret, "waiting", f"return {ret.key} waits for order {ret.order_number}"
            )
    moment = trigger_moment(order, settings) or (order.paid_at or order.shipped_at)
    if moment is None:
        return _finish(
            ctx,
            ret,
            "skipped",
            f"order {order.number} was never invoiced (not {settings.trigger}); nothing to credit",
        )
    product_ids = ensure_products(ctx, settings, order)
    contact = ensure_contact(ctx, order, settings)
    invoice = ensure_invoice(
        ctx,
        order,
        settings,
        contact_id=contact.billy_id,
        product_ids=product_ids,
        entry_date=local_date(moment),
    )
    credit = ensure_credit_note(ctx, ret, order, settings, contact.billy_id, invoice, product_ids)
    with rt.db.session() as session:
        transfers.update_transfer(
            session,
            shop_id,
            "return",
            ret.key,
            invoice_id=credit.billy_id,
            invoice_no=credit.extra.get("invoice_no"),
            amount_ore=to_ore(parse_money(credit.extra["gross"])),
        )
    message = f"return {ret.key} of order {order.number} credited in Billy"
    if settings.post_payments and ret.refunded and order.is_paid:
        ensure_refund(ctx, ret, settings, credit)
        message += " and the refund posted"
    return _finish(ctx, ret, "credited", message)


def ensure_credit_note(
    ctx: TransferContext,
    ret: Return,
    order: Order,
    settings: BillySettings,
    contact_id: str,
    invoice: Exported,
    product_ids: dict[str, str],
) -> Exported:
    ref = reference_for(ctx)
    draft = return_mapping.credit_note_for(
        ret,
        order,
        settings,
        contact_id=contact_id,
        original_invoice_id=invoice.billy_id,
        product_ids=product_ids,
        vat_rate=ref.vat_rate(order.customer.country, order.customer.kind),
        entry_date=ret.date,
    )
    client = ctx.client
    return ensure(
        ctx,
        kind="credit_note",
        local_key=ret.key,
        marker=draft.order_no,
        lookup=lambda: client.invoices.find_by_order_no(draft.order_no, type="creditNote"),
        create=lambda: client.invoices.create(draft.to_payload()),
        describe=_invoice_extra,
    )


def ensure_refund(
    ctx: TransferContext, ret: Return, settings: BillySettings, credit: Exported
) -> Exported | None:
    account_currency, rate = _cash_terms(ctx, settings, credit)
    draft = return_mapping.refund_for(
        ret,
        settings,
        credit_note_id=credit.billy_id,
        credit_gross=parse_money(credit.extra["gross"]),
        credit_currency=credit.extra["currency"],
        account_currency=account_currency,
        exchange_rate=rate,
        refund_date=ret.date,
    )
    if draft is None:
        return None
    client = ctx.client
    return ensure(
        ctx,
        kind="refund",
        local_key=ret.key,
        marker=f"invoice:{credit.billy_id}",
        lookup=lambda: client.bank_payments.for_invoice(credit.billy_id),
        create=lambda: client.bank_payments.create(draft.to_payload()),
        describe=lambda p: (p.id, {"amount": str(p.cash_amount)}),
    )
