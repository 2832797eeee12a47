"""Canonical orders, returns and products for engine tests, with totals that add up."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from billysync.shop.models import (
    Customer,
    Discount,
    GiftCard,
    Order,
    OrderLine,
    Payment,
    Product,
    Return,
    ReturnLine,
    Shipping,
)

PAID_AT = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
SHIPPED_AT = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def person(key: str = "cust-1", **extra: object) -> Customer:
    fields: dict[str, object] = dict(
        key=key,
        name="Jens Hansen",
        street="Vestergade 1",
        zipcode="8000",
        city="Aarhus C",
        country="DK",
        email="jens@example.dk",
        phone="12345678",
    )
    fields.update(extra)
    return Customer.model_validate(fields)


def company(key: str = "cust-co", **extra: object) -> Customer:
    return person(key, company_name="Hansen ApS", cvr="12345678", **extra)


def line(item: str, name: str, qty: str, price: str, **extra: object) -> OrderLine:
    return OrderLine.model_validate(
        dict(item_number=item, name=name, quantity=qty, unit_price=price, **extra)
    )


def order(
    key: str = "1001",
    *,
    customer: Customer | None = None,
    lines: tuple[OrderLine, ...] | None = None,
    shipping: Shipping | None = Shipping(method="GLS Pakkeshop", price=Decimal("39.00")),
    discounts: tuple[Discount, ...] = (),
    gift_cards: tuple[GiftCard, ...] = (),
    paid: bool = True,
    shipped: bool = False,
    currency: str = "DKK",
    total: Decimal | None = None,
) -> Order:
    lines = lines or (line("TS-RED-M", "T-shirt", "2", "149.95", variant="Rød, M"),)
    if total is None:  # prices incl. VAT: the customer pays lines + shipping − money off
        total = sum((ln.quantity * ln.unit_price - ln.discount for ln in lines), Decimal(0))
        total += shipping.price if shipping else Decimal(0)
        total -= sum((d.amount for d in discounts), Decimal(0))
        total -= sum((g.amount for g in gift_cards), Decimal(0))
    return Order(
        key=key,
        number=f"10{key}",
        created_at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC),
        paid_at=PAID_AT if paid else None,
        shipped_at=SHIPPED_AT if shipped else None,
        currency=currency,
        customer=customer or person(),
        lines=lines,
        shipping=shipping,
        discounts=discounts,
        gift_cards=gift_cards,
        payment=Payment(amount=total, date=PAID_AT.date(), method="card") if paid else None,
        total=total,
    )


def giving_back(
    o: Order, key: str, items: dict[str, str], *, shipping: bool = False, refunded: bool = True
) -> Return:
    lines = []
    amount = Decimal(0)
    for ln in o.lines:
        if ln.item_number in items:
            qty = Decimal(items[ln.item_number])
            lines.append(
                ReturnLine(
                    item_number=ln.item_number,
                    name=ln.name,
                    variant=ln.variant,
                    quantity=qty,
                    unit_price=ln.unit_price,
                )
            )
            amount += qty * ln.unit_price
    refunded_shipping = o.shipping.price if (shipping and o.shipping) else Decimal(0)
    return Return(
        key=key,
        order_key=o.key,
        order_number=o.number,
        date=date(2026, 11, 23),
        currency=o.currency,
        lines=tuple(lines),
        refunded_shipping=refunded_shipping,
        amount=amount + refunded_shipping,
        refunded=refunded,
    )


def product(
    key: str = "p1", item: str = "MUG-1", name: str = "Krus", price: str = "89.00"
) -> Product:
    return Product(key=key, item_number=item, name=name, price=Decimal(price))
