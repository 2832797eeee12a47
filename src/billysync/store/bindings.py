"""Bindings (OCA's *binder*): our key ↔ Billy's id, one row per (shop, kind, local key).

A binding is written in its own transaction right after Billy confirms a write, so a crash
between the two leaves at most a Billy record without a binding, which the next attempt
finds by its marker (never a second record).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
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
    data = json.dumps(extra, sort_keys=True) if extra is not None else None
    row = get_binding(session, shop_id, kind, local_key)
    if row is None:
        fields = dict(billy_id=billy_id, marker=marker, content_hash=content_hash, extra=data)
        added = insert_absent(
            session, Binding, shop_id=shop_id, kind=kind, local_key=local_key, **fields
        )
        row = get_binding(session, shop_id, kind, local_key)
        assert row is not None
        if added:
            return row
    row.billy_id = billy_id
    row.marker = marker
    row.content_hash = content_hash
    row.extra = data if data is not None else row.extra
    row.updated_at = utcnow()
    session.flush()
    return row


def is_complete(row: Binding) -> bool:
    """Written whole, with the marker and data its record needs later.

    Rows without a marker were left by an older version whose units of work could commit
    half (a binding row committed before its data): Billy's record may exist, but we do
    not hold what we need of it, so it counts as an outcome unknown and is looked up again.
    """
    return row.marker is not None


def binding_extra(row: Binding) -> dict[str, Any]:
    return json.loads(row.extra) if row.extra else {}


def bindings_of_kind(session: Session, shop_id: int, kind: str) -> list[Binding]:
    return list(
        session.scalars(select(Binding).where(Binding.shop_id == shop_id, Binding.kind == kind))
    )
