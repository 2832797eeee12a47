"""What one row of the Overview shows for an order or a return, read from its transfer.

The amount is the invoice's (or credit note's) gross once Billy has it; before that it is
the order's own total from the shop, marked as not yet invoiced, so the merchant sees what
is coming. A return's amount is money going back to the customer, so it is shown negative,
as the credit note books it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from billysync.money import parse_money, round2, to_ore
from billysync.store.tables import Transfer

# States whose reason the merchant needs next to the badge (why it stopped or was left out).
STATES_WITH_REASON = ("failed", "skipped")


@dataclass(frozen=True)
class OrderRow:
    kind: str  # order | return
    object_key: str
    number: str
    day: datetime
    state: str
    reason: str | None
    invoice_no: str | None
    amount_ore: int | None  # signed: a return is negative
    currency: str | None
    invoiced: bool  # the amount is Billy's invoice (True) or the shop's total (False)
    updated_at: datetime

    @property
    def link(self) -> str:
        return f"{'orders' if self.kind == 'order' else 'returns'}/{self.object_key}"


def _shop_total(transfer: Transfer) -> tuple[int | None, str | None]:
    """The order's total (or the return's amount) and currency from the stored shop copy."""
    if not transfer.snapshot:
        return None, None
    try:
        data = json.loads(transfer.snapshot)
        value = data.get("total" if transfer.kind == "order" else "amount")
        amount = to_ore(round2(parse_money(value))) if value is not None else None
    except (ValueError, TypeError, ArithmeticError, AttributeError):
        return None, None
    currency = data.get("currency") or "DKK"  # the canonical models' default
    return amount, currency if isinstance(currency, str) else None


def row_for(transfer: Transfer) -> OrderRow:
    invoiced = transfer.amount_ore is not None
    if invoiced:
        amount, currency = transfer.amount_ore, transfer.currency
    else:
        amount, currency = _shop_total(transfer)
    if amount is not None and transfer.kind == "return":
        amount = -abs(amount)
    return OrderRow(
        kind=transfer.kind,
        object_key=transfer.object_key,
        number=transfer.number or transfer.object_key,
        day=transfer.order_date or transfer.created_at,
        state=transfer.state,
        reason=transfer.reason if transfer.state in STATES_WITH_REASON else None,
        invoice_no=transfer.invoice_no,
        amount_ore=amount,
        currency=currency,
        invoiced=invoiced,
        updated_at=transfer.updated_at,
    )
