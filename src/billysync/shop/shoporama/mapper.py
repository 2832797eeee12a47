"""Shoporama payload → canonical shop model (Order, Return, Product, Customer).

Field names come from `fields` only. The mapper is lenient about types (ids and flags as
ints or strings, money as numbers or text, zone-less Danish timestamps) and strict about
meaning: a payload that would need a guess (a missing total, no lines, a status we do not
know, lines that do not add up to the total) raises `UnmappablePayload` with a sentence
the merchant can read, instead of producing an order that might be wrong.

Assumptions (docs/shoporama-api.md §3, §8), each one a line in `fields` if it turns out wrong:
- money on orders is incl. VAT (`prices_include_vat=True`, Danish B2C);
- `total_price` = Σ lines + shipping − voucher − gift cards;
- there is no payment or shipping time: `last_modified` stands in for both (else `time`);
- an order line's item number is its `own_id`, else its `product_id`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from billysync.money import ZERO, round2
from billysync.shop.bounds import capped_lines
from billysync.shop.models import (
    Discount,
    GiftCard,
    Order,
    OrderLine,
    Payment,
    Return,
    ReturnLine,
    Shipping,
)
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama import values as V
from billysync.shop.shoporama.customers import customer_from_order, customer_from_payload
from billysync.shop.shoporama.products import product_from_payload
from billysync.shop.shoporama.reading import FieldReader, build, shown

Payload = Mapping[str, Any]


# --- orders ------------------------------------------------------------------------------
def order_from_payload(
    payload: Payload, *, currency: str = "DKK", prices_include_vat: bool = True
) -> Order:
    """An `Order` from a `GET /REST/order/{id}` payload (or a webhook's order object)."""
    label = _order_label(payload)
    r = FieldReader(payload, label)
    key = r.required_identifier(F.ORDER_ID)
    number = (
        r.identifier(F.ORDER_NUMBER) or r.identifier(F.ORDER_INVOICE_ID) or key
    )  # the number the customer sees; the internal id when Shoporama sends none
    created_at = r.first_time(F.ORDER_TIME, F.ORDER_TIME_FALLBACK)
    if created_at is None:
        r.missing(F.ORDER_TIME)
    changed_at = r.time(F.LAST_MODIFIED) or created_at
    shipped, cancelled = _status(r)
    paid_at = _paid_at(r, changed_at)

    lines = tuple(_lines(r, F.ORDER_LINES, OrderLine))
    if not lines:
        r.fail(F.ORDER_LINES, f"the order has no lines ({F.ORDER_LINES} is empty or missing)")
    shipping = _shipping(r)
    discounts = _discounts(r)
    gift_cards = _gift_cards(r)
    total = _checked_total(r, lines, shipping, discounts, gift_cards, prices_include_vat)

    payment = None
    if paid_at is not None and total > 0:
        # Built like the order, so a date out of range is a refusal, not a crash.
        payment = build(
            label,
            Payment,
            amount=total,
            date=paid_at.date(),
            method=r.text(F.ORDER_PAYMENT_GATEWAY),
        )
    return build(
        label,
        Order,
        key=key,
        number=number,
        created_at=created_at,
        paid_at=paid_at,
        shipped_at=changed_at if shipped else None,
        cancelled=cancelled,
        currency=r.text(F.ORDER_CURRENCY) or currency,
        prices_include_vat=prices_include_vat,
        customer=customer_from_order(r, key),
        lines=lines,
        shipping=shipping,
        discounts=discounts,
        gift_cards=gift_cards,
        payment=payment,
        total=total,
    )


def _order_label(payload: object) -> str:
    if not isinstance(payload, Mapping):
        return "order"
    for field in (F.ORDER_NUMBER, F.ORDER_ID):
        try:
            number = V.identifier(payload.get(field))
        except V.BadValue:
            continue
        if number:
            return f"order {number}"
    return "order (no number)"


def _status(r: FieldReader) -> tuple[bool, bool]:
    """(shipped, cancelled) from `status`; an unknown status is refused, not guessed."""
    raw = r.payload.get(F.ORDER_STATUS)
    if raw is None or raw == "":
        return False, False
    status = str(raw).strip().lower()
    if status in F.SHIPPED_STATUSES:
        return True, False
    if status in F.CANCELLED_STATUSES:
        return False, True
    if status in F.OPEN_STATUSES:
        return False, False
    r.fail(
        F.ORDER_STATUS,
        f"status {shown(raw)} is not one billysync knows, so it cannot tell whether the "
        "order is shipped or cancelled. Please report it; it is added to "
        "OPEN_STATUSES, SHIPPED_STATUSES or CANCELLED_STATUSES in shoporama/fields.py",
    )


def _paid_at(r: FieldReader, changed_at: datetime) -> datetime | None:
    """When paid: `paid` is a flag (or, leniently, the payment time itself)."""
    raw = r.payload.get(F.ORDER_PAID)
    try:
        return changed_at if V.flag(raw) else None
    except V.BadValue:
        pass
    try:
        when = V.timestamp(raw)
    except V.BadValue:
        r.fail(
            F.ORDER_PAID, f"field {F.ORDER_PAID} is not a 0/1 flag; Shoporama sent: {shown(raw)}"
        )
    return when


def _shipping(r: FieldReader) -> Shipping | None:
    price = r.money(F.ORDER_SHIPPING_PRICE)
    name = r.text(F.ORDER_SHIPPING_NAME)
    nested = r.payload.get(F.ORDER_SHIPPING_OBJECT)
    if name is None and isinstance(nested, Mapping):
        name = FieldReader(nested, r.label).text("name")
    if name is None and not price:
        return None
    if name is None:
        shipping_id = r.identifier(F.ORDER_SHIPPING_ID)
        name = f"Shipping {shipping_id}" if shipping_id else "Shipping"
    return build(f"{r.label}, shipping", Shipping, method=name, price=price or ZERO)


def _discounts(r: FieldReader) -> tuple[Discount, ...]:
    amount = r.money(F.ORDER_VOUCHER_AMOUNT)
    if not amount:
        return ()
    if amount < 0:  # Shoporama may write money off as a negative number
        amount = -amount
    code = r.text(F.ORDER_VOUCHER_CODE) or f"voucher {r.identifier(F.ORDER_VOUCHER_ID) or ''}"
    return (build(f"{r.label}, voucher", Discount, code=code.strip(), amount=amount),)


def _gift_cards(r: FieldReader) -> tuple[GiftCard, ...]:
    cards = []
    for index, raw in enumerate(r.objects(F.ORDER_GIFT_CARDS), start=1):
        card = FieldReader(raw, f"{r.label}, gift card {index}")
        amount = card.required_money(F.GIFT_CARD_AMOUNT)
        if amount:
            code = card.text(F.GIFT_CARD_CODE) or f"gift card {index}"
            cards.append(build(card.label, GiftCard, code=code, amount=abs(amount)))
    return tuple(cards)


def _checked_total(
    r: FieldReader,
    lines: tuple[OrderLine, ...],
    shipping: Shipping | None,
    discounts: tuple[Discount, ...],
    gift_cards: tuple[GiftCard, ...],
    prices_include_vat: bool,
) -> Decimal:
    """`total_price`, after checking that the parts add up to it (never guess a total)."""
    total = r.required_money(F.ORDER_TOTAL)
    goods = sum((round2(line.quantity * line.unit_price) for line in lines), ZERO)
    freight = shipping.price if shipping else ZERO
    voucher = sum((d.amount for d in discounts), ZERO)
    cards = sum((g.amount for g in gift_cards), ZERO)
    expected = round2(goods + freight - voucher - cards)
    if expected == round2(total):
        return round2(total)
    if not prices_include_vat:  # net prices: the net total is the gross total less VAT
        vat = r.money(F.ORDER_VAT)
        if vat is not None and expected == round2(total - vat):
            return expected
    r.fail(
        F.ORDER_TOTAL,
        f"lines {goods} + shipping {freight} − voucher {voucher} − gift cards {cards} = "
        f"{expected}, but {F.ORDER_TOTAL} is {total}. billysync does not guess which is "
        "right; check the order in Shoporama",
    )


# --- lines (orders and returns share their shape) ---------------------------------------
def _lines(r: FieldReader, field: str, model: type[Any]) -> list[Any]:
    raws = r.objects(field)
    try:  # the canonical models' cap, checked before any line is read
        capped_lines(raws, required=False)
    except ValueError as exc:
        r.fail(field, f"field {field} {exc}")
    result = []
    for index, raw in enumerate(raws, start=1):
        line = FieldReader(raw, f"{r.label}, line {index}")
        quantity = line.required_money(F.LINE_QUANTITY)
        if quantity == 0:
            continue  # an emptied line carries no money
        if quantity < 0:
            line.fail(F.LINE_QUANTITY, f"quantity {quantity} is negative")
        item_number = line.text(F.LINE_ITEM_NUMBER) or line.identifier(F.LINE_PRODUCT_ID)
        if item_number is None:
            line.missing(F.LINE_ITEM_NUMBER)
        result.append(
            build(
                line.label,
                model,
                item_number=item_number,
                name=line.text(F.LINE_NAME) or item_number,
                variant=_variant_text(line),
                quantity=quantity,
                unit_price=line.required_money(F.LINE_UNIT_PRICE),
            )
        )
    return result


def _variant_text(line: FieldReader) -> str | None:
    raw = line.payload.get(F.LINE_ATTRIBUTES)
    values: list[str] = []
    if isinstance(raw, Mapping):
        values = [str(v) for v in raw.values() if v not in (None, "")]
    elif isinstance(raw, list):
        for attribute in raw:
            if isinstance(attribute, Mapping):
                value = attribute.get(F.LINE_ATTRIBUTE_VALUE, attribute.get("value"))
            else:
                value = attribute
            if value not in (None, ""):
                values.append(str(value).strip())
    return ", ".join(values) or None


# --- returns -----------------------------------------------------------------------------
def return_from_payload(
    payload: Payload, *, currency: str = "DKK", prices_include_vat: bool = True
) -> Return:
    """A `Return` from a `GET /REST/order-return/{id}` payload."""
    head = FieldReader(payload, "return")
    key = head.required_identifier(F.RETURN_ID)
    r = FieldReader(payload, f"return {key}")
    order_key = r.required_identifier(F.RETURN_ORDER_ID)
    when = r.first_time(F.RETURN_TIME, F.ORDER_TIME, F.LAST_MODIFIED)
    if when is None:
        r.missing(F.RETURN_TIME)
    lines = tuple(_lines(r, F.RETURN_LINES, ReturnLine))
    shipping = r.money(F.RETURN_SHIPPING) or ZERO
    goods = sum((round2(line.quantity * line.unit_price) for line in lines), ZERO)
    expected = round2(goods + shipping)
    amount = r.money(F.RETURN_TOTAL)
    if amount is not None and round2(amount) != expected:
        r.fail(
            F.RETURN_TOTAL,
            f"lines {goods} + refunded shipping {shipping} = {expected}, but "
            f"{F.RETURN_TOTAL} is {amount}; check the return in Shoporama",
        )
    extra: dict[str, Any] = {}
    if F.RETURN_REFUNDED in payload:
        extra["refunded"] = r.flag(F.RETURN_REFUNDED)
    return build(
        r.label,
        Return,
        key=key,
        order_key=order_key,
        order_number=r.identifier(F.RETURN_ORDER_NUMBER) or order_key,
        date=when.date(),
        currency=r.text(F.RETURN_CURRENCY) or currency,
        prices_include_vat=prices_include_vat,
        lines=lines,
        refunded_shipping=shipping,
        amount=expected,
        **extra,
    )


__all__ = [
    "customer_from_payload",
    "order_from_payload",
    "product_from_payload",
    "return_from_payload",
]
