"""Invoices and credit notes (`/v2/invoices`).

An invoice is created in one call with its lines embedded (all or nothing), as a draft or
directly `approved`; `approve` books a draft (Billy assigns `invoiceNo` then, unless one was
sent). A credit note is an invoice with `type: "creditNote"` and `creditedInvoiceId`.

billysync's marker on an invoice is `orderNo` (the prefixed shop order number). Billy has no
`orderNo` filter (an unknown filter is ignored, so sending one pages through every invoice);
its `q` search covers `orderNo` (docs/billy-api.md §1.6, §7), so `find_by_order_no` searches
with `q` and matches `orderNo` and `type` exactly on this side: `q` is a substring search and
also matches invoice numbers, names and amounts. It returns a list: empty when there is none,
more than one when Billy holds duplicates.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from billysync.billy.models import Invoice
from billysync.billy.resources._base import Children, Resource

EMBED_LINES = "invoice.lines:embed"
InvoiceType = Literal["invoice", "creditNote"]


class InvoiceService(Resource[Invoice]):
    path = "/invoices"
    singular = "invoice"
    plural = "invoices"
    model = Invoice
    children = (Children("lines", "invoiceLines", "lineIds", ("invoiceId",)),)

    def create(self, payload: Mapping[str, Any]) -> Invoice:
        """Create an invoice or credit note with its `lines`; returns it (lines included when
        Billy sends them back, as it does for a create)."""
        return self._create(payload)

    def get(self, invoice_id: str) -> Invoice:
        """One invoice with its lines embedded."""
        return self._retrieve(invoice_id, include=EMBED_LINES)

    def approve(self, invoice_id: str) -> Invoice:
        """Book a draft (`state: approved`); this cannot be undone in Billy."""
        return self._update(invoice_id, {"state": "approved"})

    def find_by_order_no(self, order_no: str, type: InvoiceType = "invoice") -> list[Invoice]:
        """Every invoice (or credit note) of this `type` whose `orderNo` is exactly `order_no`."""
        found = self._find_exact("orderNo", order_no, query={"q": order_no})
        return [i for i in found if i.type == type]

    def find_by_invoice_no(self, invoice_no: str) -> list[Invoice]:
        """Every invoice or credit note whose `invoiceNo` is exactly `invoice_no`."""
        return self._find_exact("invoiceNo", invoice_no)

    def credit_notes_for(self, invoice_id: str) -> list[Invoice]:
        """The credit notes that credit this invoice (`creditedInvoiceId`), lines embedded."""
        found = self._find_exact("creditedInvoiceId", invoice_id, include=EMBED_LINES)
        return [i for i in found if i.type == "creditNote"]

    def list(self, *, include_lines: bool = False, **filters: object) -> list[Invoice]:
        """All invoices matching Billy's documented filters (e.g. `state="approved"`,
        `minEntryDate="2025-01-01"`, `contactId=…`), every page."""
        return self._list(filters, include=EMBED_LINES if include_lines else None)
