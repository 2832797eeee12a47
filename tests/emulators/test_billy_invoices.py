"""Invoices in the Billy emulator: validation, the draft → approved lifecycle, numbering,
immutability, lines, filters, includes and e-mails."""

from __future__ import annotations

from typing import Any

import httpx2
import pytest

from billysync.emulators.billy import BillyEmulator
from tests.support.captured import billy_fixture

TOKEN = "test-token-invoices-0001"


class Books:
    def __init__(self) -> None:
        self.emu = BillyEmulator(seed=5)
        self.emu.add_organization(TOKEN)
        self.api = httpx2.Client(
            transport=self.emu.transport(),
            base_url="https://api.billysbilling.com/v2",
            headers={"X-Access-Token": TOKEN},
        )
        self.contact = self.api.post(
            "/contacts",
            json={
                "contact": {
                    "name": "Jens Hansen",
                    "countryId": "DK",
                    "type": "person",
                    "contactPersons": [{"name": "Jens", "email": "jens@example.dk"}],
                }
            },
        ).json()
        self.contact_id = self.contact["contacts"][0]["id"]
        self.person_id = self.contact["contactPersons"][0]["id"]
        self.product_id = self.api.post(
            "/products", json={"product": {"name": "Kaffe", "description": "500 g"}}
        ).json()["products"][0]["id"]

    def document(self, **fields: Any) -> dict[str, Any]:
        return {
            "contactId": self.contact_id,
            "entryDate": "2026-02-10",
            "currencyId": "DKK",
            "lines": [{"productId": self.product_id, "unitPrice": 100, "quantity": 2}],
            **fields,
        }

    def create(self, **fields: Any) -> httpx2.Response:
        return self.api.post("/invoices", json={"invoice": self.document(**fields)})

    def created(self, **fields: Any) -> dict[str, Any]:
        answer = self.create(**fields)
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["invoices"][0])

    def put(self, invoice_id: str, **fields: Any) -> httpx2.Response:
        return self.api.put(f"/invoices/{invoice_id}", json={"invoice": fields})


@pytest.fixture
def books() -> Books:
    return Books()


def errors_of(answer: httpx2.Response) -> dict[str, Any]:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["meta"] == {"statusCode": 400, "success": False}
    assert body["errorCode"] == "INVALID_RECORD"
    assert body["errorMessage"] and body["helpUrl"]
    return dict(body["validationErrors"])


def test_an_invoice_without_lines_is_refused_exactly_like_billy(
    books: Books,
) -> None:
    real = billy_fixture("error_bad_request.json")
    answer = books.create(lines=[])
    assert answer.status_code == 400
    body = answer.json()
    assert body["validationErrors"] == real["validationErrors"]
    assert {k: v for k, v in body.items() if k != "helpUrl"} == {
        k: v for k, v in real.items() if k != "helpUrl"
    }
    assert books.emu.ledger(TOKEN).invoices() == []


def test_required_fields_and_enums(books: Books) -> None:
    answer = books.api.post(
        "/invoices",
        json={
            "invoice": {
                "type": "credit_note",
                "taxMode": "gross",
                "lines": [{"quantity": 1}, {"productId": books.product_id, "unitPrice": "abc"}],
            }
        },
    )
    errors = errors_of(answer)
    invoice = errors["invoice"]["attributes"]
    assert {"contactId", "entryDate", "currencyId", "type", "taxMode"} <= set(invoice)
    assert invoice["contactId"] == "is required"
    assert set(errors["invoice.lines[0]"]["attributes"]) == {"productId", "unitPrice"}
    assert errors["invoice.lines[1]"]["attributes"] == {"unitPrice": "must be a number"}
    voided = errors_of(books.create(state="voided"))
    assert "state" in voided["invoice"]["attributes"]
    unknown = errors_of(books.create(orderNumber="1001"))
    assert "orderNumber" in unknown["invoice"]["attributes"]
    keyed = errors_of(books.create(_clientId="c1", lines=[{"_clientId": "l1", "unitPrice": 1}]))
    assert set(keyed) == {"l1"}
    assert books.emu.ledger(TOKEN).invoices() == []


def test_contact_and_product_validation(books: Books) -> None:
    contact = errors_of(books.api.post("/contacts", json={"contact": {"type": "shop"}}))
    assert set(contact["contact"]["attributes"]) == {"name", "countryId", "type"}
    country = errors_of(
        books.api.post("/contacts", json={"contact": {"name": "X", "countryId": "XX"}})
    )
    assert "countryId" in country["contact"]["attributes"]
    product = errors_of(books.api.post("/products", json={"product": {"description": "no name"}}))
    assert product["product"]["attributes"] == {"name": "is required"}
    bank = next(a for a in books.api.get("/accounts").json()["accounts"] if a["accountNo"] == 5710)
    wrong = errors_of(
        books.api.post("/products", json={"product": {"name": "P", "accountId": bank["id"]}})
    )
    assert "revenue" in wrong["product"]["attributes"]["accountId"]


def test_draft_then_approved_assigns_the_next_number(books: Books) -> None:
    draft = books.created()
    assert (draft["state"], draft["invoiceNo"], draft["approvedTime"]) == ("draft", None, None)
    assert draft["balance"] == draft["grossAmount"] == 200
    assert draft["isPaid"] is False
    approved = books.put(draft["id"], state="approved").json()["invoices"][0]
    assert approved["state"] == "approved"
    assert approved["invoiceNo"] == "1"
    assert approved["approvedTime"] is not None
    second = books.created(state="approved")
    assert second["invoiceNo"] == "2"
    org = books.api.get("/organization").json()["organization"]
    assert org["nextInvoiceNo"] == 3


def test_only_draft_to_approved(books: Books) -> None:
    invoice = books.created(state="approved")
    for state in ("draft", "voided"):
        errors = errors_of(books.put(invoice["id"], state=state))
        assert "state" in errors["invoice"]["attributes"]
    draft = books.created()
    assert "state" in errors_of(books.put(draft["id"], state="voided"))["invoice"]["attributes"]


def test_an_approved_invoice_is_immutable(books: Books) -> None:
    invoice = books.created(state="approved", orderNo="1001")
    refused = errors_of(books.put(invoice["id"], contactMessage="Tak!", orderNo="1002"))
    message = refused["invoice"]["message"]
    assert "approved" in message and "orderNo" in message and "credit note" in message
    assert books.put(invoice["id"], sentState="printed").status_code == 200
    unchanged = books.put(invoice["id"], state="approved", orderNo="1001", invoiceNo="1")
    assert unchanged.status_code == 200  # sending the same values back is fine
    assert books.api.delete(f"/invoices/{invoice['id']}").status_code == 400
    after = books.emu.ledger(TOKEN).invoice(invoice["id"])
    assert (after["orderNo"], after["contactMessage"], after["sentState"]) == (
        "1001",
        "",
        "printed",
    )
    line_id = after["lines"][0]["id"]
    changed_line = books.api.put(f"/invoiceLines/{line_id}", json={"invoiceLine": {"unitPrice": 1}})
    assert changed_line.status_code == 400


def test_lines_cannot_be_set_on_put_and_create_only_fields_stay(books: Books) -> None:
    draft = books.created()
    lines = errors_of(
        books.put(draft["id"], lines=[{"productId": books.product_id, "unitPrice": 5}])
    )
    assert "/v2/invoiceLines" in lines["invoice"]["message"]
    fixed = errors_of(books.put(draft["id"], entryDate="2026-03-01", type="creditNote"))
    assert set(fixed["invoice"]["attributes"]) == {"entryDate", "type"}
    changed = books.put(draft["id"], taxMode="excl", contactMessage="Hej")
    assert changed.status_code == 200
    assert changed.json()["invoices"][0]["grossAmount"] == 250  # 200 excl + 25 % VAT


def test_invoice_numbers_are_unique(books: Books) -> None:
    books.created(state="approved", invoiceNo="1001")
    duplicate = errors_of(books.create(state="approved", invoiceNo="1001"))
    assert "unique" in duplicate["invoice"]["attributes"]["invoiceNo"]
    assert (
        "unique" in errors_of(books.create(invoiceNo="1001"))["invoice"]["attributes"]["invoiceNo"]
    )
    assert len(books.emu.ledger(TOKEN).invoices()) == 1
    # numbering continues after a number the client chose
    assert books.created(state="approved")["invoiceNo"] == "1002"
    draft = books.created(invoiceNo="1003")
    assert books.created(state="approved")["invoiceNo"] == "1004"
    assert books.put(draft["id"], state="approved").json()["invoices"][0]["invoiceNo"] == "1003"


def test_manual_numbering_refuses_an_invoice_without_a_number_with_422(books: Books) -> None:
    org_id = books.api.get("/organization").json()["organization"]["id"]
    changed = books.api.put(
        f"/organizations/{org_id}", json={"organization": {"invoiceNoMode": "manual"}}
    )
    assert changed.status_code == 200
    refused = books.create(state="approved")
    assert refused.status_code == 422
    assert "invoiceNo" in refused.json()["validationErrors"]["invoice"]["attributes"]
    assert books.api.get("/invoices").json()["invoices"] == []
    draft = books.created()  # a draft needs no number yet
    assert books.put(draft["id"], state="approved").status_code == 422
    numbered = books.create(state="approved", invoiceNo="F-1")
    assert numbered.status_code == 200


def test_draft_lines_change_through_invoice_lines(books: Books) -> None:
    draft = books.created()
    added = books.api.post(
        "/invoiceLines",
        json={
            "invoiceLine": {
                "invoiceId": draft["id"],
                "productId": books.product_id,
                "unitPrice": 50,
            }
        },
    )
    assert added.status_code == 200
    assert added.json()["invoices"][0]["grossAmount"] == 250
    line = added.json()["invoiceLines"][0]
    assert line["description"] == "500 g"  # the product's description by default
    changed = books.api.put(f"/invoiceLines/{line['id']}", json={"invoiceLine": {"quantity": 3}})
    assert changed.json()["invoices"][0]["grossAmount"] == 350
    lines = books.api.get("/invoiceLines", params={"invoiceId": draft["id"]}).json()
    assert len(lines["invoiceLines"]) == 2
    books.api.delete(f"/invoiceLines/{line['id']}")
    only = books.api.get("/invoiceLines", params={"invoiceId": draft["id"]}).json()["invoiceLines"]
    assert len(only) == 1
    last = books.api.delete(f"/invoiceLines/{only[0]['id']}")
    assert errors_of(last)["invoice"]["message"] == "Invoices must have at least one invoice line."


def test_a_draft_can_be_deleted(books: Books) -> None:
    draft = books.created()
    deleted = books.api.delete(f"/invoices/{draft['id']}")
    assert deleted.status_code == 200
    assert deleted.json()["meta"]["deletedRecords"]["invoices"] == [draft["id"]]
    assert books.api.get(f"/invoices/{draft['id']}").status_code == 404
    assert books.api.delete(f"/invoices/{draft['id']}").status_code == 200  # idempotent


def test_create_answers_with_invoices_and_lines(books: Books) -> None:
    body = books.create(state="approved").json()
    assert set(body) == {"meta", "invoices", "invoiceLines"}
    assert body["invoiceLines"][0]["invoiceId"] == body["invoices"][0]["id"]
    assert "lines" not in body["invoices"][0]


def test_invoice_filters(books: Books) -> None:
    other = books.api.post(
        "/contacts", json={"contact": {"name": "Mette Sørensen", "countryId": "DK"}}
    ).json()
    first = books.created(state="approved", orderNo="shop-1001", entryDate="2026-01-05")
    second = books.created(
        state="approved",
        orderNo="shop-1002",
        entryDate="2026-02-05",
        contactId=other["contacts"][0]["id"],
    )
    draft = books.created(orderNo="shop-2001", currencyId="EUR", entryDate="2026-03-05")

    def ids(**params: Any) -> list[str]:
        answer = books.api.get("/invoices", params=params)
        assert answer.status_code == 200, answer.text
        return [invoice["id"] for invoice in answer.json()["invoices"]]

    everything = [first["id"], second["id"], draft["id"]]
    assert ids() == everything
    assert ids(state="draft") == [draft["id"]]
    assert ids(contactId=other["contacts"][0]["id"]) == [second["id"]]
    assert ids(invoiceNo=second["invoiceNo"]) == [second["id"]]
    assert ids(currencyId="EUR") == [draft["id"]]
    assert ids(minEntryDate="2026-02-01") == [second["id"], draft["id"]]
    assert ids(maxEntryDate="2026-02-05") == [first["id"], second["id"]]
    assert ids(q="shop-100") == [first["id"], second["id"]]  # a substring: check matches!
    assert ids(q="SØRENSEN") == [second["id"]]
    assert ids(isPaid="false") == everything
    assert ids(isPaid="true") == []
    assert ids(orderNo="shop-1001") == everything  # not a Billy filter: ignored
    assert books.api.get("/invoices", params={"minEntryDate": "soon"}).status_code == 400
    assert ids(sortProperty="entryDate", sortDirection="DESC") == everything[::-1]


def test_includes(books: Books) -> None:
    invoice = books.created(state="approved")
    plain = books.api.get(f"/invoices/{invoice['id']}").json()
    assert set(plain) == {"meta", "invoice"} and "lines" not in plain["invoice"]
    embedded = books.api.get(
        f"/invoices/{invoice['id']}",
        params={"include": "invoice.lines:embed,invoice.contact:embed,contact.country:embed"},
    ).json()["invoice"]
    assert embedded["lines"][0]["productId"] == books.product_id
    assert embedded["contact"]["name"] == "Jens Hansen"
    assert embedded["contact"]["country"]["id"] == "DK"
    sideloaded = books.api.get(
        "/invoices", params={"include": "invoice.lines,invoice.contact:sideload"}
    ).json()
    assert sideloaded["invoices"][0]["lineIds"] == [sideloaded["invoiceLines"][0]["id"]]
    assert [c["id"] for c in sideloaded["contacts"]] == [books.contact_id]
    lines_product = books.api.get(
        "/invoiceLines", params={"invoiceId": invoice["id"], "include": "invoiceLine.product"}
    ).json()
    assert lines_product["products"][0]["name"] == "Kaffe"


def test_sending_an_invoice_by_email(books: Books) -> None:
    draft = books.created()
    email = {
        "email": {
            "contactPersonId": books.person_id,
            "emailSubject": "Faktura",
            "emailBody": "Tak for din ordre",
        }
    }
    assert books.api.post(f"/invoices/{draft['id']}/emails", json=email).status_code == 400
    books.put(draft["id"], state="approved")
    sent = books.api.post(f"/invoices/{draft['id']}/emails", json=email)
    assert sent.status_code == 200
    assert sent.json()["invoices"][0]["sentState"] == "sent"
    [recorded] = books.emu.ledger(TOKEN).emails()
    assert recorded["toEmail"] == "jens@example.dk"
    assert books.api.get(f"/invoices/{draft['id']}/emails").status_code == 405
    missing = errors_of(books.api.post(f"/invoices/{draft['id']}/emails", json={"email": {}}))
    assert set(missing["email"]["attributes"]) == {"contactPersonId", "emailSubject", "emailBody"}


def test_ledger_groups_invoices_by_order_number(books: Books) -> None:
    books.created(state="approved", orderNo="A-1")
    books.created(state="approved", orderNo="A-2")
    books.created(orderNo="A-2")
    grouped = books.emu.ledger(TOKEN).invoices_by_order_no()
    assert {key: len(value) for key, value in grouped.items()} == {"A-1": 1, "A-2": 2}
    assert all(invoice["lines"] for invoices in grouped.values() for invoice in invoices)


def test_records_read_back_can_be_sent_back_unchanged(books: Books) -> None:
    """Billy's web app saves whole records; read-only fields are ignored, same values pass."""
    invoice = books.created(state="approved")
    for plural, record_id in [
        ("invoices", invoice["id"]),
        ("contacts", books.contact_id),
        ("products", books.product_id),
    ]:
        singular = plural[:-1]
        record = books.api.get(f"/{plural}/{record_id}").json()[singular]
        answer = books.api.put(f"/{plural}/{record_id}", json={singular: record})
        assert answer.status_code == 200, answer.text
        assert answer.json()[plural][0] == record
