"""payment_for: the invoice's gross on the configured account, converted when currencies differ."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from billysync.mapping.drafts import PaymentDraft
from billysync.mapping.errors import MappingError, PaymentMismatch
from billysync.mapping.orders import payment_for
from billysync.shop.models import Order
from tests.support.mapping_builders import SETTINGS, D, line, order, payment

PAID = order(line(price="239.00"), total="239.00", payment=payment("239.00"))


def pay(o: Order = PAID, **over: Any) -> PaymentDraft | None:
    kw: dict[str, Any] = {
        "invoice_id": "inv-9",
        "invoice_gross": D("239.00"),
        "invoice_currency": "DKK",
        "account_currency": "DKK",
        "exchange_rate": None,
        "payment_date": date(2026, 3, 2),
    }
    kw.update(over)
    settings = kw.pop("settings", SETTINGS)
    return payment_for(o, settings, **kw)


def test_same_currency_pays_the_gross_amount_with_no_rate() -> None:
    draft = pay(exchange_rate=Decimal(1))
    assert draft is not None
    assert draft.to_payload() == {
        "entryDate": "2026-03-02",
        "cashAmount": 239,
        "cashSide": "debit",
        "cashAccountId": "acc-bank",
        "associations": [{"subjectReference": "invoice:inv-9"}],
    }
    assert draft.to_envelope() == {"bankPayment": draft.to_payload()}


def test_a_euro_invoice_paid_into_a_krone_account_is_converted_with_the_rate() -> None:
    o = order(line(price="100.00"), currency="EUR", total="100.00", payment=payment("100.00"))
    draft = pay(
        o,
        invoice_gross=D("100.00"),
        invoice_currency="EUR",
        account_currency="DKK",
        exchange_rate=D("7.4612"),
    )
    assert draft is not None
    payload = draft.to_payload()
    assert payload["cashAmount"] == 746.12  # 100.00 × 7.4612
    assert payload["cashExchangeRate"] == 7.4612


def test_the_converted_amount_is_rounded_to_whole_ore() -> None:
    o = order(line(price="99.99"), currency="EUR", total="99.99", payment=payment("99.99"))
    draft = pay(
        o,
        invoice_gross=D("99.99"),
        invoice_currency="EUR",
        account_currency="DKK",
        exchange_rate=D("7.4613"),
    )
    assert draft is not None
    assert draft.cash_amount == D("746.06")  # 99.99 × 7.4613 = 746.055387


def test_the_rate_is_sent_with_six_decimals_and_the_amount_follows_it() -> None:
    """A cross rate (EUR → SEK via DKK) has endless decimals; Billy takes 6 (§7)."""
    o = order(line(price="100.00"), currency="EUR", total="100.00", payment=payment("100.00"))
    draft = pay(
        o,
        invoice_gross=D("100.00"),
        invoice_currency="EUR",
        account_currency="SEK",
        exchange_rate=D("7.4604") / D("0.6421"),  # 11.61875097…
    )
    assert draft is not None
    assert draft.cash_exchange_rate == D("11.618751")
    assert draft.cash_amount == D("1161.88")  # 100.00 × 11.618751 = 1161.8751


def test_different_currencies_without_a_rate_stop_with_advice() -> None:
    o = order(line(price="100.00"), currency="EUR", total="100.00", payment=payment("100.00"))
    with pytest.raises(MappingError, match="exchange rate"):
        pay(o, invoice_gross=D("100.00"), invoice_currency="EUR", account_currency="DKK")


def test_nothing_to_post_when_posting_is_off_unpaid_or_zero() -> None:
    off = SETTINGS.model_copy(update={"post_payments": False})
    assert pay(settings=off) is None
    unpaid = order(line(price="239.00"), total="239.00", paid_at=None)
    assert pay(unpaid) is None
    gift_paid = order(line(price="239.00"), total="0.00", payment=payment("0.00"))
    assert pay(gift_paid, invoice_gross=D("0.00")) is None


def test_a_shop_payment_that_differs_from_the_invoice_is_not_posted() -> None:
    short = order(line(price="239.00"), total="239.00", payment=payment("200.00"))
    with pytest.raises(PaymentMismatch) as info:
        pay(short)
    assert info.value.received == D("200.00")
    assert "200.00" in str(info.value)
    assert "239.00" in str(info.value)


def test_an_invoice_in_another_currency_than_the_order_is_refused() -> None:
    with pytest.raises(MappingError, match="does not belong"):
        pay(invoice_currency="EUR")


def test_a_paid_order_without_payment_details_pays_the_gross() -> None:
    o = order(line(price="239.00"), total="239.00", payment=None)
    draft = pay(o)
    assert draft is not None
    assert draft.cash_amount == D("239.00")
