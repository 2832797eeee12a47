"""Preview: everything we would post for one order, as plain data, without posting anything.

For the admin Preview page and backfill previews. It runs the same functions
the engine runs, so what it shows is what would be booked. Money is shown as two-decimal
strings (exact, ready to display); payloads are exactly Billy's wire JSON. Anything that would
stop the booking (a totals mismatch, a payment mismatch) is listed under `problems` instead of
raised, so the page can show it next to the rest. Ids not known yet (a contact or product the
engine would create first, the invoice's own id) are shown as "(new …)" placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from billysync.billy.vat import SaleVat
from billysync.localtime import local_date
from billysync.mapping.contact import contact_for
from billysync.mapping.drafts import InvoiceDraft
from billysync.mapping.errors import MappingError
from billysync.mapping.orders import invoice_for, payment_for
from billysync.mapping.oss_rates import percent_text
from billysync.mapping.settings import BillySettings
from billysync.shop.models import Order

NEW_CONTACT = "(new contact)"
NEW_INVOICE = "(new invoice)"


def preview(
    order: Order,
    settings: BillySettings,
    *,
    vat: SaleVat,
    entry_date: date | None = None,
    product_ids: Mapping[str, str] | None = None,
    contact_id: str | None = None,
    payment_date: date | None = None,
    account_currency: str | None = None,
    exchange_rate: Decimal | None = None,
) -> dict[str, Any]:
    """What would be posted for `order`: contact, invoice (lines, VAT, totals), payment.

    `entry_date` defaults to the trigger's date in Denmark if the trigger is met, else the
    order's date (the preview has no clock).
    """
    entry_date = entry_date or _entry_date(order, settings)
    known = dict(product_ids or {})
    new_products = sorted({ln.item_number for ln in order.lines if not known.get(ln.item_number)})
    ids = {**known, **{item: f"(new product {item})" for item in new_products}}
    refused: list[MappingError] = []
    contact = contact_for(order.customer, prefix=settings.order_prefix)

    invoice: InvoiceDraft | None = None
    try:
        invoice = invoice_for(
            order,
            settings,
            contact_id=contact_id or NEW_CONTACT,
            product_ids=ids,
            vat=vat,
            entry_date=entry_date,
        )
    except MappingError as exc:
        refused.append(exc)

    payment: dict[str, Any] | None = None
    if invoice is not None:
        try:
            draft = payment_for(
                order,
                settings,
                invoice_id=NEW_INVOICE,
                invoice_gross=invoice.predicted.gross_amount,
                invoice_currency=invoice.currency_id,
                account_currency=account_currency or order.currency,
                exchange_rate=exchange_rate,
                payment_date=payment_date or _paid_on(order) or entry_date,
            )
            payment = draft.to_payload() if draft is not None else None
        except MappingError as exc:
            refused.append(exc)

    return {
        "order": {
            "number": order.number,
            "currency": order.currency,
            "prices_include_vat": order.prices_include_vat,
            "total": _money(order.total),
        },
        "contact": {"existing_id": contact_id, "payload": contact.to_payload()},
        "vat_treatment": vat.treatment.value,
        "new_products": new_products,
        "invoice": _invoice_view(invoice) if invoice is not None else None,
        "payment": payment,
        "problems": [str(exc) for exc in refused],
        # the same, by reason code (sync/reasons.py), for the merchant's language
        "problem_codes": [{"code": exc.code, "params": exc.params} for exc in refused if exc.code],
    }


def _invoice_view(invoice: InvoiceDraft) -> dict[str, Any]:
    totals = invoice.predicted
    lines = [
        {
            "kind": line.kind,
            "description": line.description,
            "quantity": str(line.quantity),
            "unit_price": _money(line.unit_price),
            "discount": _money(line.discount_value) if line.discount_value else None,
            "amount": _money(predicted.amount),
            "vat": _money(predicted.tax),
            "vat_rate": f"{percent_text(line.tax_rate)} %",
        }
        for line, predicted in zip(invoice.lines, totals.lines, strict=True)
    ]
    return {
        "payload": invoice.to_payload(),
        "tax_mode": invoice.tax_mode,
        "lines": lines,
        "totals": {
            "net": _money(totals.amount),
            "vat": _money(totals.tax),
            "gross": _money(totals.gross_amount),
        },
        "rounding": _money(invoice.rounding_adjustment),
    }


def _entry_date(order: Order, settings: BillySettings) -> date:
    moment = order.paid_at if settings.trigger == "paid" else order.shipped_at
    return local_date(moment or order.created_at)


def _paid_on(order: Order) -> date | None:
    if order.payment is not None:
        return order.payment.date
    return local_date(order.paid_at) if order.paid_at is not None else None


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"
