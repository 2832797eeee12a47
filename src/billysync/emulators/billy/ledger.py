"""A read-only view of one organization's books, for test assertions and the demo.

Tests check billysync's invariants against what Billy holds (docs/invariants.md: "against the
Billy emulator's own ledger, not against our database"). Every method returns fresh
copies in Billy's wire shape (amounts as JSON numbers), children embedded:

    ledger = emu.ledger("token")
    [invoice] = ledger.invoices_by_order_no()["shop1-1001"]
    assert invoice["grossAmount"] == 149.93 and invoice["isPaid"]
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from billysync.money import to_json_number

from .organization import Organization
from .settlement import overpaid
from .wire import Record, plain

if TYPE_CHECKING:
    from .emulator import BillyEmulator


def dump(value: Any) -> Any:
    """Like wire.plain, but keeps the emulator's `_` bookkeeping (for snapshots)."""
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [dump(v) for v in value]
    if isinstance(value, Decimal):
        return to_json_number(value)
    return value


class Ledger:
    def __init__(self, emulator: BillyEmulator, org: Organization) -> None:
        self._emulator = emulator
        self._org = org

    @property
    def organization_id(self) -> str:
        return self._org.id

    def organization(self) -> Record:
        return self._read(lambda: plain(self._org.record))

    def invoices(self) -> list[Record]:
        """Invoices (not credit notes), lines embedded, in creation order."""
        return self._documents("invoice")

    def credit_notes(self) -> list[Record]:
        return self._documents("creditNote")

    def invoice(self, invoice_id: str) -> Record:
        """One invoice or credit note, lines embedded (KeyError when there is none)."""
        return self._read(lambda: self._with_lines(self._org.tables["invoices"][invoice_id]))

    def invoices_by_order_no(self) -> dict[str, list[Record]]:
        """orderNo → every invoice with it: more than one is a duplicate."""
        grouped: dict[str, list[Record]] = {}
        for invoice in self.invoices():
            if invoice.get("orderNo"):
                grouped.setdefault(invoice["orderNo"], []).append(invoice)
        return grouped

    def credit_notes_for(self, invoice_id: str) -> list[Record]:
        return [cn for cn in self.credit_notes() if cn.get("creditedInvoiceId") == invoice_id]

    def contacts(self) -> list[Record]:
        return self._embedded("contacts", "contactPersons", "contactId", "contactPersons")

    def products(self) -> list[Record]:
        return self._embedded("products", "productPrices", "productId", "prices")

    def bank_payments(self) -> list[Record]:
        """Every payment (voided ones too), associations embedded."""
        return self._embedded(
            "bankPayments", "bankPaymentAssociations", "bankPaymentId", "associations"
        )

    def payments_for(self, invoice_id: str, *, include_voided: bool = False) -> list[Record]:
        """The payments associated with an invoice or credit note."""
        reference = f"invoice:{invoice_id}"
        return [
            payment
            for payment in self.bank_payments()
            if (include_voided or not payment["isVoided"])
            and any(a["subjectReference"] == reference for a in payment["associations"])
        ]

    def overpaid(self, invoice_id: str) -> float | int:
        """What was paid beyond an invoice's amount (Billy moves it to the contact's balance)."""
        return self._read(
            lambda: to_json_number(overpaid(self._org.tables["invoices"][invoice_id]))
        )

    def accounts(self) -> list[Record]:
        return self._read(lambda: [plain(a) for a in self._org.tables["accounts"].values()])

    def emails(self) -> list[Record]:
        """Invoice e-mails Billy would have sent."""
        return self._read(lambda: [plain(e) for e in self._org.tables["invoiceEmails"].values()])

    def _documents(self, kind: str) -> list[Record]:
        return self._read(
            lambda: [
                self._with_lines(invoice)
                for invoice in self._org.tables["invoices"].values()
                if invoice["type"] == kind
            ]
        )

    def _with_lines(self, invoice: Record) -> Record:
        shaped: Record = plain(invoice)
        lines = sorted(
            self._org.children("invoiceLines", "invoiceId", invoice["id"]),
            key=lambda line: line.get("priority") or 0,
        )
        shaped["lines"] = [plain(line) for line in lines]
        return shaped

    def _embedded(self, table: str, child_table: str, key: str, name: str) -> list[Record]:
        def build() -> list[Record]:
            rows = []
            for record in self._org.tables[table].values():
                shaped: Record = plain(record)
                shaped[name] = [
                    plain(c) for c in self._org.children(child_table, key, record["id"])
                ]
                rows.append(shaped)
            return rows

        return self._read(build)

    def _read(self, fn: Any) -> Any:
        return self._emulator.read(fn)
