"""PostgreSQL: billysync with 1, 2 and 4 `billysync worker` processes, and bare DBOS alike.

    python -m scripts.bench_postgres --orders 600 --workers 1,2,4

Each run has a fresh database and a Billy emulator process at zero latency. The orders are
stored here as `billysync web` stores them (no engine in this process), each enqueued in
the transaction that stores it. Measured from the first order stored to the last one finished:
orders/s; from the workers' own counters (bench_instrumented.py), our and DBOS's statements
and commits per order, and the workers' CPU per order. The bare DBOS run has as many worker
processes (bench_bare.py), its workflows enqueued from here with DBOS's client.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from billysync.sync import web_intake
from scripts import bench_bare, bench_wiring
from scripts.bench_counting import Snapshot, per_order
from scripts.bench_processes import Spawned, spawn
from scripts.bench_table import Row, emit, progress, ratio

WORKER_READY = "running; Ctrl-C stops it"  # what `billysync worker` prints once DBOS runs


def measured(workers: list[Spawned], run: Any) -> tuple[float, Snapshot, list[float]]:
    """Run `run()`; its wall time, the workers' summed counters, each worker's CPU s."""
    before = [w.snapshot() for w in workers]
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    spent = [w.snapshot() - b for w, b in zip(workers, before, strict=True)]
    total = Snapshot()
    for s in spent:
        total = total + s
    return elapsed, total, [s.cpu_seconds for s in spent]


def billysync_workers(
    folder: Path, orders: int, count: int, billy_rate_limit: float | None = None
) -> dict[str, Any]:
    """`count` billysync workers booking `orders` orders; with a Billy limit R, the shop's
    ceiling is 2 R (set too high: the shared budget must find R by itself)."""
    ceiling = bench_wiring.UNLIMITED if billy_rate_limit is None else 2 * billy_rate_limit
    with (
        bench_wiring.postgres_database() as url,
        bench_wiring.billy_process(folder, billy_rate_limit) as billy,
    ):
        rt = bench_wiring.runtime(folder, url)
        shop_id, _ = bench_wiring.make_shop(rt, billy.url, ceiling)
        workers = []
        try:
            for n in range(1, count + 1):
                env = bench_wiring.process_env(folder, url, f"bench-w{n}")
                name = f"w{n}-{time.monotonic_ns()}"
                workers.append(spawn(name, "scripts.bench_instrumented", ["worker"], env, folder))
            for w in workers:
                w.wait_for(WORKER_READY)
            # As `billysync web` does: each order enqueued in the transaction storing it.
            enqueuer = web_intake.enqueue_where_stored(rt)
            batch = bench_wiring.some_orders(orders)
            mark = billy.last_seq()
            states: dict[str, int] = {}

            def run() -> None:
                for o in batch:
                    bench_wiring.submit(rt, shop_id, o)
                states.update(bench_wiring.wait_finished(rt, shop_id, orders))

            elapsed, total, cpu = measured(workers, run)
            calls = billy.journal(since=mark)
            if enqueuer is not None:
                enqueuer.close()
        finally:
            for w in workers:
                w.stop()
            rt.db.dispose()
        steps = bench_wiring.checkpoints_per_order(bench_wiring.system_database_url(url))
    return {
        "orders_per_second": orders / elapsed,
        "states": states,
        "steps": steps,
        "calls": calls,
        "worker_cpu_ms": [c * 1000 / orders for c in cpu],
        **per_order(total, orders),
    }


def bare_workers(folder: Path, orders: int, count: int, steps: int) -> dict[str, Any]:
    with bench_wiring.postgres_database() as url:
        system_url = bench_wiring.system_database_url(url)
        workers = []
        try:
            for n in range(1, count + 1):  # one at a time: the first creates DBOS's schema
                name = f"bare-w{n}-{time.monotonic_ns()}"
                args = ["worker", "--database-url", url, "--executor", f"bare-w{n}"]
                workers.append(spawn(name, "scripts.bench_bare", args, {}, folder))
                workers[-1].wait_for(bench_bare.READY)
            keys = [str(10_000 + i) for i in range(orders)]

            def run() -> None:
                bench_bare.enqueue_from_outside(system_url, keys, steps)
                bench_bare.wait_succeeded(system_url, orders)

            elapsed, total, cpu = measured(workers, run)
        finally:
            for w in workers:
                w.stop()
    return {
        "orders_per_second": orders / elapsed,
        "worker_cpu_ms": [c * 1000 / orders for c in cpu],
        **per_order(total, orders),
    }


def rows(results: dict[int, tuple[dict[str, Any], dict[str, Any]]], orders: int) -> list[Row]:
    out: list[Row] = []
    one = results.get(1, (None, None))[0]
    for count, (ours, bare) in sorted(results.items()):
        speed, bare_speed = ours["orders_per_second"], bare["orders_per_second"]
        states = ", ".join(f"{n} {s}" for s, n in sorted(ours["states"].items()))
        target = "≥ 0.6 × bare"
        shown = f"{speed:.1f} ({ratio(speed, bare_speed)} × bare"
        if count > 1 and one is not None:
            shown += f", {ratio(speed, one['orders_per_second'])} × 1 worker"
            target += ", rises with workers" + (", ≥ 1.6 × 1 worker" if count == 2 else "")
        where = f"PostgreSQL, {count} worker{'s' * (count > 1)}"
        out += [
            Row(
                f"{where}: orders/s ({orders} orders: {states})",
                shown + ")",
                f"{bare_speed:.1f}",
                target,
            ),
            Row(
                f"{where}: our statements / commits per order (budget leases apart)",
                f"{ours['ours_statements']:.1f} / {ours['ours_commits']:.1f}; "
                f"leases {ours['lease_statements']:.1f} / {ours['lease_commits']:.1f}",
                "—",
                "≤ 15 / ≤ 5, not growing with workers",
            ),
            Row(
                f"{where}: DBOS statements / commits per order",
                f"{ours['dbos_statements']:.1f} / {ours['dbos_commits']:.1f}",
                f"{bare['dbos_statements']:.1f} / {bare['dbos_commits']:.1f}",
                "not growing with workers",
            ),
            Row(
                f"{where}: worker CPU per order (all workers; each)",
                cpu_text(ours["worker_cpu_ms"]),
                cpu_text(bare["worker_cpu_ms"]),
                "≤ 25 ms",
            ),
        ]
    return out


def cpu_text(per_worker: list[float]) -> str:
    text = f"{sum(per_worker):.0f} ms"
    if len(per_worker) > 1:
        text += " (" + " + ".join(f"{c:.0f}" for c in per_worker) + ")"
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(n) for n in args.workers.split(",")):
            ours = billysync_workers(Path(tmp), args.orders, count)
            progress(f"billysync, {count} workers: {ours['orders_per_second']:.1f} orders/s")
            steps = max(1, round(ours["steps"]))
            bare = bare_workers(Path(tmp), args.orders, count, steps)
            progress(f"bare DBOS, {count} workers: {bare['orders_per_second']:.1f} orders/s")
            results[count] = (ours, bare)
    emit(rows(results, args.orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
