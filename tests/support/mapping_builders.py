"""Small builders for the mapping tests: a realistic Danish webshop order, settings, ids.

Totals are given explicitly by each test (the shop's arithmetic, written out), never taken
from the code under test.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from billysync.billy.vat import SaleVat
from billysync.mapping.settings import BillySettings
from billysync.shop.models import (
    Customer,
    Discount,
    GiftCard,
    Order,
    OrderLine,
    Payment,
    Return,
    ReturnLine,
    Shipping,
)

D = Decimal
VAT = SaleVat.flat(D("0.25"))
ENTRY = date(2026, 3, 2)

SETTINGS = BillySettings(
    sales_account_id="acc-sales",
    shipping_product_id="prod-shipping",
    discount_product_id="prod-discount",
    trigger="paid",
    post_payments=True,
    payment_account_id="acc-bank",
    order_prefix="WEB-",
)

PRODUCT_IDS = {"TS-RED-M": "prod-ts-red-m", "TS-BLUE-L": "prod-ts-blue-l", "MUG": "prod-mug"}


def customer(**over: Any) -> Customer:
    fields: dict[str, Any] = {
        "key": "cust-17",
        "name": "Anna Jensen",
        "street": "Nørregade 1",
        "zipcode": "8000",
        "city": "Aarhus C",
        "country": "DK",
        "email": "anna@example.dk",
        "phone": "+45 12 34 56 78",
    }
    fields.update(over)
    return Customer(**fields)


def line(
    item: str = "MUG",
    *,
    qty: str = "1",
    price: str = "100.00",
    discount: str = "0",
    name: str = "Mug",
    variant: str | None = None,
) -> OrderLine:
    return OrderLine(
        item_number=item,
        name=name,
        variant=variant,
        quantity=D(qty),
        unit_price=D(price),
        discount=D(discount),
    )


def order(*lines: OrderLine, total: str, **over: Any) -> Order:
    fields: dict[str, Any] = {
        "key": "o-1001",
        "number": "1001",
        "created_at": datetime(2026, 3, 1, 10, 0, tzinfo=UTC),
        "paid_at": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        "customer": customer(),
        "lines": lines or (line(),),
        "total": D(total),
    }
    fields.update(over)
    return Order(**fields)


def shipping(method: str = "GLS Pakkeshop", price: str = "39.00") -> Shipping:
    return Shipping(method=method, price=D(price))


def discount(code: str, amount: str) -> Discount:
    return Discount(code=code, amount=D(amount))


def gift_card(code: str, amount: str) -> GiftCard:
    return GiftCard(code=code, amount=D(amount))


def payment(amount: str, on: date = date(2026, 3, 2)) -> Payment:
    return Payment(amount=D(amount), date=on, method="quickpay")


def return_line(item: str, *, qty: str, price: str, name: str = "Mug") -> ReturnLine:
    return ReturnLine(item_number=item, name=name, quantity=D(qty), unit_price=D(price))


def a_return(*lines: ReturnLine, amount: str, **over: Any) -> Return:
    fields: dict[str, Any] = {
        "key": "77",
        "order_key": "o-1001",
        "order_number": "1001",
        "date": date(2026, 3, 20),
        "lines": lines,
        "amount": D(amount),
    }
    fields.update(over)
    return Return(**fields)
