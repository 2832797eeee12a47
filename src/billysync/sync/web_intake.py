"""The web process of a distributed installation enqueues what it stores, in one transaction.

`billysync web` runs no workflows. Without this, the orders and returns it receives wait in
the inbox until a worker's dispatcher sweeps (every few seconds, after a grace), and every
order pays that wait. On PostgreSQL, DBOS's tables live in billysync's own database, so
DBOS's client can enqueue the transfer's workflow in the very transaction that stores the
event (`enqueue_in_transaction`): the event and its workflow are committed together or not
at all, and a worker dequeues it at its next poll.

Should the enqueue fail (DBOS's tables not there yet: no worker has ever started), only its
savepoint is rolled back: the event is stored all the same and the dispatcher enqueues it
later. Product events are left to the dispatcher too (a burst needs one pass, not one each).
"""

from __future__ import annotations

import logging

from dbos import DBOSClient
from sqlalchemy.orm import Session

from billysync import __version__
from billysync.sync import intake, workflows
from billysync.sync.engine import DBOS_APPLICATION, transfer_partition, transfer_workflow_id
from billysync.sync.runtime import Runtime

log = logging.getLogger(__name__)


class TransactionEnqueuer:
    """Enqueues a stored transfer event's workflow within the storing unit of work."""

    def __init__(self, rt: Runtime) -> None:
        # The client shares billysync's connection pool: the session's connection is the
        # one that must carry the enqueue anyway.
        self._client = DBOSClient(
            system_database_engine=rt.db.engine, application_name=DBOS_APPLICATION
        )

    def __call__(self, session: Session, event_id: int, event: intake.Event) -> bool:
        options: dict[str, object] = {  # DBOS's EnqueueOptions
            "workflow_name": workflows.TRANSFER_WORKFLOW,
            "queue_name": workflows.TRANSFER_QUEUE,
            "workflow_id": transfer_workflow_id(
                event.shop_id, event.object_type, event.object_key, event_id
            ),
            "queue_partition_key": transfer_partition(
                event.shop_id, event.object_type, event.object_key
            ),
            "app_version": __version__,
        }
        try:
            with session.begin_nested():
                self._client.enqueue_in_transaction(
                    session, options, event.shop_id, event.object_type, event.object_key, event_id
                )
        except Exception:  # stored is enough: the dispatcher enqueues it shortly
            log.warning("event %s stored; its start is left to the dispatcher", event_id)
            return False
        return True

    def close(self) -> None:
        self._client.destroy()


def enqueue_where_stored(rt: Runtime) -> TransactionEnqueuer | None:
    """Make this process enqueue transfer events as it stores them (PostgreSQL only: on
    SQLite, DBOS's tables are in a file of their own). Returns the enqueuer to close."""
    if not rt.process.is_postgres:
        return None
    enqueuer = TransactionEnqueuer(rt)
    intake.set_transaction_starter(enqueuer)
    return enqueuer
