"""Reconciliation: proof that Billy matches the shop for a period, or what does not.

The shop's orders and returns (shop_period.py) are compared with Billy's invoices, credit
notes and bank payments, read with paging and matched by our markers exactly, on our side
(docs/billy-api.md §1.6: Billy ignores filters it does not know). Each difference is a
`Discrepancy` with the order, the Billy document and the amounts; `repairs.py` books the
safe ones through the normal workflow. Nothing here writes to Billy.

What is expected of an order follows docs/invariants.md: one invoice once the trigger is
met (I1) whose gross is the shop's total (I2), one payment when the shop was paid and
payment posting is on (I3), one credit note per return (I4), never more credited than
invoiced (I8).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.billy.client import BillyClient
from billysync.billy.models import BankPayment, Invoice
from billysync.localtime import local_date
from billysync.mapping.markers import order_marker, return_marker
from billysync.mapping.settings import BillySettings
from billysync.money import ZERO, round2
from billysync.shop.models import Order
from billysync.store import shops
from billysync.store.tables import Binding, ReconciliationRun, Transfer, utcnow
from billysync.sync.order_state import trigger_moment
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from billysync.sync.shop_period import Period, ShopPeriod, read_period


class FindingKind(StrEnum):
    MISSING_INVOICE = "missing_invoice"  # the trigger was met, Billy has no invoice
    DUPLICATE_INVOICE = "duplicate_invoice"  # one order, more than one invoice with its marker
    AMOUNT_MISMATCH = "amount_mismatch"  # the invoice's gross is not the shop's total
    MISSING_PAYMENT = "missing_payment"  # the shop was paid, the invoice is open
    DUPLICATE_PAYMENT = "duplicate_payment"  # more than one payment on the invoice
    MISSING_CREDIT_NOTE = "missing_credit_note"  # a return with no credit note
    OVER_CREDITED = "over_credited"  # more credited than invoiced, or a return credited twice
    UNKNOWN_IN_BILLY = "unknown_in_billy"  # our prefix, but no shop order or return of ours


class Repair(StrEnum):
    TRANSFER = "transfer"  # safe: the normal workflow books what is missing, exactly once
    IN_BILLY = "in_billy"  # would change a booked document: the merchant decides in Billy
    LOCKED = "locked"  # Billy has locked the period: unlock it in Billy, then repair


# Safe repairs only ever add a missing document; everything else stays with the merchant.
SAFE_KINDS = frozenset(
    {FindingKind.MISSING_INVOICE, FindingKind.MISSING_PAYMENT, FindingKind.MISSING_CREDIT_NOTE}
)


@dataclass(frozen=True)
class Discrepancy:
    """One finding: the shop's object, the Billy document (if any) and the two amounts."""

    kind: FindingKind
    object_kind: str  # order | return
    object_key: str
    order: str  # the order number the merchant sees (a return: "<order>-R<key>")
    billy_id: str | None
    expected: Decimal | None
    actual: Decimal | None
    repair: Repair
    billy_no: str | None = None  # the document's number in Billy, as the merchant sees it
    locked_until: date | None = None  # Billy's fiscal locking date, when it blocks the repair

    @property
    def document(self) -> str | None:
        return self.billy_no or self.billy_id

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "order": self.order,
            "object": self.object_kind,
            "key": self.object_key,
            "billy_id": self.billy_id,
            "billy_no": self.billy_no,
            "expected": _amount(self.expected),
            "actual": _amount(self.actual),
            "repair": self.repair.value,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Discrepancy:
        return cls(
            kind=FindingKind(data["kind"]),
            object_kind=data["object"],
            object_key=data["key"],
            order=data["order"],
            billy_id=data.get("billy_id"),
            expected=Decimal(data["expected"]) if data.get("expected") is not None else None,
            actual=Decimal(data["actual"]) if data.get("actual") is not None else None,
            repair=Repair(data["repair"]),
            billy_no=data.get("billy_no"),
            locked_until=date.fromisoformat(until) if (until := data.get("locked_until")) else None,
        )


def _amount(value: Decimal | None) -> str | None:
    # Exact decimal text at the JSON boundary: a bookkeeper compares it to the øre.
    return None if value is None else f"{round2(value):.2f}"


@dataclass
class Reconciliation:
    shop_id: int
    shop_name: str
    period: Period
    checked: dict[str, int] = field(default_factory=dict)
    findings: list[Discrepancy] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    def to_json(self) -> dict[str, Any]:
        return {
            "shop": self.shop_id,
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "checked": dict(self.checked),
            "findings": [f.to_json() for f in self.findings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], shop_name: str = "") -> Reconciliation:
        return cls(
            shop_id=int(data["shop"]),
            shop_name=shop_name,
            period=Period(date.fromisoformat(data["from"]), date.fromisoformat(data["to"])),
            checked={k: int(v) for k, v in data.get("checked", {}).items()},
            findings=[Discrepancy.from_json(f) for f in data.get("findings", [])],
        )


@dataclass
class BillyPeriod:
    """Billy's documents from the period's first day on, grouped by our markers."""

    invoices: dict[str, list[Invoice]]  # orderNo → invoices (not voided)
    credit_notes: dict[str, list[Invoice]]  # orderNo → credit notes (not voided)
    credited: dict[str, list[Invoice]]  # invoice id → its credit notes
    payments: dict[str, list[BankPayment]]  # invoice id → payments (not voided)
    in_period: list[Invoice]  # documents dated inside the period, for unknown_in_billy
    locked_until: date | None  # Billy's fiscal locking date, if any

    def credited_in_full(self, invoice: Invoice) -> bool:
        """Whether credit notes take back all of the invoice: what the pages tell a merchant
        to do with a duplicate, a wrong amount or an unknown document (Billy has no documented
        way to void an approved invoice, docs/billy-api.md §3.10)."""
        notes = self.credited.get(invoice.id, [])
        gross = invoice.gross_amount or ZERO
        return (
            bool(notes)
            and gross > ZERO
            and sum((n.gross_amount or ZERO for n in notes), ZERO) >= gross
        )

    def order_invoices(self, marker: str) -> tuple[Invoice | None, list[Invoice]]:
        """The order's invoice, and the duplicates beside it.

        With one invoice, that is it, even if a full return credited it. With more than one,
        those credited in full are cancelled (the merchant did as the page said) and neither
        the invoice nor a duplicate; the first one left is the order's invoice.
        """
        found = self.invoices.get(marker, [])
        if len(found) <= 1:
            return (found[0] if found else None), []
        live = [i for i in found if not self.credited_in_full(i)]
        if not live:
            return found[0], []
        return live[0], live[1:]


def read_billy(client: BillyClient, period: Period) -> BillyPeriod:
    """Every invoice and credit note dated from the period's start (an order of the period may
    be paid, and so invoiced, after it ends) and every payment, each list read with paging."""
    invoices: dict[str, list[Invoice]] = defaultdict(list)
    credit_notes: dict[str, list[Invoice]] = defaultdict(list)
    credited: dict[str, list[Invoice]] = defaultdict(list)
    in_period: list[Invoice] = []
    for document in client.invoices.list(minEntryDate=period.first.isoformat()):
        if document.state == "voided":
            continue
        if document.entry_date is not None and period.holds(document.entry_date):
            in_period.append(document)
        if document.is_credit_note and document.credited_invoice_id:
            # With or without our marker: a merchant's own credit note counts too.
            credited[document.credited_invoice_id].append(document)
        if not document.order_no:
            continue
        if document.is_credit_note:
            credit_notes[document.order_no].append(document)
        else:
            invoices[document.order_no].append(document)
    payments: dict[str, list[BankPayment]] = defaultdict(list)
    for payment in client.bank_payments.list(include_associations=True):
        if payment.is_voided:
            continue
        for association in payment.associations or ():
            reference = association.subject_reference or ""
            if reference.startswith("invoice:"):
                payments[reference.removeprefix("invoice:")].append(payment)
    locked_until = client.organization.get().fiscal_locking_date
    return BillyPeriod(invoices, credit_notes, credited, payments, in_period, locked_until)


def reconcile(rt: Runtime, shop_id: int, period: Period) -> Reconciliation:
    """Compare the shop with Billy for `period`; raises what stops it (key, connection, …)."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}: see `billysync shop list`")
        settings = billy_settings(shop)
        shop_name = shop.name
    shop_side = read_period(rt, shop, period)  # its own units of work: never nested
    with rt.billy_client(shop) as client:
        billy = read_billy(client, period)
    with rt.db.session() as session:
        known = _known_markers(session, shop_id, settings.order_prefix)
    return compare(shop_id, shop_name, period, settings, shop_side, billy, known)


def compare(
    shop_id: int,
    shop_name: str,
    period: Period,
    settings: BillySettings,
    shop_side: ShopPeriod,
    billy: BillyPeriod,
    known: set[str],
) -> Reconciliation:
    """The findings, from what each side holds (pure: no calls)."""
    result = Reconciliation(shop_id, shop_name, period)
    prefix = settings.order_prefix
    ours: set[str] = set(known)
    orders = {o.key: o for o in shop_side.orders}
    for order in shop_side.orders:
        ours.add(order_marker(prefix, order.number))
        result.findings.extend(_order_findings(order, settings, billy))
    for ret in shop_side.returns:
        marker = return_marker(prefix, ret.order_number, ret.key)
        ours.add(marker)
        label = f"{ret.order_number}-R{ret.key}"
        notes = billy.credit_notes.get(marker, [])
        invoiced = billy.invoices.get(order_marker(prefix, ret.order_number), [])
        of = orders.get(ret.order_key)
        if not notes and invoiced and (of is None or trigger_moment(of, settings)):
            repair = _repair_for(ret.date, billy)
            result.findings.append(
                Discrepancy(
                    FindingKind.MISSING_CREDIT_NOTE,
                    "return",
                    ret.key,
                    label,
                    None,
                    ret.amount,
                    None,
                    repair,
                )
            )
        for extra in notes[1:]:
            result.findings.append(
                Discrepancy(
                    FindingKind.OVER_CREDITED,
                    "return",
                    ret.key,
                    label,
                    extra.id,
                    ret.amount,
                    sum((n.gross_amount or ZERO for n in notes), ZERO),
                    Repair.IN_BILLY,
                    extra.invoice_no,
                )
            )
    named = {(f.kind, f.billy_id) for f in result.findings}  # one finding per extra note
    result.findings.extend(
        f for f in _over_credited(billy, orders, prefix) if (f.kind, f.billy_id) not in named
    )
    result.findings.extend(_unknown(billy, prefix, ours))
    # A repair the locked period blocks names the locking date, so the merchant knows what
    # to unlock in Billy.
    result.findings = [
        replace(f, locked_until=billy.locked_until) if f.repair is Repair.LOCKED else f
        for f in result.findings
    ]
    result.checked = {
        "orders": len(shop_side.orders),
        "returns": len(shop_side.returns),
        "invoices": sum(1 for d in billy.in_period if not d.is_credit_note),
        "credit_notes": sum(1 for d in billy.in_period if d.is_credit_note),
        "payments": sum(len(p) for p in billy.payments.values()),
        "unreadable": len(shop_side.unreadable),
    }
    return result


def _order_findings(order: Order, settings: BillySettings, billy: BillyPeriod) -> list[Discrepancy]:
    moment = trigger_moment(order, settings)
    marker = order_marker(settings.order_prefix, order.number)
    invoice, duplicates = billy.order_invoices(marker)

    def finding(
        kind: FindingKind, document: Invoice | None, actual: Decimal | None, repair: Repair
    ) -> Discrepancy:
        billy_id, billy_no = (document.id, document.invoice_no) if document else (None, None)
        return Discrepancy(
            kind, "order", order.key, order.number, billy_id, order.total, actual, repair, billy_no
        )

    if invoice is None:
        if moment is None:
            return []  # nothing is due yet (or the order was cancelled before its trigger)
        repair = _repair_for(local_date(moment), billy)
        return [finding(FindingKind.MISSING_INVOICE, None, None, repair)]
    findings = [
        finding(FindingKind.DUPLICATE_INVOICE, extra, extra.gross_amount, Repair.IN_BILLY)
        for extra in duplicates
    ]
    gross = invoice.gross_amount or ZERO
    if round2(gross) != round2(order.total):
        findings.append(finding(FindingKind.AMOUNT_MISMATCH, invoice, gross, Repair.IN_BILLY))
    payments = billy.payments.get(invoice.id, [])
    paid_in_shop = settings.post_payments and order.is_paid
    balance = invoice.balance if invoice.balance is not None else gross
    if paid_in_shop and not payments and not invoice.is_paid and balance > ZERO:
        when = (
            order.payment.date if order.payment else local_date(order.paid_at or order.created_at)
        )
        findings.append(
            Discrepancy(
                FindingKind.MISSING_PAYMENT,
                "order",
                order.key,
                order.number,
                invoice.id,
                order.payment.amount if order.payment else gross,
                ZERO,
                _repair_for(when, billy),
                invoice.invoice_no,
            )
        )
    for extra in payments[1:]:
        findings.append(
            Discrepancy(
                FindingKind.DUPLICATE_PAYMENT,
                "order",
                order.key,
                order.number,
                extra.id,
                payments[0].cash_amount,
                sum((p.cash_amount or ZERO for p in payments), ZERO),
                Repair.IN_BILLY,
            )
        )
    return findings


def _repair_for(entry_date: date, billy: BillyPeriod) -> Repair:
    """A document dated on or before Billy's fiscal locking date cannot be booked."""
    if billy.locked_until is not None and entry_date <= billy.locked_until:
        return Repair.LOCKED
    return Repair.TRANSFER


def _over_credited(billy: BillyPeriod, orders: dict[str, Order], prefix: str) -> list[Discrepancy]:
    """Invoices of the period's orders whose credit notes add up to more than their gross (I8)."""
    findings = []
    for order in orders.values():
        invoice, _ = billy.order_invoices(order_marker(prefix, order.number))
        if invoice is None:
            continue
        notes = billy.credited.get(invoice.id, [])
        credited = sum((n.gross_amount or ZERO for n in notes), ZERO)
        if notes and credited > (invoice.gross_amount or ZERO):
            findings.append(
                Discrepancy(
                    FindingKind.OVER_CREDITED,
                    "order",
                    order.key,
                    order.number,
                    notes[-1].id,
                    invoice.gross_amount,
                    credited,
                    Repair.IN_BILLY,
                    notes[-1].invoice_no,
                )
            )
    return findings


def _unknown(billy: BillyPeriod, prefix: str, ours: set[str]) -> list[Discrepancy]:
    """Documents of the period marked with this shop's prefix that match nothing of ours,
    unless credited in full (with the credit notes that did it), as the page advises."""
    cancelled = {
        d.id for d in billy.in_period if not d.is_credit_note and billy.credited_in_full(d)
    }
    return [
        Discrepancy(
            FindingKind.UNKNOWN_IN_BILLY,
            "return" if document.is_credit_note else "order",
            "",
            document.order_no or "",
            document.id,
            None,
            document.gross_amount,
            Repair.IN_BILLY,
            document.invoice_no,
        )
        for document in billy.in_period
        if document.order_no
        and document.order_no.startswith(prefix)
        and document.order_no not in ours
        and document.id not in cancelled
        and document.credited_invoice_id not in cancelled
    ]


def _known_markers(session: Session, shop_id: int, prefix: str) -> set[str]:
    """Markers of documents we booked or know of, whatever their order's date (an order of
    the month before, paid in this period, is not unknown)."""
    bound = {
        marker
        for (marker,) in session.execute(
            select(Binding.marker).where(
                Binding.shop_id == shop_id, Binding.kind.in_(("invoice", "credit_note"))
            )
        )
        if marker
    }
    numbers = session.execute(
        select(Transfer.number).where(Transfer.shop_id == shop_id, Transfer.kind == "order")
    )
    return bound | {order_marker(prefix, n) for (n,) in numbers if n}


# --- keeping the result -------------------------------------------------------------------


def save(rt: Runtime, result: Reconciliation, origin: str) -> int:
    """Store the result for the page and the overview; returns the run's id."""
    with rt.db.session() as session:
        run = ReconciliationRun(
            shop_id=result.shop_id,
            period_from=result.period.first,
            period_to=result.period.last,
            origin=origin,
            orders=result.checked.get("orders", 0),
            finding_count=len(result.findings),
            result=json.dumps(result.to_json()),
            finished_at=utcnow(),
        )
        session.add(run)
        session.flush()
        return run.id


def save_failure(rt: Runtime, shop_id: int, period: Period, origin: str, reason: str) -> None:
    with rt.db.session() as session:
        session.add(
            ReconciliationRun(
                shop_id=shop_id,
                period_from=period.first,
                period_to=period.last,
                origin=origin,
                error=reason,
                finished_at=utcnow(),
            )
        )


def latest(rt: Runtime, shop_id: int) -> ReconciliationRun | None:
    with rt.db.session() as session:
        run = session.scalar(
            select(ReconciliationRun)
            .where(ReconciliationRun.shop_id == shop_id)
            .order_by(ReconciliationRun.id.desc())
            .limit(1)
        )
        return run  # the session keeps nothing expired: read after it closes
