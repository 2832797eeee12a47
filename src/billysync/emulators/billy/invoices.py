"""Invoices and credit notes (docs/billy-api.md §3.7, §3.10).

- Create with embedded `lines` (at least one), as `draft` (default) or `approved`.
- The only state change is draft → approved; approval books the invoice and assigns
  `invoiceNo` from the organization's `nextInvoiceNo` when none was given. `invoiceNo`
  is unique per organization (a duplicate is 400 INVALID_RECORD on `invoiceNo`).
- An approved invoice is immutable except `sentState`; drafts may change, but never
  their `lines` through PUT (use /v2/invoiceLines) nor the create-only fields.
- A credit note (`type: creditNote`) with `creditedInvoiceId` settles the invoice it
  credits when approved, by up to that invoice's outstanding balance; what the original
  no longer owed stays on the credit note until a refund (see settlement.py and
  docs/billy-emulator.md for why this differs from a plain "subtract the gross").
"""

from __future__ import annotations

import calendar
import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from billysync.money import ZERO

from .changes import Changes
from .contacts import TERMS_MODES
from .errors import ApiError, Invalid, record_error
from .fields import Field, check_id, client_key, read_record, ro, unwrap, without
from .invoice_lines import lines_of, new_line, read_embedded_lines, recompute
from .organization import Organization
from .periods import check_open_period
from .settlement import outstanding, refresh, settle
from .wire import timestamp

Record = dict[str, Any]

INVOICE_FIELDS: dict[str, Field] = {
    "type": Field("enum", "create", choices=("invoice", "creditNote")),
    "contactId": Field("ref", "create", required=True, ref="contacts"),
    "attContactPersonId": Field("ref", ref="contactPersons"),
    "entryDate": Field("date", "create", required=True),
    "paymentTermsMode": Field("enum", choices=TERMS_MODES),
    "paymentTermsDays": Field("int"),
    "dueDate": Field("date"),
    "state": Field("enum", choices=("draft", "approved", "voided")),
    "sentState": Field("enum", choices=("unsent", "printed", "sent", "opened", "viewed")),
    "invoiceNo": Field("str"),
    "orderNo": Field("str"),
    "taxMode": Field("enum", choices=("incl", "excl")),
    "currencyId": Field("ref", required=True, ref="currencies"),
    "exchangeRate": Field("decimal"),
    "creditedInvoiceId": Field("ref", "create", ref="invoices"),
    "contactMessage": Field("str"),
    "templateId": Field("str"),
    "paymentMethods": Field("list"),
    **{
        name: ro()
        for name in (
            "createdTime",
            "approvedTime",
            "amount",
            "tax",
            "grossAmount",
            "balance",
            "isPaid",
            "lineDescription",
            "recurringInvoiceId",
            "downloadUrl",
            "balanceModifiers",
            "attachments",
            "lateFees",
        )
    },
}

# What may still change on an approved invoice (Billy moves it as the invoice is sent).
MUTABLE_WHEN_APPROVED = frozenset({"sentState"})


def create_invoice(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "invoice")
    key = client_key(data, "invoice")
    invalid = Invalid()
    values = read_record(
        org, "invoice", INVOICE_FIELDS, without(data, "lines"), invalid, error_key=key
    )
    lines = read_embedded_lines(org, data.get("lines"), invalid)
    if values.get("state") == "voided":
        invalid.field(key, "state", "a new invoice is draft or approved")
    invalid.raise_if_any()

    invoice = _new_invoice(org, values)
    invoice["id"] = org.ids.new()
    invoice["downloadUrl"] = _download_url(org, invoice)
    line_records = [
        new_line(org, invoice["id"], line, index) for index, line in enumerate(lines, start=1)
    ]
    recompute(org, invoice, line_records)
    _check_document(org, invoice, invalid, key, approving=values.get("state") == "approved")
    invalid.raise_if_any()

    changes = Changes()
    stored = org.insert("invoices", invoice)
    changes.add("invoices", stored)
    for line in line_records:
        changes.add("invoiceLines", org.insert("invoiceLines", line))
    _index_number(org, stored)
    if values.get("state") == "approved":
        _approve(org, stored, changes)
    return changes


def update_invoice(org: Organization, invoice_id: str, document: dict[str, Any]) -> Changes:
    invoice = org.get("invoices", invoice_id)
    data = unwrap(document, "invoice")
    check_id(data, invoice_id, "invoice")
    key = client_key(data, "invoice")
    if "lines" in data:
        raise record_error(
            key,
            "lines must not be set once the invoice is created; change a draft's lines "
            "through /v2/invoiceLines.",
        )
    invalid = Invalid()
    values = read_record(
        org, "invoice", INVOICE_FIELDS, data, invalid, error_key=key, existing=invoice
    )
    invalid.raise_if_any()
    state = values.pop("state", None) or invoice["state"]
    changes = Changes()
    changes.add("invoices", invoice)

    if invoice["state"] == "approved":
        changed = sorted(
            name
            for name, value in values.items()
            if value != invoice.get(name) and name not in MUTABLE_WHEN_APPROVED
        )
        if state != "approved":
            invalid.field(
                key,
                "state",
                "an approved invoice stays approved (only draft → approved is possible)",
            )
        if changed:
            invalid.record(
                key,
                f"The invoice is approved and cannot be changed ({', '.join(changed)}). "
                "Create a credit note to correct an approved invoice.",
            )
        invalid.raise_if_any()
        invoice.update(values)
        return changes

    if state not in ("draft", "approved"):
        invalid.field(key, "state", "a draft can only become approved")
    invalid.raise_if_any()
    draft = {**invoice, **values}
    if "currencyId" in values and "exchangeRate" not in values:
        draft["exchangeRate"] = None
    if values.get("dueDate") and "paymentTermsMode" not in values:
        draft["paymentTermsMode"], draft["paymentTermsDays"] = "date", None
    _fill_terms_and_rate(org, draft)
    lines = lines_of(org, invoice_id)
    recompute(org, draft, lines)
    _check_document(org, draft, invalid, key, approving=state == "approved")
    invalid.raise_if_any()
    _unindex_number(org, invoice)
    invoice.update(draft)
    _index_number(org, invoice)
    for line in lines:
        changes.add("invoiceLines", line)
    if state == "approved":
        _approve(org, invoice, changes)
    return changes


def delete_invoice(org: Organization, invoice_id: str) -> Changes:
    changes = Changes()
    invoice = org.find("invoices", invoice_id)
    if invoice is None:
        return changes  # idempotent, like Billy
    if invoice["state"] != "draft":
        raise record_error(
            "invoice",
            "An approved invoice cannot be deleted; create a credit note "
            "(type creditNote, creditedInvoiceId) to cancel it.",
        )
    for line in org.children("invoiceLines", "invoiceId", invoice_id):
        org.remove("invoiceLines", line["id"])
        changes.delete("invoiceLines", line["id"])
    _unindex_number(org, invoice)
    org.remove("invoices", invoice_id)
    changes.delete("invoices", invoice_id)
    return changes


def _new_invoice(org: Organization, values: Record) -> Record:
    invoice: Record = {
        "type": values.get("type") or "invoice",
        "createdTime": timestamp(org.now()),
        "approvedTime": None,
        "contactId": values["contactId"],
        "attContactPersonId": values.get("attContactPersonId"),
        "entryDate": values["entryDate"],
        "paymentTermsMode": values.get("paymentTermsMode"),
        "paymentTermsDays": values.get("paymentTermsDays"),
        "dueDate": values.get("dueDate"),
        "state": "draft",
        "sentState": values.get("sentState") or "unsent",
        "invoiceNo": values.get("invoiceNo") or None,
        "taxMode": values.get("taxMode") or org.record["defaultTaxMode"],
        "amount": ZERO,
        "tax": ZERO,
        "currencyId": values["currencyId"],
        "exchangeRate": values.get("exchangeRate"),
        "balance": ZERO,
        "isPaid": False,
        "creditedInvoiceId": values.get("creditedInvoiceId"),
        "contactMessage": values.get("contactMessage") or "",
        "lineDescription": "",
        "recurringInvoiceId": None,
        "templateId": values.get("templateId") or org.record["defaultTemplateId"],
        "downloadUrl": None,
        "orderNo": values.get("orderNo"),
        "paymentMethods": values.get("paymentMethods") or [],
        "grossAmount": ZERO,
        "_settled": ZERO,
    }
    _fill_terms_and_rate(org, invoice)
    return invoice


def _fill_terms_and_rate(org: Organization, invoice: Record) -> None:
    """Due date from the payment terms (contact's, else the organization's); exchange rate."""
    contact = org.get("contacts", invoice["contactId"])
    if invoice.get("paymentTermsMode") is None:
        if invoice.get("dueDate") and invoice.get("paymentTermsDays") is None:
            invoice["paymentTermsMode"] = "date"  # a due date alone means "pay by this date"
        else:
            invoice["paymentTermsMode"] = (
                contact.get("paymentTermsMode") or org.record["paymentTermsMode"]
            )
    mode = invoice["paymentTermsMode"]
    if mode == "date":
        invoice["paymentTermsDays"] = None
        invoice["dueDate"] = invoice.get("dueDate") or invoice["entryDate"]
    else:
        days = invoice.get("paymentTermsDays")
        if days is None:
            days = contact.get("paymentTermsDays")
        if days is None:
            days = org.record["paymentTermsDays"]
        invoice["paymentTermsDays"] = days
        start = date.fromisoformat(invoice["entryDate"])
        if mode == "netEndOfMonth":
            start = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        invoice["dueDate"] = (start + timedelta(days=int(days))).isoformat()
    if invoice["currencyId"] == org.record["baseCurrencyId"]:
        invoice["exchangeRate"] = Decimal(1)
    elif invoice.get("exchangeRate") is None:
        invoice["exchangeRate"] = org.get("currencies", invoice["currencyId"])["exchangeRate"]


def _check_document(
    org: Organization, invoice: Record, invalid: Invalid, key: str, *, approving: bool
) -> None:
    """Rules across fields: the locked period, numbering, exchange rate, credit notes."""
    if approving:  # a draft books nothing; approving it does
        check_open_period(org, invoice.get("entryDate"), invalid, key)
    number = invoice.get("invoiceNo")
    if approving and not number and org.record.get("invoiceNoMode") == "manual":
        # docs/billy-api.md §7: with manual numbering Billy answers 422 on invoiceNo.
        message = "is required: the organization numbers its invoices manually"
        raise ApiError(
            422,
            "INVALID_RECORD",
            f"invoiceNo {message}",
            validation_errors={
                key: {"message": f"invoiceNo: {message}", "attributes": {"invoiceNo": message}}
            },
        )
    owner = org.invoice_numbers.get(number) if number else None
    if owner is not None and owner != invoice.get("id"):
        invalid.field(
            key,
            "invoiceNo",
            f"must be unique: invoice number `{number}` is "
            "already used by another invoice in this organization",
        )
    if invoice["exchangeRate"] <= 0:
        invalid.field(key, "exchangeRate", "must be greater than 0")
    if invoice["paymentTermsMode"] == "date" and not invoice.get("dueDate"):
        invalid.field(key, "dueDate", "is required when paymentTermsMode is date")
    credited_id = invoice.get("creditedInvoiceId")
    if invoice["type"] == "invoice":
        if credited_id:
            invalid.field(
                key,
                "creditedInvoiceId",
                "only a credit note (type creditNote) can credit an invoice",
            )
        return
    if invoice["grossAmount"] < 0:
        invalid.record(
            key,
            "A credit note's lines are positive amounts (what is credited); "
            "its total must not be negative.",
        )
    if not credited_id:
        return
    original = org.get("invoices", credited_id)
    if original["type"] != "invoice":
        invalid.field(key, "creditedInvoiceId", "must be an invoice, not a credit note")
    if original["currencyId"] != invoice["currencyId"]:
        invalid.field(
            key, "currencyId", f"must be the credited invoice's currency ({original['currencyId']})"
        )
    if original["contactId"] != invoice["contactId"]:
        invalid.field(key, "contactId", "must be the credited invoice's contact")
    if approving and original["state"] != "approved":
        invalid.field(
            key,
            "creditedInvoiceId",
            "the credited invoice is still a draft; "
            "approve it before approving a credit note for it",
        )


def _approve(org: Organization, invoice: Record, changes: Changes) -> None:
    """Book the invoice: number, time, balance; a credit note settles what it credits."""
    invoice["state"] = "approved"
    invoice["approvedTime"] = timestamp(org.now())
    if not invoice.get("invoiceNo"):
        invoice["invoiceNo"] = _next_number(org)
    elif invoice["invoiceNo"].isdigit():
        org.record["nextInvoiceNo"] = max(
            org.record["nextInvoiceNo"], int(invoice["invoiceNo"]) + 1
        )
    _index_number(org, invoice)
    invoice["downloadUrl"] = _download_url(org, invoice)
    refresh(invoice)
    if invoice["type"] == "creditNote" and invoice.get("creditedInvoiceId"):
        original = org.get("invoices", invoice["creditedInvoiceId"])
        credited = min(invoice["grossAmount"], outstanding(original))
        invoice["_credited"] = credited
        settle(original, credited)
        settle(invoice, credited)
        changes.add("invoices", original)


def _next_number(org: Organization) -> str:
    number = int(org.record["nextInvoiceNo"])
    while str(number) in org.invoice_numbers:
        number += 1
    org.record["nextInvoiceNo"] = number + 1
    return str(number)


def _index_number(org: Organization, invoice: Record) -> None:
    if invoice.get("invoiceNo"):
        org.invoice_numbers[invoice["invoiceNo"]] = invoice["id"]


def _unindex_number(org: Organization, invoice: Record) -> None:
    number = invoice.get("invoiceNo")
    if number and org.invoice_numbers.get(number) == invoice["id"]:
        del org.invoice_numbers[number]


def _download_url(org: Organization, invoice: Record) -> str:
    """A stable PDF address (Billy's changes on every read; the emulator's does not)."""
    digest = hashlib.sha256(f"{org.id}:{invoice['id']}".encode()).hexdigest()[:50]
    name = (
        f"invoice-no-{invoice['invoiceNo']}.pdf"
        if invoice["state"] == "approved"
        else "draft-invoice.pdf"
    )
    return (
        f"https://api.billysbilling.com/v2/downloads/invoices/{invoice['id']}/{org.id}/"
        f"{digest}/{name}"
    )
