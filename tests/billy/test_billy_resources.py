"""Resource services: the right path, envelope and include; records and children back; marker
lookups that match exactly even when Billy ignores the filter and answers with everything."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx2
import pytest

from billysync.billy.client import BillyClient
from billysync.billy.models import Contact, Invoice
from billysync.emulators.billy import BillyEmulator
from tests.support.billy_doubles import Harness, answer


def ok(**records: object) -> httpx2.Response:
    return answer(200, {"meta": {"statusCode": 200, "success": True}, **records})


def everything(key: str, records: list[dict[str, object]]):
    """A Billy that ignores every filter and returns the whole list (as it does for unknown
    filters)."""

    def handler(request: httpx2.Request) -> httpx2.Response:
        paging = {"page": 1, "pageCount": 1, "total": len(records)}
        return answer(200, {"meta": {"paging": paging}, key: records})

    return handler


# -- marker lookups ---------------------------------------------------------------------------

NEAR_MISSES = ["WEB-1", "WEB-10", "web-1", " WEB-1", "WEB-1 ", "XWEB-1", None, ""]


def test_find_by_contact_no_matches_exactly_although_billy_returns_everything(
    harness: Harness,
) -> None:
    contacts = [{"id": f"c{i}", "contactNo": no} for i, no in enumerate(NEAR_MISSES)]
    client = harness.client(everything("contacts", contacts))
    found = client.contacts.find_by_contact_no("WEB-1")
    assert [c.id for c in found] == ["c0"]
    params = harness.requests[0].url.params
    assert params["contactNo"] == "WEB-1"
    assert params["include"] == "contact.contactPersons:embed"


def test_find_returns_every_exact_duplicate_so_the_caller_can_report_it(
    harness: Harness,
) -> None:
    products = [
        {"id": "p1", "productNo": "SKU-9"},
        {"id": "p2", "productNo": "SKU-90"},
        {"id": "p3", "productNo": "SKU-9"},
    ]
    client = harness.client(everything("products", products))
    assert [p.id for p in client.products.find_by_product_no("SKU-9")] == ["p1", "p3"]
    assert harness.requests[0].url.params["productNo"] == "SKU-9"
    assert client.products.find_by_product_no("SKU-404") == []


def test_find_by_order_no_matches_number_and_type(harness: Harness) -> None:
    invoices = [
        {"id": "i1", "type": "invoice", "orderNo": "WEB-1001"},
        {"id": "i2", "type": "creditNote", "orderNo": "WEB-1001", "creditedInvoiceId": "i1"},
        {"id": "i3", "type": "invoice", "orderNo": "WEB-10011"},
        {"id": "i4", "type": "invoice", "orderNo": None, "invoiceNo": "WEB-1001"},
    ]
    client = harness.client(everything("invoices", invoices))
    assert [i.id for i in client.invoices.find_by_order_no("WEB-1001")] == ["i1"]
    credit = client.invoices.find_by_order_no("WEB-1001", type="creditNote")
    assert [i.id for i in credit] == ["i2"]
    # Billy has no orderNo filter: the lookup searches with q and matches here (§7).
    assert harness.requests[0].url.params["q"] == "WEB-1001"
    assert "orderNo" not in harness.requests[0].url.params
    assert "type" not in harness.requests[1].url.params
    assert [i.id for i in client.invoices.find_by_invoice_no("WEB-1001")] == ["i4"]


def test_credit_notes_for_an_invoice(harness: Harness) -> None:
    invoices = [
        {"id": "i1", "type": "invoice"},
        {"id": "cn1", "type": "creditNote", "creditedInvoiceId": "i1"},
        {"id": "cn2", "type": "creditNote", "creditedInvoiceId": "i2"},
        {"id": "cn3", "type": "creditNote", "creditedInvoiceId": "i1"},
    ]
    client = harness.client(everything("invoices", invoices))
    assert [i.id for i in client.invoices.credit_notes_for("i1")] == ["cn1", "cn3"]
    params = harness.requests[0].url.params
    assert params["creditedInvoiceId"] == "i1"
    assert params["include"] == "invoice.lines:embed"


def test_payments_for_an_invoice_match_the_subject_reference_exactly(harness: Harness) -> None:
    payments = [
        {"id": "p1", "associations": [{"id": "a1", "subjectReference": "invoice:i1"}]},
        {"id": "p2", "associations": [{"id": "a2", "subjectReference": "invoice:i10"}]},
        {"id": "p3", "associations": [{"id": "a3", "subjectReference": "bill:i1"}]},
        {"id": "p4", "isVoided": True, "associations": [{"subjectReference": "invoice:i1"}]},
        {"id": "p5", "associations": []},
    ]
    client = harness.client(everything("bankPayments", payments))
    assert [p.id for p in client.bank_payments.for_invoice("i1")] == ["p1"]
    assert harness.requests[0].url.params["include"] == "bankPayment.associations:embed"
    everything_paid = client.bank_payments.for_invoice("i1", include_voided=True)
    assert [p.id for p in everything_paid] == ["p1", "p4"]


# -- create / get / update --------------------------------------------------------------------


def test_contact_create_returns_the_contact_with_its_sideloaded_persons(harness: Harness) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        sent = json.loads(request.content)["contact"]
        return ok(
            contacts=[{"id": "c1", "name": sent["name"], "contactNo": sent["contactNo"]}],
            contactPersons=[
                {"id": "cp1", "contactId": "c1", "name": "Ada", "email": "ada@example.com"},
                {"id": "cp9", "contactId": "c-other", "name": "Someone else"},
            ],
        )

    client = harness.client(handler)
    payload = {
        "name": "Ada Lovelace",
        "countryId": "DK",
        "contactNo": "WEB-C1",
        "contactPersons": [{"name": "Ada", "email": "ada@example.com", "isPrimary": True}],
    }
    contact = client.contacts.create(payload)
    assert isinstance(contact, Contact)
    assert contact.id == "c1"
    assert contact.contact_no == "WEB-C1"
    assert contact.contact_persons is not None
    assert [(p.id, p.email) for p in contact.contact_persons] == [("cp1", "ada@example.com")]
    assert len(contact.sideloaded["contactPersons"]) == 2
    assert json.loads(harness.requests[0].content) == {"contact": payload}


def test_contact_get_embeds_persons(harness: Harness) -> None:
    body = {"id": "c1", "contactPersons": [{"id": "cp1", "contactId": "c1", "isPrimary": True}]}
    client = harness.client(lambda request: ok(contact=body))
    contact = client.contacts.get("c1")
    assert contact.contact_persons is not None and contact.contact_persons[0].is_primary
    assert harness.requests[0].url.path == "/v2/contacts/c1"
    assert harness.requests[0].url.params["include"] == "contact.contactPersons:embed"


def test_update_puts_a_partial_envelope_and_returns_that_record(harness: Harness) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.startswith("/v2/contacts"):
            return ok(contacts=[{"id": "c1", "street": "Vej 1"}])
        return ok(products=[{"id": "p0"}, {"id": "p1", "name": "New name"}])

    client = harness.client(handler)
    product = client.products.update("p1", {"name": "New name"})
    assert product.id == "p1" and product.name == "New name"
    request = harness.requests[0]
    assert request.method == "PUT" and request.url.path == "/v2/products/p1"
    assert json.loads(request.content) == {"product": {"name": "New name"}}
    assert client.contacts.update("c1", {"street": "Vej 1"}).street == "Vej 1"
    assert json.loads(harness.requests[1].content) == {"contact": {"street": "Vej 1"}}


def test_product_create_collects_sideloaded_prices(harness: Harness) -> None:
    price = {"id": "pp1", "productId": "p1", "unitPrice": 19.99, "currencyId": "DKK"}

    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET":
            return ok(product={"id": "p1", "prices": [price]})
        return ok(products=[{"id": "p1", "productNo": "SKU-1"}], productPrices=[price])

    client = harness.client(handler)
    product = client.products.create({"name": "Pen", "productNo": "SKU-1"})
    assert product.prices is not None
    assert product.prices[0].unit_price == Decimal("19.99")
    assert client.products.get("p1").prices == product.prices
    assert harness.requests[1].url.params["include"] == "product.prices:embed"


def test_invoice_create_picks_the_new_record_among_the_changed_ones(harness: Harness) -> None:
    # Crediting an invoice changes the original too; Billy returns both.
    original = {"id": "i1", "type": "invoice", "balance": 0}
    credit = {"id": "cn1", "type": "creditNote", "creditedInvoiceId": "i1", "amount": 80}
    lines = [{"id": "l1", "invoiceId": "cn1", "unitPrice": 100, "quantity": 1}]
    client = harness.client(lambda request: ok(invoices=[original, credit], invoiceLines=lines))
    created = client.invoices.create(
        {"type": "creditNote", "creditedInvoiceId": "i1", "contactId": "c1", "lines": []}
    )
    assert isinstance(created, Invoice)
    assert created.id == "cn1" and created.is_credit_note
    assert created.lines is not None and [line.id for line in created.lines] == ["l1"]


def test_invoice_get_embeds_lines_and_approve_puts_the_state(harness: Harness) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.method == "GET":
            return ok(invoice={"id": "i1", "state": "draft", "lines": [{"id": "l1"}]})
        return ok(invoices=[{"id": "i1", "state": "approved", "invoiceNo": "17"}])

    client = harness.client(handler)
    assert client.invoices.get("i1").lines is not None
    assert harness.requests[0].url.params["include"] == "invoice.lines:embed"
    approved = client.invoices.approve("i1")
    assert (approved.state, approved.invoice_no) == ("approved", "17")
    assert json.loads(harness.requests[1].content) == {"invoice": {"state": "approved"}}
    assert harness.requests[1].method == "PUT"


def test_invoice_email_posts_to_the_invoice(harness: Harness) -> None:
    client = harness.client(lambda request: ok())
    result = client.invoice_emails.send("i1", "cp1", "Your invoice", "Thank you")
    assert result is None
    request = harness.requests[0]
    assert (request.method, request.url.path) == ("POST", "/v2/invoices/i1/emails")
    assert json.loads(request.content) == {
        "email": {
            "contactPersonId": "cp1",
            "emailSubject": "Your invoice",
            "emailBody": "Thank you",
        }
    }


def test_void_puts_is_voided_and_never_deletes(harness: Harness) -> None:
    client = harness.client(lambda request: ok(bankPayments=[{"id": "p1", "isVoided": True}]))
    assert client.bank_payments.void("p1").is_voided
    request = harness.requests[0]
    assert (request.method, request.url.path) == ("PUT", "/v2/bankPayments/p1")
    assert json.loads(request.content) == {"bankPayment": {"isVoided": True}}


def test_bank_payment_create_and_get(harness: Harness) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        payment = {"id": "p1", "cashAmount": 125.5, "cashSide": "debit"}
        associations = [{"id": "a1", "paymentId": "p1", "subjectReference": "invoice:i1"}]
        if request.method == "POST":
            return ok(bankPayments=[payment], bankPaymentAssociations=associations)
        return ok(bankPayment={**payment, "associations": associations})

    client = harness.client(handler)
    created = client.bank_payments.create({"cashAmount": 125.5})
    assert created.cash_amount == Decimal("125.5")
    assert created.settles("invoice:i1")
    fetched = client.bank_payments.get("p1")
    assert fetched.settles("invoice:i1")
    assert harness.requests[1].url.params["include"] == "bankPayment.associations:embed"


def test_reference_data_reads(harness: Harness) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        path = request.url.path.removeprefix("/v2")
        bodies = {
            "/organization": {"organization": {"id": "o1", "baseCurrencyId": "DKK"}},
            "/currencies": {"currencies": [{"id": "DKK", "exchangeRate": 1}]},
            "/countries": {"countries": [{"id": "DK", "name": "Danmark"}]},
            "/salesTaxRulesets": {
                "salesTaxRulesets": [
                    {"id": "r1", "name": "Moms", "rules": [{"id": "x", "taxRateId": "t1"}]}
                ]
            },
            "/salesTaxRules": {"salesTaxRules": [{"id": "x", "rulesetId": "r1"}]},
            "/taxRates": {"taxRates": [{"id": "t1", "rate": 0.25}]},
            "/accounts": {"accounts": [{"id": "a1", "isPaymentEnabled": True}]},
        }
        return ok(**bodies[path])

    client = harness.client(handler)
    assert client.organization.get().base_currency_id == "DKK"
    assert client.currencies.list()[0].exchange_rate == Decimal("1")
    assert client.countries.list()[0].name == "Danmark"
    rulesets = client.sales_tax_rulesets.list(include_rules=True)
    assert rulesets[0].rules is not None and rulesets[0].rules[0].tax_rate_id == "t1"
    assert harness.requests[-1].url.params["include"] == "salesTaxRuleset.rules:embed"
    assert client.sales_tax_rules.list()[0].ruleset_id == "r1"
    assert client.tax_rates.list()[0].rate == Decimal("0.25")
    assert client.accounts.list()[0].is_payment_enabled


def test_ids_are_escaped_in_paths(harness: Harness) -> None:
    client = harness.client(lambda request: ok(invoice={"id": "x"}))
    client.invoices.get("../organization")
    assert harness.requests[0].url.raw_path.startswith(b"/v2/invoices/..%2Forganization")
    with pytest.raises(ValueError, match="id is needed"):
        client.invoices.get("")


def test_an_unreadable_record_is_a_billy_error_not_a_validation_error(harness: Harness) -> None:
    from billysync.billy.errors import BillyOutcomeUnknown, BillyTransientError

    client = harness.client(lambda request: ok(invoices=[{"id": "i1", "amount": "lots"}]))
    with pytest.raises(BillyOutcomeUnknown, match="amount"):
        client.invoices.create({"orderNo": "WEB-1"})
    with pytest.raises(BillyTransientError, match="amount"):
        client.invoices.list()


def test_an_order_lookup_reads_one_page_not_every_invoice() -> None:
    """Against the emulator, with 25 invoices and pages of 5: one call finds the order."""
    emu = BillyEmulator(seed=3)
    emu.add_organization("lookup-token-0001")
    calls: list[object] = []
    with BillyClient(
        "lookup-token-0001",
        transport=emu.transport(),
        page_size=5,
        call_observer=calls.append,
    ) as client:
        contact = client.contacts.create({"name": "Kunde", "countryId": "DK"})
        product = client.products.create({"name": "Vare"})
        for number in range(1000, 1025):
            client.invoices.create(
                {
                    "contactId": contact.id,
                    "entryDate": "2026-11-02",
                    "currencyId": "DKK",
                    "orderNo": f"WEB-{number}",
                    "lines": [{"productId": product.id, "unitPrice": 10}],
                }
            )
        calls.clear()
        found = client.invoices.find_by_order_no("WEB-1017")
    assert [i.order_no for i in found] == ["WEB-1017"]
    assert len(calls) == 1
