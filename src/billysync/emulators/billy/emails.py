"""Sending an invoice by e-mail: `POST /v2/invoices/:id/emails` (docs/billy-api.md §3.10).

Billy sends to one contact person (the address is that person's `email`); the body is
`{"email": {"contactPersonId", "emailSubject", "emailBody", "copyToUserId"?}}`. The
emulator sends nothing: it records the e-mail (visible in the Ledger) and marks the
invoice `sentState: sent`. Only approved invoices can be sent (an emulator assumption).
"""

from __future__ import annotations

from typing import Any

from .changes import Changes
from .errors import Invalid
from .fields import Field, client_key, read_record, unwrap
from .organization import Organization
from .wire import timestamp

EMAIL_FIELDS: dict[str, Field] = {
    "contactPersonId": Field("ref", required=True, ref="contactPersons"),
    "emailSubject": Field("str", required=True),
    "emailBody": Field("str", required=True),
    "copyToUserId": Field("str"),
}


def send_invoice(org: Organization, invoice_id: str, document: dict[str, Any]) -> Changes:
    invoice = org.get("invoices", invoice_id)
    data = unwrap(document, "email")
    key = client_key(data, "email")
    invalid = Invalid()
    values = read_record(org, "email", EMAIL_FIELDS, data, invalid, error_key=key)
    person = org.find("contactPersons", values.get("contactPersonId"))
    if person is not None and not person.get("email"):
        invalid.field(key, "contactPersonId", "the contact person has no email address")
    if invoice["state"] != "approved":
        invalid.record(key, "Approve the invoice before sending it.")
    invalid.raise_if_any()
    org.insert(
        "invoiceEmails",
        {
            "invoiceId": invoice_id,
            "toEmail": person["email"] if person else None,
            "createdTime": timestamp(org.now()),
            **values,
        },
    )
    invoice["sentState"] = "sent"
    changes = Changes()
    changes.add("invoices", invoice)
    return changes
