"""Our own SQL statements and commits, counted on an engine with SQLAlchemy's events.

Counts, not timing: every statement our code sends through `Database.engine` (DBOS has its
own engine and is not counted), sorted by its first word, and every commit. `BEGIN` is left
out of the statements: it belongs to the commit it opens (pysqlite's BEGIN IMMEDIATE is ours,
psycopg sends its BEGIN without a cursor), so SQLite and PostgreSQL count alike.

The Billy budget's leases (`billy_budgets`) are counted apart, as `budget_statements` and
`budget_commits`: a lease serves every Billy call of its process for a quarter of a second,
so it is a cost per unit of time, not of one order (the benchmark reports it per order at
full speed, where it is a fraction of a statement).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class DatabaseWork:
    """What one piece of work sent to the database."""

    statements: Counter[str] = field(default_factory=Counter)
    commits: int = 0
    sql: list[str] = field(default_factory=list)
    budget_statements: int = 0
    budget_commits: int = 0

    @property
    def total(self) -> int:
        return sum(self.statements.values())

    def summary(self) -> str:
        kinds = ", ".join(f"{n} {verb}" for verb, n in self.statements.most_common())
        return (
            f"{self.total} statements ({kinds}), {self.commits} commits; "
            f"Billy budget leases apart: {self.budget_statements} statements, "
            f"{self.budget_commits} commits"
        )


@contextmanager
def counting(engine: Engine) -> Iterator[DatabaseWork]:
    """Count what `engine` sends while the block runs (from every thread)."""
    work = DatabaseWork()
    lock = threading.Lock()
    # Per connection: whether its open transaction has sent anything but a budget lease.
    theirs: dict[int, bool] = {}

    def on_execute(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb == "BEGIN":
            return
        lease = "billy_budgets" in statement
        with lock:
            if lease:
                work.budget_statements += 1
                theirs.setdefault(id(conn), False)
                return
            theirs[id(conn)] = True
            work.statements[verb] += 1
            work.sql.append(" ".join(statement.split())[:200])

    def on_commit(conn: Any) -> None:
        with lock:
            if theirs.pop(id(conn), True):
                work.commits += 1
            else:
                work.budget_commits += 1

    def on_rollback(conn: Any) -> None:
        # A reading unit ends with a rollback: forget its connection, whose id a later
        # connection may reuse (a lease's commit was once counted as ours that way).
        with lock:
            theirs.pop(id(conn), None)

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    event.listen(engine, "rollback", on_rollback)
    try:
        yield work
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)
        event.remove(engine, "rollback", on_rollback)
