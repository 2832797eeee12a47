"""Benchmark: a backfill of N historic orders (default 10,000), in its own process so its peak
memory is its own. Prints orders/s and peak RSS; nothing is asserted.

    python3 -m scripts.bench_backfill --orders 10000

The shop pushed its orders through the JSON API before it had a Billy key (each stopped,
asking for one); the backfill then books them through the normal workflow, released a window
at a time as `billysync backfill` does, into the Billy emulator (a process of its own) at zero
latency, on embedded SQLite.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from billysync.store import inbox, transfers
from billysync.sync import backfill_run
from billysync.sync.engine import enqueue_event
from billysync.sync.runtime import Runtime
from billysync.sync.shop_period import Period
from scripts import bench_wiring
from scripts.bench_table import Row, emit, progress
from tests.support.shop_builders import line, order, person


def pushed_before_billy(rt: Runtime, shop_id: int, count: int) -> None:
    with rt.db.session() as session:
        for i in range(count):
            o = order(
                str(10_000 + i),
                customer=person(f"cust-{i % (count // 3 + 1)}"),
                lines=(line("MUG-1", "Krus", "2", "89.00"), line("CAP-1", "Kasket", "1", "199.00")),
            )
            event, _ = inbox.store_event(
                session,
                shop_id=shop_id,
                source="api",
                event_name="order.updated",
                object_type="order",
                object_key=o.key,
                dedupe_key=f"push:{o.key}",
                payload=o.model_dump_json(),
            )
            event.state = "failed"
            transfers.ensure_transfer(session, shop_id, "order", o.key).number = o.number
            failed = transfers.TransferState.FAILED
            transfers.stop(session, shop_id, "order", o.key, failed, "no Billy key yet", "config")


def backfill_throughput(data_dir: Path, count: int) -> list[Row]:
    with bench_wiring.billy_process(data_dir) as billy:
        rt = bench_wiring.runtime(data_dir, f"sqlite:///{(data_dir / 'billysync.db').resolve()}")
        engine = bench_wiring.embedded_engine(rt)
        try:
            shop_id, _ = bench_wiring.make_shop(rt, billy.url)
            pushed_before_billy(rt, shop_id, count)
            started = time.perf_counter()
            november = Period(date(2026, 11, 1), date(2026, 11, 30))
            run_id, _ = backfill_run.start(rt, shop_id, november)
            planned = time.perf_counter() - started
            while backfill_run.release(rt, run_id, enqueue_event) != "done":
                time.sleep(backfill_run.PACE)  # what the command's loop does
            elapsed = time.perf_counter() - started
            done = backfill_run.progress(rt, run_id)
        finally:
            engine.stop()
            rt.db.dispose()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    failed = done.failed if done else "?"
    progress(f"backfill: {count} orders in {elapsed:.1f} s (planning {planned:.1f} s)")
    return [
        Row(
            f"backfill of {count:,} orders, embedded SQLite ({failed} failed)",
            f"{count / elapsed:.1f} orders/s, peak RSS {rss_mb:.0f} MB",
        )
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        emit(backfill_throughput(Path(tmp), args.orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
