"""credit_note_for and refund_for: the returned lines, positive, on the original invoice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError

from billysync.mapping.balance import ROUNDING_TEXT
from billysync.mapping.drafts import InvoiceDraft
from billysync.mapping.errors import MappingError, MissingProduct, TotalsMismatch
from billysync.mapping.returns import credit_note_for, refund_for
from billysync.shop.models import Order, Return, ReturnLine
from tests.support.mapping_builders import (
    PRODUCT_IDS,
    SETTINGS,
    VAT,
    D,
    a_return,
    line,
    order,
    return_line,
    shipping,
)

ORDER = order(
    line("TS-RED-M", name="T-shirt", variant="Red, M", qty="2", price="150.00"),
    line("MUG", price="80.00"),
    shipping=shipping(),
    total="419.00",  # 2 × 150 + 80 + 39
)


def credit(ret: Return, o: Order = ORDER) -> InvoiceDraft:
    return credit_note_for(
        ret,
        o,
        SETTINGS,
        contact_id="contact-1",
        original_invoice_id="inv-9",
        product_ids=PRODUCT_IDS,
        vat=VAT,
        entry_date=date(2026, 3, 20),
    )


def test_a_full_return_with_shipping_credits_everything_on_the_original_invoice() -> None:
    ret = a_return(
        return_line("TS-RED-M", name="T-shirt", qty="2", price="150.00"),
        return_line("MUG", qty="1", price="80.00"),
        refunded_shipping=D("39.00"),
        amount="419.00",
    )
    draft = credit(ret)
    payload = draft.to_payload()
    assert payload["type"] == "creditNote"
    assert payload["creditedInvoiceId"] == "inv-9"
    assert payload["orderNo"] == "WEB-1001-R77"
    assert (payload["currencyId"], payload["taxMode"], payload["state"]) == (
        "DKK",
        "incl",
        "approved",
    )
    assert payload["entryDate"] == "2026-03-20"
    assert [(ln["productId"], ln["quantity"], ln["unitPrice"]) for ln in payload["lines"]] == [
        ("prod-ts-red-m", 2, 150),
        ("prod-mug", 1, 80),
        ("prod-shipping", 1, 39),
    ]
    assert payload["lines"][2]["description"] == "GLS Pakkeshop"
    assert draft.predicted.gross_amount == D("419.00")


def test_a_partial_return_without_shipping_credits_only_what_came_back() -> None:
    ret = a_return(return_line("TS-RED-M", name="T-shirt", qty="1", price="150.00"), amount="150")
    draft = credit(ret)
    assert [(ln.product_id, ln.quantity) for ln in draft.lines] == [("prod-ts-red-m", D(1))]
    assert all(ln.kind != "shipping" for ln in draft.lines)
    assert draft.predicted.gross_amount == D("150.00")


def test_refunded_shipping_alone_is_a_shipping_line() -> None:
    draft = credit(a_return(refunded_shipping=D("39.00"), amount="39.00"))
    assert [(ln.product_id, ln.unit_price) for ln in draft.lines] == [("prod-shipping", D(39))]


def test_an_excl_order_is_credited_in_excl_mode() -> None:
    net_order = order(line("MUG", qty="2", price="80.00"), prices_include_vat=False, total="200")
    ret = a_return(
        return_line("MUG", qty="1", price="80.00"), prices_include_vat=False, amount="100.00"
    )
    draft = credit(ret, net_order)
    assert draft.tax_mode == "excl"
    assert draft.predicted.tax == D("20.00")
    assert draft.predicted.gross_amount == D("100.00")


def test_a_few_ore_off_get_a_rounding_line_and_more_stops() -> None:
    ret = a_return(return_line("MUG", qty="1", price="80.00"), amount="80.02")
    rounded = credit(ret)
    assert rounded.lines[-1].description == ROUNDING_TEXT
    assert rounded.predicted.gross_amount == D("80.02")
    with pytest.raises(TotalsMismatch, match=r"1001 \(return 77\)"):
        credit(a_return(return_line("MUG", qty="1", price="80.00"), amount="60.00"))


def test_a_return_of_another_order_or_in_another_currency_is_refused() -> None:
    elsewhere = a_return(
        return_line("MUG", qty="1", price="80"), amount="80", order_key="o-2", order_number="2"
    )
    with pytest.raises(MappingError, match="not order 1001"):
        credit(elsewhere)
    euros = a_return(return_line("MUG", qty="1", price="80"), amount="80", currency="EUR")
    with pytest.raises(MappingError, match="currency and price mode"):
        credit(euros)


def test_a_returned_item_without_product_or_with_zero_quantity_stops() -> None:
    with pytest.raises(MissingProduct):
        credit(a_return(return_line("GONE", qty="1", price="80"), amount="80"))
    # The edge refuses a zero quantity (shop/bounds.py); the mapping still stops a line that
    # was built without validation.
    with pytest.raises(ValidationError, match="more than 0"):
        return_line("MUG", qty="0", price="80")
    unchecked = ReturnLine.model_construct(
        item_number="MUG", name="Mug", quantity=Decimal(0), unit_price=Decimal(80), variant=None
    )
    with pytest.raises(MappingError, match="more than 0"):
        credit(a_return(unchecked, amount="0"))


def test_a_credit_note_must_name_the_invoice_it_credits() -> None:
    draft = credit(a_return(return_line("MUG", qty="1", price="80.00"), amount="80.00"))
    with pytest.raises(ValueError, match="credited_invoice_id"):
        InvoiceDraft(**{**draft.model_dump(), "credited_invoice_id": None})


# --- refunds --------------------------------------------------------------------------


RET = a_return(return_line("MUG", qty="1", price="80.00"), amount="80.00")


def test_a_refund_is_a_withdrawal_against_the_credit_note() -> None:
    draft = refund_for(RET, SETTINGS, credit_note_id="cn-5", credit_gross=D("80.00"))
    assert draft is not None
    assert draft.to_payload() == {
        "entryDate": "2026-03-20",
        "cashAmount": 80,
        "cashSide": "credit",
        "cashAccountId": "acc-bank",
        "associations": [{"subjectReference": "invoice:cn-5"}],
    }


def test_a_refund_in_euro_from_a_krone_account_is_converted() -> None:
    draft = refund_for(
        RET,
        SETTINGS,
        credit_note_id="cn-5",
        credit_gross=D("80.00"),
        credit_currency="EUR",
        account_currency="DKK",
        exchange_rate=D("7.46"),
        refund_date=date(2026, 3, 21),
    )
    assert draft is not None
    assert draft.cash_amount == D("596.80")  # 80 × 7.46
    assert draft.cash_exchange_rate == Decimal("7.46")
    assert draft.entry_date == date(2026, 3, 21)


def test_no_refund_when_posting_is_off_or_nothing_was_paid_back() -> None:
    off = SETTINGS.model_copy(update={"post_payments": False})
    assert refund_for(RET, off, credit_note_id="cn-5", credit_gross=D("80")) is None
    kept = RET.model_copy(update={"refunded": False})
    assert refund_for(kept, SETTINGS, credit_note_id="cn-5", credit_gross=D("80")) is None
