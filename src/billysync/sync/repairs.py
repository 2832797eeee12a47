"""Repairs of reconciliation findings: only the safe ones, only through the normal workflow.

A missing invoice, payment or credit note is booked by the same durable workflow that
books any order (transfer.py, returns.py), so it is made exactly once: the request is an
inbox event, the queue runs one workflow per order at a time, and the ensure steps skip
what is bound. Before asking, Billy is read again by the marker (the finding may be stale)
and a binding is forgotten only when Billy itself says its record is gone or voided, and
then compare-and-delete: a record that a running workflow booked and bound meanwhile (a
second click racing the first one's workflow) is live in Billy, so it is never forgotten.

What would change or remove a booked document (a duplicate, a wrong amount, an unknown
document) is never repaired here: the page says what to do in Billy (docs/invariants.md I10).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from billysync.billy.client import BillyClient
from billysync.billy.errors import BillyNotFoundError
from billysync.mapping.markers import order_marker
from billysync.store import audit, bindings, shops, transfers
from billysync.sync import intake
from billysync.sync.reasons import Reason
from billysync.sync.reconcile import SAFE_KINDS, Discrepancy, FindingKind, Repair
from billysync.sync.runtime import Runtime

# What each safe finding needs gone from our bindings before the workflow books it again.
_STALE: dict[FindingKind, tuple[str, ...]] = {
    FindingKind.MISSING_INVOICE: ("invoice", "payment"),
    FindingKind.MISSING_PAYMENT: ("payment",),
    FindingKind.MISSING_CREDIT_NOTE: ("credit_note", "refund"),
}


@dataclass
class RepairReport:
    requested: list[Discrepancy] = field(default_factory=list)  # booked again by the workflow
    resolved: list[Discrepancy] = field(default_factory=list)  # Billy has it now: nothing to do
    left: list[Discrepancy] = field(default_factory=list)  # for the merchant, in Billy


class NotAFinding(ValueError):
    """`--repair` named something that is not a finding kind."""

    def __init__(self, text: str) -> None:
        super().__init__(f"{text!r} is not a finding; repair one of: {safe_names()} (or all)")
        self.text = text


class NotSafe(ValueError):
    """`--repair` named a finding that would change a booked document."""

    def __init__(self, kind: FindingKind) -> None:
        super().__init__(
            f"{kind.value} changes a booked document and is never repaired automatically: "
            "correct it in Billy (the reconciliation page says how)"
        )
        self.kind = kind


def safe_names() -> str:
    return ", ".join(sorted(k.value for k in SAFE_KINDS))


def parse_kinds(text: str) -> frozenset[FindingKind]:
    """`all` or a comma-separated list of safe kinds, for `--repair`."""
    if text.strip() == "all":
        return SAFE_KINDS
    kinds = set()
    for part in text.split(","):
        try:
            kind = FindingKind(part.strip())
        except ValueError:
            raise NotAFinding(part.strip()) from None
        if kind not in SAFE_KINDS:
            raise NotSafe(kind)
        kinds.add(kind)
    return frozenset(kinds)


def repair(
    rt: Runtime, shop_id: int, findings: Iterable[Discrepancy], kinds: frozenset[FindingKind]
) -> RepairReport:
    """Ask the workflow to book each safe finding of `kinds` that Billy still lacks."""
    report = RepairReport()
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
        prefix = shop.order_prefix
    wanted = [f for f in findings if f.kind in kinds]
    report.left = [f for f in findings if f.kind not in kinds or f.repair is not Repair.TRANSFER]
    with rt.billy_client(shop) as client:
        for finding in wanted:
            if finding.repair is not Repair.TRANSFER:
                continue
            if _still_missing(client, finding, prefix):
                _forget_stale(rt, client, shop_id, finding)
                _request(rt, shop_id, finding)
                report.requested.append(finding)
            else:
                report.resolved.append(finding)
    return report


def _still_missing(client: BillyClient, finding: Discrepancy, prefix: str) -> bool:
    if finding.kind is FindingKind.MISSING_INVOICE:
        return not client.invoices.find_by_order_no(order_marker(prefix, finding.order))
    if finding.kind is FindingKind.MISSING_CREDIT_NOTE:
        marker = order_marker(prefix, finding.order)  # the label is "<order>-R<key>"
        return not client.invoices.find_by_order_no(marker, type="creditNote")
    if finding.kind is FindingKind.MISSING_PAYMENT:
        assert finding.billy_id is not None
        if client.bank_payments.for_invoice(finding.billy_id):
            return False
        return not client.invoices.get(finding.billy_id).is_paid
    return False


def _forget_stale(rt: Runtime, client: BillyClient, shop_id: int, finding: Discrepancy) -> None:
    document_gone = False  # the invoice or credit note: listed first in _STALE
    for kind in _STALE[finding.kind]:
        with rt.db.session() as session:
            row = bindings.get_binding(session, shop_id, kind, finding.object_key)
        if row is None:
            continue
        # A payment of a document that is gone pays nothing: it is booked anew with it.
        if not document_gone and _live_in_billy(client, kind, row.billy_id):
            continue
        document_gone = document_gone or kind in ("invoice", "credit_note")
        with rt.db.session() as session:
            bindings.unbind(session, shop_id, kind, finding.object_key, row.billy_id)


def _live_in_billy(client: BillyClient, kind: str, billy_id: str) -> bool:
    """Whether Billy still has the bound record (a payment or refund: and not voided)."""
    try:
        if kind in ("payment", "refund"):
            return not client.bank_payments.get(billy_id).is_voided
        client.invoices.get(billy_id)
        return True
    except BillyNotFoundError:
        return False


def _request(rt: Runtime, shop_id: int, finding: Discrepancy) -> None:
    requested = Reason("log.repair_requested").encode()
    # The state first: a worker in this process may finish the work before we return.
    with rt.db.session() as session:
        transfers.request_retry(session, shop_id, finding.object_kind, finding.object_key)
        transfers.note_reason(session, shop_id, finding.object_kind, finding.object_key, requested)
        audit.record(
            session,
            shop_id=shop_id,
            kind=finding.object_kind,
            object_key=finding.object_key,
            step="repair",
            message=requested,
        )
    intake.submit(
        rt,
        intake.Event(
            shop_id=shop_id,
            source=intake.EventSource.COMMAND,
            name="repair",
            object_type=finding.object_kind,
            object_key=finding.object_key,
            dedupe_key=f"repair:{finding.kind.value}:{uuid.uuid4().hex}",
        ),
    )
