"""Backfill: historic orders and returns of a period, planned before anything is booked.

`plan` reads the shop's period (shop_period.py) and Billy's documents (reconcile.read_billy)
and sorts every order and return into what would happen to it:

- booked: transferred by the normal workflow with its original dates (the invoice on the
  trigger's day, the payment on the payment's day, the credit note on the return's day);
- adopted: Billy already has its invoice, by our marker (booked by hand or by another
  integration): bound to it, never booked again;
- already: billysync transferred it before;
- locked: dated on or before Billy's fiscal locking date: a finding, not a crash;
- waiting: its trigger is not met (or it was cancelled): nothing to book;
- would fail: the mapping refuses it, with the reason to fix.

The dry run is the plan with its totals and VAT; `backfill_run.py` carries out a plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.billy.models import Invoice
from billysync.billy.vat import SaleVat
from billysync.localtime import local_date
from billysync.mapping import orders as order_mapping
from billysync.mapping import returns as return_mapping
from billysync.mapping.errors import MappingError
from billysync.mapping.markers import order_marker
from billysync.mapping.settings import BillySettings
from billysync.money import ZERO
from billysync.shop.errors import ObjectGone
from billysync.shop.models import Order, Return
from billysync.store import audit, bindings, shops, transfers
from billysync.store.tables import Transfer
from billysync.sync import oss, reference
from billysync.sync.adapters import source_for
from billysync.sync.classify import classify
from billysync.sync.context import TransferContext
from billysync.sync.documents import invoice_extra
from billysync.sync.order_state import order_fingerprint, trigger_moment
from billysync.sync.reasons import Reason
from billysync.sync.reconcile import BillyPeriod, read_billy
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from billysync.sync.shop_period import Period, ShopPeriod, read_period

DONE_STATES = ("transferred", "paid", "credited")
PLACEHOLDER = "(new)"


class OrganizationLocked(RuntimeError):
    """Billy has locked the whole organization: nothing can be booked until it is unlocked."""

    def __init__(self, why: str) -> None:
        super().__init__(
            f"Billy has locked the organization ({why}): resolve it in Billy, then start the "
            "backfill again"
        )
        self.why = why  # Billy's own words (its `lockedReason`)


@dataclass
class Totals:
    """Net, VAT and gross of what would be booked, in one currency."""

    count: int = 0
    net: Decimal = ZERO
    vat: Decimal = ZERO
    gross: Decimal = ZERO

    def add(self, net: Decimal, vat: Decimal, gross: Decimal) -> None:
        self.count += 1
        self.net += net
        self.vat += vat
        self.gross += gross

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "net": f"{self.net:.2f}",
            "vat": f"{self.vat:.2f}",
            "gross": f"{self.gross:.2f}",
        }


@dataclass(frozen=True)
class Excluded:
    """An order or return the backfill will not book, and why: a `Reason` (sync/reasons.py),
    which the pages and the command line say in the merchant's language."""

    kind: str  # order | return
    key: str
    number: str
    reason: Reason

    @property
    def stored(self) -> str:
        """The reason as the engine stores it (a transfer's `reason`)."""
        return self.reason.encode()


@dataclass
class BackfillPlan:
    period: Period
    orders: list[Order] = field(default_factory=list)  # to book
    returns: list[Return] = field(default_factory=list)  # to book
    adopt: list[tuple[Order, Invoice]] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # order and return keys
    locked: list[Excluded] = field(default_factory=list)
    waiting: list[Excluded] = field(default_factory=list)
    would_fail: list[Excluded] = field(default_factory=list)
    order_totals: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    return_totals: dict[str, Totals] = field(default_factory=lambda: defaultdict(Totals))
    locked_until: date | None = None
    payloads: dict[tuple[str, str], str] = field(default_factory=dict)
    billy: BillyPeriod | None = None

    def to_json(self) -> dict[str, Any]:
        def excluded(items: list[Excluded]) -> list[dict[str, str]]:
            return [
                {"kind": e.kind, "key": e.key, "number": e.number, "reason": e.reason.english()}
                for e in items
            ]

        return {
            "from": self.period.first.isoformat(),
            "to": self.period.last.isoformat(),
            "orders": {cur: t.to_json() for cur, t in sorted(self.order_totals.items())},
            "returns": {cur: t.to_json() for cur, t in sorted(self.return_totals.items())},
            "adopted": [order.number for order, _ in self.adopt],
            "already": len(self.already),
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
            "locked": excluded(self.locked),
            "waiting": len(self.waiting),
            "would_fail": excluded(self.would_fail),
        }


def plan(rt: Runtime, shop_id: int, period: Period) -> BackfillPlan:
    """What a backfill of `period` would do; reads the shop and Billy, writes nothing."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}: see `billysync shop list`")
        settings = billy_settings(shop)
        done = _done_keys(session, shop_id)
        ours = {b.local_key for b in bindings.bindings_of_kind(session, shop_id, "invoice")}
    shop_side = read_period(rt, shop, period)  # its own units of work: never nested
    with rt.billy_client(shop) as client:
        org = client.organization.get()
        if org.is_locked:
            raise OrganizationLocked(org.locked_reason or "—")
        billy = read_billy(client, period)
        ctx = TransferContext(rt, shop_id, "order", "backfill", "backfill", client)
        ref = reference.reference_for(ctx)
    result = BackfillPlan(period, locked_until=billy.locked_until, billy=billy)
    result.payloads = shop_side.payloads
    for item in shop_side.unreadable:
        unreadable = Reason("shop.invalid", {"problems": item.reason})
        result.would_fail.append(Excluded(item.kind, item.key, item.key, unreadable))

    def vat(order: Order) -> SaleVat:
        # As the preview reads it: OSS rates as bound, never created by a dry run.
        return ref.sale_vat(order.customer, oss=oss.known_oss_rates(ctx, settings, order))

    for order in shop_side.orders:
        _sort_order(result, order, settings, billy, done, ours, vat)
    _sort_returns(rt, shop, result, shop_side, settings, done, vat)
    return result


def _done_keys(session: Session, shop_id: int) -> set[tuple[str, str]]:
    rows = session.execute(
        select(Transfer.kind, Transfer.object_key).where(
            Transfer.shop_id == shop_id, Transfer.state.in_(DONE_STATES)
        )
    )
    return {(kind, key) for kind, key in rows}


def _sort_order(
    result: BackfillPlan,
    order: Order,
    settings: BillySettings,
    billy: BillyPeriod,
    done: set[tuple[str, str]],
    ours: set[str],
    vat: Callable[[Order], SaleVat],
) -> None:
    if ("order", order.key) in done:
        result.already.append(order.key)
        return
    moment = trigger_moment(order, settings)
    if moment is None:
        not_due = "log.cancelled" if order.cancelled else f"log.not_{settings.trigger}"
        result.waiting.append(Excluded("order", order.key, order.number, Reason(not_due)))
        return
    in_billy = billy.invoices.get(order_marker(settings.order_prefix, order.number), [])
    if order.key in ours:
        in_billy = []  # ours, on its way (a run that was killed): the workflow finishes it
    if len(in_billy) == 1:
        result.adopt.append((order, in_billy[0]))
        return
    if len(in_billy) > 1:
        twice = Reason("billy.duplicate", {"document": "invoice"})
        result.would_fail.append(Excluded("order", order.key, order.number, twice))
        return
    entry = local_date(moment)
    if result.locked_until is not None and entry <= result.locked_until:
        locked = locked_reason("invoice", result.locked_until)
        result.locked.append(Excluded("order", order.key, order.number, locked))
        return
    try:
        draft = order_mapping.invoice_for(
            order,
            settings,
            contact_id=PLACEHOLDER,
            product_ids={ln.item_number: PLACEHOLDER for ln in order.lines},
            vat=vat(order),
            entry_date=entry,
        )
    except MappingError as exc:
        failure = classify(exc).reason
        result.would_fail.append(Excluded("order", order.key, order.number, failure))
        return
    totals = draft.predicted
    result.order_totals[order.currency].add(totals.amount, totals.tax, totals.gross_amount)
    result.orders.append(order)


def _bind_contact(session: Session, shop_id: int, order: Order, invoice: Invoice) -> None:
    """The customer's contact is the adopted invoice's, unless billysync bound one before.

    A later order of the customer is then made out to the contact the merchant already has,
    instead of a second one. The binding has no fingerprint, so the engine takes the contact
    as it is (sync/documents.py `_kept_current`) and updates it in Billy only when the
    customer's details change later. (A credit note always goes to its invoice's contact.)
    """
    customer = order.customer.key
    if not invoice.contact_id or bindings.get_binding(session, shop_id, "contact", customer):
        return
    bindings.bind(session, shop_id, "contact", customer, invoice.contact_id)


def locked_reason(document: str, locked_until: date) -> Reason:
    """The document would be dated on or before Billy's fiscal locking date."""
    params = {"until": locked_until.isoformat(), "document": document}
    return Reason("billy.period_locked_until", params)


def _sort_returns(
    rt: Runtime,
    shop: Any,
    result: BackfillPlan,
    shop_side: ShopPeriod,
    settings: BillySettings,
    done: set[tuple[str, str]],
    vat: Callable[[Order], SaleVat],
) -> None:
    known = {o.key: o for o in shop_side.orders}
    with ExitStack() as stack:
        source = stack.enter_context(closing(source_for(rt, shop))) if shop_side.returns else None
        for ret in shop_side.returns:
            label = f"{ret.order_number}-R{ret.key}"
            if ("return", ret.key) in done:
                result.already.append(ret.key)
                continue
            until = result.locked_until
            if until is not None and ret.date <= until:
                result.locked.append(
                    Excluded("return", ret.key, label, locked_reason("credit_note", until))
                )
                continue
            try:
                order = known.get(ret.order_key)
                if order is None:  # a return in the period of an order from before it
                    assert source is not None
                    order = source.read_order(ret.order_key)
                draft = return_mapping.credit_note_for(
                    ret,
                    order,
                    settings,
                    contact_id=PLACEHOLDER,
                    original_invoice_id=PLACEHOLDER,
                    product_ids={ln.item_number: PLACEHOLDER for ln in order.lines},
                    vat=vat(order),  # the original sale's rates, as the engine credits
                    entry_date=ret.date,
                )
            except (MappingError, ObjectGone) as exc:
                failure = classify(exc).reason
                result.would_fail.append(Excluded("return", ret.key, label, failure))
                continue
            totals = draft.predicted
            result.return_totals[ret.currency].add(totals.amount, totals.tax, totals.gross_amount)
            result.returns.append(ret)


def bind_adopted(
    rt: Runtime, shop_id: int, order: Order, invoice: Invoice, billy: BillyPeriod
) -> str | None:
    """Bind an order to the invoice Billy already has (and its one payment, if any), and the
    customer to the invoice's contact when billysync has none for them yet.

    None when the engine bound it meanwhile: then it is ours, on its way (a workflow of a
    run that was killed, resumed by DBOS), and its state is the workflow's to say.
    """
    payments = billy.payments.get(invoice.id, [])
    paid = invoice.is_paid or len(payments) == 1
    state = transfers.TransferState.PAID if paid else transfers.TransferState.TRANSFERRED
    with rt.db.session() as session:
        if bindings.get_binding(session, shop_id, "invoice", order.key) is not None:
            return None
        bindings.bind(
            session,
            shop_id,
            "invoice",
            order.key,
            invoice.id,
            marker=invoice.order_no,
            extra=invoice_extra(invoice),
        )
        _bind_contact(session, shop_id, order, invoice)
        if len(payments) == 1:
            bindings.bind(
                session,
                shop_id,
                "payment",
                order.key,
                payments[0].id,
                marker=f"invoice:{invoice.id}",
                extra={"amount": str(payments[0].cash_amount)},
            )
        transfers.note_read(
            session,
            shop_id,
            "order",
            order.key,
            order_key=order.key,
            number=order.number,
            order_date=order.created_at,
            currency=order.currency,
            snapshot=order.model_dump_json(),
            snapshot_hash=order_fingerprint(order),
        )
        transfers.record_document(
            session,
            shop_id,
            "order",
            order.key,
            billy_id=invoice.id,
            number=invoice.invoice_no,
            gross=invoice.gross_amount or ZERO,
            currency=invoice.currency_id or order.currency,
            transferred_hash=order_fingerprint(order),
        )
        row = transfers.get_transfer(session, shop_id, "order", order.key)
        if row is None or row.state != transfers.TransferState.PAID.value:  # never backwards
            transfers.finish(session, shop_id, "order", order.key, state)
        audit.record(
            session,
            shop_id=shop_id,
            kind="order",
            object_key=order.key,
            step="adopted",
            message=Reason(
                "log.adopted_by_backfill", {"invoice": invoice.invoice_no or invoice.id}
            ).encode(),
            billy_id=invoice.id,
        )
    return state.value
