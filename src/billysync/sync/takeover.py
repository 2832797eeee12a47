"""Taking over a dead worker's work, by itself (distributed mode) or by `billysync recover`.

DBOS resumes an executor's PENDING workflows when a process with the same executor id
starts again; a worker that never comes back keeps them PENDING. So every worker beats
in `executor_heartbeats` (`store/executors.py`) and, between beats, looks for executors
silent longer than the takeover time. The one live worker whose claim succeeds finishes
the dead executor's work through DBOS's public API: `list_workflows` finds what it held,
`resume_workflow` puts each one back on its own queue (keeping its partition, so still
one workflow per order at a time), and whichever worker dequeues it first runs it from
its last recorded step. Our steps are idempotent (bindings, write intents), so the
attempt the dead worker was making when it died costs no duplicate in Billy.

ENQUEUED work needs none of this: any worker dequeues it, whoever enqueued it.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from dbos import DBOS

from billysync import logs
from billysync.store import executors
from billysync.store.tables import utcnow
from billysync.sync.runtime import Runtime

log = logs.get_logger(__name__)


def take_over(rt: Runtime, dead: str, *, by: str, silent_for: float | None = None) -> int:
    """Finish the pending workflows of executor `dead`; how many were handed back to a queue.

    `silent_for` (seconds) makes it the automatic takeover: only if `dead` is still silent
    that long and nobody claimed it first. Without it, the operator's word is enough.
    """
    silent_before = None if silent_for is None else utcnow() - timedelta(seconds=silent_for)
    with rt.db.session() as session:
        claimed = executors.claim(session, dead, by, silent_before=silent_before)
    if not claimed:
        return 0
    pending = DBOS.list_workflows(
        status="PENDING", executor_id=dead, load_input=False, load_output=False
    )
    resumed = 0
    for workflow in pending:
        # Checked again just before: only work the dead executor still holds is handed back.
        now = DBOS.get_workflow_status(workflow.workflow_id)
        if now is None or (now.status, now.executor_id) != ("PENDING", dead):
            continue
        DBOS.resume_workflow(workflow.workflow_id, queue_name=now.queue_name)
        resumed += 1
    log.warning(
        "worker.takeover",
        dead_executor=dead,
        by=by,
        workflows=resumed,
        automatic=silent_for is not None,
    )
    return resumed


class Heartbeat:
    """A worker's heartbeat, and its watch over the other workers (one daemon thread)."""

    def __init__(self, rt: Runtime, executor_id: str, role: str, takeover_after: float) -> None:
        self.rt = rt
        self.executor_id = executor_id
        self.role = role
        self.takeover_after = takeover_after
        # Several beats fit in the takeover time, so a busy moment does not look like death.
        self.every = max(0.2, min(5.0, takeover_after / 6))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.beat()  # alive before the first workflow runs, and any old claim cleared
        self._thread = threading.Thread(target=self._run, name="billysync-heartbeat", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def beat(self) -> None:
        with self.rt.db.session() as session:
            executors.beat(session, self.executor_id, self.role)

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.beat()
                self.watch()
            except Exception as exc:  # a passing database error must not end the watch
                log.warning("worker.heartbeat_failed", error=type(exc).__name__)

    def watch(self) -> int:
        """Take over every executor silent longer than the takeover time; how many."""
        cutoff = utcnow() - timedelta(seconds=self.takeover_after)
        with self.rt.db.session() as session:
            silent = [e for e in executors.silent_since(session, cutoff) if e != self.executor_id]
        taken = 0
        for dead in silent:
            if self._stop.is_set():
                break
            take_over(self.rt, dead, by=self.executor_id, silent_for=self.takeover_after)
            taken += 1
        return taken
