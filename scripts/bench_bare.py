"""A bare DBOS workflow, the yardstick for the engine: the same queue, the same checkpoints.

Each "order" is one workflow on a queue registered as billysync's transfer queue is
(worker concurrency, one workflow per partition, polling interval: bench_wiring.queue_settings),
partitioned by the order's key, running as many steps as billysync's workflow records per
order, each step doing nothing. What it costs is what DBOS costs; billysync can only add.

    python -m scripts.bench_bare embedded --data-dir D --orders 300 --steps 1
    python -m scripts.bench_bare worker --database-url postgresql://… --executor w1
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from dbos import DBOS, DBOSClient, EnqueueOptions, SetEnqueueOptions, SetWorkflowID

from scripts import bench_wiring
from scripts.bench_counting import SqlCounter, per_order, snapshot_on_signal
from scripts.bench_processes import SNAPSHOTS_ENV

APP = "billysync-bare"
VERSION = "bench"  # fixed, so a client's enqueued workflows match the workers'
QUEUE = "bench-bare-transfers"
WORKFLOW = "bench.bare"
READY = "bare DBOS worker running"


@DBOS.step(name="bench.bare.step")
def bare_step(key: str, number: int) -> int:
    return number


@DBOS.workflow(name=WORKFLOW)
def bare_workflow(key: str, steps: int) -> str:
    for number in range(steps):
        bare_step(key, number)
    return "paid"


def launch(system_database_url: str, executor_id: str) -> None:
    """DBOS configured as sync/engine.py configures it, and the transfer queue's twin."""
    DBOS(
        config={
            "name": APP,
            "system_database_url": system_database_url,
            "executor_id": executor_id,
            "application_version": VERSION,
            "log_level": "WARNING",
            "notification_listener_polling_interval_sec": 0.1,
        }
    )
    DBOS.launch()
    options = bench_wiring.queue_settings()
    DBOS.register_queue(
        QUEUE,
        worker_concurrency=options.worker_concurrency,
        partition_concurrency=1,
        polling_interval_sec=options.polling_interval,
    )


def enqueue_options(key: str) -> EnqueueOptions:
    return {
        "queue_name": QUEUE,
        "workflow_name": WORKFLOW,
        "workflow_id": f"bare:{key}",
        "queue_partition_key": key,
        "app_version": VERSION,
        "application_name": APP,
    }


def enqueue_from_outside(system_database_url: str, keys: list[str], steps: int) -> None:
    """What billysync's dispatcher does for the workers: enqueue each order once."""
    client = DBOSClient(system_database_url=system_database_url, application_name=APP)
    try:
        for key in keys:
            client.enqueue(enqueue_options(key), key, steps)
    finally:
        client.destroy()


def succeeded(system_database_url: str) -> int:
    """Finished bare workflows, read without DBOS (and without our counters)."""
    query = "SELECT count(*) FROM {t} WHERE name = %s AND status = 'SUCCESS'"
    if system_database_url.startswith("sqlite"):
        import sqlite3

        path = system_database_url.removeprefix("sqlite:///")
        with sqlite3.connect(path) as conn:
            sql = query.format(t="workflow_status").replace("%s", "?")
            return int(conn.execute(sql, (WORKFLOW,)).fetchone()[0])
    import psycopg

    with psycopg.connect(system_database_url.replace("+psycopg", "")) as conn:
        row = conn.execute(query.format(t="dbos.workflow_status"), (WORKFLOW,)).fetchone()
        return int(row[0]) if row else 0


def wait_succeeded(system_database_url: str, count: int, timeout: float = 3600) -> None:
    deadline = time.monotonic() + timeout
    while succeeded(system_database_url) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"bare DBOS: {count} workflows not done in {timeout} s")
        time.sleep(0.05)


def embedded(data_dir: Path, orders: int, steps: int) -> dict[str, object]:
    """One process, DBOS on SQLite; orders enqueued here as billysync's `submit` does."""
    counter = SqlCounter()
    url = f"sqlite:///{(data_dir / 'bare-dbos.sqlite').resolve()}"
    launch(url, "bare-embedded")
    queue = DBOS.retrieve_queue(QUEUE)
    assert queue is not None
    keys = [str(10_000 + i) for i in range(orders)]
    before = counter.snapshot()
    started = time.perf_counter()
    for key in keys:
        with SetWorkflowID(f"bare:{key}"), SetEnqueueOptions(queue_partition_key=key):
            queue.enqueue(bare_workflow, key, steps)
    wait_succeeded(url, orders)
    elapsed = time.perf_counter() - started
    spent = counter.snapshot() - before
    DBOS.destroy(workflow_completion_timeout_sec=0)
    return {"orders_per_second": orders / elapsed, **per_order(spent, orders)}


def worker(database_url: str, executor_id: str) -> None:
    counter = SqlCounter()
    snapshot_on_signal(counter, Path(os.environ[SNAPSHOTS_ENV]))
    launch(bench_wiring.system_database_url(database_url), executor_id)
    print(READY, flush=True)
    from billysync.stopping import exit_now, wait_for_stop_signal

    wait_for_stop_signal()
    DBOS.destroy(workflow_completion_timeout_sec=0)
    exit_now()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=("embedded", "worker"))
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--steps", type=int, default=1)
    parser.add_argument("--database-url")
    parser.add_argument("--executor", default="bare-w1")
    args = parser.parse_args()
    if args.mode == "worker":
        worker(args.database_url, args.executor)
        return 0
    import json

    print("BARE " + json.dumps(embedded(args.data_dir, args.orders, args.steps)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
