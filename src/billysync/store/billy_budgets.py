"""The rows of Billy's shared rate budgets: locked for one lease, added once, summed.

The arithmetic is not here (billy/ratelimit.py has it); this module only finds the row of an
organization under a write lock, so two processes never lease from the same state.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import BillyBudget


@dataclass(frozen=True)
class BudgetTotals:
    """Billy calls and 429s of every process, as the processes reported them."""

    calls: int
    rejections: int


def locked(session: Session, key: str) -> BillyBudget | None:
    """The organization's row, locked until the unit of work ends (SQLite: the unit of work's
    BEGIN IMMEDIATE has the lock already)."""
    return session.scalars(
        select(BillyBudget).where(BillyBudget.key == key).with_for_update()
    ).first()


def add(session: Session, row: BillyBudget) -> BillyBudget:
    """Add the organization's first row, or lock the one another process added meanwhile."""
    insert_absent(
        session,
        BillyBudget,
        key=row.key,
        rate=row.rate,
        tokens=row.tokens,
        updated_at=row.updated_at,
        paused_until=row.paused_until,
        last_rejection_at=row.last_rejection_at,
        calls=row.calls,
        rejections=row.rejections,
    )
    found = locked(session, row.key)
    assert found is not None
    return found


def totals(session: Session) -> BudgetTotals:
    calls, rejections = session.execute(
        select(
            func.coalesce(func.sum(BillyBudget.calls), 0),
            func.coalesce(func.sum(BillyBudget.rejections), 0),
        )
    ).one()
    return BudgetTotals(int(calls), int(rejections))
