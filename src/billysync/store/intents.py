"""Write intents: how a create whose earlier outcome is unknown is recognised.

`claim` is called before a Billy create. It answers whether an earlier attempt may have
written already (then the caller must look Billy up by the marker first) or raises
`IntentBusy` when another live attempt is writing the same record right now. This keeps
the common path at one Billy call and the rare path exactly-once.
"""

from __future__ import annotations

from datetime import timedelta
from enum import Enum

from sqlalchemy import delete, exists, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import Binding, WriteIntent, as_utc, utcnow

LEASE = timedelta(seconds=120)  # longer than any Billy call may take (timeouts are 30 s)


class IntentBusy(RuntimeError):
    """Another attempt is writing this record to Billy now; try again shortly."""


def claim(
    session: Session, *, shop_id: int, kind: str, local_key: str, owner: str, marker: str
) -> bool:
    """Record the intent; True when an earlier attempt's outcome is unknown (look up first)."""
    now = utcnow()
    if insert_absent(
        session,
        WriteIntent,
        shop_id=shop_id,
        kind=kind,
        local_key=local_key,
        owner=owner,
        marker=marker,
        started_at=now,
    ):
        return False
    row = session.scalar(
        select(WriteIntent).where(
            WriteIntent.shop_id == shop_id,
            WriteIntent.kind == kind,
            WriteIntent.local_key == local_key,
        )
    )
    if row is None:  # released in between: claim again
        return claim(
            session, shop_id=shop_id, kind=kind, local_key=local_key, owner=owner, marker=marker
        )
    if row.owner != owner and as_utc(row.started_at) > now - LEASE:
        raise IntentBusy(f"another transfer is writing {kind} {local_key} to Billy right now")
    # Ours from a crashed run, or a dead attempt's: take it over, compare-and-set style.
    taken = session.execute(
        update(WriteIntent)
        .where(
            WriteIntent.shop_id == shop_id,
            WriteIntent.kind == kind,
            WriteIntent.local_key == local_key,
            WriteIntent.owner == row.owner,
            WriteIntent.started_at == row.started_at,
        )
        .values(owner=owner, started_at=now, marker=marker)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise IntentBusy(f"another transfer took over {kind} {local_key} just now")
    return True


class Claim(Enum):
    """What `claim_unless_bound` found."""

    FRESH = "fresh"  # claimed; no earlier attempt wrote: create without a lookup
    UNKNOWN = "unknown"  # claimed from an earlier attempt whose outcome is unknown: look up
    BOUND = "bound"  # bound meanwhile (by another attempt): nothing to write, nothing claimed


def claim_unless_bound(
    session: Session, *, shop_id: int, kind: str, local_key: str, owner: str, marker: str
) -> Claim:
    """`claim`, unless a complete binding of the record exists; one statement on the common
    path (no intent, no binding): the insert itself checks for the binding.

    The check inside the insert sees every binding committed before it, so a record bound
    by another attempt after our first look is never created again.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    bound = exists().where(
        Binding.shop_id == shop_id,
        Binding.kind == kind,
        Binding.local_key == local_key,
        Binding.marker.is_not(None),
    )
    values = select(
        literal(shop_id),
        literal(kind),
        literal(local_key),
        literal(owner),
        literal(marker),
        literal(utcnow(), WriteIntent.started_at.type),
    ).where(~bound)
    columns = ["shop_id", "kind", "local_key", "owner", "marker", "started_at"]
    statement = (
        insert(WriteIntent)
        .from_select(columns, values)
        .on_conflict_do_nothing()
        .returning(WriteIntent.shop_id)
    )
    if session.execute(statement).first() is not None:
        return Claim.FRESH
    if session.scalar(select(bound)):
        return Claim.BOUND
    earlier = claim(
        session, shop_id=shop_id, kind=kind, local_key=local_key, owner=owner, marker=marker
    )
    # The intent we met may have gone with its binding since the check above (PostgreSQL
    # reads what committed before each statement): look once more, now that we hold it.
    if session.scalar(select(bound)):
        release(session, shop_id=shop_id, kind=kind, local_key=local_key)
        return Claim.BOUND
    return Claim.UNKNOWN if earlier else Claim.FRESH


def release(session: Session, *, shop_id: int, kind: str, local_key: str) -> None:
    session.execute(
        delete(WriteIntent).where(
            WriteIntent.shop_id == shop_id,
            WriteIntent.kind == kind,
            WriteIntent.local_key == local_key,
        )
    )


def release_all(session: Session, shop_id: int, keys: list[tuple[str, str]]) -> None:
    """Release the intents of (kind, local key)s, in one statement."""
    if keys:
        session.execute(
            delete(WriteIntent).where(
                WriteIntent.shop_id == shop_id,
                tuple_(WriteIntent.kind, WriteIntent.local_key).in_(keys),
            )
        )
