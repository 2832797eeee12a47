"""Changes to the Billy emulator's books that Billy's API would not make, for reconciliation tests.

Some findings only arise when a document disappears or changes behind billysync's back (a
support case, an import gone wrong); the emulator, like Billy, refuses to delete or change
an approved invoice, so these helpers change its state directly, under its lock. The rest
(a duplicate, a second payment, an unknown document) go through the API as a person or
another integration would.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from billysync.billy.client import BillyClient
from billysync.emulators.billy import BillyEmulator


def remove_document(emu: BillyEmulator, token: str, document_id: str) -> None:
    """An invoice or credit note gone from Billy, with its lines."""

    def remove() -> None:
        org = emu._org(token)
        for line in org.children("invoiceLines", "invoiceId", document_id):
            org.remove("invoiceLines", line["id"])
        record = org.tables["invoices"][document_id]
        org.invoice_numbers.pop(record.get("invoiceNo") or "", None)
        org.remove("invoices", document_id)

    emu.read(remove)


def set_gross(emu: BillyEmulator, token: str, invoice_id: str, gross: Decimal) -> None:
    """An invoice whose total no longer is what billysync booked."""
    emu.read(lambda: emu._org(token).tables["invoices"][invoice_id].update(grossAmount=gross))


def set_fiscal_locking_date(emu: BillyEmulator, token: str, day: date) -> None:
    """The accountant locks the books up to `day` (Billy refuses what is dated in it)."""
    emu.set_fiscal_locking_date(token, day)


def copy_document(client: BillyClient, document: dict[str, Any], **changes: Any) -> str:
    """A second approved document like `document` (as another integration would book it)."""
    payload: dict[str, Any] = {
        key: document[key]
        for key in ("type", "contactId", "entryDate", "currencyId", "taxMode", "orderNo")
        if document.get(key) is not None
    }
    if document.get("creditedInvoiceId"):
        payload["creditedInvoiceId"] = document["creditedInvoiceId"]
    payload["state"] = "approved"
    payload["lines"] = [
        {
            "productId": line["productId"],
            "unitPrice": line["unitPrice"],
            "quantity": line["quantity"],
            "description": line.get("description") or "",
        }
        for line in document["lines"]
    ]
    payload.update(changes)
    return client.invoices.create(payload).id


def credit_in_full(client: BillyClient, document: dict[str, Any], gross: Decimal) -> str:
    """A credit note taking back all of `document` (`gross`), as a merchant makes one in Billy:
    no order number, the invoice's contact and product."""
    return client.invoices.create(
        {
            "type": "creditNote",
            "creditedInvoiceId": document["id"],
            "contactId": document["contactId"],
            "entryDate": "2026-11-26",
            "currencyId": document["currencyId"],
            "taxMode": "incl",
            "state": "approved",
            "lines": [
                {
                    "productId": document["lines"][0]["productId"],
                    "unitPrice": float(gross),
                    "quantity": 1,
                    "description": "Kreditering",
                }
            ],
        }
    ).id


def pay(client: BillyClient, invoice_id: str, amount: Decimal, account_id: str) -> str:
    payment = client.bank_payments.create(
        {
            "entryDate": "2026-11-21",
            "cashAmount": float(amount),
            "cashSide": "debit",
            "cashAccountId": account_id,
            "associations": [{"subjectReference": f"invoice:{invoice_id}"}],
        }
    )
    return payment.id
