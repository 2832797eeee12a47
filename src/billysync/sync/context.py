"""The context of one attempt: which shop and object, which Billy client, and its audit trail.

Every step of a transfer (documents.py, exporter.py, reference.py, products.py) receives
the same `TransferContext`: the runtime, the object it works on, the owner of its write
intents, and the Billy calls it made since the last line it wrote to the chain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from sqlalchemy.orm import Session

from billysync.billy.client import BillyClient
from billysync.billy.http import BillyCall
from billysync.store import audit
from billysync.sync.runtime import Runtime


class AuditKey(TypedDict):
    """Whose chain an audit line belongs to."""

    shop_id: int
    kind: str
    object_key: str


@dataclass
class TransferContext:
    """One attempt at one order, return or product pass: who we are and what we call."""

    rt: Runtime
    shop_id: int
    kind: str  # order | return | product
    object_key: str
    owner: str  # the workflow (or command) making this attempt
    client: BillyClient
    calls: list[BillyCall] = field(default_factory=list)
    event_id: int | None = None  # the inbox event that started this work, if any

    def observe(self, call: BillyCall) -> None:
        self.calls.append(call)

    def log(self, step: str, message: str, billy_id: str | None = None) -> None:
        """Write this step's Billy calls and a line about it to the audit log."""
        with self.rt.db.session() as session:
            self.log_in(session, step, message, billy_id)

    def log_in(
        self, session: Session, step: str, message: str, billy_id: str | None = None
    ) -> None:
        """The same, inside a unit of work the caller commits (with what it records)."""
        where = AuditKey(shop_id=self.shop_id, kind=self.kind, object_key=self.object_key)
        for call in self.calls:
            audit.record(
                session,
                **where,
                step=step,
                method=call.method,
                path=call.path,
                status=call.status,
                duration_ms=int(call.duration_ms),
                error=call.error,
            )
        self.calls.clear()
        audit.record(session, **where, step=step, message=message, billy_id=billy_id)
