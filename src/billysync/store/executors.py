"""Heartbeats of worker processes, and the one-time claim of a dead worker's work.

A worker beats every few seconds. A worker whose last beat is older than the takeover
time is dead to the others; the first live worker to claim its row (a conditional
update, so exactly one claim succeeds) finishes its pending work. A dead worker that comes
back beats again, which clears the claim: its next death can be taken over again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import ExecutorHeartbeat, utcnow


def beat(session: Session, executor_id: str, role: str) -> None:
    """This executor is alive now."""
    row = session.get(ExecutorHeartbeat, executor_id)
    if row is None:
        if insert_absent(
            session, ExecutorHeartbeat, executor_id=executor_id, role=role, beat_at=utcnow()
        ):
            return
        # Two processes started with one id: both are that executor.
        row = session.get(ExecutorHeartbeat, executor_id)
        assert row is not None
    row.beat_at = utcnow()
    row.role = role
    row.taken_over_by = None
    row.taken_over_at = None


def silent_since(session: Session, cutoff: datetime) -> list[str]:
    """Executors not yet taken over whose last beat is older than `cutoff`."""
    rows = session.scalars(
        select(ExecutorHeartbeat.executor_id).where(
            ExecutorHeartbeat.beat_at < cutoff, ExecutorHeartbeat.taken_over_by.is_(None)
        )
    )
    return sorted(rows)


def claim(session: Session, executor_id: str, by: str, *, silent_before: datetime | None) -> bool:
    """Claim a dead executor's work for `by`; True for exactly one claimant.

    `silent_before` is the automatic takeover's condition (still silent, not claimed). An
    operator's `billysync recover` passes None: it knows the worker is gone, and may repeat
    a takeover whose claimant died before it finished.
    """
    if session.get(ExecutorHeartbeat, executor_id) is None:
        # Never beat here (e.g. it ran an older billysync): the operator's word is enough.
        if silent_before is not None:
            return False
        if insert_absent(
            session,
            ExecutorHeartbeat,
            executor_id=executor_id,
            role="unknown",
            beat_at=utcnow(),
            taken_over_by=by,
            taken_over_at=utcnow(),
        ):
            return True
    condition = (
        and_(ExecutorHeartbeat.taken_over_by.is_(None), ExecutorHeartbeat.beat_at < silent_before)
        if silent_before is not None
        else ExecutorHeartbeat.executor_id == executor_id
    )
    result = session.execute(
        update(ExecutorHeartbeat)
        .where(ExecutorHeartbeat.executor_id == executor_id, condition)
        .values(taken_over_by=by, taken_over_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0) == 1)
