"""Bindings (OCA's *binder*): our key ↔ Billy's id, one row per (shop, kind, local key).

A binding is written in its own transaction right after Billy confirms a write, so a crash
between the two leaves at most a Billy record without a binding, which the next attempt
finds by its marker (never a second record).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from billysync.store.tables import Binding, utcnow


def get_binding(session: Session, shop_id: int, kind: str, local_key: str) -> Binding | None:
    return session.scalar(
        select(Binding).where(
            Binding.shop_id == shop_id, Binding.kind == kind, Binding.local_key == local_key
        )
    )


def bind(
    session: Session,
    shop_id: int,
    kind: str,
    local_key: str,
    billy_id: str,
    *,
    marker: str | None = None,
    content_hash: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Binding:
    """Create or update the binding; two writers binding the same key agree on one row."""
    row = get_binding(session, shop_id, kind, local_key)
    if row is None:
        row = Binding(shop_id=shop_id, kind=kind, local_key=local_key, billy_id=billy_id)
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            row = get_binding(session, shop_id, kind, local_key)
            assert row is not None
    row.billy_id = billy_id
    row.marker = marker
    row.content_hash = content_hash
    row.extra = json.dumps(extra, sort_keys=True) if extra is not None else row.extra
    row.updated_at = utcnow()
    session.flush()
    return row


def binding_extra(row: Binding) -> dict[str, Any]:
    return json.loads(row.extra) if row.extra else {}


def bindings_of_kind(session: Session, shop_id: int, kind: str) -> list[Binding]:
    return list(
        session.scalars(select(Binding).where(Binding.shop_id == shop_id, Binding.kind == kind))
    )


def unbind(session: Session, shop_id: int, kind: str, local_key: str, billy_id: str) -> bool:
    """Forget a binding whose Billy record `billy_id` is gone (reconciliation proved it).

    Only that record's binding goes: one that meanwhile points to a new record stays.
    """
    row = get_binding(session, shop_id, kind, local_key)
    if row is None or row.billy_id != billy_id:
        return False
    session.delete(row)
    session.flush()
    return True
