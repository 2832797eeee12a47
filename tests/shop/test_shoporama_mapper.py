"""Shoporama payloads → canonical models, and the payloads that must be refused."""

from __future__ import annotations

import copy
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from billysync.shop.shoporama import (
    UnmappablePayload,
    customer_from_payload,
    order_from_payload,
    product_from_payload,
    return_from_payload,
)
from billysync.shop.shoporama import fields as F


def order_payload(**changes: Any) -> dict[str, Any]:
    """An order in the reconstructed shape (docs/shoporama-api.md §7) whose parts add up."""
    payload: dict[str, Any] = {
        "order_id": 123456,
        "webshop_order_id": 10234,
        "invoice_id": 10234,
        "time": "2025-03-04 14:05:49",
        "last_modified": "2025-03-04 15:00:00",
        "status": "new",
        "paid": 1,
        "payment_gateway": "quickpay",
        "customer_id": None,
        "order_name": "Jens Hansen",
        "order_company_name": "",
        "order_address": "Vestergade 1",
        "order_zipcode": "8000",
        "order_city": "Aarhus C",
        "order_country": "DK",
        "email": "Jens@Example.dk",
        "phone": "12345678",
        "ean_number": None,
        "shipping_id": 42,
        "shipping_name": "GLS Pakkeshop",
        "shipping_price": 39.0,
        "voucher_code": "10pct",
        "voucher_discount": 10,
        "voucher_discount_amount": 26.4,
        "vat": 115.3,
        "total_price": 576.5,
        "products": [
            {"product_id": 3042680, "own_id": "KOP-1", "name": "Kop", "amount": 2,
             "unit_price": 149.95, "attributes": [{"name": "Farve", "val": "Blå"}]},
            {"product_id": 3042681, "own_id": "BOG-1", "name": "Bog", "amount": 1,
             "unit_price": 264.0, "attributes": []},
        ],
    }  # fmt: skip
    payload.update(changes)
    return payload


def refusal(payload: Any, mapper: Any = order_from_payload) -> UnmappablePayload:
    with pytest.raises(UnmappablePayload) as caught:
        mapper(payload)
    return caught.value


# --- orders that map ---------------------------------------------------------------------
def test_a_paid_person_order() -> None:
    order = order_from_payload(order_payload())
    assert (order.key, order.number) == ("123456", "10234")
    assert order.created_at.isoformat() == "2025-03-04T14:05:49+01:00"
    assert order.is_paid and not order.is_shipped and not order.cancelled
    assert order.customer.kind == "person"
    assert order.customer.key == "jens@example.dk"
    assert [(li.item_number, li.variant, li.quantity) for li in order.lines] == [
        ("KOP-1", "Blå", 2),
        ("BOG-1", None, 1),
    ]
    assert order.shipping is not None and order.shipping.method == "GLS Pakkeshop"
    assert [(d.code, d.amount) for d in order.discounts] == [("10pct", Decimal("26.4"))]
    assert order.total == Decimal("576.50")
    assert order.payment is not None
    assert order.payment.amount == order.total and order.payment.method == "quickpay"
    assert order.currency == "DKK" and order.prices_include_vat


def test_the_reference_example_does_not_add_up_and_is_refused() -> None:
    # docs/shoporama-api.md §7 (invented values): 264 + 39 − 26.4 = 276.6, but total_price
    # says 276.4.
    example = order_payload(
        total_price=276.4,
        vat=55.28,
        products=[{"product_id": 3042680, "name": "Example product", "amount": 1,
                   "unit_price": 264.0, "attributes": []}],
    )  # fmt: skip
    error = refusal(example)
    assert error.field == "total_price"
    assert "276.6" in error.reason and "276.4" in error.reason
    assert error.reason.startswith("order 10234: ")


def test_lenient_types() -> None:
    payload = order_payload(
        order_id="123456",
        paid="1",
        status="Shipped",
        shipping_price="39,00",
        voucher_discount_amount="26.40",
        total_price="576.50",
        customer_id="0",
    )
    payload["products"][0].update(amount="2", unit_price="149,95", product_id="3042680")
    order = order_from_payload(payload)
    assert order.key == "123456" and order.total == Decimal("576.50")
    assert order.is_shipped and order.shipped_at == order_from_payload(order_payload()).paid_at
    assert order.customer.key == "jens@example.dk"  # customer_id "0" means no account


def test_customer_keys() -> None:
    assert order_from_payload(order_payload(customer_id=3001)).customer.key == "3001"
    guest = order_from_payload(order_payload(email=None))
    assert guest.customer.key == "order-123456"


def test_a_company_with_cvr_and_an_institution_with_ean() -> None:
    company = order_from_payload(
        order_payload(order_company_name="Hansen ApS", cvr="DK 1234 5678")
    ).customer
    assert company.kind == "company" and company.display_name == "Hansen ApS"
    assert company.cvr == "DK12345678"
    public = order_from_payload(
        order_payload(order_company_name="Aarhus Kommune", ean_number="5798000012345")
    ).customer
    assert public.ean == "5798000012345"
    fallback = order_from_payload(order_payload(vat_number="29403473")).customer
    assert fallback.cvr == "29403473" and fallback.kind == "company"


def test_a_foreign_company_s_vat_number_is_its_eu_vat_number() -> None:
    german = order_from_payload(
        order_payload(order_company_name="Müller GmbH", order_country="DE", cvr="de 123 456 789")
    ).customer
    assert (german.eu_vat_number, german.cvr, german.kind) == ("DE123456789", None, "company")
    greek = order_from_payload(
        order_payload(order_company_name="Nikos AE", order_country="GR", vat_number="EL094259216")
    ).customer
    assert greek.eu_vat_number == "EL094259216"
    # Without its country's prefix it is not a VAT number we can tell: no reverse charge.
    unsure = order_from_payload(
        order_payload(order_company_name="Müller GmbH", order_country="DE", cvr="123456789")
    ).customer
    assert (unsure.eu_vat_number, unsure.cvr) == (None, "123456789")
    danish = order_from_payload(order_payload(order_company_name="A ApS", cvr="DK12345678"))
    assert (danish.customer.eu_vat_number, danish.customer.cvr) == (None, "DK12345678")


def test_unpaid_shipped_and_cancelled() -> None:
    invoice = order_from_payload(order_payload(paid=0, payment_gateway="invoice"))
    assert invoice.paid_at is None and invoice.payment is None
    shipped = order_from_payload(order_payload(paid=0, status="shipped"))
    assert shipped.is_shipped and not shipped.is_paid
    assert shipped.shipped_at is not None
    assert shipped.shipped_at - shipped.created_at == timedelta(minutes=54, seconds=11)
    cancelled = order_from_payload(order_payload(paid=0, status="cancelled"))
    assert cancelled.cancelled and not cancelled.is_shipped


def test_paid_may_be_the_payment_time_itself() -> None:
    order = order_from_payload(order_payload(paid="2025-03-05 09:00:00"))
    assert order.paid_at is not None and order.paid_at.day == 5
    assert order_from_payload(order_payload(paid="0000-00-00 00:00:00")).paid_at is None


def test_gift_cards_are_taken_off_the_total() -> None:
    payload = order_payload(gift_cards=[{"code": "GAVE-1", "amount": "100"}], total_price=476.5)
    order = order_from_payload(payload)
    assert [(g.code, g.amount) for g in order.gift_cards] == [("GAVE-1", Decimal("100"))]
    assert order.total == Decimal("476.50")


def test_currency_comes_from_the_order_or_the_shop() -> None:
    assert order_from_payload(order_payload(currency="eur")).currency == "EUR"
    assert order_from_payload(order_payload(), currency="SEK").currency == "SEK"


def test_net_prices_match_the_total_less_vat() -> None:
    # Lines, shipping and voucher net of VAT; Shoporama's total_price incl. VAT.
    payload = order_payload(total_price=720.63, vat=144.13)
    order = order_from_payload(payload, prices_include_vat=False)
    assert order.total == Decimal("576.50") and not order.prices_include_vat


def test_country_names_and_codes() -> None:
    assert order_from_payload(order_payload(order_country="Sverige")).customer.country == "SE"
    assert order_from_payload(order_payload(order_country="de")).customer.country == "DE"
    assert order_from_payload(order_payload(order_country=None)).customer.country == "DK"


def test_lines_without_an_own_id_use_the_product_id() -> None:
    payload = order_payload()
    del payload["products"][1]["own_id"]
    order = order_from_payload(payload)
    assert order.lines[1].item_number == "3042681"


# --- orders that must be refused ------------------------------------------------------
def test_missing_total() -> None:
    payload = order_payload()
    del payload["total_price"]
    error = refusal(payload)
    assert error.field == "total_price"
    assert error.reason.startswith("order 10234: field total_price is missing; Shoporama sent: ")
    assert "order_id" in error.reason


@pytest.mark.parametrize("lines", [[], None])
def test_no_lines(lines: Any) -> None:
    error = refusal(order_payload(products=lines))
    assert error.field == "products"
    assert "no lines" in error.reason


def test_unknown_status() -> None:
    error = refusal(order_payload(status="on_hold"))
    assert error.field == "status"
    assert '"on_hold"' in error.reason and "fields.py" in error.reason


def test_bad_number() -> None:
    error = refusal(order_payload(total_price="12x"))
    assert error.field == "total_price"
    assert "not an amount" in error.reason and "12x" in error.reason


def test_bad_line() -> None:
    payload = order_payload()
    del payload["products"][1]["unit_price"]
    error = refusal(payload)
    assert error.field == "unit_price"
    assert error.reason.startswith("order 10234, line 2: field unit_price is missing")
    payload = order_payload()
    payload["products"][0]["amount"] = -1
    assert refusal(payload).field == "amount"


@pytest.mark.parametrize(
    ("change", "field"),
    [({"order_id": None}, "order_id"), ({"time": None}, "time"), ({"paid": "maybe"}, "paid"),
     ({"order_country": "Atlantis"}, "order_country"), ({"gift_cards": "GAVE"}, "gift_cards"),
     ({"order_name": "", "order_company_name": "", "email": ""}, "order_name")],
)  # fmt: skip
def test_other_refusals_name_their_field(change: dict[str, Any], field: str) -> None:
    assert refusal(order_payload(**change)).field == field


def test_not_an_object_at_all() -> None:
    assert "expected a JSON object" in refusal(["order"]).reason


# --- returns -------------------------------------------------------------------------------
def return_payload(**changes: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "order_return_id": 9001,
        "order_id": 123456,
        "webshop_order_id": 10234,
        "created": "2025-03-10 10:00:00",
        "refunded": "1",
        "shipping_price": 39,
        "total_price": 338.9,
        "products": [{"product_id": 1, "own_id": "KOP-1", "name": "Kop", "amount": 2,
                      "unit_price": 149.95, "attributes": [{"val": "Blå"}]}],
    }  # fmt: skip
    payload.update(changes)
    return payload


def test_a_return() -> None:
    credit = return_from_payload(return_payload())
    assert (credit.key, credit.order_key, credit.order_number) == ("9001", "123456", "10234")
    assert str(credit.date) == "2025-03-10"
    assert credit.amount == Decimal("338.90") and credit.refunded_shipping == 39
    assert credit.lines[0].variant == "Blå" and credit.refunded


def test_returns_that_do_not_add_up_are_refused() -> None:
    error = refusal(return_payload(total_price=300), return_from_payload)
    assert error.field == "total_price" and error.reason.startswith("return 9001: ")


def test_a_shipping_only_refund_and_a_missing_total() -> None:
    only_shipping = return_from_payload(return_payload(products=[], total_price=39))
    assert only_shipping.lines == () and only_shipping.amount == 39
    computed = return_payload()
    del computed["total_price"]
    assert return_from_payload(computed).amount == Decimal("338.90")
    assert refusal(return_payload(products=[], shipping_price=0, total_price=0),
                   return_from_payload).field is None  # fmt: skip


def test_return_refusals() -> None:
    assert refusal(return_payload(order_id=None), return_from_payload).field == "order_id"
    assert refusal(return_payload(order_return_id=None), return_from_payload).field == (
        "order_return_id"
    )


# --- products and customers -------------------------------------------------------------
def test_product_variants_carry_their_own_item_numbers() -> None:
    payload = {
        "product_id": "77", "own_id": "TS", "name": "T-shirt", "price": "199,95",
        "attributes": [{"attribute_id": 5, "name": "Størrelse",
                        "values": [{"attribute_value_id": 51, "value": "S"},
                                   {"attribute_value_id": "52", "value": "XL"}]}],
        "stock_settings": [
            {"attribute_id": 5, "attribute_value_id": 51, "own_id": "TS-S", "price": None},
            {"attribute_id": 5, "attribute_value_id": 52, "own_id": "TS-XL", "price": 219.95},
        ],
    }  # fmt: skip
    product = product_from_payload(payload)
    assert product.price == Decimal("199.95")
    assert [(v.item_number, v.name, v.price) for v in product.variants] == [
        ("TS-S", "S", None),
        ("TS-XL", "XL", Decimal("219.95")),
    ]
    assert [item[0] for item in product.billable_items()] == ["TS", "TS-S", "TS-XL"]


def test_product_fallbacks_and_refusals() -> None:
    product = product_from_payload({"product_id": 5, "own_id": "", "name": "X", "price": 10})
    assert product.item_number == "5"
    error = refusal({"product_id": 5, "price": 10}, product_from_payload)
    assert error.field == "name" and error.reason.startswith("product 5: ")
    assert refusal({"product_id": 5, "name": "X"}, product_from_payload).field == "price"


def test_a_customer_resource() -> None:
    customer = customer_from_payload(
        {"customer_id": 3001, "name": "Anne Jensen", "company_name": "", "address": "Algade 2",
         "zipcode": "4000", "city": "Roskilde", "country": "DK", "email": "anne@example.dk",
         "cvr": None, "ean_number": None}
    )  # fmt: skip
    assert (customer.key, customer.kind, customer.city) == ("3001", "person", "Roskilde")
    assert customer_from_payload({"email": "A@B.dk", "name": "A"}).key == "a@b.dk"
    assert refusal({"name": "Nobody"}, customer_from_payload).field == F.CUSTOMER_ID


def test_the_mapper_does_not_change_the_payload() -> None:
    payload = order_payload()
    before = copy.deepcopy(payload)
    order_from_payload(payload)
    assert payload == before
