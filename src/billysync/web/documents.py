"""Invoices, credit notes and payments as a bookkeeper reads them, for Preview and the order page.

Three sources give the same view: the preview's drafts (what would be posted), what billysync
kept when it booked (sync/documents.py: the bindings' `booked`, `customer` and payments) and
Billy's own records (read live only when nothing was kept). Either way the page shows a
customer block, lines with VAT, totals and each payment with its account by name; Billy's
wire field names and ids never reach it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from billysync.money import parse_money
from billysync.sync.reference import account_label


@dataclass(frozen=True)
class Customer:
    name: str
    company: bool
    street: str = ""
    zipcode: str = ""
    city: str = ""
    country: str = ""
    cvr: str = ""
    ean: str = ""
    attention: str = ""  # the contact person on a company's invoice
    email: str = ""


@dataclass(frozen=True)
class Line:
    description: str
    quantity: Decimal
    unit_price: Decimal
    vat: Decimal
    amount: Decimal
    discount: Decimal | None = None
    vat_rate: str = ""  # e.g. "20 %", when the preview says which rate the line gets


@dataclass(frozen=True)
class PaymentView:
    amount: Decimal
    currency: str
    day: date | None
    account: str  # the account's number and name, as Billy's chart of accounts shows it
    refund: bool = False


@dataclass(frozen=True)
class DocumentView:
    credit_note: bool
    currency: str
    prices_include_vat: bool
    lines: list[Line]
    net: Decimal
    vat: Decimal
    gross: Decimal
    customer: Customer | None = None
    number: str | None = None  # Billy's invoice number, once booked
    order_no: str = ""
    day: date | None = None
    payments: list[PaymentView] = field(default_factory=list)
    billy_link: str | None = None


def _text(value: object) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _day(value: object) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def customer_from_payload(contact: Mapping[str, Any]) -> Customer:
    """The customer block from a contact draft (Billy's wire names, as the preview has them)."""
    persons = contact.get("contactPersons") or []
    person = persons[0] if persons and isinstance(persons[0], Mapping) else {}
    return Customer(
        name=_text(contact.get("name")),
        company=contact.get("type") == "company",
        street=_text(contact.get("street")),
        zipcode=_text(contact.get("zipcodeText")),
        city=_text(contact.get("cityText")),
        country=_text(contact.get("countryId")),
        cvr=_text(contact.get("registrationNo")),
        ean=_text(contact.get("ean")),
        attention=_text(person.get("name")) if contact.get("type") == "company" else "",
        email=_text(person.get("email")),
    )


def customer_from_billy(contact: Any) -> Customer:
    """The customer block from Billy's contact record."""
    persons = getattr(contact, "contact_persons", None) or []
    person = persons[0] if persons else None
    company = getattr(contact, "type", None) == "company"
    return Customer(
        name=_text(contact.name),
        company=company,
        street=_text(contact.street),
        zipcode=_text(contact.zipcode_text),
        city=_text(contact.city_text),
        country=_text(contact.country_id),
        cvr=_text(contact.registration_no),
        ean=_text(contact.ean),
        attention=_text(person.name) if person is not None and company else "",
        email=_text(person.email) if person is not None else "",
    )


def from_preview(
    result: Mapping[str, Any], account_names: Mapping[str, str]
) -> tuple[DocumentView | None, PaymentView | None]:
    """The invoice and payment a preview would post."""
    order = result.get("order") or {}
    currency = str(order.get("currency") or "DKK")
    invoice = result.get("invoice")
    document = None
    if invoice:
        lines = [
            Line(
                description=_text(line.get("description")),
                quantity=parse_money(line.get("quantity") or "0"),
                unit_price=parse_money(line.get("unit_price") or "0"),
                vat=parse_money(line.get("vat") or "0"),
                amount=parse_money(line.get("amount") or "0"),
                discount=parse_money(line["discount"]) if line.get("discount") else None,
                vat_rate=_text(line.get("vat_rate")),
            )
            for line in invoice.get("lines") or []
        ]
        totals = invoice.get("totals") or {}
        payload = invoice.get("payload") or {}
        document = DocumentView(
            credit_note=False,
            currency=currency,
            prices_include_vat=invoice.get("tax_mode") == "incl",
            lines=lines,
            net=parse_money(totals.get("net") or "0"),
            vat=parse_money(totals.get("vat") or "0"),
            gross=parse_money(totals.get("gross") or "0"),
            customer=customer_from_payload((result.get("contact") or {}).get("payload") or {}),
            order_no=_text(payload.get("orderNo")),
            day=_day(payload.get("entryDate")),
        )
    payment = None
    raw = result.get("payment")
    if raw:
        payment = PaymentView(
            amount=parse_money(raw.get("cashAmount") or "0"),
            currency=currency,
            day=_day(raw.get("entryDate")),
            account=account_names.get(str(raw.get("cashAccountId")), ""),
        )
    return document, payment


def from_billy(
    invoice: Any,
    *,
    contact: Any | None,
    payments: list[Any],
    account_names: Mapping[str, str],
    app_url: str | None,
) -> DocumentView:
    """An invoice or credit note as Billy holds it, with the payments that settle it."""
    include_vat = invoice.tax_mode == "incl"
    lines = []
    for line in sorted(invoice.lines or [], key=lambda ln: ln.priority or 0):
        lines.append(
            Line(
                description=_text(line.description),
                quantity=line.quantity or Decimal(0),
                unit_price=line.unit_price or Decimal(0),
                vat=line.tax or Decimal(0),
                # In the invoice's price mode, like the preview's (docs/billy-api.md §3.8).
                amount=line.amount or Decimal(0),
                discount=line.discount_value or None,
            )
        )
    currency = invoice.currency_id or "DKK"
    return DocumentView(
        credit_note=invoice.is_credit_note,
        currency=currency,
        prices_include_vat=include_vat,
        lines=lines,
        net=invoice.amount or Decimal(0),
        vat=invoice.tax or Decimal(0),
        gross=invoice.gross_amount or Decimal(0),
        customer=customer_from_billy(contact) if contact is not None else None,
        number=invoice.invoice_no,
        order_no=_text(invoice.order_no),
        day=invoice.entry_date,
        payments=[
            PaymentView(
                amount=p.cash_amount or Decimal(0),
                currency=currency,
                day=p.entry_date,
                account=account_names.get(str(p.cash_account_id), ""),
                refund=p.cash_side == "credit",
            )
            for p in payments
            if not p.is_voided
        ],
        billy_link=billy_link(app_url, invoice.id),
    )


def billy_link(app_url: str | None, invoice_id: str) -> str | None:
    """The invoice in Billy's web app. The organization's `appUrl` is Billy's own (seen in
    the organization fixtures, docs/billy-api.md §3.1); the `/invoices/<id>` after it is how
    Billy's app addresses an invoice, which Billy's API documentation does not state."""
    if not app_url or not app_url.startswith("https://"):
        return None
    return f"{app_url.rstrip('/')}/invoices/{invoice_id}"


def account_names(accounts: list[Any]) -> dict[str, str]:
    """Account id → "5710 Bank", as the chart of accounts shows it."""
    return {str(account.id): account_label(account) for account in accounts}


def from_stored(
    billy_id: str,
    extra: Mapping[str, Any],
    *,
    payments: Sequence[Mapping[str, Any]],
) -> DocumentView | None:
    """The invoice or credit note as billysync kept it when it booked it; None when what was
    kept is not enough (bound by an older version, or adopted from a search without lines)."""
    try:
        booked = json.loads(extra.get("booked") or "null")
    except ValueError:
        return None
    if not isinstance(booked, Mapping) or not isinstance(booked.get("lines"), list):
        return None
    currency = str(extra.get("currency") or "DKK")

    def money(value: object) -> Decimal:
        return parse_money(value) if value not in (None, "") else Decimal(0)

    lines = [
        Line(
            description=_text(line.get("description")),
            quantity=money(line.get("quantity")),
            unit_price=money(line.get("unit_price")),
            vat=money(line.get("vat")),
            amount=money(line.get("amount")),
            discount=money(line["discount"]) if line.get("discount") else None,
        )
        for line in booked["lines"]
        if isinstance(line, Mapping)
    ]
    return DocumentView(
        credit_note=bool(booked.get("credit_note")),
        currency=currency,
        prices_include_vat=booked.get("tax_mode") == "incl",
        lines=lines,
        net=money(booked.get("net")),
        vat=money(booked.get("vat")),
        gross=money(extra.get("gross")),
        customer=_stored_customer(booked["customer"])
        if isinstance(booked.get("customer"), Mapping)
        else None,
        number=_text(extra.get("invoice_no")) or None,
        order_no=_text(booked.get("order_no")),
        day=_day(booked.get("entry_date")),
        payments=[
            PaymentView(
                amount=money(p.get("amount")),
                currency=currency,
                day=_day(p.get("date")),
                account=_text(p.get("account")),
                refund=bool(p.get("refund")),
            )
            for p in payments
        ],
        billy_link=billy_link(booked.get("app_url"), billy_id),
    )


def _stored_customer(kept: Mapping[str, Any]) -> Customer:
    company = kept.get("type") == "company"
    return Customer(
        name=_text(kept.get("name")),
        company=company,
        street=_text(kept.get("street")),
        zipcode=_text(kept.get("zipcode")),
        city=_text(kept.get("city")),
        country=_text(kept.get("country")),
        cvr=_text(kept.get("cvr")),
        ean=_text(kept.get("ean")),
        attention=_text(kept.get("person")) if company else "",
        email=_text(kept.get("email")),
    )
