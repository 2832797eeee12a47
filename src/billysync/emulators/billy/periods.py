"""Billy's fiscal locking date: nothing is booked on or before it.

An accountant locks a period in Billy once its VAT is reported or its year is closed; the
organization's `fiscalLockingDate` is the last locked day (null: nothing is locked). Approving
an invoice or credit note, and creating a payment, dated on or before that day is refused
with 400 INVALID_RECORD on `entryDate` (docs/billy-emulator.md A29; Billy's own answer is
unknown: docs/billy-api.md open question 19).
"""

from __future__ import annotations

from datetime import date

from .errors import Invalid
from .organization import Organization


def locked_until(org: Organization) -> date | None:
    value = org.record.get("fiscalLockingDate")
    return date.fromisoformat(str(value)) if value else None


def check_open_period(org: Organization, entry_date: object, invalid: Invalid, key: str) -> None:
    """Refuse a document dated in the locked period (an unreadable date is refused elsewhere)."""
    until = locked_until(org)
    if until is None or not entry_date:
        return
    day = entry_date if isinstance(entry_date, date) else date.fromisoformat(str(entry_date))
    if day <= until:
        invalid.field(
            key,
            "entryDate",
            f"is on or before the fiscal locking date {until.isoformat()}: that period is "
            "locked. Unlock the period in Billy, or choose a later date.",
        )
