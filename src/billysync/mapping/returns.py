"""What a shop return becomes in Billy: an approved credit note and, if paid back, a refund.

The credit note (`type: creditNote`, `creditedInvoiceId`, docs/billy-api.md §3.10) has the returned
lines and quantities as positive numbers, refunded shipping as a line on the shipping product,
and the order's currency and tax mode. Its `orderNo` is the return's marker, so it can be
found again. Billy's predicted gross must equal `ret.amount` (read as VAT included) by the same
rounding-or-stop rule as invoices (balance.py).

A return whose lines are at full price while the shop refunded less (a share of an order
discount kept back) does not add up and stops with TotalsMismatch: we do not guess how the
shop split the discount.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from billysync.billy.vat import SaleVat
from billysync.mapping.balance import balance_to_total
from billysync.mapping.cash import in_account_currency, payment_account
from billysync.mapping.drafts import InvoiceDraft, PaymentDraft
from billysync.mapping.errors import MappingError
from billysync.mapping.line_texts import customer_language, line_text
from billysync.mapping.lines import (
    LineBuilder,
    line_description,
    product_id_for,
    tax_mode_of,
)
from billysync.mapping.markers import return_marker
from billysync.mapping.settings import BillySettings
from billysync.money import ZERO
from billysync.shop.models import Order, Return

__all__ = ["credit_note_for", "refund_for"]


def credit_note_for(
    ret: Return,
    order: Order,
    settings: BillySettings,
    *,
    contact_id: str,
    original_invoice_id: str,
    product_ids: Mapping[str, str],
    vat: SaleVat,
    entry_date: date,
) -> InvoiceDraft:
    """The approved credit note for shop return `ret` on `order`'s invoice.

    A return in another currency or price mode than its order is refused, not converted.
    Raises MissingProduct, TotalsMismatch or MappingError rather than crediting wrongly.
    """
    _check_return_belongs(ret, order)
    where = f"Return {ret.key} on order {order.number}"
    language = customer_language(order.customer)
    lines = LineBuilder(vat, language)
    for line in ret.lines:
        if line.quantity <= 0:
            raise MappingError(
                f"{where}: item {line.item_number} has quantity {line.quantity}; "
                "returned quantities must be more than 0.",
                code="shop.return_quantity",
                params={"item": line.item_number, "quantity": line.quantity},
            )
        lines.add(
            product_id=product_id_for(product_ids, line.item_number),
            description=line_description(line.name, line.variant),
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
    if ret.refunded_shipping < 0:
        raise MappingError(
            f"{where}: refunded shipping is {ret.refunded_shipping}; must be ≥ 0.",
            code="shop.return_shipping",
            params={"amount": ret.refunded_shipping},
        )
    if ret.refunded_shipping > 0:
        lines.add(
            product_id=settings.shipping_product_id,
            description=order.shipping.method
            if order.shipping
            else line_text(language, "shipping"),
            unit_price=ret.refunded_shipping,
            kind="shipping",
        )
    tax_mode = tax_mode_of(order.prices_include_vat)
    balanced = balance_to_total(
        lines.built,
        target=ret.amount,
        tax_mode=tax_mode,
        rounding_product_id=settings.discount_product_id,
        vat=vat.goods,
        document=f"{order.number} (return {ret.key})",
        currency=order.currency,
        language=language,
    )
    return InvoiceDraft(
        type="creditNote",
        credited_invoice_id=original_invoice_id,
        contact_id=contact_id,
        entry_date=entry_date,
        currency_id=order.currency,
        tax_mode=tax_mode,
        order_no=return_marker(settings.order_prefix, order.number, ret.key),
        lines=balanced,
    )


def refund_for(
    ret: Return,
    settings: BillySettings,
    *,
    credit_note_id: str,
    credit_gross: Decimal,
    credit_currency: str | None = None,
    account_currency: str | None = None,
    exchange_rate: Decimal | None = None,
    refund_date: date | None = None,
    method: str | None = None,
) -> PaymentDraft | None:
    """The withdrawal that pays a refund out, or None when nothing is to be posted.

    How a refund is booked, an ASSUMPTION (docs/billy-api.md §3.10 and open question 3): a bank
    payment with `cashSide: "credit"` (money leaves the payment account) for the credit note's
    gross amount, associated with `invoice:<creditNoteId>`, dated the return's date unless
    `refund_date` is given. Billy documents only deposits against invoices; its support
    article describes a credit note plus a registered refund, and associating the withdrawal
    with the credit note is inferred, not seen live. Check it against Billy on first use.

    None when payment posting is off, when the shop paid nothing back (`ret.refunded` false:
    the credit note then only offsets the invoice), or when the credit note is for 0.
    `credit_currency` defaults to the return's, `account_currency` to the credit note's;
    `exchange_rate` converts the first into the second (cash.py) when they differ. The money
    goes back the way it came: through the account of the order's payment `method`.
    """
    if not settings.post_payments or not ret.refunded:
        return None
    if credit_gross < 0:
        raise MappingError(
            f"Return {ret.key} on order {ret.order_number}: the credit note's gross amount "
            "is negative; Billy credit notes carry positive amounts.",
            code="shop.return_negative",
        )
    if credit_gross == ZERO:
        return None
    subject_currency = (credit_currency or ret.currency).upper()
    cash_amount, rate = in_account_currency(
        credit_gross,
        subject_currency,
        account_currency or subject_currency,
        exchange_rate,
        f"return {ret.key} on order {ret.order_number}",
    )
    return PaymentDraft(
        entry_date=refund_date or ret.date,
        cash_amount=cash_amount,
        cash_side="credit",
        cash_account_id=payment_account(settings, method),
        cash_exchange_rate=rate,
        subject_references=(f"invoice:{credit_note_id}",),
    )


def _check_return_belongs(ret: Return, order: Order) -> None:
    if ret.order_key != order.key:
        raise MappingError(
            f"Return {ret.key} is for order {ret.order_number} (key {ret.order_key}), "
            f"not order {order.number} (key {order.key}).",
            code="shop.return_other_order",
            params={"theirs": ret.order_number, "ours": order.number},
        )
    if ret.currency != order.currency or ret.prices_include_vat != order.prices_include_vat:
        raise MappingError(
            f"Return {ret.key} on order {order.number} is in {_mode(ret.currency, ret)}, but "
            f"the order is in {_mode(order.currency, order)}. A credit note must use the "
            "invoice's currency and price mode: correct the return in the shop.",
            code="shop.return_currency",
            params={
                "return_currency": ret.currency,
                "order_currency": order.currency,
                "return_incl": ret.prices_include_vat,
                "order_incl": order.prices_include_vat,
            },
        )


def _mode(currency: str, doc: Order | Return) -> str:
    return f"{currency} {'incl.' if doc.prices_include_vat else 'excl.'} VAT"
