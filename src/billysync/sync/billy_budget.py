"""Billy's rate budgets kept in our database, so every process shares one per organization.

The web process and every worker lease tokens from the organization's row in
`billy_budgets` (one short transaction per lease of up to a quarter second's tokens, not
per call) and report their 429s to it, so one process's 429 slows them all. The rules are
billy/ratelimit.py's `take` and `reject`; this module only loads and saves their state.

Why not DBOS's queue rate limiter (`DBOS.register_queue(…, limiter=…, partition_limiter=…)`)?
It counts the *workflows started* in the last period (dbos 3.4 `_sys_db.py`: their
`started_at_epoch_ms`) against a fixed number, while Billy counts *HTTP calls*: an
order makes one to a dozen, a retry more, and the web's settings page calls Billy outside
any queue. It also cannot slow down on a 429 or follow a per-shop setting.

If the database cannot lend tokens (locked past its busy timeout, unreachable), the call
still goes ahead at this process's own pace (a budget in memory), with a warning: the
budget protects Billy, it must not stop the work. Do not hold a SQLite write transaction
open across a Billy call: the lease would wait for it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from billysync.billy.ratelimit import Budget, Lease, MemoryBudgets, Pace, reject, take
from billysync.store import billy_budgets
from billysync.store.db import Database
from billysync.store.tables import BillyBudget

log = logging.getLogger("billysync.billy")


def _budget(row: BillyBudget) -> Budget:
    return Budget(
        rate=row.rate,
        tokens=row.tokens,
        updated_at=row.updated_at,
        paused_until=row.paused_until,
        last_rejection_at=row.last_rejection_at,
        calls=row.calls,
        rejections=row.rejections,
    )


def _row(key: str, budget: Budget) -> BillyBudget:
    row = BillyBudget(key=key)
    _save(row, budget)
    return row


def _save(row: BillyBudget, budget: Budget) -> None:
    row.rate = budget.rate
    row.tokens = budget.tokens
    row.updated_at = budget.updated_at
    row.paused_until = budget.paused_until
    row.last_rejection_at = budget.last_rejection_at
    row.calls = budget.calls
    row.rejections = budget.rejections


class DatabaseBudgets:
    """A `BudgetStore` in the `billy_budgets` table; `clock` is wall time (epoch seconds)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self._clock = clock
        self._fallback = MemoryBudgets(clock)
        self._out_of_reach = False  # warned already; said again once it is back

    def _unreachable(self, exc: SQLAlchemyError) -> None:
        if not self._out_of_reach:
            log.warning(
                "Billy's shared rate budget is out of reach (%s); this process paces alone",
                type(exc).__name__,
            )
        self._out_of_reach = True

    def _reached(self) -> None:
        if self._out_of_reach:
            log.warning("Billy's shared rate budget is back; pacing with the other processes")
        self._out_of_reach = False

    def lease(self, key: str, pace: Pace, need: int, most: int, calls: int) -> Lease:
        try:
            with self.db.session() as session:
                row = billy_budgets.locked(session, key)
                now = self._clock()
                if row is None:
                    row = billy_budgets.add(session, _row(key, Budget.fresh(pace, now)))
                budget, lease = take(_budget(row), pace, now, need, most, calls)
                _save(row, budget)
        except SQLAlchemyError as exc:
            self._unreachable(exc)
            return self._fallback.lease(key, pace, need, most, calls)
        self._reached()
        return lease

    def reject(self, key: str, pace: Pace, retry_after: float | None, calls: int) -> None:
        try:
            with self.db.session() as session:
                row = billy_budgets.locked(session, key)
                now = self._clock()
                if row is None:
                    row = billy_budgets.add(session, _row(key, Budget.fresh(pace, now)))
                _save(row, reject(_budget(row), pace, now, retry_after, calls))
        except SQLAlchemyError as exc:
            self._unreachable(exc)
            self._fallback.reject(key, pace, retry_after, calls)
