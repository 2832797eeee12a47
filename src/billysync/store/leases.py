"""Leases: a job every process could do, done by one process at a time.

The dispatcher's sweep for stored events nobody enqueued is such a job: every worker runs
the loop, and the holder of the lease sweeps. A holder renews it on each turn; when it
stops (a crash, a stop), another process takes it over once it has run out.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from billysync.store.db import insert_absent
from billysync.store.tables import Lease, utcnow


def hold(session: Session, name: str, holder: str, seconds: float) -> bool:
    """Take or renew the lease `name` for `seconds`; True when `holder` has it now."""
    now = utcnow()
    until = now + timedelta(seconds=seconds)
    if insert_absent(session, Lease, name=name, holder=holder, until=until):
        return True
    taken = session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.until < now))
        .values(holder=holder, until=until)
    )
    return bool(getattr(taken, "rowcount", 0) == 1)
