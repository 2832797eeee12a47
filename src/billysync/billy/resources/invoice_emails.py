"""Emailing an invoice (`POST /v2/invoices/:id/emails`) to one of the contact's persons.

Billy sends to the person's email address; subject and body are required. Afterwards the
invoice's `sentState` becomes `sent`. Not idempotent: a repeated call sends a second email,
so a lost answer (`BillyOutcomeUnknown`) should be checked on the invoice's `sentState`.
"""

from __future__ import annotations

from urllib.parse import quote

from billysync.billy.http import BillyHttp


class InvoiceEmailService:
    def __init__(self, http: BillyHttp) -> None:
        self._http = http

    def __repr__(self) -> str:
        return f"<{type(self).__name__} /invoices/:id/emails>"

    def send(
        self,
        invoice_id: str,
        contact_person_id: str,
        subject: str,
        body: str,
        *,
        copy_to_user_id: str | None = None,
    ) -> None:
        """Email the invoice to the contact person `contact_person_id`."""
        if not invoice_id or not contact_person_id:
            raise ValueError("an invoice id and a contact person id are needed to send an email")
        email: dict[str, str] = {
            "contactPersonId": contact_person_id,
            "emailSubject": subject,
            "emailBody": body,
        }
        if copy_to_user_id:
            email["copyToUserId"] = copy_to_user_id
        path = f"/invoices/{quote(invoice_id, safe='')}/emails"
        self._http.request("POST", path, body={"email": email})
