"""Every field name and enum value we send appears in docs/billy-api.md §3."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from billysync.mapping.contact import contact_for
from billysync.mapping.orders import invoice_for, payment_for
from billysync.mapping.products import products_for
from billysync.mapping.returns import credit_note_for, refund_for
from billysync.shop.models import Product
from tests.support.mapping_builders import (
    PRODUCT_IDS,
    SETTINGS,
    VAT,
    D,
    a_return,
    customer,
    discount,
    gift_card,
    line,
    order,
    payment,
    return_line,
    shipping,
)

BILLY_API_DOC = Path(__file__).resolve().parents[2] / "docs" / "billy-api.md"


def _section_words(text: str, number: str) -> set[str]:
    """The identifiers inside `code spans` of docs/billy-api.md §3.<number>."""
    match = re.search(rf"^### 3\.{number} .*?(?=^### |^## )", text, re.M | re.S)
    assert match, f"§3.{number} not found in docs/billy-api.md"
    spans = re.findall(r"`([^`]+)`", match.group(0))
    return {word for span in spans for word in re.findall(r"[A-Za-z_]+", span)}


@pytest.fixture(scope="module")
def documented() -> dict[str, set[str]]:
    text = BILLY_API_DOC.read_text(encoding="utf-8")
    return {n: _section_words(text, n) for n in ("5", "6", "7", "8", "9", "10")}


def _keys_and_enums(payload: Any) -> set[str]:
    """Every key, and every string value that looks like an enum (one camelCase word)."""
    found: set[str] = set()
    if isinstance(payload, dict):
        for key, value in payload.items():
            found.add(key)
            if isinstance(value, str) and key in {
                "type",
                "taxMode",
                "state",
                "cashSide",
                "discountMode",
                "localeId",
            }:
                found.add(value)
            found |= _keys_and_enums(value)
    elif isinstance(payload, list):
        for item in payload:
            found |= _keys_and_enums(item)
    return found


def test_contact_fields(documented: dict[str, set[str]]) -> None:
    buyer = customer(company_name="Aarhus Kommune", cvr="55133018", ean="5798005770000")
    sent = _keys_and_enums(contact_for(buyer, prefix="WEB-").to_payload())
    assert sent - documented["5"] == set()
    # A person, and the English locale.
    sent = _keys_and_enums(contact_for(customer(country="SE"), prefix="").to_payload())
    assert sent - documented["5"] == set()


def test_invoice_credit_note_and_line_fields(documented: dict[str, set[str]]) -> None:
    o = order(
        line("MUG", qty="2", price="100.00", discount="10.00"),
        shipping=shipping(),
        discounts=(discount("SOMMER10", "10.00"),),
        gift_cards=(gift_card("1234", "10.00"),),
        total="209.03",  # 190 + 39 − 10 − 10 = 209.00, plus a 0.03 rounding line
    )
    inv = invoice_for(
        o,
        SETTINGS,
        contact_id="c",
        product_ids=PRODUCT_IDS,
        vat=VAT,
        entry_date=date(2026, 3, 2),
        payment_terms_days=8,
    ).to_payload()
    invoice_words = documented["7"] | documented["10"]
    line_words = documented["8"]
    lines = inv.pop("lines")
    assert _keys_and_enums(inv) - invoice_words == set()
    assert _keys_and_enums(lines) - line_words == set()
    cn = credit_note_for(
        a_return(return_line("MUG", qty="1", price="90.00"), amount="90.00"),
        o,
        SETTINGS,
        contact_id="c",
        original_invoice_id="inv",
        product_ids=PRODUCT_IDS,
        vat=VAT,
        entry_date=date(2026, 3, 20),
    ).to_payload()
    cn.pop("lines")
    assert _keys_and_enums(cn) - invoice_words == set()


def test_bank_payment_fields(documented: dict[str, set[str]]) -> None:
    o = order(line(price="100.00"), currency="EUR", total="100.00", payment=payment("100.00"))
    paid = payment_for(
        o,
        SETTINGS,
        invoice_id="inv",
        invoice_gross=D("100.00"),
        invoice_currency="EUR",
        account_currency="DKK",
        exchange_rate=D("7.46"),
        payment_date=date(2026, 3, 2),
    )
    refund = refund_for(
        a_return(return_line("MUG", qty="1", price="100.00"), amount="100.00"),
        SETTINGS,
        credit_note_id="cn",
        credit_gross=D("100.00"),
    )
    assert paid is not None and refund is not None
    for draft in (paid, refund):
        assert _keys_and_enums(draft.to_payload()) - documented["9"] == set()


def test_product_fields(documented: dict[str, set[str]]) -> None:
    mug = Product(key="m", item_number="MUG", name="Mug", price=D("79"))
    [draft] = products_for(mug, SETTINGS, sales_tax_ruleset_id="r")
    assert _keys_and_enums(draft.to_payload()) - documented["6"] == set()
