"""The context of one attempt: which shop and object, which Billy client, and its audit trail.

Every step of a transfer (documents.py, exporter.py, reference.py, products.py) receives
the same `TransferContext`: the runtime, the object it works on, the owner of its write
intents, and the Billy calls it made since the last line it wrote to the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypedDict

from sqlalchemy.orm import Session

from billysync.billy.client import BillyClient
from billysync.billy.http import BillyCall
from billysync.store import audit, bindings, inbox, intents
from billysync.store.tables import Binding, Shop
from billysync.store.transfers import AttemptView
from billysync.sync.reasons import Reason
from billysync.sync.runtime import Runtime

# A write that goes with the attempt's next unit of work (`TransferContext.unit`).
Write = Callable[[Session], None]


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
    # What the attempt read once at its start (workflows.py); None: read when needed.
    shop: Shop | None = None
    seen: AttemptView | None = None
    # Bindings read in this attempt, by (kind, local key); None: known to be absent.
    known_bindings: dict[tuple[str, str], Binding | None] = field(default_factory=dict)
    # Writes that need no unit of their own: they go with the next one (`unit`).
    carry: list[Write] = field(default_factory=list)
    # A transfer's attempt (workflows.py) always ends with a unit of work (`finish`, `stop`,
    # a retry's note), so its bindings may wait for the next unit: set there, not elsewhere.
    carries_bindings: bool = False
    # The write intents this attempt bound (released together with its last unit).
    bound_here: list[tuple[str, str]] = field(default_factory=list)
    # What to do once the current unit has committed (e.g. wake the returns it recorded for).
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    attempt: int | None = None  # the workflow's attempt number
    _lines: list[audit.AuditLine] | None = None  # inside `unit`: its lines, still to write
    event_closed: bool = False  # the attempt's end closed its inbox event (`close_event`)

    def close_event(self, session: Session, failed: bool, reason: str) -> None:
        """Close the event that started this work, in the attempt's last unit of work."""
        if self.event_id is not None and self.carries_bindings:
            inbox.close_event(session, self.event_id, "failed" if failed else "processed", reason)
            self.event_closed = True

    def binding(self, kind: str, local_key: str) -> Binding | None:
        """The binding as this attempt knows it (read once, then kept current by `ensure`)."""
        if (kind, local_key) not in self.known_bindings:
            with self.rt.db.reading() as session:
                row = bindings.get_binding(session, self.shop_id, kind, local_key)
            self.known_bindings[kind, local_key] = row
        return self.known_bindings[kind, local_key]

    def read_bindings(self, keys: list[tuple[str, str]]) -> None:
        """Read the bindings of `keys` in one statement (those not known yet)."""
        wanted = [key for key in keys if key not in self.known_bindings]
        if not wanted:
            return
        with self.rt.db.reading() as session:
            found = bindings.bindings_of(session, self.shop_id, wanted)
        for key in wanted:
            self.known_bindings[key] = found.get(key)

    @contextmanager
    def unit(self) -> Iterator[Session]:
        """A unit of work of this attempt, with the writes carried to it written first.

        A carried write that fails fails the unit and is dropped (bad data is said once, by
        the failure). When the unit's own work fails, what it carried waits for the next unit,
        which every attempt has (its end). A binding may be carried only because the write
        intent committed before its Billy call outlives it: a binding lost in a crash is an
        intent still there, and the next attempt looks Billy up by the marker first.
        """
        carried, self.carry = self.carry, []
        self._lines = []  # the unit's chain lines, written at its end in one statement
        try:
            with self.rt.db.session() as session:
                for write in carried:
                    write(session)
                try:
                    yield session
                    audit.record_lines(session, self._lines)
                except BaseException:
                    self.carry[:0] = carried
                    raise
        finally:
            self._lines = None
        hooks, self.after_commit = self.after_commit, []
        for hook in hooks:
            hook()

    @contextmanager
    def last_unit(self) -> Iterator[Session]:
        """The attempt's last unit of work: what it carries, and the release of the write
        intents whose bindings this attempt wrote (a binding says the outcome; an intent
        beside a complete binding only waits for this)."""
        with self.unit() as session:
            yield session
            intents.release_all(session, self.shop_id, self.bound_here)
        self.bound_here.clear()

    def observe(self, call: BillyCall) -> None:
        self.calls.append(call)

    def log(self, step: str, message: Reason, billy_id: str | None = None) -> None:
        """Write this step's Billy calls and a line about it to the audit log."""
        self.log_stored(step, message.encode(), billy_id)

    def log_stored(self, step: str, stored: str, billy_id: str | None = None) -> None:
        """The same with a reason already in its stored form (`Reason.encode`)."""
        with self.unit() as session:
            self.log_in(session, step, stored, billy_id)

    def log_in(
        self, session: Session, step: str, message: Reason | str, billy_id: str | None = None
    ) -> None:
        """The same, inside a unit of work the caller commits (with what it records). The
        line is a `Reason`, or one in its stored form."""
        self.write_lines(session, self.lines(step, message, billy_id))

    def write_lines(self, session: Session, lines: list[audit.AuditLine]) -> None:
        """Chain lines: with the rest of the unit's when inside `unit`, else at once."""
        if self._lines is not None:
            self._lines.extend(lines)
        else:
            audit.record_lines(session, lines)

    def lines(
        self, step: str, message: Reason | str, billy_id: str | None = None
    ) -> list[audit.AuditLine]:
        """This step's Billy calls since the last line, and a line about it (to be written)."""
        if isinstance(message, Reason):
            message = message.encode()
        where = AuditKey(shop_id=self.shop_id, kind=self.kind, object_key=self.object_key)
        lines = [
            audit.AuditLine(
                **where,
                step=step,
                method=call.method,
                path=call.path,
                status=call.status,
                duration_ms=int(call.duration_ms),
                error=call.error,
            )
            for call in self.calls
        ]
        self.calls.clear()
        lines.append(audit.AuditLine(**where, step=step, message=message, billy_id=billy_id))
        return lines
