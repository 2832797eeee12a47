"""Poll cursors: where each shop's next safety-net poll starts listing changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import PollCursor, as_utc


def poll_cursor(session: Session, shop_id: int) -> datetime | None:
    """The start of the shop's last complete poll (UTC), or None before the first."""
    row = session.get(PollCursor, shop_id)
    return as_utc(row.listed_from) if row else None


def save_poll_cursor(session: Session, shop_id: int, listed_from: datetime) -> None:
    """Keep the start of a complete pass; two passes meeting agree on one row."""
    row = session.get(PollCursor, shop_id)
    if row is None:
        if insert_absent(session, PollCursor, shop_id=shop_id, listed_from=listed_from):
            return
        row = session.get(PollCursor, shop_id)
        assert row is not None
    row.listed_from = listed_from
