"""Write intents: how a create whose earlier outcome is unknown is recognised.

`claim` is called before a Billy create. It answers whether an earlier attempt may have
written already (then the caller must look Billy up by the marker first) or raises
`IntentBusy` when another live attempt is writing the same record right now. This keeps
the common path at one Billy call and the rare path exactly-once.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import WriteIntent, as_utc, utcnow

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


def release(session: Session, *, shop_id: int, kind: str, local_key: str) -> None:
    session.execute(
        delete(WriteIntent).where(
            WriteIntent.shop_id == shop_id,
            WriteIntent.kind == kind,
            WriteIntent.local_key == local_key,
        )
    )
