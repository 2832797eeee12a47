"""Transfers: each order's and return's state on its way into Billy, for the overview.

The state changes only by the named transitions below (one function each), so every way a
transfer can move is listed here:

    received ──begin_attempt──▶ (working) ──finish──▶ waiting | transferred | paid | credited
        ▲                           │  └──stop──▶ failed (with a reason and error kind)
        │                           │  └──stop──▶ skipped (nothing to do, with a reason)
        └──────request_retry────────┘
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session, defer

from billysync.money import to_ore
from billysync.store.db import insert_absent
from billysync.store.tables import Shop, Transfer, utcnow


class TransferState(StrEnum):
    RECEIVED = "received"  # stored, not yet worked
    WAITING = "waiting"  # the trigger (paid/shipped) is not met, or a return awaits its order
    TRANSFERRED = "transferred"  # the invoice is in Billy
    PAID = "paid"  # and its payment is posted
    CREDITED = "credited"  # a return booked as a credit note
    FAILED = "failed"  # stopped with a reason; retried by command
    SKIPPED = "skipped"  # nothing to do, with a reason


STATES = tuple(state.value for state in TransferState)


@dataclass(frozen=True)
class AttemptView:
    """What an attempt reads at its start, in one statement: the version of the shop's
    settings, and its transfer as it stands (None: there is no row yet)."""

    settings_version: int
    state: str | None
    reason: str | None
    transferred_hash: str | None


def attempt_view(session: Session, shop_id: int, kind: str, key: str) -> AttemptView | None:
    """None when the shop is gone."""
    row = session.execute(
        select(Shop.settings_version, Transfer.state, Transfer.reason, Transfer.transferred_hash)
        .select_from(Shop)
        .outerjoin(
            Transfer,
            and_(Transfer.shop_id == Shop.id, Transfer.kind == kind, Transfer.object_key == key),
        )
        .where(Shop.id == shop_id)
    ).first()
    return AttemptView(*row) if row is not None else None


def get_transfer(session: Session, shop_id: int, kind: str, object_key: str) -> Transfer | None:
    # The row this unit of work already holds, if any: a unit that makes several of the
    # transitions below reads it once and writes it once.
    for held in session.identity_map.values():
        if isinstance(held, Transfer) and (held.shop_id, held.kind, held.object_key) == (
            shop_id,
            kind,
            object_key,
        ):
            return held
    return session.scalar(
        select(Transfer).where(
            Transfer.shop_id == shop_id, Transfer.kind == kind, Transfer.object_key == object_key
        )
    )


def add_transfer(session: Session, shop_id: int, kind: str, object_key: str) -> None:
    """The row of a newly received order or return, unless it is there (one statement)."""
    insert_absent(session, Transfer, shop_id=shop_id, kind=kind, object_key=object_key)


def ensure_transfer(session: Session, shop_id: int, kind: str, object_key: str) -> Transfer:
    row = get_transfer(session, shop_id, kind, object_key)
    if row is not None:
        return row
    insert_absent(session, Transfer, shop_id=shop_id, kind=kind, object_key=object_key)
    row = get_transfer(session, shop_id, kind, object_key)
    assert row is not None
    return row


def _set(session: Session, shop_id: int, kind: str, key: str, **values: object) -> None:
    """Change the transfer's row in one statement (no read); made first if it is missing."""
    values["updated_at"] = utcnow()
    done = session.execute(
        update(Transfer)
        .where(Transfer.shop_id == shop_id, Transfer.kind == kind, Transfer.object_key == key)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount == 0:  # type: ignore[attr-defined]
        row = ensure_transfer(session, shop_id, kind, key)
        for name, value in values.items():
            setattr(row, name, value)


def _touch(row: Transfer) -> Transfer:
    row.updated_at = utcnow()
    return row


def begin_attempt(session: Session, shop_id: int, kind: str, key: str, attempt: int) -> None:
    """An attempt starts: count it and forget the previous attempt's error kind."""
    _set(session, shop_id, kind, key, attempts=attempt, error_kind=None)


def note_retrying(session: Session, shop_id: int, kind: str, key: str, reason: str) -> None:
    """A transient failure; the workflow tries again after a pause (the state stays). The
    reason says when."""
    _touch(ensure_transfer(session, shop_id, kind, key)).reason = reason


def note_reason(session: Session, shop_id: int, kind: str, key: str, reason: str) -> None:
    """Something the merchant should read, without a change of state."""
    _touch(ensure_transfer(session, shop_id, kind, key)).reason = reason


def finish_seen(
    session: Session,
    shop_id: int,
    kind: str,
    key: str,
    state: TransferState,
    note: str | None,
    *,
    seen_state: str | None,
    seen_reason: str | None,
    attempt: int,
) -> bool:
    """`finish` for an attempt that read the transfer at its start (`attempt_view`): one
    statement, with the attempt's number. True when it said the same before."""
    _set(
        session,
        shop_id,
        kind,
        key,
        state=state.value,
        reason=note,
        error_kind=None,
        attempts=attempt,
    )
    return seen_state == state.value and seen_reason == note


def finish(
    session: Session,
    shop_id: int,
    kind: str,
    key: str,
    state: TransferState,
    note: str | None = None,
) -> bool:
    """The attempt ended in `state` (with a `note` for the merchant, if any); True when the
    transfer was there already, with the same said (a repeated event that changed nothing)."""
    row = ensure_transfer(session, shop_id, kind, key)
    unchanged = row.state == state.value and row.reason == note
    row.state, row.reason, row.error_kind = state.value, note, None
    _touch(row)
    session.flush()
    return unchanged


def stop(
    session: Session,
    shop_id: int,
    kind: str,
    key: str,
    state: TransferState,
    reason: str,
    error_kind: str | None,
) -> None:
    """Stop with the reason: `failed` (with its error kind) or `skipped`."""
    assert state in (TransferState.FAILED, TransferState.SKIPPED), state
    row = ensure_transfer(session, shop_id, kind, key)
    row.state, row.reason, row.error_kind = state.value, reason, error_kind
    _touch(row)


def request_retry(
    session: Session, shop_id: int, kind: str, key: str, reason: str = "retry requested"
) -> None:
    """The merchant asked to run a stopped order or return again (`reason` as the engine
    stores it: sync/reasons.py)."""
    row = ensure_transfer(session, shop_id, kind, key)
    row.state, row.reason = TransferState.RECEIVED.value, reason
    _touch(row)


def note_read(
    session: Session,
    shop_id: int,
    kind: str,
    key: str,
    *,
    order_key: str,
    number: str,
    order_date: datetime,
    currency: str,
    snapshot: str,
    snapshot_hash: str | None = None,
) -> None:
    """Keep the order or return as read now: its snapshot, the order it belongs to (an
    order's own key), and for an order the fingerprint of its content."""
    values: dict[str, object] = dict(
        order_key=order_key,
        number=number,
        order_date=order_date,
        currency=currency,
        snapshot=snapshot,
    )
    if snapshot_hash is not None:
        values["snapshot_hash"] = snapshot_hash
    _set(session, shop_id, kind, key, **values)


def record_document(
    session: Session,
    shop_id: int,
    kind: str,
    key: str,
    *,
    billy_id: str,
    number: str | None,
    gross: Decimal,
    currency: str,
    transferred_hash: str | None = None,
) -> None:
    """The invoice (order) or credit note (return) is in Billy; an order also keeps the
    fingerprint of what was invoiced."""
    values: dict[str, object] = dict(
        invoice_id=billy_id, invoice_no=number, amount_ore=to_ore(gross)
    )
    if kind == "order":
        values.update(currency=currency, transferred_hash=transferred_hash)
    _set(session, shop_id, kind, key, **values)


def waiting_returns(session: Session, shop_id: int, order_key: str) -> list[str]:
    """The keys of the returns that wait for this order."""
    return list(
        session.scalars(
            select(Transfer.object_key).where(
                Transfer.shop_id == shop_id,
                Transfer.kind == "return",
                Transfer.state == TransferState.WAITING.value,
                Transfer.order_key == order_key,
            )
        )
    )


def returns_of(session: Session, shop_id: int, order_key: str) -> list[Transfer]:
    """Every return of an order, oldest first."""
    return list(
        session.scalars(
            select(Transfer)
            .where(
                Transfer.shop_id == shop_id,
                Transfer.kind == "return",
                Transfer.order_key == order_key,
            )
            .order_by(Transfer.id)
        )
    )


def list_transfers(
    session: Session,
    shop_id: int,
    *,
    kind: str | None = None,
    state: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Transfer]:
    query = select(Transfer).where(Transfer.shop_id == shop_id)
    if kind:
        query = query.where(Transfer.kind == kind)
    if state:
        query = query.where(Transfer.state == state)
    if since:
        query = query.where(Transfer.created_at >= since)
    if until:
        query = query.where(Transfer.created_at < until)
    if search:
        pattern = f"%{search}%"
        query = query.where(or_(Transfer.number.like(pattern), Transfer.invoice_no.like(pattern)))
    query = query.order_by(Transfer.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(query))


def failed_by_kind(
    session: Session, shop_id: int, kinds: tuple[str, ...], newest: int
) -> dict[str, tuple[int, list[Transfer]]]:
    """The failed transfers by the kind of fix they need: how many of each, and the newest
    `newest` of each (without their snapshots, which a list never shows). A kind not in
    `kinds` is filed under "other"."""
    counts: dict[str, int] = {}
    for error_kind, count in session.execute(
        select(Transfer.error_kind, func.count())
        .where(Transfer.shop_id == shop_id, Transfer.state == "failed")
        .group_by(Transfer.error_kind)
    ):
        kind = error_kind if error_kind in kinds else "other"
        counts[kind] = counts.get(kind, 0) + count
    found: dict[str, tuple[int, list[Transfer]]] = {}
    for kind, count in counts.items():
        which = (
            Transfer.error_kind == kind
            if kind != "other"
            else or_(Transfer.error_kind.is_(None), Transfer.error_kind.not_in(kinds))
        )
        rows = session.scalars(
            select(Transfer)
            .options(defer(Transfer.snapshot))
            .where(Transfer.shop_id == shop_id, Transfer.state == "failed", which)
            .order_by(Transfer.id.desc())
            .limit(newest)
        )
        found[kind] = (count, list(rows))
    return found


def count_by_state(session: Session, shop_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Transfer.state, func.count())
        .where(Transfer.shop_id == shop_id)
        .group_by(Transfer.state)
    )
    return {state: count for state, count in rows}
