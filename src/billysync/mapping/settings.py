"""The merchant's choices on the Settings → Financial system page that the mapping needs.

Ids are Billy's ids (read from Billy's lists on that page). Validation messages name the
field and say what to choose, because they are shown to the merchant as they are.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from billysync.mapping.markers import prefix_problem

Trigger = Literal["paid", "shipped"]
# How a redeemed gift card is booked (docs/vat.md): a line without VAT on the discount
# product, or a payment from a gift-card account; either way the goods keep their VAT.
GiftCardBooking = Literal["line", "payment"]


class BillySettings(BaseModel):
    """What to book orders on in Billy, and when."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    sales_account_id: str
    shipping_product_id: str
    discount_product_id: str
    trigger: Trigger = "paid"
    post_payments: bool = False
    payment_account_id: str | None = None
    # A clearing account per payment method (card gateway, MobilePay, …), keyed by the
    # method as the shop names it (any case); methods not listed use `payment_account_id`.
    payment_method_accounts: dict[str, str] = Field(default_factory=dict)
    # Where the payment provider's fees are booked; None: the organization's default.
    fee_account_id: str | None = None
    # Ask Billy to e-mail each new invoice to the customer (once per invoice).
    email_invoices: bool = False
    order_prefix: str = ""
    base_currency: str = "DKK"
    oss: bool = False  # registered for the EU One Stop Shop (sync/oss.py)
    gift_cards: GiftCardBooking = "line"
    gift_card_account_id: str | None = None

    @field_validator("sales_account_id", "shipping_product_id", "discount_product_id")
    @classmethod
    def _chosen(cls, value: str) -> str:
        if not value:
            raise ValueError("choose one in Settings → Financial system")
        return value

    @field_validator("payment_account_id", "fee_account_id", "gift_card_account_id")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("payment_method_accounts")
    @classmethod
    def _method_keys(cls, value: dict[str, str]) -> dict[str, str]:
        return {method_key(m): account for m, account in value.items() if m.strip() and account}

    @field_validator("order_prefix")
    @classmethod
    def _short_plain_prefix(cls, value: str) -> str:
        problem = prefix_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("base_currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        value = value.upper()
        if len(value) != 3 or not value.isalpha():
            raise ValueError("must be a three-letter ISO currency code such as DKK")
        return value

    @model_validator(mode="after")
    def _payment_account_when_posting(self) -> BillySettings:
        if self.post_payments and not self.payment_account_id:
            raise ValueError(
                "payment_account_id is missing: automatic payment posting is on, so choose the "
                "Billy account payments go to (one with payments enabled), or turn posting off"
            )
        return self

    @model_validator(mode="after")
    def _gift_card_account_when_paying_with_cards(self) -> BillySettings:
        if self.gift_cards != "payment":
            return self
        if not self.gift_card_account_id:
            raise ValueError(
                "gift_card_account_id is missing: gift cards are booked as payments, so choose "
                "the Billy account redeemed gift cards are paid from, or book them as a line"
            )
        if not self.post_payments:
            raise ValueError(
                "gift cards booked as payments are posted with the order's payment: turn "
                "automatic payment posting on, or book gift cards as a line"
            )
        if self.gift_card_account_id == self.payment_account_id:
            raise ValueError(
                "gift_card_account_id must differ from the payment account, so the gift-card "
                "payment and the customer's payment can be told apart"
            )
        return self


def method_key(method: str) -> str:
    """A payment method's name compared as a person would: case and spacing aside."""
    return " ".join(method.split()).casefold()
