"""Bank payments and credit notes in the Billy emulator: balances, isPaid, voiding,
foreign currency, fees, refunds and the credit-note offset."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx2
import pytest

from billysync.emulators.billy import BillyEmulator

TOKEN = "test-token-payments-0001"


class Books:
    def __init__(self) -> None:
        self.emu = BillyEmulator(seed=9)
        self.emu.add_organization(TOKEN)
        self.ledger = self.emu.ledger(TOKEN)
        self.api = httpx2.Client(
            transport=self.emu.transport(),
            base_url="https://api.billysbilling.com/v2",
            headers={"X-Access-Token": TOKEN},
        )
        self.accounts = {
            a["accountNo"]: a["id"] for a in self.api.get("/accounts").json()["accounts"]
        }
        self.bank = self.accounts[5710]
        self.contact = self.record("contacts", {"name": "Kunde", "countryId": "DK"})
        self.us_contact = self.record("contacts", {"name": "US Inc", "countryId": "US"})
        self.product = self.record("products", {"name": "Vare"})

    def record(self, plural: str, fields: dict[str, Any]) -> str:
        answer = self.api.post(f"/{plural}", json={plural[:-1]: fields})
        assert answer.status_code == 200, answer.text
        return str(answer.json()[plural][0]["id"])

    def invoice(self, gross: float, **fields: Any) -> dict[str, Any]:
        document = {
            "contactId": self.contact,
            "entryDate": "2026-04-01",
            "currencyId": "DKK",
            "taxMode": "incl",
            "state": "approved",
            "lines": [{"productId": self.product, "unitPrice": gross}],
            **fields,
        }
        answer = self.api.post("/invoices", json={"invoice": document})
        assert answer.status_code == 200, answer.text
        return dict(answer.json()["invoices"][0])

    def pay(self, invoice_id: str, amount: float, **fields: Any) -> httpx2.Response:
        payment = {
            "entryDate": "2026-04-02",
            "cashAmount": amount,
            "cashSide": "debit",
            "cashAccountId": self.bank,
            "associations": [{"subjectReference": f"invoice:{invoice_id}"}],
            **fields,
        }
        return self.api.post("/bankPayments", json={"bankPayment": payment})

    def balance(self, invoice_id: str) -> tuple[float, bool]:
        invoice = self.api.get(f"/invoices/{invoice_id}").json()["invoice"]
        return invoice["balance"], invoice["isPaid"]


@pytest.fixture
def books() -> Books:
    return Books()


def attributes(answer: httpx2.Response, key: str = "bankPayment") -> dict[str, str]:
    assert answer.status_code == 400, answer.text
    assert answer.json()["errorCode"] == "INVALID_RECORD"
    return dict(answer.json()["validationErrors"][key]["attributes"])


def test_a_full_payment_pays_the_invoice(books: Books) -> None:
    invoice = books.invoice(1250)
    answer = books.pay(invoice["id"], 1250)
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"meta", "bankPayments", "bankPaymentAssociations", "invoices"}
    payment = body["bankPayments"][0]
    assert (payment["cashExchangeRate"], payment["subjectCurrencyId"]) == (1, "DKK")
    assert payment["contactId"] == books.contact  # from the invoice
    assert body["invoices"][0]["balance"] == 0 and body["invoices"][0]["isPaid"] is True
    assert books.balance(invoice["id"]) == (0, True)
    embedded = books.api.get(
        f"/bankPayments/{payment['id']}", params={"include": "bankPayment.associations:embed"}
    ).json()["bankPayment"]
    assert embedded["associations"][0]["subjectReference"] == f"invoice:{invoice['id']}"
    assert [p["id"] for p in books.ledger.payments_for(invoice["id"])] == [payment["id"]]


def test_partial_payments_and_voiding(books: Books) -> None:
    invoice = books.invoice(1000)
    first = books.pay(invoice["id"], 400).json()["bankPayments"][0]
    assert books.balance(invoice["id"]) == (600, False)
    books.pay(invoice["id"], 600)
    assert books.balance(invoice["id"]) == (0, True)
    voided = books.api.put(f"/bankPayments/{first['id']}", json={"bankPayment": {"isVoided": True}})
    assert voided.status_code == 200
    assert voided.json()["invoices"][0]["balance"] == 400
    assert books.balance(invoice["id"]) == (400, False)
    again = books.api.put(f"/bankPayments/{first['id']}", json={"bankPayment": {"isVoided": True}})
    assert again.status_code == 200 and books.balance(invoice["id"]) == (400, False)
    restore = books.api.put(
        f"/bankPayments/{first['id']}", json={"bankPayment": {"isVoided": False}}
    )
    assert "isVoided" in attributes(restore)
    changed = books.api.put(
        f"/bankPayments/{first['id']}", json={"bankPayment": {"cashAmount": 1000}}
    )
    assert "cashAmount" in attributes(changed)
    assert len(books.ledger.payments_for(invoice["id"])) == 1
    assert len(books.ledger.payments_for(invoice["id"], include_voided=True)) == 2


def test_payments_cannot_be_deleted(books: Books) -> None:
    invoice = books.invoice(100)
    payment = books.pay(invoice["id"], 100).json()["bankPayments"][0]
    answer = books.api.delete(f"/bankPayments/{payment['id']}")
    assert answer.status_code == 405
    assert answer.json()["meta"]["success"] is False
    assert books.balance(invoice["id"]) == (0, True)


def test_payment_validation(books: Books) -> None:
    invoice = books.invoice(100)
    draft = books.invoice(100, state="draft")
    receivable = books.pay(invoice["id"], 100, cashAccountId=books.accounts[5810])
    assert "isPaymentEnabled" in attributes(receivable)["cashAccountId"]
    assert "associations[0].subjectReference" in attributes(books.pay(draft["id"], 100))
    assert "associations[0].subjectReference" in attributes(books.pay("nope", 100))
    none = books.api.post(
        "/bankPayments",
        json={
            "bankPayment": {
                "entryDate": "2026-04-02",
                "cashAmount": 5,
                "cashSide": "debit",
                "cashAccountId": books.bank,
            }
        },
    )
    assert "associations" in attributes(none)
    missing = attributes(books.api.post("/bankPayments", json={"bankPayment": {}}))
    assert {"entryDate", "cashAmount", "cashSide", "cashAccountId"} <= set(missing)
    assert "cashAmount" in attributes(books.pay(invoice["id"], -5))
    eur = books.invoice(100, currencyId="EUR")
    mixed = books.api.post(
        "/bankPayments",
        json={
            "bankPayment": {
                "entryDate": "2026-04-02",
                "cashAmount": 5,
                "cashSide": "debit",
                "cashAccountId": books.bank,
                "cashExchangeRate": 7.46,
                "associations": [
                    {"subjectReference": f"invoice:{invoice['id']}"},
                    {"subjectReference": f"invoice:{eur['id']}"},
                ],
            }
        },
    )
    assert "associations" in attributes(mixed)
    assert books.ledger.bank_payments() == []


def test_a_foreign_currency_invoice_paid_into_a_dkk_account(books: Books) -> None:
    invoice = books.invoice(100, currencyId="EUR", contactId=books.us_contact)
    assert invoice["grossAmount"] == 100 and invoice["exchangeRate"] == 7.4604
    assert "cashExchangeRate" in attributes(books.pay(invoice["id"], 746.04))
    paid = books.pay(invoice["id"], 746.04, cashExchangeRate=7.4604)
    assert paid.status_code == 200
    assert paid.json()["bankPayments"][0]["subjectCurrencyId"] == "EUR"
    assert books.balance(invoice["id"]) == (0, True)


def test_a_cash_exchange_rate_has_at_most_six_decimals(books: Books) -> None:
    invoice = books.invoice(100, currencyId="EUR", contactId=books.us_contact)
    refused = books.pay(invoice["id"], 746.04, cashExchangeRate=7.4604001)
    assert refused.status_code == 400
    assert "6 decimals" in attributes(refused)["cashExchangeRate"]
    assert books.pay(invoice["id"], 746.04, cashExchangeRate=7.460401).status_code == 200


def test_a_fee_on_a_deposit_still_pays_the_invoice(books: Books) -> None:
    invoice = books.invoice(100)
    paid = books.pay(invoice["id"], 95, feeAmount=5).json()["bankPayments"][0]
    org = books.api.get("/organization").json()["organization"]
    assert paid["feeAccountId"] == org["defaultBankFeeAccountId"]
    assert books.balance(invoice["id"]) == (0, True)


def test_a_second_payment_is_an_overpayment_the_ledger_shows(books: Books) -> None:
    invoice = books.invoice(300)
    books.pay(invoice["id"], 300)
    books.pay(invoice["id"], 300)
    assert books.balance(invoice["id"]) == (0, True)
    assert books.ledger.overpaid(invoice["id"]) == 300
    assert len(books.ledger.payments_for(invoice["id"])) == 2


def test_one_payment_for_two_invoices(books: Books) -> None:
    first, second = books.invoice(100), books.invoice(50)
    answer = books.api.post(
        "/bankPayments",
        json={
            "bankPayment": {
                "entryDate": "2026-04-02",
                "cashAmount": 120,
                "cashSide": "debit",
                "cashAccountId": books.bank,
                "associations": [
                    {"subjectReference": f"invoice:{first['id']}"},
                    {"subjectReference": f"invoice:{second['id']}"},
                ],
            }
        },
    )
    assert answer.status_code == 200
    assert books.balance(first["id"]) == (0, True)
    assert books.balance(second["id"]) == (30, False)
    filtered = books.api.get("/bankPayments", params={"contactId": books.contact}).json()
    assert len(filtered["bankPayments"]) == 1
    assert books.api.get("/bankPayments", params={"contactId": "x"}).json()["bankPayments"] == []


def credit_note(books: Books, original: dict[str, Any], gross: float, **fields: Any) -> Any:
    return books.api.post(
        "/invoices",
        json={
            "invoice": {
                "type": "creditNote",
                "creditedInvoiceId": original["id"],
                "contactId": original["contactId"],
                "entryDate": "2026-04-10",
                "currencyId": original["currencyId"],
                "taxMode": "incl",
                "state": "approved",
                "lines": [{"productId": books.product, "unitPrice": gross}],
                **fields,
            }
        },
    )


def test_a_credit_note_offsets_an_unpaid_invoice(books: Books) -> None:
    original = books.invoice(500)
    answer = credit_note(books, original, 100)
    assert answer.status_code == 200
    body = answer.json()
    note = body["invoices"][0]
    assert note["type"] == "creditNote" and note["grossAmount"] == 100
    assert note["invoiceNo"] == "2"  # credit notes share the invoice numbering
    assert (note["balance"], note["isPaid"]) == (0, True)
    assert [i["id"] for i in body["invoices"]] == [note["id"], original["id"]]
    assert books.balance(original["id"]) == (400, False)
    books.pay(original["id"], 400)
    assert books.balance(original["id"]) == (0, True)
    credited = books.api.get("/invoices", params={"creditedInvoiceId": original["id"]}).json()
    assert [i["id"] for i in credited["invoices"]] == [note["id"]]
    assert [cn["id"] for cn in books.ledger.credit_notes_for(original["id"])] == [note["id"]]
    assert [i["id"] for i in books.ledger.invoices()] == [original["id"]]


def test_a_credit_note_on_a_paid_invoice_is_settled_by_a_refund(books: Books) -> None:
    original = books.invoice(500)
    books.pay(original["id"], 500)
    note = credit_note(books, original, 100).json()["invoices"][0]
    assert (note["balance"], note["isPaid"]) == (100, False)
    assert books.balance(original["id"]) == (0, True)
    wrong_side = books.pay(note["id"], 100)
    assert "associations[0].subjectReference" in attributes(wrong_side)
    refund = books.pay(note["id"], 100, cashSide="credit")
    assert refund.status_code == 200
    assert books.balance(note["id"]) == (0, True)
    assert books.balance(original["id"]) == (0, True)


def test_a_credit_note_on_a_partly_paid_invoice(books: Books) -> None:
    original = books.invoice(500)
    books.pay(original["id"], 450)
    note = credit_note(books, original, 100).json()["invoices"][0]
    assert books.balance(original["id"]) == (0, True)
    assert (note["balance"], note["isPaid"]) == (50, False)


def test_credit_note_rules(books: Books) -> None:
    original = books.invoice(500)
    as_invoice = credit_note(books, original, 100, type="invoice")
    assert "creditedInvoiceId" in attributes(as_invoice, "invoice")
    other_currency = credit_note(books, original, 100, currencyId="EUR")
    assert "currencyId" in attributes(other_currency, "invoice")
    draft_original = books.invoice(500, state="draft")
    early = credit_note(books, draft_original, 100)
    assert "creditedInvoiceId" in attributes(early, "invoice")
    assert books.ledger.credit_notes() == []
    draft_note = credit_note(books, draft_original, 100, state="draft")
    assert draft_note.status_code == 200
    assert books.balance(draft_original["id"]) == (500, False)


def test_nothing_is_booked_on_or_before_the_fiscal_locking_date(books: Books) -> None:
    """docs/billy-emulator.md A29: the accountant locked the books up to 31 March."""
    open_invoice = books.invoice(500)  # 1 April: after the locked period
    books.emu.set_fiscal_locking_date(TOKEN, date(2026, 3, 31))
    assert books.ledger.organization()["fiscalLockingDate"] == "2026-03-31"

    answer = books.api.post(
        "/invoices",
        json={
            "invoice": {
                "contactId": books.contact,
                "entryDate": "2026-03-31",
                "currencyId": "DKK",
                "taxMode": "incl",
                "state": "approved",
                "lines": [{"productId": books.product, "unitPrice": 100}],
            }
        },
    )
    refused = attributes(answer, "invoice")["entryDate"]
    assert "fiscal locking date 2026-03-31" in refused and "Unlock" in refused
    early_note = credit_note(books, open_invoice, 100, entryDate="2026-03-15")
    assert "entryDate" in attributes(early_note, "invoice")
    early_payment = books.pay(open_invoice["id"], 500, entryDate="2026-03-31")
    assert "entryDate" in attributes(early_payment)
    assert books.ledger.credit_notes() == [] and books.balance(open_invoice["id"]) == (500, False)

    # A draft books nothing and may be dated there; approving it is refused.
    draft = books.invoice(100, entryDate="2026-03-01", state="draft")
    approve = books.api.put(
        f"/invoices/{draft['id']}", json={"invoice": {"id": draft["id"], "state": "approved"}}
    )
    assert "entryDate" in attributes(approve, "invoice")
    # The day after is open; unlocking opens everything again.
    assert books.pay(open_invoice["id"], 200, entryDate="2026-04-01").status_code == 200
    books.emu.set_fiscal_locking_date(TOKEN, None)
    assert books.pay(open_invoice["id"], 300, entryDate="2026-03-31").status_code == 200
    assert books.balance(open_invoice["id"]) == (0, True)
