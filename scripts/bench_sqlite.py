"""Embedded SQLite: billysync against a bare DBOS workflow, orders/s and cost per order.

    python -m scripts.bench_sqlite --orders 300

billysync runs here as `serve` runs its engine (without the schedule loops); the orders come
in through `submit`, as the JSON API hands them over, and are enqueued at once. Billy is the
emulator in a process of its own at zero latency. Counted from the first order received to
the last one finished: orders/s, our SQL statements and commits per order (receiving
included), DBOS's, this process's CPU per order and Billy calls per order. The bare DBOS run
(bench_bare.py) follows in a process of its own with as many steps per order as billysync's
workflows recorded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from scripts import bench_wiring
from scripts.bench_counting import SqlCounter, per_order
from scripts.bench_table import Row, emit, progress, ratio


def billysync_embedded(data_dir: Path, orders: int) -> dict[str, Any]:
    counter = SqlCounter()
    with bench_wiring.billy_process(data_dir) as billy:
        rt = bench_wiring.runtime(data_dir, f"sqlite:///{(data_dir / 'billysync.db').resolve()}")
        counter.ours_is(rt.db.engine)
        engine = bench_wiring.embedded_engine(rt)
        try:
            shop_id, _ = bench_wiring.make_shop(rt, billy.url)
            batch = bench_wiring.some_orders(orders)
            mark = billy.last_seq()
            before = counter.snapshot()
            started = time.perf_counter()
            for o in batch:
                bench_wiring.submit(rt, shop_id, o)
            with counter.uncounted():
                states = bench_wiring.wait_finished(rt, shop_id, orders)
            elapsed = time.perf_counter() - started
            spent = counter.snapshot() - before
            calls = len(billy.journal(since=mark))
            steps = bench_wiring.checkpoints_per_order(engine.system_database_url())
        finally:
            engine.stop()
            rt.db.dispose()
    return {
        "orders_per_second": orders / elapsed,
        "states": states,
        "billy_calls": calls / orders,
        "steps": steps,
        **per_order(spent, orders),
    }


def bare_embedded(data_dir: Path, orders: int, steps: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "scripts.bench_bare", "embedded"]
    command += ["--data-dir", str(data_dir), "--orders", str(orders), "--steps", str(steps)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    [line] = [t for t in output.splitlines() if t.startswith("BARE ")]
    return dict(json.loads(line.removeprefix("BARE ")))


def kinds(by_kind: dict[str, float]) -> str:
    return ", ".join(f"{v:.1f} {k}" for k, v in list(by_kind.items())[:6])


def rows(ours: dict[str, Any], bare: dict[str, Any], orders: int) -> list[Row]:
    states = ", ".join(f"{n} {s}" for s, n in sorted(ours["states"].items()))
    speed, bare_speed = ours["orders_per_second"], bare["orders_per_second"]
    return [
        Row(
            f"orders/s, embedded SQLite ({orders} orders: {states})",
            f"{speed:.1f} ({ratio(speed, bare_speed)} × bare)",
            f"{bare_speed:.1f}",
            "≥ 0.6 × bare, and ≥ 50",
        ),
        Row(
            "CPU per order, embedded (the one process)",
            f"{ours['cpu_ms']:.0f} ms",
            f"{bare['cpu_ms']:.0f} ms",
        ),
        Row(
            "our own SQL statements per order, embedded (receiving included; BEGIN and "
            "the Billy budget's leases apart)",
            f"{ours['ours_statements']:.1f} ({kinds(ours['ours_by_kind'])}); "
            f"leases {ours['lease_statements']:.1f}",
            "—",
            "≤ 15",
        ),
        Row(
            "our own commits per order, embedded (leases apart)",
            f"{ours['ours_commits']:.1f}; leases {ours['lease_commits']:.1f}",
            "—",
            "≤ 5",
        ),
        Row(
            "DBOS statements / commits per order, embedded",
            f"{ours['dbos_statements']:.1f} / {ours['dbos_commits']:.1f}",
            f"{bare['dbos_statements']:.1f} / {bare['dbos_commits']:.1f}",
        ),
        Row(
            "DBOS checkpoints (steps) per order",
            f"{ours['steps']:.2f}",
            f"{max(1, round(ours['steps']))}",
            "same",
        ),
        Row("Billy calls per order (payment posted)", f"{ours['billy_calls']:.2f}"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ours = billysync_embedded(Path(tmp), args.orders)
        progress(f"billysync, embedded SQLite: {ours['orders_per_second']:.1f} orders/s")
        bare = bare_embedded(Path(tmp), args.orders, max(1, round(ours["steps"])))
        progress(f"bare DBOS, embedded SQLite: {bare['orders_per_second']:.1f} orders/s")
    emit(rows(ours, bare, args.orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
