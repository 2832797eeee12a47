"""Drafts: the Billy documents we would post, before anything is posted.

Each draft is a frozen model with Python names and `Decimal` money, and `to_payload()` gives
exactly the record Billy's API v2 takes (docs/billy-api.md §3.5–§3.9): camelCase, belongs-to
relations as `…Id`, money as JSON numbers (converted here, at the boundary, and nowhere
else). `to_envelope()` wraps it under Billy's root key (`{"invoice": {…}}`) for a POST/PUT.

Money fields refuse fractions of an øre: Billy books whole øre, so an amount that is not one
would be rounded by Billy out of our sight. Round before building a draft.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from billysync.billy.totals import InvoiceTotals, LineInput, TaxMode, invoice_totals
from billysync.money import ZERO, round2, to_json_number


def _whole_ore(value: Decimal) -> Decimal:
    if value != round2(value):
        raise ValueError(f"{value} has fractions of an øre; round it to two decimals first")
    return value


Amount = Annotated[Decimal, AfterValidator(_whole_ore)]
LineKind = Literal["product", "shipping", "discount", "gift_card", "rounding"]


def _upper_iso(value: str, length: int, example: str) -> str:
    value = value.upper()
    if len(value) != length or not value.isalpha():
        raise ValueError(f"must be a {length}-letter ISO code such as {example}")
    return value


class _Draft(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ROOT_KEY: ClassVar[str]

    def to_payload(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_envelope(self) -> dict[str, Any]:
        """The request body for POST/PUT: the record under Billy's singular root key."""
        return {self.ROOT_KEY: self.to_payload()}

    def content_hash(self) -> str:
        """SHA-256 of the payload in canonical JSON: equal exactly when Billy would get the same."""
        canonical = json.dumps(
            self.to_payload(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- contacts (§3.5) ---------------------------------------------------------------------


class ContactPersonDraft(_Draft):
    ROOT_KEY: ClassVar[str] = "contactPerson"

    name: str = Field(min_length=1)
    email: str = Field(min_length=1)
    is_primary: bool = True

    def to_payload(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "isPrimary": self.is_primary}


class ContactDraft(_Draft):
    """A customer contact. Billy has no email field on contacts: the email is a contact person."""

    ROOT_KEY: ClassVar[str] = "contact"

    type: Literal["company", "person"]
    name: str = Field(min_length=1)
    country_id: str
    street: str | None = None
    zipcode_text: str | None = None
    city_text: str | None = None
    phone: str | None = None
    registration_no: str | None = None
    ean: str | None = None
    contact_no: str = Field(min_length=1)
    is_customer: bool = True
    locale_id: Literal["da_DK", "en_US"]
    contact_persons: tuple[ContactPersonDraft, ...] = ()

    @field_validator("country_id")
    @classmethod
    def _country(cls, value: str) -> str:
        return _upper_iso(value, 2, "DK")

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": self.type,
            "name": self.name,
            "countryId": self.country_id,
        }
        optional = {
            "street": self.street,
            "zipcodeText": self.zipcode_text,
            "cityText": self.city_text,
            "phone": self.phone,
            "registrationNo": self.registration_no,
            "ean": self.ean,
        }
        payload.update({key: value for key, value in optional.items() if value})
        payload["contactNo"] = self.contact_no
        payload["isCustomer"] = self.is_customer
        payload["localeId"] = self.locale_id
        if self.contact_persons:
            payload["contactPersons"] = [p.to_payload() for p in self.contact_persons]
        return payload


# --- invoices and credit notes (§3.7, §3.8, §3.10) -----------------------------------------


class InvoiceLineDraft(_Draft):
    """One invoice line. `tax_rate` and `kind` are ours (prediction, preview), never sent:
    Billy derives the line's tax rate from the product's VAT ruleset itself, unless
    `tax_rate_id` names it because the ruleset cannot express it (billy/vat.py)."""

    ROOT_KEY: ClassVar[str] = "invoiceLine"

    product_id: str = Field(min_length=1)
    description: str
    quantity: Decimal = Field(gt=0)
    unit_price: Amount
    discount_value: Amount | None = Field(default=None, description="cash discount off the line")
    discount_text: str | None = None
    priority: int = Field(ge=1)
    tax_rate: Decimal = Field(default=ZERO, ge=0, le=1, description="fraction, 0.25 for 25 %")
    tax_rate_id: str | None = Field(default=None, description="sent only when explicit")
    kind: LineKind = "product"

    def totals_input(self) -> LineInput:
        return LineInput(
            quantity=self.quantity,
            unit_price=self.unit_price,
            tax_rate=self.tax_rate,
            discount_mode="cash" if self.discount_value else None,
            discount_value=self.discount_value,
        )

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "productId": self.product_id,
            "description": self.description,
            "quantity": to_json_number(self.quantity),
            "unitPrice": to_json_number(self.unit_price),
        }
        if self.discount_value:
            payload["discountMode"] = "cash"
            payload["discountValue"] = to_json_number(self.discount_value)
            if self.discount_text:
                payload["discountText"] = self.discount_text
        if self.tax_rate_id:
            payload["taxRateId"] = self.tax_rate_id
        payload["priority"] = self.priority
        return payload


class InvoiceDraft(_Draft):
    """An invoice or credit note, created approved (booked) in one call, lines embedded."""

    ROOT_KEY: ClassVar[str] = "invoice"

    type: Literal["invoice", "creditNote"] = "invoice"
    contact_id: str = Field(min_length=1)
    entry_date: date
    currency_id: str
    tax_mode: TaxMode
    order_no: str = Field(min_length=1, description="our marker, see markers.py")
    state: Literal["draft", "approved"] = "approved"
    credited_invoice_id: str | None = None
    payment_terms_days: int | None = None
    lines: tuple[InvoiceLineDraft, ...] = Field(min_length=1)

    @field_validator("currency_id")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _upper_iso(value, 3, "DKK")

    @model_validator(mode="after")
    def _credit_note_names_its_invoice(self) -> InvoiceDraft:
        if self.type == "creditNote" and not self.credited_invoice_id:
            raise ValueError("a credit note needs credited_invoice_id (the invoice it credits)")
        if self.type == "invoice" and self.credited_invoice_id:
            raise ValueError("only a credit note has credited_invoice_id")
        return self

    @cached_property
    def predicted(self) -> InvoiceTotals:
        """Billy's `amount` (net), `tax` and `grossAmount` for this draft, line by line."""
        return invoice_totals([line.totals_input() for line in self.lines], self.tax_mode)

    @property
    def rounding_adjustment(self) -> Decimal:
        """What the labelled rounding line adds (0 when there is none), in the line's mode."""
        return sum((ln.unit_price for ln in self.lines if ln.kind == "rounding"), ZERO)

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"type": self.type}
        if self.credited_invoice_id:
            payload["creditedInvoiceId"] = self.credited_invoice_id
        payload.update(
            {
                "contactId": self.contact_id,
                "entryDate": self.entry_date.isoformat(),
                "currencyId": self.currency_id,
                "taxMode": self.tax_mode,
                "orderNo": self.order_no,
                "state": self.state,
            }
        )
        if self.payment_terms_days is not None:
            payload["paymentTermsDays"] = self.payment_terms_days
        payload["lines"] = [line.to_payload() for line in self.lines]
        return payload


# --- bank payments (§3.9) ------------------------------------------------------------------


class PaymentDraft(_Draft):
    """A bank payment: `debit` pays an invoice in, `credit` pays a refund out.

    `cash_amount` is in the cash account's currency; `cash_exchange_rate` (1 invoice-currency
    unit = rate × account-currency units) is sent only when the two currencies differ.
    """

    ROOT_KEY: ClassVar[str] = "bankPayment"

    entry_date: date
    cash_amount: Amount = Field(gt=0)
    cash_side: Literal["debit", "credit"]
    cash_account_id: str = Field(min_length=1)
    cash_exchange_rate: Decimal | None = Field(default=None, gt=0)
    subject_references: tuple[str, ...] = Field(min_length=1, description="'invoice:<id>'")
    # The payment provider's fee, in the cash account's currency: on a deposit it settles
    # the invoice together with `cash_amount` (docs/billy-api.md §3.9).
    fee_amount: Amount | None = Field(default=None, gt=0)
    fee_account_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "entryDate": self.entry_date.isoformat(),
            "cashAmount": to_json_number(self.cash_amount),
            "cashSide": self.cash_side,
            "cashAccountId": self.cash_account_id,
        }
        if self.cash_exchange_rate is not None:
            payload["cashExchangeRate"] = to_json_number(self.cash_exchange_rate)
        if self.fee_amount is not None:
            payload["feeAmount"] = to_json_number(self.fee_amount)
            if self.fee_account_id:
                payload["feeAccountId"] = self.fee_account_id
        payload["associations"] = [{"subjectReference": ref} for ref in self.subject_references]
        return payload


# --- products (§3.6) -----------------------------------------------------------------------


class ProductPriceDraft(_Draft):
    ROOT_KEY: ClassVar[str] = "productPrice"

    unit_price: Amount
    currency_id: str

    @field_validator("currency_id")
    @classmethod
    def _currency(cls, value: str) -> str:
        return _upper_iso(value, 3, "DKK")

    def to_payload(self) -> dict[str, Any]:
        return {"unitPrice": to_json_number(self.unit_price), "currencyId": self.currency_id}


class ProductDraft(_Draft):
    """A Billy product for one shop item number; `content_hash()` lets unchanged ones be skipped."""

    ROOT_KEY: ClassVar[str] = "product"

    name: str = Field(min_length=1)
    product_no: str = Field(min_length=1, description="our marker: the shop's item number")
    account_id: str = Field(min_length=1)
    prices: tuple[ProductPriceDraft, ...] = Field(min_length=1)
    sales_tax_ruleset_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "name": self.name,
            "productNo": self.product_no,
            "accountId": self.account_id,
            "prices": [price.to_payload() for price in self.prices],
        }
        if self.sales_tax_ruleset_id:
            payload["salesTaxRulesetId"] = self.sales_tax_ruleset_id
        return payload
