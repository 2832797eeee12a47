"""Shoporama buyers → canonical `Customer`: from an order's `order_` fields or `/REST/customer`.

The customer key is Shoporama's `customer_id` when the buyer has an account, else the
lower-cased e-mail (guests), else a key derived from the order. Countries may come as an
ISO code or as a Danish or English name; none at all means the shop's own country, DK.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.shop.models import Customer
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama.reading import FieldReader, build, shown
from billysync.shop.vat_numbers import compact_vat_number, is_foreign_vat_number

COUNTRY_NAMES = {  # order_country may be a name rather than a code (THEME prints a name)
    "danmark": "DK", "denmark": "DK", "sverige": "SE", "sweden": "SE", "norge": "NO",
    "norway": "NO", "tyskland": "DE", "germany": "DE", "deutschland": "DE", "finland": "FI",
    "holland": "NL", "nederland": "NL", "netherlands": "NL", "storbritannien": "GB",
    "united kingdom": "GB", "england": "GB", "frankrig": "FR", "france": "FR",
    "island": "IS", "iceland": "IS", "færøerne": "FO", "faroe islands": "FO",
    "grønland": "GL", "greenland": "GL", "polen": "PL", "poland": "PL", "østrig": "AT",
    "austria": "AT", "belgien": "BE", "belgium": "BE", "spanien": "ES", "spain": "ES",
    "italien": "IT", "italy": "IT",
}  # fmt: skip


def customer_from_payload(payload: Mapping[str, Any]) -> Customer:
    """A `Customer` from a `GET /REST/customer/{id}` payload (field names INFERRED)."""
    head = FieldReader(payload, "customer")
    email = head.text(F.CUSTOMER_EMAIL)
    key = head.identifier(F.CUSTOMER_ID) or (email.lower() if email else None)
    if key is None:
        head.missing(F.CUSTOMER_ID)
    r = FieldReader(payload, f"customer {key}")
    company = r.text(F.CUSTOMER_COMPANY)
    name = r.text(F.CUSTOMER_NAME) or company or email
    if name is None:
        r.missing(F.CUSTOMER_NAME)
    return build(
        r.label,
        Customer,
        key=key,
        name=name,
        company_name=company,
        street=r.text(F.CUSTOMER_ADDRESS),
        zipcode=r.text(F.CUSTOMER_ZIPCODE),
        city=r.text(F.CUSTOMER_CITY),
        country=country_code(r, F.CUSTOMER_COUNTRY),
        email=email,
        phone=r.text(F.CUSTOMER_PHONE),
        ean=compact(r.text(F.CUSTOMER_EAN)),
        **registration(compact(r.text(F.CUSTOMER_CVR)), country_code(r, F.CUSTOMER_COUNTRY)),
    )


def _guest_key(r: FieldReader, email: str | None, company: str | None, order_key: str) -> str:
    """A guest has no customer id: the e-mail, told apart by the buyer's EAN or CVR.

    Institutions often share one purchasing address (indkob@kommune.dk); each EAN is its
    own buyer and must be its own Billy contact, with its own name and EAN.
    """
    if not email:
        return f"order-{order_key}"
    identity = compact(r.text(F.ORDER_EAN)) or compact(
        r.first_text(F.ORDER_CVR, F.ORDER_CVR_FALLBACK)
    )
    return f"{email.lower()}|{identity}" if identity else email.lower()


def customer_from_order(r: FieldReader, order_key: str) -> Customer:
    """The buyer of an order, from its `order_` (billing) fields."""
    email = r.text(F.ORDER_EMAIL)
    company = r.text(F.ORDER_COMPANY)
    key = r.identifier(F.ORDER_CUSTOMER_ID) or _guest_key(r, email, company, order_key)
    name = r.text(F.ORDER_NAME) or company or email
    if name is None:
        r.missing(F.ORDER_NAME)
    return build(
        r.label,
        Customer,
        key=key,
        name=name,
        company_name=company,
        street=r.text(F.ORDER_ADDRESS),
        zipcode=r.text(F.ORDER_ZIPCODE),
        city=r.text(F.ORDER_CITY),
        country=country_code(r, F.ORDER_COUNTRY),
        email=email,
        phone=r.text(F.ORDER_PHONE),
        ean=compact(r.text(F.ORDER_EAN)),
        **registration(
            compact(r.first_text(F.ORDER_CVR, F.ORDER_CVR_FALLBACK)),
            country_code(r, F.ORDER_COUNTRY),
        ),
    )


def registration(number: str | None, country: str) -> dict[str, str | None]:
    """Shoporama's one "CVR / VAT number" field as a CVR or, for a foreign company whose
    number has its country's prefix, as its EU VAT number (which decides reverse charge)."""
    if is_foreign_vat_number(number, country):
        return {"cvr": None, "eu_vat_number": compact_vat_number(number)}
    return {"cvr": number, "eu_vat_number": None}


def country_code(r: FieldReader, field: str) -> str:
    """ISO alpha-2 from a code or a Danish/English name; none sent means the shop's DK."""
    raw = r.text(field)
    if raw is None:
        return "DK"
    if len(raw) == 2 and raw.isalpha():
        return raw.upper()
    code = COUNTRY_NAMES.get(raw.lower())
    if code is None:
        r.fail(field, f"country {shown(raw)} is not a country billysync recognises")
    return code


def compact(value: str | None) -> str | None:
    return value.replace(" ", "") if value else None
