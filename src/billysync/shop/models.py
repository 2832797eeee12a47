"""Canonical shop models: what every shop adapter produces and the mapping consumes.

One shape for every platform (Shoporama, the generic JSON API, …). Money is `Decimal`
in the order's currency; `prices_include_vat` says whether unit prices, shipping,
discounts and gift cards are gross (Danish B2C shops) or net. Amounts that take money
off (discounts, gift cards, line discounts) are positive numbers here; the mapping
turns them into negative lines.

Validation errors name the field, so a bad payload tells the merchant what to fix. The
bounds every field keeps (lengths, amounts, dates, ISO codes, no control characters) are
`bounds.py`'s types: one home for the rules of the edge.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from billysync.money import ZERO, round2
from billysync.shop.bounds import (
    MAX_LINES,
    Amount,
    Code,
    CountryCode,
    CurrencyCode,
    CustomerKey,
    Day,
    ItemNumber,
    Key,
    Moment,
    Name,
    OrderNumber,
    Quantity,
    Short,
    Text,
    capped_lines,
    within_amount_limit,
)
from billysync.shop.problems import Problem

CustomerKind = Literal["person", "company"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Customer(_Model):
    """The buyer. A company when there is a company name, a CVR or an EU VAT number, else a
    person."""

    key: CustomerKey = Field(
        min_length=1, description="the shop's stable customer key (id or email)"
    )
    name: Name = Field(min_length=1, description="person's full name")
    company_name: Name | None = None
    street: Text | None = None
    zipcode: Short | None = None
    city: Name | None = None
    country: CountryCode = Field(default="DK", description="ISO 3166 alpha-2")
    email: Name | None = None
    phone: Short | None = None
    cvr: Short | None = Field(default=None, description="Danish CVR number")
    eu_vat_number: Short | None = Field(
        default=None,
        description="EU VAT number with its country prefix (e.g. DE123456789); a company "
        "in another EU country with one buys without Danish VAT (reverse charge)",
    )
    ean: Short | None = Field(default=None, description="EAN location number (public sector)")

    @property
    def kind(self) -> CustomerKind:
        return "company" if (self.company_name or self.cvr or self.eu_vat_number) else "person"

    @property
    def display_name(self) -> str:
        return self.company_name or self.name


class OrderLine(_Model):
    """One product line. `discount` is money off the whole line, in the order's price mode."""

    item_number: ItemNumber = Field(min_length=1, description="the variant's own item number (SKU)")
    name: Name = Field(min_length=1)
    variant: Name | None = None
    quantity: Quantity
    unit_price: Amount
    discount: Amount = ZERO

    @model_validator(mode="after")
    def _line_fits(self) -> OrderLine:
        within_amount_limit(self.quantity * self.unit_price, "line_too_large")
        return self


class Shipping(_Model):
    method: Name = Field(min_length=1, description="the shipping method's name")
    price: Amount


class Discount(_Model):
    """An order-level discount (voucher code): `amount` is the money taken off."""

    code: Code = Field(min_length=1)
    amount: Amount


class GiftCard(_Model):
    """A gift card redeemed on the order: `amount` is the value used."""

    code: Code = Field(min_length=1)
    amount: Amount


class Payment(_Model):
    """What the customer paid. `fee` is what the payment provider kept of it (booked as an
    expense with the payment); `method` names the gateway as the shop does (e.g. MobilePay)."""

    amount: Amount
    date: Day
    method: Code | None = None
    fee: Amount = ZERO

    @model_validator(mode="after")
    def _fee_within_amount(self) -> Payment:
        if self.fee and self.fee >= self.amount:
            raise Problem("fee_too_large")
        return self


class Order(_Model):
    """An order as the shop has it now (the event that announced it is only a hint)."""

    key: Key = Field(min_length=1, description="the shop's internal order id")
    number: OrderNumber = Field(min_length=1, description="the order number the customer sees")
    created_at: Moment
    paid_at: Moment | None = None
    shipped_at: Moment | None = None
    cancelled: bool = False
    currency: CurrencyCode = "DKK"
    prices_include_vat: bool = True
    customer: Customer
    lines: tuple[OrderLine, ...]
    shipping: Shipping | None = None
    discounts: tuple[Discount, ...] = Field(default=(), max_length=MAX_LINES)
    gift_cards: tuple[GiftCard, ...] = Field(default=(), max_length=MAX_LINES)
    payment: Payment | None = None
    total: Amount = Field(description="what the customer pays, in the order's price mode")

    @field_validator("lines", mode="before")
    @classmethod
    def _lines_capped(cls, lines: object) -> object:
        return capped_lines(lines, required=True)

    @model_validator(mode="after")
    def _order_fits(self) -> Order:
        goods = sum((round2(line.quantity * line.unit_price) for line in self.lines), ZERO)
        freight = self.shipping.price if self.shipping else ZERO
        within_amount_limit(goods + freight, "order_too_large")
        return self

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def is_shipped(self) -> bool:
        return self.shipped_at is not None


class ReturnLine(_Model):
    item_number: ItemNumber = Field(min_length=1)
    name: Name = Field(min_length=1)
    variant: Name | None = None
    quantity: Quantity
    unit_price: Amount

    @model_validator(mode="after")
    def _line_fits(self) -> ReturnLine:
        within_amount_limit(self.quantity * self.unit_price, "line_too_large")
        return self


class Return(_Model):
    """A return or credit note in the shop: what is credited on the original order."""

    key: Key = Field(min_length=1, description="the shop's id for the return/credit note")
    order_key: Key = Field(min_length=1)
    order_number: OrderNumber = Field(min_length=1)
    date: Day
    currency: CurrencyCode = "DKK"
    prices_include_vat: bool = True
    lines: tuple[ReturnLine, ...] = ()
    refunded_shipping: Amount = ZERO
    amount: Amount = Field(description="the total credited, in the return's price mode")
    refunded: bool = Field(default=True, description="money paid back to the customer")

    @field_validator("lines", mode="before")
    @classmethod
    def _lines_capped(cls, lines: object) -> object:
        return capped_lines(lines, required=False)

    @model_validator(mode="after")
    def _something_returned(self) -> Return:
        if not self.lines and self.refunded_shipping == 0:
            raise Problem("return_empty")
        return self


class ProductVariant(_Model):
    item_number: ItemNumber = Field(min_length=1)
    name: Name = Field(min_length=1, description="the variant's own name, e.g. 'Red, M'")
    price: Amount | None = Field(default=None, description="the variant's price if it differs")


class Product(_Model):
    """A product in the shop; each variant with its own item number is its own Billy product."""

    key: Key = Field(min_length=1)
    item_number: ItemNumber = Field(min_length=1)
    name: Name = Field(min_length=1)
    price: Amount
    currency: CurrencyCode = "DKK"
    prices_include_vat: bool = True
    variants: tuple[ProductVariant, ...] = Field(default=(), max_length=MAX_LINES)

    def billable_items(self) -> list[tuple[str, str, Decimal]]:
        """(item number, name, price) for the product and every variant with its own number."""
        items = [(self.item_number, self.name, self.price)]
        for variant in self.variants:
            if variant.item_number != self.item_number:
                price = variant.price if variant.price is not None else self.price
                items.append((variant.item_number, f"{self.name} ({variant.name})", price))
        return items
