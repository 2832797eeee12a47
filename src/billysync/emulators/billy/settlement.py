"""What is still owed on an invoice or credit note: `balance` and `isPaid`.

Every subject (invoice or credit note) keeps `_settled`, the sum of what has settled it
in its own currency: bank payments (their association amounts) and, between a credit
note and the invoice it credits, the credited amount. Then

    balance = max(grossAmount − settled, 0)        isPaid = approved and settled ≥ gross

Like Billy, a balance never goes below zero: what was paid beyond it (an overpayment,
which Billy moves to the contact's balance) is kept as `overpaid`, visible in the Ledger
so tests can see a double payment. A draft's balance is its gross amount (fixtures).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billysync.money import ZERO

Record = dict[str, Any]


def settled(subject: Record) -> Decimal:
    value = subject.get("_settled", ZERO)
    assert isinstance(value, Decimal)
    return value


def outstanding(subject: Record) -> Decimal:
    return max(subject["grossAmount"] - settled(subject), ZERO)


def overpaid(subject: Record) -> Decimal:
    return max(settled(subject) - subject["grossAmount"], ZERO)


def settle(subject: Record, amount: Decimal) -> None:
    """Add (or, with a negative amount, take back) a settlement and refresh the balance."""
    subject["_settled"] = settled(subject) + amount
    refresh(subject)


def refresh(subject: Record) -> None:
    subject["balance"] = outstanding(subject)
    subject["isPaid"] = subject["state"] == "approved" and subject["balance"] == ZERO
