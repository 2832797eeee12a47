"""Starting the engine: DBOS, its queues, and the two background loops of a worker.

- DBOS runs on SQLite (embedded: a `dbos.sqlite` file beside ours) or on PostgreSQL
  (distributed: the same database, DBOS's own schema). Each process has a stable executor
  id (`BILLYSYNC_EXECUTOR_ID`, default `<hostname>-embedded`/`-worker`): on restart DBOS
  resumes that executor's unfinished workflows. Work of a worker that never comes back is
  taken over by the live workers once it has been silent for the takeover time
  (`sync/takeover.py`), or at once with `billysync recover --executor ID`.
- A stop is graceful (`stop`): no new work, running work gets a bounded time to finish.
- The transfer queue is partitioned by (shop, kind, object): one workflow per order at a
  time, many orders in parallel.
- The dispatcher loop enqueues inbox events that were stored but not yet enqueued (a crash
  between the web's insert and its enqueue loses nothing); the schedule loop starts a
  product pass (and, for Shoporama, a poll) per shop every few minutes. Workflow ids are
  deterministic, so several processes running the loops never duplicate work.
"""

from __future__ import annotations

import logging
import math
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from dbos import DBOS, SetEnqueueOptions, SetWorkflowID

from billysync import __version__, logs
from billysync.config import ProcessSettings
from billysync.store import inbox, leases, shops
from billysync.store.db import sqlalchemy_url
from billysync.store.tables import as_utc, utcnow
from billysync.sync import adapters, backfill_run, intake, nightly, workflows
from billysync.sync.runtime import Runtime, configure, connections_needed
from billysync.sync.takeover import Heartbeat

log = logging.getLogger(__name__)
DBOS_APPLICATION = "billysync"  # the application name of our workflows in DBOS
oplog = logs.get_logger(__name__)


def is_running() -> bool:
    """Whether this process runs the engine (and may enqueue directly)."""
    return intake.engine_running()


@dataclass
class EngineOptions:
    role: str = "embedded"  # embedded | worker | web
    worker_concurrency: int = 8
    dispatch_every: float = 2.0
    dispatch_grace: float = 3.0  # an event younger than this is the web's to enqueue
    products_every: float = 600.0
    poll_every: float = 900.0  # the Shoporama safety net; each pass costs 2+ calls
    run_loops: bool = True
    polling_interval: float = 0.2
    stop_grace: float = 20.0  # seconds running work may take to finish on a graceful stop
    takeover_after: float | None = None  # distributed: a worker silent this long is dead
    extra_stop: list[threading.Event] = field(default_factory=list)


def options_from_settings(
    process: ProcessSettings,
    role: str,
    *,
    run_loops: bool = True,
    takeover_after: float | None = None,
) -> EngineOptions:
    """The engine's options as the installation's settings give them (serve, worker and
    the commands that run workflows)."""
    return EngineOptions(
        role=role,
        run_loops=run_loops,
        stop_grace=process.stop_grace_seconds,
        takeover_after=takeover_after,
        worker_concurrency=process.worker_concurrency,
        polling_interval=process.queue_polling_seconds,
    )


class Engine:
    def __init__(self, rt: Runtime, options: EngineOptions | None = None) -> None:
        self.rt = configure(rt)
        self.options = options or EngineOptions()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._heartbeat: Heartbeat | None = None

    @property
    def executor_id(self) -> str:
        return self.rt.process.executor_id or f"{socket.gethostname()}-{self.options.role}"

    def system_database_url(self) -> str:
        if self.rt.process.is_postgres:
            return sqlalchemy_url(self.rt.process.resolved_database_url)
        return f"sqlite:///{(self.rt.process.data_dir / 'dbos.sqlite').resolve()}"

    def start(self) -> Engine:
        self.rt.db.migrate()
        if not self.rt.process.is_postgres:
            _write_ahead_log(self.rt.process.data_dir / "dbos.sqlite")
        DBOS(
            config={
                "name": DBOS_APPLICATION,
                "system_database_url": self.system_database_url(),
                "executor_id": self.executor_id,
                # A fixed version: a restarted process must recover its own pending work.
                "application_version": __version__,
                "log_level": "WARNING",
                "notification_listener_polling_interval_sec": 0.1,
                # DBOS keeps 20 connections by default, whatever the work needs.
                "sys_db_pool_size": connections_needed(self.options.worker_concurrency),
            }
        )
        DBOS.launch()
        DBOS.register_queue(
            workflows.TRANSFER_QUEUE,
            worker_concurrency=self.options.worker_concurrency,
            partition_concurrency=1,
            polling_interval_sec=self.options.polling_interval,
        )
        DBOS.register_queue(workflows.PRODUCT_QUEUE, worker_concurrency=2, polling_interval_sec=1.0)
        intake.set_starter(enqueue_event)
        if self.options.takeover_after is not None:
            self._heartbeat = Heartbeat(
                self.rt, self.executor_id, self.options.role, self.options.takeover_after
            )
            self._heartbeat.start()
        if self.options.run_loops:
            self._spawn("billysync-dispatcher", self._dispatch_loop)
            self._spawn("billysync-schedule", self._schedule_loop)
            self._spawn("billysync-backfill", self._backfill_loop)
        return self

    def stop(self, grace: float | None = None) -> None:
        """A graceful stop: take no new work, let running workflows finish, shut DBOS down.

        Running workflows get up to `grace` seconds (default `EngineOptions.stop_grace`):
        DBOS stops dequeuing at once and waits for them, so a stop between a step's end and
        its workflow's end leaves nothing PENDING. What is still running after the grace
        (a hung Billy call, a retry pause) stays PENDING and is resumed by the next start of
        this executor, or taken over by a live worker.
        """
        intake.set_starter(None)
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        if self._heartbeat is not None:
            # It beats no more: should work outlast the grace, the others take it over.
            self._heartbeat.stop()
        grace = self.options.stop_grace if grace is None else grace
        busy = workflows.running_here() > 0
        oplog.info("engine.stop", executor=self.executor_id, grace_seconds=grace, busy=busy)
        # DBOS checks its running workflows once a second; an idle engine need not wait
        # (known without the database, which may already be gone).
        DBOS.destroy(workflow_completion_timeout_sec=math.ceil(grace) if busy else 0)

    def wait_idle(self, timeout: float = 300.0) -> bool:
        """Wait until no workflow is pending or queued (tests, one-shot commands)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = DBOS.list_workflows(
                status=["PENDING", "ENQUEUED"], load_input=False, load_output=False, limit=1
            )
            if not active:
                return True
            time.sleep(0.1)
        return False

    def _spawn(self, name: str, target: object) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _dispatch_loop(self) -> None:
        """One process sweeps at a time (the lease's holder); the others only renew their
        claim to take over when it stops."""
        seconds = LEASE_TURNS * self.options.dispatch_every + self.options.dispatch_grace
        while not self._stop.wait(self.options.dispatch_every):
            try:
                with self.rt.db.session() as session:
                    leader = leases.hold(session, "dispatcher", self.executor_id, seconds)
                if leader:
                    dispatch_pending(self.rt, older_than=self.options.dispatch_grace)
            except Exception:  # the loop must outlive a passing database error
                log.exception("dispatching stored events failed; trying again shortly")

    def _backfill_loop(self) -> None:
        """Running backfills, a few orders at a time (sync/backfill_run.py)."""
        while not self._stop.wait(backfill_run.PACE):
            try:
                backfill_run.drive_running(self.rt, enqueue_event)
            except Exception:  # the loop must outlive a passing database error
                log.exception("releasing backfill orders failed; trying again shortly")

    def _schedule_loop(self) -> None:
        """Product passes and Shoporama polls per shop, one per time slot across workers."""
        while not self._stop.wait(1.0):
            now = time.time()
            product_slot = int(now // self.options.products_every)
            poll_slot = int(now // self.options.poll_every)
            try:
                with self.rt.db.session() as session:
                    active = [
                        (s.id, adapters.is_polled(s))
                        for s in shops.list_shops(session)
                        if s.billy_key_secret
                    ]
                night = nightly.due_today(utcnow())
                for shop_id, polled in active:
                    enqueue_products(shop_id, workflow_id=f"products:{shop_id}:{product_slot}")
                    if polled:
                        enqueue_poll(shop_id, workflow_id=f"poll:{shop_id}:{poll_slot}")
                    if night is not None:
                        enqueue_nightly(shop_id, night)
            except Exception:
                log.exception("starting the scheduled product passes and polls failed")
            self._stop.wait(min(self.options.products_every, self.options.poll_every) / 4)


def _write_ahead_log(path: Path) -> None:
    """DBOS's SQLite file in WAL mode (DBOS leaves it in rollback-journal mode): readers and
    its one writer no longer block each other. The mode is kept in the file itself."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def transfer_partition(shop_id: int, kind: str, object_key: str) -> str:
    """The queue partition of one order or return: its workflows run one at a time."""
    return f"{shop_id}:{kind}:{object_key}"


def transfer_workflow_id(shop_id: int, kind: str, object_key: str, event_id: int | None) -> str:
    return f"transfer:{shop_id}:{kind}:{object_key}:{event_id}"


def enqueue_transfer(
    shop_id: int, kind: str, object_key: str, event_id: int | None, *, workflow_id: str
) -> None:
    queue = DBOS.retrieve_queue(workflows.TRANSFER_QUEUE)
    assert queue is not None, "the engine is not started"
    partition = transfer_partition(shop_id, kind, object_key)
    with SetWorkflowID(workflow_id), SetEnqueueOptions(queue_partition_key=partition):
        queue.enqueue(workflows.transfer_workflow, shop_id, kind, object_key, event_id)


def enqueue_products(shop_id: int, *, workflow_id: str) -> None:
    _enqueue_shop_pass(workflows.products_workflow, shop_id, workflow_id)


def enqueue_poll(shop_id: int, *, workflow_id: str) -> None:
    _enqueue_shop_pass(workflows.poll_workflow, shop_id, workflow_id)


def _enqueue_shop_pass(workflow: Callable[[int], object], shop_id: int, workflow_id: str) -> None:
    """A per-shop pass (products, poll): one at a time per shop, on the product queue."""
    queue = DBOS.retrieve_queue(workflows.PRODUCT_QUEUE)
    assert queue is not None, "the engine is not started"
    with SetWorkflowID(workflow_id), SetEnqueueOptions(queue_partition_key=str(shop_id)):
        queue.enqueue(workflow, shop_id)


def enqueue_nightly(shop_id: int, day: str) -> None:
    """The nightly reconciliation of one shop for `day` (once, whoever asks)."""
    queue = DBOS.retrieve_queue(workflows.PRODUCT_QUEUE)
    assert queue is not None, "the engine is not started"
    workflow_id = f"reconcile:{shop_id}:{day}"
    with SetWorkflowID(workflow_id), SetEnqueueOptions(queue_partition_key=str(shop_id)):
        queue.enqueue(nightly.nightly_workflow, shop_id, day)


def enqueue_event(rt: Runtime, event_id: int, event: intake.Event | None = None) -> None:
    """Start the work an inbox event asks for (idempotent: the workflow id is the event's).

    Enqueue first, then mark the event: a crash in between leaves it `new`, and the
    dispatcher enqueues it again under the same workflow id, which DBOS runs once.
    `event` is the event as its receiver just stored it (new): it is not read back, and a
    transfer's event is not marked `queued` either (its workflow closes it; the sweep
    marks one still waiting after the grace, see `dispatch_pending`).
    """
    if event is not None:
        shop_id, kind, key, name = (
            event.shop_id,
            event.object_type,
            event.object_key,
            event.name,
        )
    else:
        with rt.db.reading() as session:
            row = inbox.get_event(session, event_id)
            if row is None or row.state != "new":
                return
            shop_id, kind, key, name = row.shop_id, row.object_type, row.object_key, row.event_name
    if kind in ("order", "return"):
        wid = transfer_workflow_id(shop_id, kind, key, event_id)
        enqueue_transfer(shop_id, kind, key, event_id, workflow_id=wid)
        state, reason = "queued", None
    elif kind == "product":
        # A burst of product events needs one pass, not one each: a pass still waiting in
        # the queue has not listed yet, so it will see this change too.
        waiting = DBOS.list_workflows(
            status="ENQUEUED",
            workflow_id_prefix=f"products:{shop_id}:",
            load_input=False,
            load_output=False,
            limit=1,
        )
        if not waiting:
            enqueue_products(shop_id, workflow_id=f"products:{shop_id}:event:{event_id}")
        state, reason = "processed", None
    else:
        state, reason = "ignored", f"event {name!r} needs no work"
    if event is not None and state == "queued":
        return
    with rt.db.session() as session:
        # Its workflow may have run and closed the event already (processed or failed):
        # "queued" must not overwrite that, or the event looks unworked forever.
        inbox.mark_new_event(session, event_id, state, reason)


def dispatch_pending(rt: Runtime, *, older_than: float) -> int:
    """Enqueue stored events nobody enqueued (the web crashed, or it is a web-only process).

    The receiving process enqueued most of them already: an event whose workflow exists is
    only marked `queued` (one statement for all), not enqueued again. Returns how many
    events were enqueued or marked.
    """
    cutoff = utcnow() - timedelta(seconds=older_than)
    with rt.db.reading() as session:
        pending = [
            (e.id, e.shop_id, e.object_type, e.object_key)
            for e in inbox.events_in_state(session, "new")
            if as_utc(e.received_at) <= cutoff
        ]
    workflow_ids = {
        transfer_workflow_id(shop_id, kind, key, event_id): event_id
        for event_id, shop_id, kind, key in pending
        if kind in intake.TRANSFER_KINDS
    }
    started: set[int] = set()
    if workflow_ids:
        found = DBOS.list_workflows(
            workflow_ids=list(workflow_ids), load_input=False, load_output=False
        )
        started = {workflow_ids[w.workflow_id] for w in found if w.workflow_id in workflow_ids}
    if started:
        with rt.db.session() as session:
            inbox.mark_new_events(session, sorted(started), "queued")
    for event_id, *_ in pending:
        if event_id not in started:
            enqueue_event(rt, event_id)
    return len(pending)


# The sweep's lease: a holder that stops is replaced after this many dispatch turns.
LEASE_TURNS = 3
