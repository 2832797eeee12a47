"""Transfers: each order's and return's state on its way into Billy, for the overview.

States: `received` (stored, not yet worked), `waiting` (trigger not met), `transferred`
(invoice in Billy), `paid` (payment posted), `credited` (return booked as a credit note),
`failed` (stopped with a reason), `skipped` (nothing to do, with a reason).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import Transfer, utcnow

STATES = ("received", "waiting", "transferred", "paid", "credited", "failed", "skipped")


def get_transfer(session: Session, shop_id: int, kind: str, object_key: str) -> Transfer | None:
    return session.scalar(
        select(Transfer).where(
            Transfer.shop_id == shop_id, Transfer.kind == kind, Transfer.object_key == object_key
        )
    )


def ensure_transfer(session: Session, shop_id: int, kind: str, object_key: str) -> Transfer:
    row = get_transfer(session, shop_id, kind, object_key)
    if row is not None:
        return row
    insert_absent(session, Transfer, shop_id=shop_id, kind=kind, object_key=object_key)
    row = get_transfer(session, shop_id, kind, object_key)
    assert row is not None
    return row


def update_transfer(
    session: Session, shop_id: int, kind: str, object_key: str, **fields: Any
) -> Transfer:
    row = ensure_transfer(session, shop_id, kind, object_key)
    for name, value in fields.items():
        if not hasattr(Transfer, name):
            raise AttributeError(f"transfers have no column {name!r}")
        setattr(row, name, value)
    row.updated_at = utcnow()
    session.flush()
    return row


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


def count_by_state(session: Session, shop_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Transfer.state, func.count())
        .where(Transfer.shop_id == shop_id)
        .group_by(Transfer.state)
    )
    return {state: count for state, count in rows}
