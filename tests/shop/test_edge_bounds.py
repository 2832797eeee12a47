"""The edge's bounds (shop/bounds.py): bad values are refused by the canonical models, naming
the field, and the Shoporama mapping refuses the same values as `UnmappablePayload`.

The values are the ones issues 9 and 10 found passing validation and failing later: 1e308 as
a price, a year-9999 date, an order number longer than its column, a NUL byte, currency XYZ,
country XX, negative amounts and 10,000 lines.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from billysync.shop import bounds
from billysync.shop.models import Order, Product, Return
from billysync.shop.problems import field_problems
from billysync.shop.shoporama import order_from_payload, return_from_payload
from billysync.store.tables import Binding, InboxEvent, Shop, Transfer
from tests.shop.test_shoporama_mapper import order_payload, refusal, return_payload

ORDER: dict[str, Any] = {
    "key": "A-1",
    "number": "1001",
    "created_at": "2025-03-04T14:05:49+01:00",
    "paid_at": "2025-03-04T14:06:10+01:00",
    "currency": "DKK",
    "customer": {"key": "c-1", "name": "Jens Hansen", "country": "DK", "company_name": ""},
    "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 2, "unit_price": "89.00"}],
    "shipping": {"method": "GLS", "price": 39},
    "discounts": [{"code": "JUL10", "amount": "10.00"}],
    "gift_cards": [{"code": "GC1", "amount": "20.00"}],
    "payment": {"amount": "187.00", "date": "2025-03-04"},
    "total": "187.00",
}
LINE = ORDER["lines"][0]

# (what, change as {dotted path: value}, the field the refusal must name)
BAD_ORDERS: list[tuple[str, dict[str, Any], str]] = [
    ("1e308 price", {"lines.0.unit_price": 1e308}, "lines.0.unit_price"),
    ("1e308 total", {"total": "1e308"}, "total"),
    ("year 9999", {"created_at": "9999-12-31T23:59:59+00:00"}, "created_at"),
    ("year 1", {"paid_at": "0001-01-01T00:00:00+00:00"}, "paid_at"),
    ("payment in 9999", {"payment.date": "9999-01-01"}, "payment.date"),
    ("long number", {"number": "9" * 65}, "number"),
    ("long key", {"key": "K" * 101}, "key"),
    ("NUL in number", {"number": "10\x0001"}, "number"),
    ("NUL in name", {"customer.name": "Jens\x00"}, "customer.name"),
    ("broken escape", {"lines.0.name": "Mug \ud800"}, "lines.0.name"),
    ("currency XYZ", {"currency": "XYZ"}, "currency"),
    ("currency XXX", {"currency": "XXX"}, "currency"),
    ("country XX", {"customer.country": "XX"}, "customer.country"),
    ("negative unit price", {"lines.0.unit_price": "-89"}, "lines.0.unit_price"),
    ("negative line discount", {"lines.0.discount": -1}, "lines.0.discount"),
    ("negative shipping", {"shipping.price": -39}, "shipping.price"),
    ("negative discount", {"discounts.0.amount": "-10"}, "discounts.0.amount"),
    ("negative gift card", {"gift_cards.0.amount": "-20"}, "gift_cards.0.amount"),
    ("negative payment", {"payment.amount": "-187"}, "payment.amount"),
    ("negative total", {"total": "-187"}, "total"),
    ("zero quantity", {"lines.0.quantity": 0}, "lines.0.quantity"),
    ("huge quantity", {"lines.0.quantity": 10**7}, "lines.0.quantity"),
    ("line over the limit", {"lines.0.quantity": 10**6, "lines.0.unit_price": 10**7}, "lines.0"),
    ("10,000 lines", {"lines": [LINE] * 10_000}, "lines"),
    ("no lines", {"lines": []}, "lines"),
    ("long name", {"customer.name": "N" * 256}, "customer.name"),
]


def changed(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(base)
    for path, value in change.items():
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value
    return data


def test_the_sample_order_is_valid() -> None:
    order = Order.model_validate(ORDER)
    assert order.total == Decimal("187.00") and order.customer.company_name == ""


@pytest.mark.parametrize(("what", "change", "field"), BAD_ORDERS, ids=[b[0] for b in BAD_ORDERS])
def test_bad_orders_are_refused_naming_the_field(
    what: str, change: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Order.model_validate(changed(ORDER, change))
    problems = field_problems(caught.value)
    assert [p.field for p in problems] == [field], problems
    assert "Input should" not in problems[0].problem  # plain words, not pydantic's


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("9" * 65, "at most 64 characters"),
        ("10\x0001", "U+0000"),
    ],
)
def test_the_problem_says_what_to_fix(value: str, words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Order.model_validate({**ORDER, "number": value})
    assert words in field_problems(caught.value)[0].problem


def test_values_at_the_bounds_are_accepted() -> None:
    edge = changed(
        ORDER,
        {
            "number": "9" * bounds.MAX_ORDER_NUMBER,
            "key": "K" * bounds.MAX_KEY,
            "created_at": "2000-01-01T00:00:00+00:00",
            "paid_at": "2099-12-31T23:59:59+14:00",
            "currency": "eur",
            "customer.country": "gr",
            "lines.0.quantity": 1,
            "lines.0.unit_price": str(bounds.MAX_AMOUNT),
            "shipping.price": 0,
            "discounts.0.amount": 0,
            "gift_cards.0.amount": 0,
            "payment.amount": str(bounds.MAX_AMOUNT),
            "total": str(bounds.MAX_AMOUNT),
            "lines": [LINE] * bounds.MAX_LINES,
        },
    )
    order = Order.model_validate(edge)
    assert (order.currency, order.customer.country) == ("EUR", "GR")
    assert len(order.lines) == bounds.MAX_LINES


def test_returns_and_products_keep_the_same_bounds() -> None:
    ret = {
        "key": "R-1",
        "order_key": "A-1",
        "order_number": "1001",
        "date": "2025-03-10",
        "lines": [LINE],
        "refunded_shipping": 0,
        "amount": "178.00",
    }
    Return.model_validate(ret)
    for change, field in [
        ({"date": "9999-03-10"}, "date"),
        ({"refunded_shipping": -39}, "refunded_shipping"),
        ({"amount": "-1"}, "amount"),
        ({"currency": "XYZ"}, "currency"),
        ({"order_number": "1" * 65}, "order_number"),
        ({"lines": [LINE] * 10_000}, "lines"),
    ]:
        with pytest.raises(ValidationError) as caught:
            Return.model_validate({**ret, **change})
        assert [p.field for p in field_problems(caught.value)] == [field]
    product = {"key": "P-1", "item_number": "MUG-01", "name": "Mug", "price": "89.00"}
    Product.model_validate(product)
    for change, field in [
        ({"price": "-1"}, "price"),
        ({"item_number": "X" * 101}, "item_number"),
        ({"variants": [{"item_number": "V", "name": "v", "price": -1}]}, "variants.0.price"),
    ]:
        with pytest.raises(ValidationError) as caught:
            Product.model_validate({**product, **change})
        assert [p.field for p in field_problems(caught.value)] == [field]


def test_the_limits_fit_the_columns() -> None:
    """The bounds' one source of truth for lengths is the schema: they must agree."""

    def length(column: Any) -> int:
        return int(column.type.length)

    assert length(Transfer.__table__.c.object_key) >= bounds.MAX_KEY
    assert length(InboxEvent.__table__.c.object_key) >= bounds.MAX_KEY
    assert length(Transfer.__table__.c.number) >= bounds.MAX_ORDER_NUMBER
    assert length(Binding.__table__.c.local_key) >= bounds.MAX_CUSTOMER_KEY
    assert length(Binding.__table__.c.local_key) >= bounds.MAX_ITEM_NUMBER
    # A credit note's marker: prefix + order number + "-R" + return key.
    longest_marker = length(Shop.__table__.c.order_prefix) + bounds.MAX_ORDER_NUMBER + 2
    assert longest_marker + bounds.MAX_KEY <= length(Binding.__table__.c.marker)
    # Øre in 64 bits, even summed over every line; each amount exact to the øre as a double.
    assert bounds.MAX_LINES * bounds.MAX_AMOUNT * 100 < 2**63
    assert bounds.MAX_AMOUNT * 100 < 2**53


# --- the Shoporama mapping refuses the same values ---------------------------------------
@pytest.mark.parametrize(
    ("what", "change", "words"),
    [
        ("1e308 price", {"products.0.unit_price": 1e308}, "larger than"),
        ("negative price", {"products.0.unit_price": -149.95}, "0 or more"),
        ("negative shipping", {"shipping_price": -39.0}, "0 or more"),
        ("year 9999", {"time": "9999-12-31 10:00:00"}, "2000–2099"),
        ("a time past datetime's range", {"time": 10**12}, "time"),
        ("long number", {"webshop_order_id": "9" * 65}, "64 characters"),
        ("NUL in number", {"webshop_order_id": "10\x00234"}, "U+0000"),
        ("currency XYZ", {"currency": "XYZ"}, "ISO 4217"),
        ("country XX", {"order_country": "XX"}, "ISO 3166"),
        ("10,000 lines", {"products": [order_payload()["products"][0]] * 10_000}, "1,000"),
    ],
)
def test_the_shoporama_mapping_refuses_the_same(
    what: str, change: dict[str, Any], words: str
) -> None:
    error = refusal(changed(order_payload(), change))
    assert words in error.reason, error.reason
    assert "Input should" not in error.reason


def test_a_shoporama_return_with_a_bad_date_is_refused() -> None:
    error = refusal(return_payload(created="9999-03-10 10:00:00"), return_from_payload)
    assert "2000–2099" in error.reason


def test_the_sample_shoporama_order_still_maps() -> None:
    assert order_from_payload(order_payload()).number == "10234"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"prices_include_vat": "maybe"}, "prices_include_vat", "true or false"),
        ({"created_at": "yesterday"}, "created_at", "2025-03-04T14:05:49+01:00"),
        ({"payment": {"amount": 1, "date": "soon"}}, "payment.date", "2025-03-04"),
        ({"lines": "MUG-01"}, "lines", "JSON list"),
        ({"customer": "Jens"}, "customer", "JSON object"),
        ({"number": 1001}, "number", "text in quotes"),
        ({"colour": "red"}, "colour", "remove it"),
        ({"total": None}, "total", "is not an amount"),
    ],
)
def test_pydantics_own_checks_are_put_in_plain_words(
    change: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Order.model_validate({**ORDER, **change})
    [problem] = field_problems(caught.value)
    assert problem.field == field
    assert words in problem.problem and "Input should" not in problem.problem


@pytest.mark.parametrize(
    "change",
    [{"shipping_price": -39.0}, {"time": "9999-12-31 10:00:00"}, {"currency": "XYZ"}],
)
def test_a_refused_shoporama_order_stops_as_a_data_failure(change: dict[str, Any]) -> None:
    """The engine files the refusal under "data" (fix it in the shop), never "transient"."""
    from billysync.sync.classify import classify

    failure = classify(refusal(changed(order_payload(), change)))
    assert failure.kind == "data"
    # Filed under the shop, where it is fixed, and said by code in the merchant's language.
    assert failure.reason.code == "shop.invalid" and failure.reason.place.value == "shop"
    from billysync.web.i18n import translator
    from billysync.web.texts_reasons import render_stored

    danish = render_stored(failure.reason.encode(), translator("da"))
    assert danish.startswith("Ordrens data fra butikken kan ikke bruges: "), danish
    assert not re.search(r"\b(?:must|check|is not|outside|give)\b", danish), danish
