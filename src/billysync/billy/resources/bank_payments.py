"""Bank payments (`/v2/bankPayments`): money received for (or paid back on) invoices.

A payment settles its subjects through embedded `associations`
(`[{"subjectReference": "invoice:<id>"}]`); Billy then updates the invoice's `balance` and
`isPaid`. Payments cannot be deleted (DELETE answers 405); `void` sets `isVoided`, which cannot
be undone.

Billy has no filter for "payments of this invoice", so `for_invoice` lists payments with their
associations and picks the ones whose `subjectReference` is exactly `invoice:<id>`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.billy.models import BankPayment
from billysync.billy.resources._base import Children, Resource

EMBED_ASSOCIATIONS = "bankPayment.associations:embed"


class BankPaymentService(Resource[BankPayment]):
    path = "/bankPayments"
    singular = "bankPayment"
    plural = "bankPayments"
    model = BankPayment
    children = (
        Children(
            "associations",
            "bankPaymentAssociations",
            "associationIds",
            ("bankPaymentId", "paymentId"),
        ),
    )

    def create(self, payload: Mapping[str, Any]) -> BankPayment:
        """Create a payment, e.g. `{"entryDate": …, "cashAmount": 125, "cashSide": "debit",
        "cashAccountId": …, "associations": [{"subjectReference": "invoice:<id>"}]}`."""
        return self._create(payload)

    def get(self, payment_id: str) -> BankPayment:
        """One payment with its associations embedded."""
        return self._retrieve(payment_id, include=EMBED_ASSOCIATIONS)

    def void(self, payment_id: str) -> BankPayment:
        """Cancel a payment (`isVoided: true`); its invoice is unpaid again."""
        return self._update(payment_id, {"isVoided": True})

    def for_invoice(self, invoice_id: str, *, include_voided: bool = False) -> list[BankPayment]:
        """The payments whose association is exactly `invoice:<invoice_id>`; voided ones only
        with `include_voided` (a voided payment no longer pays anything)."""
        reference = f"invoice:{invoice_id}"
        return [
            payment
            for payment in self._iter({}, include=EMBED_ASSOCIATIONS)
            if payment.settles(reference) and (include_voided or not payment.is_voided)
        ]

    def list(self, *, include_associations: bool = False, **filters: object) -> list[BankPayment]:
        """All payments (every page); filters use Billy's names."""
        include = EMBED_ASSOCIATIONS if include_associations else None
        return self._list(filters, include=include)
