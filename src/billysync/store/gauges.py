"""What the database says about the work, for `/metrics`: counts and the oldest waiting event.

Each figure is one grouped query (the queue's uses the index on the inbox state), so a
platform can scrape every few seconds. The "queue" is the inbox: events stored (webhook,
poll, JSON API) and not yet worked (`state = "new"`), the rows the engine's dispatcher
picks up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from billysync.store.tables import InboxEvent, Transfer, as_utc


@dataclass(frozen=True)
class EventCount:
    shop_id: int
    source: str
    count: int


@dataclass(frozen=True)
class TransferCount:
    shop_id: int
    kind: str
    state: str
    count: int


@dataclass(frozen=True)
class Queue:
    depth: int
    oldest_received_at: datetime | None


def database_answers(session: Session) -> bool:
    """One round trip; raises what the driver raises when the database is unreachable."""
    return session.execute(text("SELECT 1")).scalar() == 1


def events_received(session: Session) -> list[EventCount]:
    rows = session.execute(
        select(InboxEvent.shop_id, InboxEvent.source, func.count())
        .group_by(InboxEvent.shop_id, InboxEvent.source)
        .order_by(InboxEvent.shop_id, InboxEvent.source)
    )
    return [EventCount(shop_id, source, count) for shop_id, source, count in rows]


def transfers_by_state(session: Session) -> list[TransferCount]:
    rows = session.execute(
        select(Transfer.shop_id, Transfer.kind, Transfer.state, func.count())
        .group_by(Transfer.shop_id, Transfer.kind, Transfer.state)
        .order_by(Transfer.shop_id, Transfer.kind, Transfer.state)
    )
    return [TransferCount(shop_id, kind, state, count) for shop_id, kind, state, count in rows]


def inbox_queue(session: Session) -> Queue:
    depth, oldest = session.execute(
        select(func.count(), func.min(InboxEvent.received_at)).where(InboxEvent.state == "new")
    ).one()
    return Queue(int(depth), as_utc(oldest) if oldest is not None else None)
