"""Billy's records as pydantic models: what the client returns.

Attribute names are snake_case; each reads (and dumps, with `by_alias=True`) Billy's camelCase
wire name. Unknown keys are kept (`extra="allow"`, see `model_extra`) because Billy adds fields
over time and the fixtures are older than the live API. Money is `Decimal`, read through
`billysync.money.parse_money`, never float. Embedded children (`lines`, `contactPersons`,
`prices`, `rules`, `associations`) are `None` when Billy did not send them, which is different
from an empty list.

Sideloaded records that came in the same answer (e.g. `contactPersons`, `cities`) are kept on
the record: `record.sideloaded["cities"]` holds Billy's raw dicts.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, PrivateAttr, model_validator
from pydantic.alias_generators import to_camel

from billysync.money import parse_money


def _optional_money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return parse_money(value)


def _blank_to_none(value: object) -> object:
    return None if value == "" else value


Money = Annotated[Decimal, BeforeValidator(parse_money)]
OptionalMoney = Annotated[Decimal | None, BeforeValidator(_optional_money)]
OptionalDate = Annotated[date | None, BeforeValidator(_blank_to_none)]
OptionalDatetime = Annotated[datetime | None, BeforeValidator(_blank_to_none)]


class _Wire(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, alias_generator=to_camel)

    def to_wire(self) -> dict[str, Any]:
        """The record with Billy's field names, as JSON-ready values."""
        return self.model_dump(mode="json", by_alias=True)


class BillyChild(_Wire):
    """A record embedded in another (a line, a person, a price, an association): Billy gives
    it an id, but a missing one must not make the whole parent unreadable."""

    id: str | None = None


class BillyRecord(_Wire):
    """One Billy record: an opaque string `id` plus the fields we read."""

    id: str
    _sideloaded: dict[str, list[dict[str, Any]]] = PrivateAttr(default_factory=dict)

    @property
    def sideloaded(self) -> dict[str, list[dict[str, Any]]]:
        """Other records Billy sent in the same answer, by their plural root key."""
        return self._sideloaded


class Organization(BillyRecord):
    name: str | None = None
    country_id: str | None = None
    base_currency_id: str | None = None
    locale_id: str | None = None
    registration_no: str | None = None
    email: str | None = None
    has_vat: bool | None = None
    default_tax_mode: str | None = None
    invoice_no_mode: str | None = None
    next_invoice_no: int | str | None = None
    payment_terms_mode: str | None = None
    payment_terms_days: int | None = None
    default_sales_account_id: str | None = None
    default_sales_tax_ruleset_id: str | None = None
    default_invoice_bank_account_id: str | None = None
    default_bank_fee_account_id: str | None = None
    default_bill_bank_account_id: str | None = None
    fiscal_locking_date: OptionalDate = None
    is_locked: bool = False
    locked_code: str | None = None
    locked_reason: str | None = None
    is_trial: bool | None = None
    is_terminated: bool | None = None

    @property
    def numbers_invoices_itself(self) -> bool:
        """Whether Billy gives each invoice its number (`invoiceNoMode` sequential, or not
        sent). With `manual` numbering Billy refuses an invoice without `invoiceNo` (422,
        docs/billy-api.md §7), and billysync leaves the numbers to Billy."""
        return (self.invoice_no_mode or "sequential") != "manual"


class Account(BillyRecord):
    organization_id: str | None = None
    name: str | None = None
    account_no: int | None = None
    description: str | None = None
    group_id: str | None = None
    nature_id: str | None = None
    system_role: str | None = None
    currency_id: str | None = None
    tax_rate_id: str | None = None
    is_payment_enabled: bool = False
    is_bank_account: bool = False
    is_archived: bool = False


class Currency(BillyRecord):
    name: str | None = None
    exchange_rate: OptionalMoney = None


class Country(BillyRecord):
    name: str | None = None
    has_states: bool | None = None
    has_finite_states: bool | None = None
    has_finite_zipcodes: bool | None = None
    icon: str | None = None
    locale_id: str | None = None


class CountryGroup(BillyRecord):
    name: str | None = None
    member_country_ids: list[str] = []


class SalesTaxRule(BillyRecord):
    ruleset_id: str | None = None
    country_id: str | None = None
    state_id: str | None = None
    country_group_id: str | None = None
    contact_type: str | None = None
    tax_rate_id: str | None = None
    priority: int | None = None


class SalesTaxRuleset(BillyRecord):
    organization_id: str | None = None
    name: str | None = None
    abbreviation: str | None = None
    description: str | None = None
    fallback_tax_rate_id: str | None = None
    is_predefined: bool | None = None
    rules: list[SalesTaxRule] | None = None


class TaxRate(BillyRecord):
    organization_id: str | None = None
    name: str | None = None
    abbreviation: str | None = None
    description: str | None = None
    rate: OptionalMoney = None  # a fraction (0.25) as far as anyone knows (docs/billy-api.md §3.4)
    applies_to_sales: bool | None = None
    applies_to_purchases: bool | None = None
    is_predefined: bool | None = None
    is_active: bool | None = None


class ContactPerson(BillyChild):
    contact_id: str | None = None
    is_primary: bool = False
    name: str | None = None
    email: str | None = None


class Contact(BillyRecord):
    organization_id: str | None = None
    type: str | None = None  # company | person
    name: str | None = None
    contact_no: str | None = None
    country_id: str | None = None
    street: str | None = None
    city_id: str | None = None
    city_text: str | None = None
    zipcode_id: str | None = None
    zipcode_text: str | None = None
    state_id: str | None = None
    state_text: str | None = None
    phone: str | None = None
    registration_no: str | None = None
    ean: str | None = None
    currency_id: str | None = None
    locale_id: str | None = None
    is_customer: bool | None = None
    is_supplier: bool | None = None
    payment_terms_mode: str | None = None
    payment_terms_days: int | None = None
    is_archived: bool = False
    created_time: OptionalDatetime = None
    contact_persons: list[ContactPerson] | None = None


class ProductPrice(BillyChild):
    product_id: str | None = None
    unit_price: Money
    currency_id: str | None = None


class Product(BillyRecord):
    organization_id: str | None = None
    name: str | None = None
    description: str | None = None
    account_id: str | None = None
    product_no: str | None = None
    suppliers_product_no: str | None = None
    sales_tax_ruleset_id: str | None = None
    is_archived: bool = False
    prices: list[ProductPrice] | None = None


class InvoiceLine(BillyChild):
    invoice_id: str | None = None
    product_id: str | None = None
    description: str | None = None
    quantity: OptionalMoney = None
    unit_price: OptionalMoney = None
    amount: OptionalMoney = None
    tax: OptionalMoney = None
    tax_rate_id: str | None = None
    discount_text: str | None = None
    discount_mode: str | None = None
    discount_value: OptionalMoney = None
    priority: int | None = None


def _invoice_type(value: object) -> object:
    # One Java client spells it credit_note (docs/billy-api.md §3.7); Billy's enums are camelCase.
    return "creditNote" if value == "credit_note" else value


class Invoice(BillyRecord):
    organization_id: str | None = None
    type: Annotated[Literal["invoice", "creditNote"], BeforeValidator(_invoice_type)] = "invoice"
    credited_invoice_id: str | None = None
    contact_id: str | None = None
    att_contact_person_id: str | None = None
    invoice_no: str | None = None
    order_no: str | None = None
    state: str | None = None  # draft | approved | voided
    sent_state: str | None = None
    entry_date: OptionalDate = None
    due_date: OptionalDate = None
    payment_terms_mode: str | None = None
    payment_terms_days: int | None = None
    tax_mode: str | None = None  # incl | excl
    currency_id: str | None = None
    exchange_rate: OptionalMoney = None
    amount: OptionalMoney = None  # net, also when taxMode is incl
    tax: OptionalMoney = None
    gross_amount: OptionalMoney = None
    balance: OptionalMoney = None
    is_paid: bool = False
    contact_message: str | None = None
    line_description: str | None = None
    download_url: str | None = None
    created_time: OptionalDatetime = None
    approved_time: OptionalDatetime = None
    lines: list[InvoiceLine] | None = None

    @model_validator(mode="after")
    def _gross_from_parts(self) -> Invoice:
        # Older answers (the 2016 fixtures) have no grossAmount; it is amount + tax.
        if self.gross_amount is None and self.amount is not None and self.tax is not None:
            self.gross_amount = self.amount + self.tax
        return self

    @property
    def is_credit_note(self) -> bool:
        return self.type == "creditNote"


class BankPaymentAssociation(BillyChild):
    subject_reference: str | None = None  # "invoice:<id>" or "bill:<id>"
    amount: OptionalMoney = None


class BankPayment(BillyRecord):
    organization_id: str | None = None
    contact_id: str | None = None
    entry_date: OptionalDate = None
    cash_amount: OptionalMoney = None
    cash_side: str | None = None  # debit | credit
    cash_account_id: str | None = None
    cash_exchange_rate: OptionalMoney = None
    subject_currency_id: str | None = None
    fee_amount: OptionalMoney = None
    fee_account_id: str | None = None
    is_voided: bool = False
    created_time: OptionalDatetime = None
    associations: list[BankPaymentAssociation] | None = None

    def settles(self, subject_reference: str) -> bool:
        return any(a.subject_reference == subject_reference for a in self.associations or ())
