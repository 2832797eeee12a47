"""Bindings (OCA's *binder*): our key ↔ Billy's id, one row per (shop, kind, local key).

A binding is written in its own transaction right after Billy confirms a write, so a crash
between the two leaves at most a Billy record without a binding, which the next attempt
finds by its marker (never a second record).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
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


def record(
    session: Session,
    shop_id: int,
    kind: str,
    local_key: str,
    billy_id: str,
    *,
    marker: str,
    content_hash: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """`bind` in one statement (insert, or update the row that is there), reading nothing
    back: what the engine writes right after Billy confirms a record."""
    data = json.dumps(extra, sort_keys=True) if extra is not None else None
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    statement = insert(Binding).values(
        shop_id=shop_id,
        kind=kind,
        local_key=local_key,
        billy_id=billy_id,
        marker=marker,
        content_hash=content_hash,
        extra=data,
        created_at=now,
        updated_at=now,
    )
    changes: dict[str, Any] = dict(
        billy_id=billy_id, marker=marker, content_hash=content_hash, updated_at=now
    )
    if data is not None:
        changes["extra"] = data
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[Binding.shop_id, Binding.kind, Binding.local_key], set_=changes
        )
    )


def unsaved(
    shop_id: int,
    kind: str,
    local_key: str,
    billy_id: str,
    *,
    marker: str,
    content_hash: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Binding:
    """The row `record` wrote, as a value (not attached to any session)."""
    return Binding(
        shop_id=shop_id,
        kind=kind,
        local_key=local_key,
        billy_id=billy_id,
        marker=marker,
        content_hash=content_hash,
        extra=json.dumps(extra, sort_keys=True) if extra is not None else None,
    )


def is_complete(row: Binding) -> bool:
    """Written whole, with the marker and data its record needs later.

    Rows without a marker were left by an older version whose units of work could commit
    half (a binding row committed before its data): Billy's record may exist, but we do
    not hold what we need of it, so it counts as an outcome unknown and is looked up again.
    """
    return row.marker is not None


def binding_extra(row: Binding) -> dict[str, Any]:
    return json.loads(row.extra) if row.extra else {}


def bindings_of(
    session: Session, shop_id: int, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], Binding]:
    """The shop's bindings of the given (kind, local key)s, in one statement."""
    wanted = set(keys)
    kinds = {kind for kind, _ in wanted}
    local_keys = {key for _, key in wanted}
    rows = session.scalars(
        select(Binding).where(
            Binding.shop_id == shop_id, Binding.kind.in_(kinds), Binding.local_key.in_(local_keys)
        )
    )
    return {(r.kind, r.local_key): r for r in rows if (r.kind, r.local_key) in wanted}


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
