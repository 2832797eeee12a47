"""What a shop order becomes in Billy: a contact, an approved invoice and a payment.

The invoice books the shop's prices as they are: `taxMode` follows `order.prices_include_vat`,
so nothing is recomputed (docs/billy-api.md §3.7, §5). Every order line goes on the Billy
product bound to its item number, its line discount as a cash discount. The rest are lines of
their own:

- shipping: on the shipping product, described by the method's name. Free shipping gets a
  0.00 line too: it documents how the goods went out and changes no total.
- discount code: a NEGATIVE line (quantity 1) on the discount product,
  "Rabatkode SOMMER10" (or "Discount code SOMMER10": texts follow the customer's language,
  line_texts.py).
- gift card: a NEGATIVE line WITHOUT VAT on the discount product, "Gavekort ****1234" (or
  "Gift card ****1234"; lines.gift_card_label): a multi-purpose gift card is a means of
  payment, so the goods keep their whole VAT (docs/vat.md). The line names Billy's VAT-free
  rate, because the discount product's ruleset would give it the goods' rate.

`order.total` is read as what the customer pays, VAT included; Billy's predicted gross amount
must equal it to the øre (balance.py: a labelled rounding line for a few øre, else stop).

The payment is a deposit on the merchant's payment account for the invoice's gross amount,
dated the payment date (docs/invariants.md I3). When gift cards are booked as payments
(a setting), the invoice keeps the goods' full price with no gift-card line; a deposit from
the gift-card account pays the cards' part and the customer's payment the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from billysync.billy.vat import SaleVat
from billysync.mapping.balance import balance_to_total
from billysync.mapping.cash import in_account_currency, payment_account
from billysync.mapping.contact import contact_for
from billysync.mapping.drafts import InvoiceDraft, PaymentDraft
from billysync.mapping.errors import MappingError, PaymentMismatch
from billysync.mapping.line_texts import customer_language, line_text
from billysync.mapping.lines import (
    LineBuilder,
    gift_card_label,
    line_description,
    product_id_for,
    tax_mode_of,
)
from billysync.mapping.markers import order_marker
from billysync.mapping.settings import BillySettings
from billysync.money import ZERO
from billysync.shop.models import Order

__all__ = ["contact_for", "gift_card_payment_for", "invoice_for", "payment_for"]


def invoice_for(
    order: Order,
    settings: BillySettings,
    *,
    contact_id: str,
    product_ids: Mapping[str, str],
    vat: SaleVat,
    entry_date: date,
    payment_terms_days: int | None = None,
) -> InvoiceDraft:
    """The approved invoice for `order`, dated `entry_date` (the trigger's date).

    `product_ids` maps item numbers to Billy product ids; `vat` is the sale's VAT per kind of
    line (billy/vat.py: goods, shipping and discount codes alike; gift cards none).
    Raises MissingProduct or TotalsMismatch rather than booking something that differs from
    the shop.
    """
    language = customer_language(order.customer)
    lines = LineBuilder(vat, language)
    for line in order.lines:
        lines.add(
            product_id=product_id_for(product_ids, line.item_number),
            description=line_description(line.name, line.variant),
            quantity=line.quantity,
            unit_price=line.unit_price,
            discount=line.discount,
        )
    if order.shipping is not None:
        lines.add(
            product_id=settings.shipping_product_id,
            description=order.shipping.method,
            unit_price=order.shipping.price,
            kind="shipping",
        )
    for discount in order.discounts:
        lines.add(
            product_id=settings.discount_product_id,
            description=line_text(language, "discount_code", code=discount.code),
            unit_price=-discount.amount,
            kind="discount",
        )
    if settings.gift_cards == "line":
        for card in order.gift_cards:
            shown = gift_card_label(card.code)
            lines.add(
                product_id=settings.discount_product_id,
                description=line_text(language, "gift_card", card=shown),
                unit_price=-card.amount,
                kind="gift_card",
            )
    tax_mode = tax_mode_of(order.prices_include_vat)
    balanced = balance_to_total(
        lines.built,
        # Gift cards booked as payments leave the invoice at the goods' full price.
        target=order.total + paid_with_gift_cards(order, settings),
        tax_mode=tax_mode,
        rounding_product_id=settings.discount_product_id,
        vat=vat.goods,
        document=order.number,
        currency=order.currency,
        language=language,
    )
    return InvoiceDraft(
        type="invoice",
        contact_id=contact_id,
        entry_date=entry_date,
        currency_id=order.currency,
        tax_mode=tax_mode,
        order_no=order_marker(settings.order_prefix, order.number),
        payment_terms_days=payment_terms_days,
        lines=balanced,
    )


def paid_with_gift_cards(order: Order, settings: BillySettings) -> Decimal:
    """What gift cards pay of the invoice when they are booked as payments (else 0)."""
    if settings.gift_cards != "payment":
        return ZERO
    return sum((card.amount for card in order.gift_cards), ZERO)


def gift_card_payment_for(
    order: Order,
    settings: BillySettings,
    *,
    invoice_id: str,
    invoice_currency: str,
    account_currency: str,
    exchange_rate: Decimal | None,
    payment_date: date,
) -> PaymentDraft | None:
    """The payment from the gift-card account for the cards redeemed on `order`, when gift
    cards are booked as payments; None otherwise or when no card was used."""
    amount = paid_with_gift_cards(order, settings)
    if amount == ZERO or not order.is_paid:
        return None
    assert settings.gift_card_account_id is not None  # BillySettings checks it
    cash_amount, rate = in_account_currency(
        amount, invoice_currency, account_currency, exchange_rate, f"order {order.number}"
    )
    return PaymentDraft(
        entry_date=payment_date,
        cash_amount=cash_amount,
        cash_side="debit",
        cash_account_id=settings.gift_card_account_id,
        cash_exchange_rate=rate,
        subject_references=(f"invoice:{invoice_id}",),
    )


def payment_for(
    order: Order,
    settings: BillySettings,
    *,
    invoice_id: str,
    invoice_gross: Decimal,
    invoice_currency: str,
    account_currency: str,
    exchange_rate: Decimal | None,
    payment_date: date,
) -> PaymentDraft | None:
    """The deposit that marks the invoice paid, or None when nothing is to be posted.

    None when automatic payment posting is off, when the shop has not recorded the order as
    paid, or when the invoice is for 0 (e.g. paid in full with a gift card: Billy has nothing
    outstanding). `exchange_rate` converts the invoice's currency into the account's
    (cash.py); it is only used when the two differ. Raises PaymentMismatch when the shop's
    recorded payment differs from the invoice's gross amount: paying the invoice anyway would
    book money the shop never received.
    """
    if not settings.post_payments or not order.is_paid:
        return None
    if invoice_currency.upper() != order.currency:
        raise MappingError(
            f"Order {order.number} is in {order.currency} but its Billy invoice is in "
            f"{invoice_currency}; the invoice does not belong to this order.",
            code="billy.invoice_currency",
            params={"currency": order.currency, "invoice_currency": invoice_currency},
        )
    if invoice_gross < 0:
        raise MappingError(
            f"Order {order.number}: the invoice's gross amount is negative.",
            code="billy.invoice_negative",
        )
    due = invoice_gross - paid_with_gift_cards(order, settings)
    if order.payment is not None and order.payment.amount != due:
        raise PaymentMismatch(order.number, order.payment.amount, due, order.currency)
    if due <= ZERO:
        return None
    what = f"order {order.number}"
    fee = order.payment.fee if order.payment else ZERO
    # What reached the account is the gross less the provider's fee; the fee is booked as
    # an expense and settles the rest of the invoice (docs/billy-api.md §3.9).
    cash_amount, rate = in_account_currency(
        due - fee, invoice_currency, account_currency, exchange_rate, what
    )
    fee_amount = (
        in_account_currency(fee, invoice_currency, account_currency, exchange_rate, what)[0]
        if fee
        else None
    )
    return PaymentDraft(
        entry_date=payment_date,
        cash_amount=cash_amount,
        cash_side="debit",
        cash_account_id=payment_account(settings, payment_method(order)),
        cash_exchange_rate=rate,
        subject_references=(f"invoice:{invoice_id}",),
        fee_amount=fee_amount,
        fee_account_id=settings.fee_account_id if fee_amount else None,
    )


def payment_method(order: Order) -> str | None:
    """How the customer paid, as the shop names it (None when the shop did not say)."""
    return order.payment.method if order.payment else None
