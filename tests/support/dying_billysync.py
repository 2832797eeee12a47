"""`billysync` that SIGKILLs itself at one planned database commit (for the kill tests).

`BILLYSYNC_TEST_DIE_AT="before:N"` or `"after:N"`: the Nth commit that wrote anything, in
any database of the process (ours and DBOS's system database), counted from its start.
"before" dies with the COMMIT never sent (the unit of work must vanish whole), "after"
right after the database confirmed it (the next step must not be lost or done twice).
It prints what it dies at, so a test can say which commits it covered.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

WHEN, _, NTH = os.environ["BILLYSYNC_TEST_DIE_AT"].partition(":")
TARGET = int(NTH)
WRITES = ("INSERT", "UPDATE", "DELETE")
DYING = "dying at write commit"  # what the log says, for the test

_count = 0
_lock = threading.Lock()


@event.listens_for(Engine, "before_cursor_execute")
def _note_write(
    conn: Connection, _cursor: Any, statement: str, *_args: Any, **_kwargs: Any
) -> None:
    if statement.lstrip()[:6].upper() in WRITES:
        conn.info["wrote"] = " ".join(statement.split()[:3])


@event.listens_for(Engine, "rollback")
def _forget(conn: Connection) -> None:
    conn.info.pop("wrote", None)


@event.listens_for(Engine, "commit")
def _maybe_die(conn: Connection) -> None:
    global _count
    wrote = conn.info.pop("wrote", None)
    if wrote is None:
        return
    with _lock:
        _count += 1
        due = _count == TARGET
    if not due:
        return
    if WHEN == "after":
        conn.connection.dbapi_connection.commit()  # type: ignore[union-attr]
    print(f"{DYING} {TARGET} ({WHEN}; last write {wrote})", file=sys.stderr, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


if __name__ == "__main__":
    from billysync.cli import app

    app(prog_name="billysync")
