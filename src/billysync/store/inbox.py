"""The inbox: every received event is stored (deduplicated) before any work is done."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import InboxEvent


def store_event(
    session: Session,
    *,
    shop_id: int,
    source: str,
    event_name: str,
    object_type: str,
    object_key: str,
    dedupe_key: str,
    payload: str,
) -> tuple[InboxEvent, bool]:
    """Store the event once; (event, True) when new, (the earlier one, False) for a duplicate."""
    existing = find_event(session, shop_id, dedupe_key)
    if existing is not None:
        return existing, False
    # A concurrent delivery of the same event may win the race: then it is the earlier one.
    added = insert_absent(
        session,
        InboxEvent,
        shop_id=shop_id,
        source=source,
        event_name=event_name,
        object_type=object_type,
        object_key=object_key,
        dedupe_key=dedupe_key,
        payload=payload,
    )
    event = find_event(session, shop_id, dedupe_key)
    assert event is not None
    return event, added


def add_event(
    session: Session,
    *,
    shop_id: int,
    source: str,
    event_name: str,
    object_type: str,
    object_key: str,
    dedupe_key: str,
    payload: str,
) -> tuple[int, bool]:
    """`store_event` without reading the new row back: (its id, True), or for a duplicate
    (the earlier event's id, False). One statement for a new event."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    added = session.execute(
        insert(InboxEvent)
        .values(
            shop_id=shop_id,
            source=source,
            event_name=event_name,
            object_type=object_type,
            object_key=object_key,
            dedupe_key=dedupe_key,
            payload=payload,
        )
        .on_conflict_do_nothing()
        .returning(InboxEvent.id)
    ).scalar()
    if added is not None:
        return added, True
    earlier = session.scalar(
        select(InboxEvent.id).where(
            InboxEvent.shop_id == shop_id, InboxEvent.dedupe_key == dedupe_key
        )
    )
    assert earlier is not None
    return earlier, False


def mark_new_event(session: Session, event_id: int, state: str, reason: str | None) -> None:
    """`mark_event(..., if_state="new")` in one statement, reading nothing."""
    session.execute(
        update(InboxEvent)
        .where(InboxEvent.id == event_id, InboxEvent.state == "new")
        .values(state=state, reason=reason)
    )


def mark_new_events(session: Session, event_ids: list[int], state: str) -> None:
    """Mark the events still `new` among `event_ids` (one statement)."""
    if event_ids:
        session.execute(
            update(InboxEvent)
            .where(InboxEvent.id.in_(event_ids), InboxEvent.state == "new")
            .values(state=state)
        )


def close_event(session: Session, event_id: int, state: str, reason: str | None) -> None:
    """The work the event asked for ended (processed or failed): one statement."""
    session.execute(
        update(InboxEvent).where(InboxEvent.id == event_id).values(state=state, reason=reason)
    )


def find_event(session: Session, shop_id: int, dedupe_key: str) -> InboxEvent | None:
    return session.scalar(
        select(InboxEvent).where(InboxEvent.shop_id == shop_id, InboxEvent.dedupe_key == dedupe_key)
    )


def mark_event(
    session: Session,
    event_id: int,
    state: str,
    reason: str | None = None,
    *,
    if_state: str | None = None,
) -> None:
    """Set the event's state; with `if_state`, only while it is still in that state."""
    event = session.get(InboxEvent, event_id)
    if event is not None and (if_state is None or event.state == if_state):
        event.state = state
        event.reason = reason


def events_in_state(session: Session, state: str, limit: int = 1000) -> list[InboxEvent]:
    return list(
        session.scalars(
            select(InboxEvent).where(InboxEvent.state == state).order_by(InboxEvent.id).limit(limit)
        )
    )


def get_event(session: Session, event_id: int) -> InboxEvent | None:
    return session.get(InboxEvent, event_id)


def pushed_payloads(
    session: Session, shop_id: int, object_type: str, key: str | None = None
) -> list[tuple[str, str]]:
    """(object key, payload) of every push through the JSON API, oldest first."""
    query = select(InboxEvent.object_key, InboxEvent.payload).where(
        InboxEvent.shop_id == shop_id,
        InboxEvent.object_type == object_type,
        InboxEvent.source == "api",  # not retry requests and the like
    )
    if key is not None:
        query = query.where(InboxEvent.object_key == key)
    return [(k, p) for k, p in session.execute(query.order_by(InboxEvent.id))]


def pushes_of(
    session: Session, shop_id: int, object_type: str, object_key: str
) -> tuple[int, InboxEvent | None]:
    """(how many versions of this object were received, the newest one's event).

    Only real deliveries count (JSON API, webhooks, polls), not retry requests: the count is
    the object's change counter as the shop sees it.
    """
    query = select(InboxEvent).where(
        InboxEvent.shop_id == shop_id,
        InboxEvent.object_type == object_type,
        InboxEvent.object_key == object_key,
        InboxEvent.source.in_(("api", "webhook", "poll")),
    )
    newest = session.scalar(query.order_by(InboxEvent.id.desc()).limit(1))
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return count, newest
