"""Contract: every resource method of the Billy client against the Billy emulator.

The emulator answers like Billy (envelopes, validation, numbering, payments, credit notes); the
client must read every answer and turn every failure into the right error. What the emulator
holds is checked through its own ledger, not through the client.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from billysync.billy.client import BillyClient
from billysync.billy.errors import (
    BillyConfigurationError,
    BillyConflictError,
    BillyDataError,
    BillyNotFoundError,
    BillyOutcomeUnknown,
    BillyRateLimited,
)
from billysync.billy.http import BillyCall
from billysync.billy.models import Contact, Invoice, Product
from billysync.emulators.billy import BillyEmulator

TOKEN_A = "tok-a-3b9f0c1d2e7a"
TOKEN_B = "tok-b-8e6d5c4b3a21"
DAY = "2026-03-02"


@pytest.fixture
def emu() -> BillyEmulator:
    emulator = BillyEmulator(seed=3)
    emulator.add_organization(token=TOKEN_A, name="Shop A ApS")
    emulator.add_organization(token=TOKEN_B, name="Shop B ApS")
    return emulator


@pytest.fixture
def calls() -> list[BillyCall]:
    return []


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def billy(emu: BillyEmulator, calls: list[BillyCall], sleeps: list[float]) -> Iterator[BillyClient]:
    with BillyClient(
        TOKEN_A,
        transport=emu.transport(),
        call_observer=calls.append,
        sleep=sleeps.append,
        rng=random.Random(1),
        timeout=1.0,
    ) as client:
        yield client


def make_contact(billy: BillyClient, contact_no: str = "SHOP-C1") -> Contact:
    return billy.contacts.create(
        {
            "type": "person",
            "name": "Ada Lovelace",
            "countryId": "DK",
            "street": "Vestergade 1",
            "zipcodeText": "8000",
            "cityText": "Aarhus C",
            "contactNo": contact_no,
            "isCustomer": True,
            "contactPersons": [
                {"name": "Ada Lovelace", "email": "ada@example.com", "isPrimary": True}
            ],
        }
    )


def make_product(billy: BillyClient, product_no: str = "SKU-1", price: str = "100") -> Product:
    return billy.products.create(
        {
            "name": f"Product {product_no}",
            "productNo": product_no,
            "prices": [{"unitPrice": Decimal(price), "currencyId": "DKK"}],
        }
    )


def make_invoice(
    billy: BillyClient,
    contact: Contact,
    product: Product,
    order_no: str = "SHOP-1001",
    **extra: Any,
) -> Invoice:
    return billy.invoices.create(
        {
            "contactId": contact.id,
            "entryDate": DAY,
            "currencyId": "DKK",
            "taxMode": "incl",
            "orderNo": order_no,
            "lines": [
                {"productId": product.id, "quantity": 2, "unitPrice": Decimal("62.50")},
                {"productId": product.id, "quantity": 1, "unitPrice": Decimal("49.95")},
            ],
            **extra,
        }
    )


def payment_account(billy: BillyClient) -> str:
    organization = billy.organization.get()
    if organization.default_invoice_bank_account_id:
        return organization.default_invoice_bank_account_id
    return next(a.id for a in billy.accounts.list() if a.is_payment_enabled)


# -- reference data ---------------------------------------------------------------------------


def test_organization_and_reference_data(billy: BillyClient) -> None:
    organization = billy.organization.require_unlocked()
    assert organization.name == "Shop A ApS"
    assert organization.base_currency_id == "DKK"
    accounts = billy.accounts.list()
    assert any(a.is_payment_enabled for a in accounts)
    assert any(a.nature_id == "revenue" for a in accounts)
    assert billy.accounts.get(accounts[0].id).id == accounts[0].id
    assert "DKK" in {c.id for c in billy.currencies.list()}
    assert billy.currencies.get("DKK").id == "DKK"
    assert "DK" in {c.id for c in billy.countries.list()}
    rulesets = billy.sales_tax_rulesets.list(include_rules=True)
    default = next(r for r in rulesets if r.id == organization.default_sales_tax_ruleset_id)
    assert default.rules, "the default ruleset comes with its rules embedded"
    rules = billy.sales_tax_rules.list()
    assert {r.id for r in default.rules} <= {r.id for r in rules}
    rates = {t.id: t.rate for t in billy.tax_rates.list()}
    assert Decimal("0.25") in rates.values()


# -- contacts ---------------------------------------------------------------------------------


def test_contact_with_person_then_found_by_contact_no(
    billy: BillyClient, emu: BillyEmulator
) -> None:
    contact = make_contact(billy)
    assert contact.contact_no == "SHOP-C1"
    assert contact.contact_persons is not None and len(contact.contact_persons) == 1
    person = contact.contact_persons[0]
    assert person.id and person.email == "ada@example.com" and person.is_primary
    make_contact(billy, "SHOP-C10")  # a near miss that must not match
    found = billy.contacts.find_by_contact_no("SHOP-C1")
    assert [c.id for c in found] == [contact.id]
    assert found[0].contact_persons is not None
    assert found[0].contact_persons[0].id == person.id
    assert billy.contacts.find_by_contact_no("SHOP-C") == []
    assert billy.contacts.get(contact.id).contact_persons == contact.contact_persons
    updated = billy.contacts.update(contact.id, {"street": "Nørregade 2"})
    assert updated.street == "Nørregade 2"
    assert {c.id for c in billy.contacts.list()} == {
        c["id"] for c in emu.ledger(TOKEN_A).contacts()
    }


def test_contact_lookup_is_exact_when_the_filter_is_ignored(calls: list[BillyCall]) -> None:
    emulator = BillyEmulator(honour_undocumented_filters=False)
    emulator.add_organization(token=TOKEN_A, name="Shop A ApS")
    billy = BillyClient(TOKEN_A, transport=emulator.transport())
    ada = make_contact(billy, "SHOP-C1")
    make_contact(billy, "SHOP-C10")
    make_contact(billy, "shop-c1")
    assert [c.id for c in billy.contacts.find_by_contact_no("SHOP-C1")] == [ada.id]
    product = make_product(billy, "SKU-1")
    make_product(billy, "SKU-10")
    assert [p.id for p in billy.products.find_by_product_no("SKU-1")] == [product.id]


def test_duplicate_markers_come_back_as_a_list(billy: BillyClient) -> None:
    first = make_contact(billy, "SHOP-DUP")
    second = make_contact(billy, "SHOP-DUP")
    assert [c.id for c in billy.contacts.find_by_contact_no("SHOP-DUP")] == [first.id, second.id]


# -- products ---------------------------------------------------------------------------------


def test_product_with_price(billy: BillyClient) -> None:
    product = make_product(billy, "SKU-7", "149.95")
    assert product.prices is not None
    assert [(p.unit_price, p.currency_id) for p in product.prices] == [(Decimal("149.95"), "DKK")]
    assert [p.id for p in billy.products.find_by_product_no("SKU-7")] == [product.id]
    fetched = billy.products.get(product.id)
    assert fetched.prices is not None and fetched.prices[0].unit_price == Decimal("149.95")
    updated = billy.products.update(
        product.id, {"name": "Renamed", "prices": [{"unitPrice": 99, "currencyId": "DKK"}]}
    )
    assert updated.name == "Renamed"
    again = billy.products.get(product.id)
    assert again.prices is not None
    assert [p.unit_price for p in again.prices] == [Decimal("99")]
    assert product.id in {p.id for p in billy.products.list()}


# -- invoices and credit notes ----------------------------------------------------------------


def test_invoice_with_lines_approve_assigns_number(billy: BillyClient, emu: BillyEmulator) -> None:
    contact, product = make_contact(billy), make_product(billy)
    draft = make_invoice(billy, contact, product)
    assert draft.state == "draft"
    assert draft.invoice_no is None
    assert draft.lines is not None and len(draft.lines) == 2
    # incl: 125.00 + 49.95 gross; VAT 20 % of it, rounded once on the total
    assert draft.gross_amount == Decimal("174.95")
    assert draft.tax == Decimal("34.99")
    assert draft.amount == Decimal("139.96")
    approved = billy.invoices.approve(draft.id)
    assert approved.state == "approved"
    assert approved.invoice_no
    fetched = billy.invoices.get(draft.id)
    assert fetched.invoice_no == approved.invoice_no
    assert fetched.lines is not None and len(fetched.lines) == 2
    assert [i.id for i in billy.invoices.find_by_order_no("SHOP-1001")] == [draft.id]
    assert billy.invoices.find_by_order_no("SHOP-100") == []
    assert [i.id for i in billy.invoices.find_by_invoice_no(approved.invoice_no)] == [draft.id]
    assert [i.id for i in billy.invoices.list(state="approved")] == [draft.id]
    ledger = emu.ledger(TOKEN_A)
    assert [i["id"] for i in ledger.invoices_by_order_no()["SHOP-1001"]] == [draft.id]


def test_credit_note_on_the_original_invoice(billy: BillyClient, emu: BillyEmulator) -> None:
    contact, product = make_contact(billy), make_product(billy)
    invoice = make_invoice(billy, contact, product, state="approved")
    credit = billy.invoices.create(
        {
            "type": "creditNote",
            "creditedInvoiceId": invoice.id,
            "contactId": contact.id,
            "entryDate": DAY,
            "currencyId": "DKK",
            "taxMode": "incl",
            "orderNo": "SHOP-1001-R1",
            "state": "approved",
            "lines": [{"productId": product.id, "quantity": 1, "unitPrice": Decimal("49.95")}],
        }
    )
    assert credit.is_credit_note
    assert credit.credited_invoice_id == invoice.id
    assert credit.gross_amount == Decimal("49.95")
    assert [c.id for c in billy.invoices.credit_notes_for(invoice.id)] == [credit.id]
    found = billy.invoices.find_by_order_no("SHOP-1001-R1", type="creditNote")
    assert [c.id for c in found] == [credit.id]
    assert billy.invoices.find_by_order_no("SHOP-1001-R1", type="invoice") == []
    assert [c["id"] for c in emu.ledger(TOKEN_A).credit_notes_for(invoice.id)] == [credit.id]
    # The credit note settles part of what the original invoice owed.
    assert billy.invoices.get(invoice.id).balance == Decimal("125.00")


def test_invoice_email_goes_to_the_contact_person(billy: BillyClient, emu: BillyEmulator) -> None:
    contact, product = make_contact(billy), make_product(billy)
    invoice = make_invoice(billy, contact, product, state="approved")
    assert contact.contact_persons is not None
    billy.invoice_emails.send(invoice.id, contact.contact_persons[0].id or "", "Faktura", "Tak!")
    assert billy.invoices.get(invoice.id).sent_state == "sent"
    assert len(emu.ledger(TOKEN_A).emails()) == 1


# -- payments ---------------------------------------------------------------------------------


def test_bank_payment_marks_the_invoice_paid_and_void_undoes_it(billy: BillyClient) -> None:
    contact, product = make_contact(billy), make_product(billy)
    invoice = make_invoice(billy, contact, product, state="approved")
    other = make_invoice(billy, contact, product, "SHOP-1002", state="approved")
    payment = billy.bank_payments.create(
        {
            "entryDate": DAY,
            "cashAmount": invoice.gross_amount,
            "cashSide": "debit",
            "cashAccountId": payment_account(billy),
            "associations": [{"subjectReference": f"invoice:{invoice.id}"}],
        }
    )
    assert payment.cash_amount == Decimal("174.95")
    assert payment.settles(f"invoice:{invoice.id}")
    paid = billy.invoices.get(invoice.id)
    assert paid.is_paid and paid.balance == 0
    assert [p.id for p in billy.bank_payments.for_invoice(invoice.id)] == [payment.id]
    assert billy.bank_payments.for_invoice(other.id) == []
    assert billy.bank_payments.get(payment.id).settles(f"invoice:{invoice.id}")
    assert [p.id for p in billy.bank_payments.list()] == [payment.id]

    voided = billy.bank_payments.void(payment.id)
    assert voided.is_voided
    unpaid = billy.invoices.get(invoice.id)
    assert not unpaid.is_paid and unpaid.balance == Decimal("174.95")
    assert billy.bank_payments.for_invoice(invoice.id) == []
    assert [p.id for p in billy.bank_payments.for_invoice(invoice.id, include_voided=True)] == [
        payment.id
    ]


# -- paging, isolation ------------------------------------------------------------------------


def test_paging_over_more_than_1000_records(billy: BillyClient, calls: list[BillyCall]) -> None:
    for n in range(1005):
        billy.contacts.create({"name": f"Customer {n}", "countryId": "DK", "contactNo": f"N{n}"})
    calls.clear()
    contacts = billy.contacts.list()
    assert len(contacts) == 1005
    assert len({c.id for c in contacts}) == 1005
    assert len(calls) == 2  # pages of 1000
    assert [c.contact_no for c in billy.contacts.find_by_contact_no("N1004")] == ["N1004"]


def test_two_tokens_are_isolated(billy: BillyClient, emu: BillyEmulator) -> None:
    contact = make_contact(billy)
    other = BillyClient(TOKEN_B, transport=emu.transport())
    assert other.organization.get().name == "Shop B ApS"
    assert other.contacts.find_by_contact_no("SHOP-C1") == []
    assert other.contacts.list() == []
    with pytest.raises(BillyNotFoundError):
        other.contacts.get(contact.id)
    assert emu.ledger(TOKEN_B).contacts() == []


# -- failures as the emulator gives them ------------------------------------------------------


def test_wrong_token_is_configuration(emu: BillyEmulator) -> None:
    stranger = BillyClient("tok-unknown-000000", transport=emu.transport())
    with pytest.raises(BillyConfigurationError) as caught:
        stranger.organization.get()
    assert caught.value.status == 401


def test_locked_organization_is_configuration(billy: BillyClient, emu: BillyEmulator) -> None:
    emu.lock_organization(TOKEN_A, "unpaid subscription")
    with pytest.raises(BillyConfigurationError):
        billy.organization.require_unlocked()
    with pytest.raises(BillyConfigurationError):
        make_contact(billy)


def test_validation_and_duplicate_invoice_number(billy: BillyClient) -> None:
    contact, product = make_contact(billy), make_product(billy)
    with pytest.raises(BillyDataError) as caught:
        billy.invoices.create({"contactId": contact.id, "entryDate": DAY, "currencyId": "DKK"})
    assert caught.value.validation_errors
    assert type(caught.value) is BillyDataError
    make_invoice(billy, contact, product, invoiceNo="SHOP-1001", state="approved")
    with pytest.raises(BillyConflictError) as duplicate:
        make_invoice(billy, contact, product, "SHOP-1001B", invoiceNo="SHOP-1001", state="approved")
    assert any(m.field == "invoiceNo" for m in duplicate.value.validation_errors)


def test_unknown_record_is_not_found(billy: BillyClient) -> None:
    with pytest.raises(BillyNotFoundError) as caught:
        billy.invoices.get("does-not-exist")
    assert caught.value.error_code == "RECORD_NOT_FOUND"


def test_transient_read_faults_are_retried(
    billy: BillyClient, emu: BillyEmulator, sleeps: list[float]
) -> None:
    emu.faults.add(kind="status", method="GET", path="/v2/organization", times=2, status=503)
    assert billy.organization.get().name == "Shop A ApS"
    assert len(sleeps) == 2
    emu.faults.add(kind="rate_limit", method="GET", path="/v2/accounts", times=1, retry_after=2)
    assert billy.accounts.list()
    assert sleeps[-1] >= 2


def test_commit_then_fail_write_is_an_unknown_outcome_and_the_marker_finds_it(
    billy: BillyClient, emu: BillyEmulator, calls: list[BillyCall]
) -> None:
    contact, product = make_contact(billy), make_product(billy)
    for kind in ("commit_then_status", "commit_then_drop", "commit_then_hang"):
        order_no = f"SHOP-{kind}"
        emu.faults.add(kind=kind, method="POST", path="/v2/invoices", times=1)
        calls.clear()
        with pytest.raises(BillyOutcomeUnknown):
            make_invoice(billy, contact, product, order_no)
        assert len(calls) == 1, "a write is never repeated by the client"
        # The caller looks the invoice up by its marker before trying again: it is there.
        assert len(billy.invoices.find_by_order_no(order_no)) == 1


def test_write_faults_before_anything_was_saved(billy: BillyClient, emu: BillyEmulator) -> None:
    contact, product = make_contact(billy), make_product(billy)
    # 429: Billy refused the request, so nothing happened and the outcome is known.
    emu.faults.add(kind="rate_limit", method="POST", path="/v2/invoices", times=1, retry_after=1)
    with pytest.raises(BillyRateLimited) as limited:
        make_invoice(billy, contact, product)
    assert not isinstance(limited.value, BillyOutcomeUnknown)
    # A 5xx on a write cannot be told apart from commit-then-fail: unknown, look it up first.
    emu.faults.add(kind="status", method="POST", path="/v2/invoices", times=1, status=503)
    with pytest.raises(BillyOutcomeUnknown):
        make_invoice(billy, contact, product)
    assert billy.invoices.find_by_order_no("SHOP-1001") == []
    # The lookup found nothing, so creating it now is safe.
    assert make_invoice(billy, contact, product).order_no == "SHOP-1001"
    assert len(billy.invoices.find_by_order_no("SHOP-1001")) == 1
