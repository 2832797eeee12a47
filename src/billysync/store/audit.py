"""The audit log: every step and every Billy call of an order's document chain."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from billysync.store.tables import AuditEntry, utcnow


@dataclass(frozen=True)
class AuditLine:
    """One line of a chain, before it is written (`record_lines` writes many at once)."""

    shop_id: int
    kind: str
    object_key: str
    step: str
    message: str = ""
    method: str | None = None
    path: str | None = None
    status: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    billy_id: str | None = None


def record_lines(session: Session, lines: list[AuditLine]) -> None:
    """Write the lines in one statement, in the caller's unit of work (oldest first)."""
    if lines:
        now = utcnow()
        # Core's executemany: one statement whatever columns a line leaves empty.
        table = AuditEntry.__table__
        assert isinstance(table, Table)
        session.connection().execute(insert(table), [{**asdict(line), "at": now} for line in lines])


def record(
    session: Session,
    *,
    shop_id: int,
    kind: str,
    object_key: str,
    step: str,
    message: str = "",
    method: str | None = None,
    path: str | None = None,
    status: int | None = None,
    duration_ms: int | None = None,
    error: str | None = None,
    billy_id: str | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        shop_id=shop_id,
        kind=kind,
        object_key=object_key,
        step=step,
        message=message,
        method=method,
        path=path,
        status=status,
        duration_ms=duration_ms,
        error=error,
        billy_id=billy_id,
    )
    session.add(entry)
    return entry


def chain(session: Session, shop_id: int, kind: str, object_key: str) -> list[AuditEntry]:
    """The entries of one order (or return/product), oldest first."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.shop_id == shop_id,
                AuditEntry.kind == kind,
                AuditEntry.object_key == object_key,
            )
            .order_by(AuditEntry.id)
        )
    )
