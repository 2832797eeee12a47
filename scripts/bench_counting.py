"""What a process spends per order: SQL statements and commits (ours and DBOS's), CPU time.

Listeners on every SQLAlchemy engine of the process sort each statement and commit by
engine: ours (`Runtime.db.engine`) or DBOS's system database (any other engine; a bench
process has no third). A `Snapshot` is taken before and after the measured orders; the
difference divided by the orders is the figure. CPU is the process's own (all threads).

Ours are counted as tests/support/statement_counts.py counts them: `BEGIN` belongs to the
commit it opens and is not a statement, and the Billy budget's leases (`billy_budgets`, a
cost per quarter second, not per order) are counted apart under LEASE.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine


@dataclass
class Snapshot:
    """Totals since the counter was installed."""

    ours: Counter[str] = field(default_factory=Counter)  # statements by first word; LEASE apart
    ours_commits: int = 0
    lease_commits: int = 0
    dbos: Counter[str] = field(default_factory=Counter)
    dbos_commits: int = 0
    cpu_seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "ours": dict(self.ours),
            "ours_commits": self.ours_commits,
            "lease_commits": self.lease_commits,
            "dbos": dict(self.dbos),
            "dbos_commits": self.dbos_commits,
            "cpu_seconds": self.cpu_seconds,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Snapshot:
        return cls(
            Counter(data["ours"]),
            int(data["ours_commits"]),
            int(data["lease_commits"]),
            Counter(data["dbos"]),
            int(data["dbos_commits"]),
            float(data["cpu_seconds"]),
        )

    def __sub__(self, before: Snapshot) -> Snapshot:
        return Snapshot(
            self.ours - before.ours,
            self.ours_commits - before.ours_commits,
            self.lease_commits - before.lease_commits,
            self.dbos - before.dbos,
            self.dbos_commits - before.dbos_commits,
            self.cpu_seconds - before.cpu_seconds,
        )

    def __add__(self, other: Snapshot) -> Snapshot:
        return Snapshot(
            self.ours + other.ours,
            self.ours_commits + other.ours_commits,
            self.lease_commits + other.lease_commits,
            self.dbos + other.dbos,
            self.dbos_commits + other.dbos_commits,
            self.cpu_seconds + other.cpu_seconds,
        )


class SqlCounter:
    """Counts statements and commits per engine from the moment it is installed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ours: Engine | None = None
        self._totals = Snapshot()
        self._ignored: set[int] = set()  # threads whose statements are the bench's own
        self._order_work: dict[int, bool] = {}  # connection → its transaction did more than lease
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)

    def ours_is(self, engine: Engine) -> None:
        self._ours = engine

    @contextmanager
    def uncounted(self) -> Iterator[None]:
        """The bench's own queries (is the work done yet?) from this thread are not counted."""
        me = threading.get_ident()
        self._ignored.add(me)
        try:
            yield
        finally:
            self._ignored.discard(me)

    def _is_ours(self, conn: Connection) -> bool:
        return self._ours is not None and conn.engine is self._ours

    def _statement(self, conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        if threading.get_ident() in self._ignored:
            return
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"
        with self._lock:
            if not self._is_ours(conn):
                self._totals.dbos[word] += 1
            elif word == "BEGIN":
                return
            elif "billy_budgets" in statement:
                self._totals.ours["LEASE"] += 1
                self._order_work.setdefault(id(conn), False)
            else:
                self._totals.ours[word] += 1
                self._order_work[id(conn)] = True

    def _commit(self, conn: Connection) -> None:
        if threading.get_ident() in self._ignored:
            return
        with self._lock:
            if not self._is_ours(conn):
                self._totals.dbos_commits += 1
            elif self._order_work.pop(id(conn), True):
                self._totals.ours_commits += 1
            else:
                self._totals.lease_commits += 1

    def snapshot(self) -> Snapshot:
        with self._lock:
            t = self._totals
            return Snapshot(
                Counter(t.ours),
                t.ours_commits,
                t.lease_commits,
                Counter(t.dbos),
                t.dbos_commits,
                time.process_time(),
            )


def snapshot_on_signal(counter: SqlCounter, path: Path) -> None:
    """On SIGUSR1, append a snapshot to `path` (one JSON line): a bench asks a process it
    started for its totals before and after the measured orders."""

    def write(_signum: int, _frame: object) -> None:
        with path.open("a") as sink:
            sink.write(json.dumps(counter.snapshot().to_json()) + "\n")

    signal.signal(signal.SIGUSR1, write)


def ask_snapshot(pid: int, path: Path, timeout: float = 60) -> Snapshot:
    """Signal the process and wait for the snapshot it appends."""
    import os

    before = path.read_text().count("\n") if path.exists() else 0
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = path.read_text().splitlines() if path.exists() else []
        if len(lines) > before:
            return Snapshot.from_json(json.loads(lines[before]))
        time.sleep(0.02)
    raise RuntimeError(f"process {pid} wrote no snapshot within {timeout} s")


def per_order(total: Snapshot, orders: int) -> dict[str, Any]:
    """The figures of one run: statements and commits (ours, DBOS's) and CPU ms per order."""
    n = max(orders, 1)
    leases = total.ours.pop("LEASE", 0)
    return {
        "ours_statements": sum(total.ours.values()) / n,
        "ours_by_kind": {k: v / n for k, v in total.ours.most_common()},
        "ours_commits": total.ours_commits / n,
        "lease_statements": leases / n,
        "lease_commits": total.lease_commits / n,
        "dbos_statements": sum(total.dbos.values()) / n,
        "dbos_commits": total.dbos_commits / n,
        "cpu_ms": total.cpu_seconds * 1000 / n,
    }
