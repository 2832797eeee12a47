"""Invoice lines: their fields, their totals, and the `/v2/invoiceLines` resource.

A line needs a product and a unit price (docs/billy-api.md §3.8). Its `taxRateId` is normally
derived from the product's ruleset (see vat.py); a line may name it when it is created, for a
rate the ruleset cannot express (docs/vat.md), and it cannot change afterwards. Totals
follow Billy's own algorithm in `billysync.billy.totals` (lines rounded, VAT summed
unrounded and rounded once). Lines of an approved invoice never change; a draft's lines
change only through this resource (`lines` may not be set on PUT /invoices/:id).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billysync.billy.totals import LineInput, invoice_totals

from .changes import Changes
from .errors import Invalid, record_error
from .fields import Field, check_id, client_key, read_record, require, ro, unwrap, without
from .organization import Organization
from .settlement import refresh
from .vat import line_tax_rate, rate_of

Record = dict[str, Any]
ONE = Decimal(1)

LINE_FIELDS: dict[str, Field] = {
    "invoiceId": Field("ref", "create", ref="invoices"),
    "productId": Field("ref", required=True, ref="products"),
    "description": Field("str"),
    "quantity": Field("decimal"),
    "unitPrice": Field("decimal", required=True),
    "discountText": Field("str"),
    "discountMode": Field("enum", choices=("cash", "percent")),
    "discountValue": Field("decimal"),
    "priority": Field("int"),
    "amount": ro(),
    "tax": ro(),
    "taxRateId": Field("ref", "create", ref="taxRates"),
}


def read_line(
    org: Organization,
    item: dict[str, Any],
    invalid: Invalid,
    key: str,
    existing: Record | None = None,
) -> Record:
    values = read_record(
        org, "invoiceLine", LINE_FIELDS, item, invalid, error_key=key, existing=existing
    )
    merged = {**(existing or {}), **values}
    if merged.get("discountValue") is not None and not merged.get("discountMode"):
        invalid.field(key, "discountMode", "must be cash or percent when discountValue is set")
    if merged.get("discountMode") == "percent":
        value = merged.get("discountValue")
        if value is not None and not 0 <= value <= 100:
            invalid.field(key, "discountValue", "a percent discount is 0–100 (25 means 25 %)")
    return values


def read_embedded_lines(org: Organization, raw: Any, invalid: Invalid) -> list[Record]:
    """The `lines` of a new invoice; Billy refuses an invoice without any."""
    if raw is None or raw == []:
        invalid.record("invoice", "Invoices must have at least one invoice line.")
        return []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        invalid.field("invoice", "lines", "must be a list of invoice lines")
        return []
    return [
        read_line(
            org, without(item, "invoiceId"), invalid, client_key(item, f"invoice.lines[{index}]")
        )
        for index, item in enumerate(raw)
    ]


def new_line(org: Organization, invoice_id: str, values: Record, priority: int) -> Record:
    product = org.get("products", values["productId"])
    return {
        "invoiceId": invoice_id,
        "productId": values["productId"],
        "description": values.get("description") or product.get("description") or "",
        "quantity": values["quantity"] if values.get("quantity") is not None else ONE,
        "unitPrice": values["unitPrice"],
        "amount": None,
        "tax": None,
        "taxRateId": values.get("taxRateId"),
        "_explicitTaxRate": bool(values.get("taxRateId")),
        "discountText": values.get("discountText"),
        "discountMode": values.get("discountMode"),
        "discountValue": values.get("discountValue"),
        "priority": values.get("priority") if values.get("priority") is not None else priority,
    }


def lines_of(org: Organization, invoice_id: str) -> list[Record]:
    return sorted(
        org.children("invoiceLines", "invoiceId", invoice_id),
        key=lambda line: line.get("priority") or 0,
    )


def recompute(org: Organization, invoice: Record, lines: list[Record]) -> None:
    """Billy's totals for a draft: each line's rate, amount and tax; the invoice's sums."""
    contact = org.get("contacts", invoice["contactId"])
    inputs: list[LineInput] = []
    for line in lines:
        explicit = line["taxRateId"] if line.get("_explicitTaxRate") else None
        tax_rate = line_tax_rate(org, org.get("products", line["productId"]), contact, explicit)
        line["taxRateId"] = tax_rate["id"] if tax_rate else None
        inputs.append(
            LineInput(
                quantity=line["quantity"],
                unit_price=line["unitPrice"],
                tax_rate=rate_of(tax_rate),
                discount_mode=line.get("discountMode"),
                discount_value=line.get("discountValue"),
            )
        )
    totals = invoice_totals(inputs, invoice["taxMode"])
    for line, computed in zip(lines, totals.lines, strict=True):
        line["amount"] = computed.amount
        line["tax"] = computed.tax
    invoice["amount"] = totals.amount
    invoice["tax"] = totals.tax
    invoice["grossAmount"] = totals.gross_amount
    invoice["lineDescription"] = ", ".join(_describe(org, line) for line in lines)
    refresh(invoice)


def _describe(org: Organization, line: Record) -> str:
    name = org.get("products", line["productId"])["name"]
    return f"{name}: {line['description']}" if line.get("description") else str(name)


def _draft_of(org: Organization, invoice_id: str, key: str) -> Record:
    invoice = org.get("invoices", invoice_id)
    if invoice["state"] != "draft":
        raise record_error(
            key,
            "The invoice is approved; its lines cannot be changed. "
            "Create a credit note to correct it.",
        )
    return invoice


def create_line(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "invoiceLine")
    key = client_key(data, "invoiceLine")
    invalid = Invalid()
    values = read_line(org, data, invalid, key)
    require(invalid, key, values, "invoiceId")
    invalid.raise_if_any()
    invoice = _draft_of(org, values["invoiceId"], key)
    lines = lines_of(org, invoice["id"])
    line = org.insert("invoiceLines", new_line(org, invoice["id"], values, len(lines) + 1))
    recompute(org, invoice, [*lines, line])
    changes = Changes()
    changes.add("invoiceLines", line)
    changes.add("invoices", invoice)
    return changes


def update_line(org: Organization, line_id: str, document: dict[str, Any]) -> Changes:
    line = org.get("invoiceLines", line_id)
    data = unwrap(document, "invoiceLine")
    check_id(data, line_id, "invoiceLine")
    key = client_key(data, "invoiceLine")
    invoice = _draft_of(org, line["invoiceId"], key)
    invalid = Invalid()
    values = read_line(org, data, invalid, key, existing=line)
    invalid.raise_if_any()
    line.update(values)
    if line.get("quantity") is None:
        line["quantity"] = ONE
    recompute(org, invoice, lines_of(org, invoice["id"]))
    changes = Changes()
    changes.add("invoiceLines", line)
    changes.add("invoices", invoice)
    return changes


def delete_line(org: Organization, line_id: str) -> Changes:
    changes = Changes()
    line = org.find("invoiceLines", line_id)
    if line is None:
        return changes
    invoice = _draft_of(org, line["invoiceId"], "invoiceLine")
    remaining = [other for other in lines_of(org, invoice["id"]) if other["id"] != line_id]
    if not remaining:
        raise record_error("invoice", "Invoices must have at least one invoice line.")
    org.remove("invoiceLines", line_id)
    recompute(org, invoice, remaining)
    changes.delete("invoiceLines", line_id)
    changes.add("invoices", invoice)
    return changes
