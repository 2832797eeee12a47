"""Billy's rate budget in the database: two processes (two stores, two engines) share one.

Runs on SQLite and PostgreSQL. The wall clock the budget reads and each limiter's own clock
are injected, so nothing here waits or depends on the machine's speed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from billysync.billy.ratelimit import Pace, SharedLimiter
from billysync.store import billy_budgets
from billysync.store.db import Database
from billysync.sync.billy_budget import DatabaseBudgets


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def two_processes(database_url: str) -> Iterator[tuple[Database, Database]]:
    first = Database(database_url)
    first.migrate()
    second = Database(database_url)
    yield first, second
    first.dispose()
    second.dispose()


def limiter(db: Database, wall: FakeClock, local: FakeClock, ceiling: float) -> SharedLimiter:
    return SharedLimiter(
        DatabaseBudgets(db, clock=wall), "org:o1", Pace(ceiling=ceiling), clock=local
    )


def test_two_processes_share_one_budget(two_processes: tuple[Database, Database]) -> None:
    wall = FakeClock(1_700_000_000.0)
    first = limiter(two_processes[0], wall, FakeClock(10.0), ceiling=10)
    second = limiter(two_processes[1], wall, FakeClock(500.0), ceiling=10)
    waits = [lim.reserve() for _ in range(10) for lim in (first, second)]
    # Twenty calls at once from two processes: 10/s together (bursts of 2.5), not 10/s each.
    assert max(waits) >= 1.7
    assert sorted(waits)[-1] - sorted(waits)[-3] > 0.1  # the two queued behind each other
    with two_processes[0].session() as session:
        row = billy_budgets.locked(session, "org:o1")
        assert row is not None and row.tokens < -15


def test_a_429_in_one_process_pauses_the_other(two_processes: tuple[Database, Database]) -> None:
    wall = FakeClock(1_700_000_000.0)
    local = FakeClock(10.0)
    first = limiter(two_processes[0], wall, local, ceiling=10)
    second = limiter(two_processes[1], wall, local, ceiling=10)
    first.acquire()
    second.acquire()
    first.rejected(retry_after=6.0)
    wall.now += 1.0
    local.now += 1.0  # the second's leased tokens lapse; its next lease sees the pause
    assert second.reserve() >= 5.0
    with two_processes[1].session() as session:
        row = billy_budgets.locked(session, "org:o1")
        assert row is not None and row.rate < 10 and row.rejections == 1


def test_the_totals_of_every_process_are_in_the_database(
    two_processes: tuple[Database, Database],
) -> None:
    wall = FakeClock(1_700_000_000.0)
    local = FakeClock(10.0)
    first = limiter(two_processes[0], wall, local, ceiling=1000)
    second = limiter(two_processes[1], wall, local, ceiling=1000)
    for _ in range(3):
        first.acquire()
    second.acquire()
    first.rejected(retry_after=None)  # reports its three calls with the 429
    local.now += 60.0
    second.acquire()  # the next lease reports the call before
    with two_processes[0].session() as session:
        assert billy_budgets.totals(session) == billy_budgets.BudgetTotals(calls=4, rejections=1)


def test_calls_go_ahead_when_the_budget_cannot_be_reached(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = Database(f"sqlite:///{tmp_path}/not-migrated.db")  # no billy_budgets table
    local = FakeClock(10.0)
    budgets = DatabaseBudgets(db, clock=FakeClock(1_700_000_000.0))
    lim = SharedLimiter(budgets, "org:o1", Pace(ceiling=4), clock=local)
    with caplog.at_level(logging.WARNING, logger="billysync.billy"):
        assert [lim.reserve() for _ in range(3)] == pytest.approx([0.0, 0.25, 0.5])
    # Said once, by the error's kind only (its text would carry the SQL).
    assert caplog.messages == [
        "Billy's shared rate budget is out of reach (OperationalError); this process paces alone"
    ]
    db.dispose()
