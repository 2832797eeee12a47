"""Canonical shop models: what every shop adapter produces and the mapping consumes.

One shape for every platform (Shoporama, the generic JSON API, …). Money is `Decimal`
in the order's currency; `prices_include_vat` says whether unit prices, shipping,
discounts and gift cards are gross (Danish B2C shops) or net. Amounts that take money
off (discounts, gift cards, line discounts) are positive numbers here; the mapping
turns them into negative lines.

Validation errors name the field, so a bad payload tells the merchant what to fix.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from billysync.money import ZERO, parse_money

Money = Annotated[Decimal, BeforeValidator(parse_money)]
CustomerKind = Literal["person", "company"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Customer(_Model):
    """The buyer. A company when there is a company name, a CVR or an EU VAT number, else a
    person."""

    key: str = Field(min_length=1, description="the shop's stable customer key (id or email)")
    name: str = Field(min_length=1, description="person's full name")
    company_name: str | None = None
    street: str | None = None
    zipcode: str | None = None
    city: str | None = None
    country: str = Field(default="DK", description="ISO 3166 alpha-2")
    email: str | None = None
    phone: str | None = None
    cvr: str | None = Field(default=None, description="Danish CVR number")
    eu_vat_number: str | None = Field(
        default=None,
        description="EU VAT number with its country prefix (e.g. DE123456789); a company "
        "in another EU country with one buys without Danish VAT (reverse charge)",
    )
    ean: str | None = Field(default=None, description="EAN location number (public sector)")

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        value = value.upper()
        if len(value) != 2 or not value.isalpha():
            raise ValueError("must be a two-letter ISO country code such as DK")
        return value

    @property
    def kind(self) -> CustomerKind:
        return "company" if (self.company_name or self.cvr or self.eu_vat_number) else "person"

    @property
    def display_name(self) -> str:
        return self.company_name or self.name


class OrderLine(_Model):
    """One product line. `discount` is money off the whole line, in the order's price mode."""

    item_number: str = Field(min_length=1, description="the variant's own item number (SKU)")
    name: str = Field(min_length=1)
    variant: str | None = None
    quantity: Money
    unit_price: Money
    discount: Money = ZERO

    @field_validator("quantity")
    @classmethod
    def _positive_quantity(cls, value: Decimal) -> Decimal:
        if value <= 0:
            raise ValueError("must be more than 0")
        return value

    @field_validator("discount")
    @classmethod
    def _non_negative(cls, value: Decimal) -> Decimal:
        if value < 0:
            raise ValueError("must be 0 or more (money taken off is a positive amount)")
        return value


class Shipping(_Model):
    method: str = Field(min_length=1, description="the shipping method's name")
    price: Money


class Discount(_Model):
    """An order-level discount (voucher code): `amount` is the money taken off."""

    code: str = Field(min_length=1)
    amount: Money


class GiftCard(_Model):
    """A gift card redeemed on the order: `amount` is the value used."""

    code: str = Field(min_length=1)
    amount: Money


class Payment(_Model):
    amount: Money
    date: date
    method: str | None = None


class Order(_Model):
    """An order as the shop has it now (the event that announced it is only a hint)."""

    key: str = Field(min_length=1, description="the shop's internal order id")
    number: str = Field(min_length=1, description="the order number the customer sees")
    created_at: datetime
    paid_at: datetime | None = None
    shipped_at: datetime | None = None
    cancelled: bool = False
    currency: str = "DKK"
    prices_include_vat: bool = True
    customer: Customer
    lines: tuple[OrderLine, ...] = Field(min_length=1)
    shipping: Shipping | None = None
    discounts: tuple[Discount, ...] = ()
    gift_cards: tuple[GiftCard, ...] = ()
    payment: Payment | None = None
    total: Money = Field(description="what the customer pays, in the order's price mode")

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        value = value.upper()
        if len(value) != 3 or not value.isalpha():
            raise ValueError("must be a three-letter ISO currency code such as DKK")
        return value

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def is_shipped(self) -> bool:
        return self.shipped_at is not None


class ReturnLine(_Model):
    item_number: str = Field(min_length=1)
    name: str = Field(min_length=1)
    variant: str | None = None
    quantity: Money
    unit_price: Money


class Return(_Model):
    """A return or credit note in the shop: what is credited on the original order."""

    key: str = Field(min_length=1, description="the shop's id for the return/credit note")
    order_key: str = Field(min_length=1)
    order_number: str = Field(min_length=1)
    date: date
    currency: str = "DKK"
    prices_include_vat: bool = True
    lines: tuple[ReturnLine, ...] = ()
    refunded_shipping: Money = ZERO
    amount: Money = Field(description="the total credited, in the return's price mode")
    refunded: bool = Field(default=True, description="money paid back to the customer")

    @model_validator(mode="after")
    def _something_returned(self) -> Return:
        if not self.lines and self.refunded_shipping == 0:
            raise ValueError("a return needs at least one line or refunded shipping")
        return self


class ProductVariant(_Model):
    item_number: str = Field(min_length=1)
    name: str = Field(min_length=1, description="the variant's own name, e.g. 'Red, M'")
    price: Money | None = Field(default=None, description="the variant's price if it differs")


class Product(_Model):
    """A product in the shop; each variant with its own item number is its own Billy product."""

    key: str = Field(min_length=1)
    item_number: str = Field(min_length=1)
    name: str = Field(min_length=1)
    price: Money
    currency: str = "DKK"
    prices_include_vat: bool = True
    variants: tuple[ProductVariant, ...] = ()

    def billable_items(self) -> list[tuple[str, str, Decimal]]:
        """(item number, name, price) for the product and every variant with its own number."""
        items = [(self.item_number, self.name, self.price)]
        for variant in self.variants:
            if variant.item_number != self.item_number:
                price = variant.price if variant.price is not None else self.price
                items.append((variant.item_number, f"{self.name} ({variant.name})", price))
        return items
