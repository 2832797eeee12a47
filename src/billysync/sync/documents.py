"""The ensure steps: each Billy document of a transfer, made exactly once (exporter.py).

Products, the contact, the invoice and its payment for an order; the credit note and its
refund for a return. Each maps with the pure functions of `billysync.mapping`, predicts
with Billy's own VAT rules (reference.py) and binds what Billy confirms.

What Billy confirmed is kept with the binding as it was booked, so the order page shows the
document without asking Billy: the invoice's lines, VAT, totals, customer block and link in
Billy (`booked`), and each payment's amount, account by name and date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from billysync.billy.models import BankPayment, Contact, Invoice
from billysync.billy.vat import SaleVat
from billysync.localtime import local_date
from billysync.mapping import drafts
from billysync.mapping import orders as order_mapping
from billysync.mapping import products as product_mapping
from billysync.mapping import returns as return_mapping
from billysync.mapping.cash import payment_account
from billysync.mapping.errors import MappingError
from billysync.mapping.invoice_email import invoice_email_for
from billysync.mapping.settings import BillySettings
from billysync.money import parse_money
from billysync.shop.models import Order, Product, Return
from billysync.store import bindings, shops
from billysync.sync import oss
from billysync.sync.context import TransferContext
from billysync.sync.exporter import BindingExtra, Exported, bound, ensure
from billysync.sync.reference import reference_for


def ensure_products(ctx: TransferContext, settings: BillySettings, order: Order) -> dict[str, str]:
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
    """Adopt the merchant's own product with this item number, or create it."""
    client = ctx.client
    return ensure(
        ctx,
        kind="product",
        local_key=draft.product_no,
        marker=draft.product_no,
        lookup=lambda: client.products.find_by_product_no(draft.product_no),
        create=lambda: client.products.create(draft.to_payload()),
        # The name, for the products page (the binding is all it reads).
        describe=lambda p: (p.id, {"name": draft.name}),
        content_hash=draft.content_hash(),
        always_lookup=True,
    )


def ensure_contact(ctx: TransferContext, order: Order, settings: BillySettings) -> Exported:
    """The customer's contact: created once, and updated in Billy when the customer's details
    (address, name, phone, …) changed since, before the next invoice is made out to it."""
    draft = order_mapping.contact_for(order.customer, prefix=settings.order_prefix)
    digest = draft.content_hash()
    current = _kept_current(ctx, order.customer.key, draft, digest)
    if current is not None:
        return current
    client = ctx.client
    return ensure(
        ctx,
        kind="contact",
        local_key=order.customer.key,
        marker=draft.contact_no,
        lookup=lambda: client.contacts.find_by_contact_no(draft.contact_no),
        create=lambda: client.contacts.create(draft.to_payload()),
        describe=_contact_extra,
        content_hash=digest,
    )


def _contact_extra(contact: Contact) -> tuple[str, BindingExtra]:
    """A contact's binding keeps its primary person: the one invoices are e-mailed to."""
    return contact.id, {"person_id": _primary_person(contact)}


def customer_block(order: Order, settings: BillySettings) -> str:
    """The customer block of the order's invoice, as JSON: the contact as billysync sends it
    to Billy (created or brought up to date before each invoice), for the order page."""
    draft = order_mapping.contact_for(order.customer, prefix=settings.order_prefix)
    person = draft.contact_persons[0] if draft.contact_persons else None
    return json.dumps(
        {
            "name": draft.name,
            "type": draft.type,
            "street": draft.street,
            "zipcode": draft.zipcode_text,
            "city": draft.city_text,
            "country": draft.country_id,
            "cvr": draft.registration_no,
            "ean": draft.ean,
            "person": person.name if person is not None else None,
            "email": person.email if person is not None else None,
        },
        ensure_ascii=False,
    )


def _primary_person(contact: Contact) -> str | None:
    persons = [p for p in contact.contact_persons or () if p.email]
    primary = [p for p in persons if p.is_primary] or persons
    return primary[0].id if primary else None


def _kept_current(
    ctx: TransferContext, customer_key: str, draft: drafts.ContactDraft, digest: str
) -> Exported | None:
    """The bound contact, brought up to date first if the customer changed; None if unbound.

    An update sends the same fields again, so repeating it after a crash is harmless. A
    binding from before contacts were kept current has no fingerprint: it is taken as it is
    and fingerprinted, without a Billy call.
    """
    row = ctx.binding("contact", customer_key)
    if row is None:
        return None
    known, billy_id, marker = row.content_hash, row.billy_id, row.marker
    extra = bindings.binding_extra(row)
    if known == digest:
        return Exported(billy_id, extra)
    if known is not None:
        updated = ctx.client.contacts.update(billy_id, draft.to_payload())
        # Sending the persons replaces them, with new ids: keep the new primary person.
        extra = {"person_id": _primary_person(updated)}
    with ctx.unit() as session:
        bindings.bind(
            session,
            ctx.shop_id,
            "contact",
            customer_key,
            billy_id,
            marker=marker,
            content_hash=digest,
            extra=extra,
        )
        if known is not None:
            ctx.log_in(session, "contact", f"updated contact {draft.contact_no}", billy_id=billy_id)
    ctx.known_bindings.pop(("contact", customer_key), None)
    return Exported(billy_id, extra)


@dataclass(frozen=True)
class BilledDocument:
    """A bound invoice or credit note: what later steps (payment, refund, the overview) use.

    Kept at rest in the binding's `extra` (`_invoice_extra`); read back here, once.
    """

    billy_id: str
    number: str | None  # Billy's invoice number
    gross: Decimal
    currency: str
    exchange_rate: Decimal  # against the organization's currency (1 when Billy sent none)
    # The contact Billy has on the document (None in bindings made before it was kept): a
    # credit note goes to the invoice's contact, which for an invoice adopted from Billy
    # may be the merchant's own contact rather than the customer's bound one.
    contact_id: str | None = None

    @classmethod
    def of(cls, exported: Exported) -> BilledDocument:
        extra = exported.extra
        currency = extra.get("currency")
        if not currency:  # Billy states every document's currency; a gap is a bad binding
            raise ValueError(
                f"the binding of Billy document {exported.billy_id} has no currency: "
                "open the document in Billy and retry the order"
            )
        return cls(
            billy_id=exported.billy_id,
            number=extra.get("invoice_no"),
            gross=parse_money(extra["gross"]),
            currency=currency,
            exchange_rate=parse_money(extra.get("exchange_rate") or "1"),
            contact_id=extra.get("contact_id"),
        )


def ensure_document(
    ctx: TransferContext,
    kind: str,
    local_key: str,
    draft: drafts.InvoiceDraft,
    customer: str | None = None,
) -> BilledDocument:
    """An invoice or a credit note, found again by its `orderNo` marker."""
    client = ctx.client
    app_url = reference_for(ctx).app_url  # read with the VAT rules just before: no Billy call
    exported = ensure(
        ctx,
        kind=kind,
        local_key=local_key,
        marker=draft.order_no,
        lookup=lambda: client.invoices.find_by_order_no(draft.order_no, type=draft.type),
        create=lambda: client.invoices.create(draft.to_payload()),
        describe=lambda invoice: _invoice_extra(invoice, app_url, customer),
    )
    return BilledDocument.of(exported)


def ensure_bank_payment(
    ctx: TransferContext, kind: str, local_key: str, subject_id: str, draft: drafts.PaymentDraft
) -> Exported:
    """A payment or a refund; Billy has no marker field, so it is found by its subject and
    the account it was paid to (a gift-card payment and the customer's share an invoice)."""
    client = ctx.client
    names = reference_for(ctx).account_names  # read before, for the payment's account
    return ensure(
        ctx,
        kind=kind,
        local_key=local_key,
        marker=f"invoice:{subject_id}",
        lookup=lambda: [
            p
            for p in client.bank_payments.for_invoice(subject_id)
            if p.cash_account_id == draft.cash_account_id
        ],
        create=lambda: client.bank_payments.create(draft.to_payload()),
        describe=lambda p: (p.id, _payment_extra(p, names)),
    )


def _payment_extra(payment: BankPayment, account_names: dict[str, str]) -> BindingExtra:
    """What the order page shows of a payment: amount, account by name, date, direction."""
    return {
        "amount": str(payment.cash_amount),
        "account": account_names.get(payment.cash_account_id or "", ""),
        "date": payment.entry_date.isoformat() if payment.entry_date else None,
        "refund": "1" if payment.cash_side == "credit" else None,
    }


def _invoice_extra(
    invoice: Invoice, app_url: str | None = None, customer: str | None = None
) -> tuple[str, BindingExtra]:
    return invoice.id, {
        "gross": str(invoice.gross_amount),
        "currency": invoice.currency_id,
        "invoice_no": invoice.invoice_no,
        "exchange_rate": str(invoice.exchange_rate) if invoice.exchange_rate else None,
        "contact_id": invoice.contact_id,
        "booked": _booked(invoice, app_url, customer),
    }


def invoice_extra(invoice: Invoice) -> BindingExtra:
    """What a document's binding keeps of it (read back by `BilledDocument.of`), for an
    invoice found in Billy rather than made by billysync (backfill adopts it)."""
    return _invoice_extra(invoice)[1]


def _booked(invoice: Invoice, app_url: str | None, customer: str | None) -> str | None:
    """The invoice as Billy confirmed it, as JSON; None when Billy's answer had no lines (an
    adopted invoice found by a search): the order page then reads it from Billy."""
    if invoice.lines is None:
        return None

    def text(value: object) -> str | None:
        return str(value) if value is not None else None

    lines = sorted(invoice.lines, key=lambda line: line.priority or 0)
    return json.dumps(
        {
            "credit_note": invoice.is_credit_note,
            "tax_mode": invoice.tax_mode,
            "entry_date": text(invoice.entry_date),
            "order_no": invoice.order_no,
            "net": text(invoice.amount),
            "vat": text(invoice.tax),
            "customer": json.loads(customer) if customer else None,
            "app_url": app_url,
            "lines": [
                {
                    "description": line.description,
                    "quantity": text(line.quantity),
                    "unit_price": text(line.unit_price),
                    "vat": text(line.tax),
                    "amount": text(line.amount),
                    "discount": text(line.discount_value) if line.discount_value else None,
                }
                for line in lines
            ],
        },
        ensure_ascii=False,
    )


def ensure_invoice(
    ctx: TransferContext,
    order: Order,
    settings: BillySettings,
    *,
    contact_id: str,
    product_ids: dict[str, str],
    entry_date: date,
    customer: str | None = None,
) -> BilledDocument:
    """`customer`: the invoice's customer block (`customer_block`), kept with it as booked."""
    draft = order_mapping.invoice_for(
        order,
        settings,
        contact_id=contact_id,
        product_ids=product_ids,
        vat=sale_vat(ctx, settings, order, entry_date),
        entry_date=entry_date,
    )
    return ensure_document(ctx, "invoice", order.key, draft, customer)


def sale_vat(ctx: TransferContext, settings: BillySettings, order: Order, on: date) -> SaleVat:
    """The VAT of this order's lines (billy/vat.py), with the OSS rates of the day it is
    booked when the shop is registered for OSS and the sale is one OSS covers."""
    ref = reference_for(ctx)
    oss_rates = None
    if settings.oss and oss.applies_to(order.customer):
        oss_rates = oss.ensure_oss_rates(ctx, on)
    return ref.sale_vat(order.customer, oss=oss_rates)


@dataclass(frozen=True)
class InvoicedOrder:
    """An order's invoice in Billy, with the contact and products it was made with."""

    invoice: BilledDocument
    contact: Exported
    product_ids: dict[str, str]

    @property
    def contact_id(self) -> str:
        return self.contact.billy_id


def order_bindings(order: Order) -> list[tuple[str, str]]:
    """The bindings an order's transfer may need: read at once (`TransferContext.read_bindings`)."""
    keys = [("product", line.item_number) for line in order.lines]
    keys.append(("contact", order.customer.key))
    keys += [
        (kind, order.key) for kind in ("invoice", "payment", "gift_card_payment", "invoice_email")
    ]
    return keys


def ensure_invoiced(
    ctx: TransferContext, order: Order, settings: BillySettings, moment: datetime
) -> InvoicedOrder:
    """The order's products, contact and invoice (each once), dated the day its trigger was
    met in Denmark; the order's own steps, and the first steps of each of its returns."""
    product_ids = ensure_products(ctx, settings, order)
    contact = ensure_contact(ctx, order, settings)
    invoice = ensure_invoice(
        ctx,
        order,
        settings,
        contact_id=contact.billy_id,
        product_ids=product_ids,
        entry_date=local_date(moment),
        customer=customer_block(order, settings),
    )
    return InvoicedOrder(invoice, contact, product_ids)


def cash_terms(
    ctx: TransferContext, account_id: str, document: BilledDocument
) -> tuple[str, Decimal | None]:
    """The payment account's currency, and its rate against the document's currency."""
    ref = reference_for(ctx)
    account_currency = ref.account_currency(account_id)
    rate = ref.cash_rate(document.currency, document.exchange_rate, account_currency)
    return account_currency, rate


def payment_bound(ctx: TransferContext, order_key: str) -> bool:
    """Whether Billy holds the order's payment (bound by an earlier attempt)."""
    return bound(ctx, "payment", order_key) is not None


def ensure_payment(
    ctx: TransferContext, order: Order, settings: BillySettings, invoice: BilledDocument
) -> Exported | None:
    """The customer's payment, after the gift cards' payment when they are booked as one."""
    assert order.paid_at is not None
    paid = bound(ctx, "payment", order.key)
    if paid is not None:  # never re-derived from an order that may have changed since
        return paid
    payment_date = order.payment.date if order.payment else local_date(order.paid_at)
    _ensure_gift_card_payment(ctx, order, settings, invoice, payment_date)
    account = payment_account(settings, order_mapping.payment_method(order))
    account_currency, rate = cash_terms(ctx, account, invoice)
    draft = order_mapping.payment_for(
        order,
        settings,
        invoice_id=invoice.billy_id,
        invoice_gross=invoice.gross,
        invoice_currency=invoice.currency,
        account_currency=account_currency,
        exchange_rate=rate,
        payment_date=payment_date,
    )
    if draft is None:  # nothing to pay (e.g. paid in full with a gift card)
        return None
    return ensure_bank_payment(ctx, "payment", order.key, invoice.billy_id, draft)


def _ensure_gift_card_payment(
    ctx: TransferContext,
    order: Order,
    settings: BillySettings,
    invoice: BilledDocument,
    on: date,
) -> Exported | None:
    if settings.gift_card_account_id is None:
        return None
    ref = reference_for(ctx)
    account_currency = ref.account_currency(settings.gift_card_account_id)
    rate = ref.cash_rate(invoice.currency, invoice.exchange_rate, account_currency)
    draft = order_mapping.gift_card_payment_for(
        order,
        settings,
        invoice_id=invoice.billy_id,
        invoice_currency=invoice.currency,
        account_currency=account_currency,
        exchange_rate=rate,
        payment_date=on,
    )
    if draft is None:
        return None
    return ensure_bank_payment(ctx, "gift_card_payment", order.key, invoice.billy_id, draft)


def ensure_credit_note(
    ctx: TransferContext,
    ret: Return,
    order: Order,
    settings: BillySettings,
    contact_id: str,
    invoice: BilledDocument,
    product_ids: dict[str, str],
    customer: str | None = None,
) -> BilledDocument:
    draft = return_mapping.credit_note_for(
        ret,
        order,
        settings,
        contact_id=contact_id,
        original_invoice_id=invoice.billy_id,
        product_ids=product_ids,
        # The rates of the original sale (a credit note corrects it at its own rate).
        vat=sale_vat(ctx, settings, order, local_date(order.paid_at or order.created_at)),
        entry_date=ret.date,
    )
    return ensure_document(ctx, "credit_note", ret.key, draft, customer)


def ensure_refund(
    ctx: TransferContext,
    ret: Return,
    order: Order,
    settings: BillySettings,
    credit: BilledDocument,
) -> Exported | None:
    """The refund of a credited return, paid out through the order's payment method."""
    method = order_mapping.payment_method(order)
    account_currency, rate = cash_terms(ctx, payment_account(settings, method), credit)
    draft = return_mapping.refund_for(
        ret,
        settings,
        credit_note_id=credit.billy_id,
        credit_gross=credit.gross,
        credit_currency=credit.currency,
        account_currency=account_currency,
        exchange_rate=rate,
        refund_date=ret.date,
        method=method,
    )
    if draft is None:
        return None
    return ensure_bank_payment(ctx, "refund", ret.key, credit.billy_id, draft)


def ensure_invoice_email(
    ctx: TransferContext,
    order: Order,
    settings: BillySettings,
    invoice: BilledDocument,
    contact: Exported,
) -> None:
    """Have Billy e-mail the invoice to the customer, once per invoice, when the merchant
    asked for it and the customer has an address.

    Billy's e-mail call is not idempotent and carries no marker; after a lost answer the
    invoice's `sentState` tells whether it went (docs/billy-api.md §3.10), and an invoice
    the merchant already sent from Billy is not sent again.
    """
    if not settings.email_invoices or not order.customer.email:
        return
    client = ctx.client

    def already_sent() -> list[str]:
        state = client.invoices.get(invoice.billy_id).sent_state
        return [invoice.billy_id] if state not in (None, "unsent") else []

    def send() -> str:
        person_id = contact.extra.get("person_id") or _primary_person(
            client.contacts.get(contact.billy_id)
        )
        if person_id is None:
            raise MappingError(
                f"Order {order.number}: the customer's contact in Billy has no person with an "
                "e-mail address, so the invoice cannot be e-mailed. Add one in Billy, or turn "
                "invoice e-mails off, then retry the order.",
                code="billy.no_email",
            )
        shop = ctx.shop
        if shop is None:
            with ctx.rt.db.reading() as session:
                shop = shops.get_shop(session, ctx.shop_id)
        sender = shop.name if shop else ""
        email = invoice_email_for(order, invoice_no=invoice.number, shop_name=sender)
        client.invoice_emails.send(invoice.billy_id, person_id, email.subject, email.body)
        return invoice.billy_id

    ensure(
        ctx,
        kind="invoice_email",
        local_key=order.key,
        marker=f"email:{invoice.billy_id}",
        lookup=already_sent,
        create=send,
        describe=lambda invoice_id: (invoice_id, {}),
    )
