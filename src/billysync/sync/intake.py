"""The one way in for work: an `Event` is stored durably once, then started.

Webhooks, Shoporama polls, the JSON API, retries and product passes by command, and an
order that wakes the returns waiting for it all hand an `Event` to `submit`. The event is
inserted into the inbox (deduplicated by its key) before anything else happens, so nothing
is lost between receiving and working.

Starting the work is the engine's business. The engine registers its starter here when it
runs in this process (`set_starter`); `billysync web` on PostgreSQL enqueues an order or
return in the transaction that stores it (`set_transaction_starter`, web_intake.py). Without
either, or when the caller runs inside a workflow step, the engine's dispatcher starts the
stored event a moment later. Keeping the dependency this way round (the engine knows the
intake, not the reverse) keeps `sync/` free of import cycles.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from sqlalchemy.orm import Session

from billysync.store import inbox, transfers
from billysync.sync.runtime import Runtime

log = logging.getLogger(__name__)

# Kinds of object whose events become a transfer (an order or return on its way to Billy).
TRANSFER_KINDS = ("order", "return")


class EventSource(StrEnum):
    """Where an event came from (stored in `inbox_events.source`)."""

    WEBHOOK = "webhook"
    POLL = "poll"
    API = "api"
    COMMAND = "command"  # retry, "sync now", an order waking its returns


@dataclass(frozen=True)
class Event:
    """Something happened to one object of one shop; the object is re-read before any work."""

    shop_id: int
    source: EventSource
    name: str
    object_type: str  # order | return | product
    object_key: str
    dedupe_key: str
    payload: str = ""


@dataclass(frozen=True)
class Received:
    """The stored event's id, and whether it was new (False: a duplicate, stored before)."""

    event_id: int
    is_new: bool


class Starter(Protocol):
    """How the engine starts a stored event; `event` is what was stored, when the caller
    has it (the engine then need not read it back)."""

    def __call__(self, rt: Runtime, event_id: int, event: Event | None = None) -> None: ...


class TransactionStarter(Protocol):
    """How a process without the engine starts a stored order or return within the unit
    of work that stores it (web_intake.py); True when it did."""

    def __call__(self, session: Session, event_id: int, event: Event) -> bool: ...


_starter: Starter | None = None
_transaction_starter: TransactionStarter | None = None


def set_starter(starter: Starter | None) -> None:
    """The engine of this process registers how to start a stored event (None: stopped)."""
    global _starter
    _starter = starter


def set_transaction_starter(starter: TransactionStarter | None) -> None:
    """`billysync web` on PostgreSQL registers how it enqueues as it stores (None: stopped)."""
    global _transaction_starter
    _transaction_starter = starter


def engine_running() -> bool:
    """Whether this process runs the engine (and may start work directly)."""
    return _starter is not None


def submit(rt: Runtime, event: Event, *, start: bool = True) -> Received:
    """Store the event durably (once); start its work when this process runs the engine.

    `start=False` leaves the start to the dispatcher (callers inside a workflow step, which
    must not start workflows themselves).
    """
    with rt.db.session() as session:
        event_id, is_new = inbox.add_event(
            session,
            shop_id=event.shop_id,
            source=event.source.value,
            event_name=event.name,
            object_type=event.object_type,
            object_key=event.object_key,
            dedupe_key=event.dedupe_key,
            payload=event.payload,
        )
        if is_new and event.object_type in TRANSFER_KINDS:
            transfers.add_transfer(session, event.shop_id, event.object_type, event.object_key)
            in_transaction = _transaction_starter
            if start and in_transaction is not None:
                in_transaction(session, event_id, event)
    starter = _starter
    if is_new and start and starter is not None:
        try:
            starter(rt, event_id, event)
        except Exception:  # stored is enough: the dispatcher starts it shortly
            log.warning("event %s stored; its start is left to the dispatcher", event_id)
    return Received(event_id, is_new)
