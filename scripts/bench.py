"""Benchmark: prints billysync's performance figures (docs/invariants.md §4). Nothing is asserted.

    python3 dev.py bench                   # all figures, default sizes
    python3 dev.py bench --orders 1000     # more orders through the engine
    python3 dev.py bench --only backfill   # only the backfill of 10,000 orders
    python3 dev.py bench --only engine     # all but the backfill

Figures:
- orders through the engine, embedded SQLite, Billy emulator in-process at zero latency;
- webhook acknowledgement latency (p50/p99) at 50 signed events/s against a real server;
- the process's peak memory (RSS) afterwards;
- a backfill of 10,000 orders (orders/s, peak RSS), in its own process (bench_backfill.py);
  `--backfill-orders 0` leaves it out.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2
import uvicorn

from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.store import shops
from billysync.sync import service
from billysync.sync.engine import Engine, EngineOptions
from billysync.sync.runtime import AttemptBackoff, Runtime
from billysync.web.app import create_app
from tests.support.shop_builders import line, order, person
from tests.support.sync_harness import TOKEN, make_shop


def engine_throughput(data_dir: Path, count: int, workers: int = 8) -> tuple[Runtime, Engine, int]:
    emu = BillyEmulator()
    process = ProcessSettings(data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'b.db'}")
    rt = Runtime.from_settings(
        process,
        billy_transport=emu.transport(),
        retry=AttemptBackoff(first_delay=0.05),
        billy_rate_per_second=100_000.0,
    )
    engine = Engine(
        rt,
        EngineOptions(
            role="bench", run_loops=False, polling_interval=0.05, worker_concurrency=workers
        ),
    )
    engine.start()
    shop_id, _ = make_shop(rt, emu, TOKEN, "Bench shop")
    orders = [
        order(
            str(10_000 + i),
            customer=person(f"cust-{i % (count // 3 + 1)}"),
            lines=(line("MUG-1", "Krus", "2", "89.00"), line("CAP-1", "Kasket", "1", "199.00")),
        )
        for i in range(count)
    ]
    started = time.perf_counter()
    for o in orders:
        payload = o.model_dump_json()
        service.submit(
            rt,
            service.Event(
                shop_id=shop_id,
                source=service.EventSource.API,
                name="order.updated",
                object_type="order",
                object_key=o.key,
                dedupe_key=hashlib.sha256(payload.encode()).hexdigest(),
                payload=payload,
            ),
        )
    stored = time.perf_counter() - started
    engine.wait_idle(timeout=600)
    elapsed = time.perf_counter() - started
    invoices = len(emu.ledger(TOKEN).invoices())
    print(
        f"engine, embedded SQLite: {count} orders in {elapsed:.1f} s = "
        f"{count / elapsed:.1f} orders/s ({invoices} invoices in Billy; storing and "
        f"enqueuing the events took {stored:.1f} s of it)"
    )
    return rt, engine, shop_id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_latency(rt: Runtime, shop_id: int, seconds: float, rate: float) -> None:
    secret = "bench-webhook-secret"
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shop.platform = "shoporama"
        shops.set_shop_connection(shop, rt.box, webhook_secret=secret)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    latencies: list[float] = []
    with httpx2.Client(base_url=f"http://127.0.0.1:{port}") as client:
        total = int(seconds * rate)
        start = time.perf_counter()
        for i in range(total):
            body = json.dumps(
                {"event": "product", "data": {"product_id": 900_000 + i, "last_modified": str(i)}}
            ).encode()
            signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            due = start + i / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            sent = time.perf_counter()
            answer = client.post(
                f"/hooks/shoporama/{shop_id}",
                content=body,
                headers={"X-Shoporama-Signature": signature},
            )
            latencies.append((time.perf_counter() - sent) * 1000)
            if answer.status_code >= 300:
                print(f"webhook answered {answer.status_code}: {answer.text[:200]}")
                break
    server.should_exit = True
    thread.join(timeout=5)
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"webhook acknowledgement at {rate:.0f}/s over {len(latencies)} events: "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--webhook-seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=8, help="workflows at once")
    parser.add_argument("--backfill-orders", type=int, default=10_000, help="0: no backfill")
    parser.add_argument(
        "--only",
        choices=("engine", "backfill"),
        help="engine: the engine's figures (no backfill); backfill: only the backfill",
    )
    args = parser.parse_args()
    if args.only != "backfill":
        with tempfile.TemporaryDirectory() as tmp:
            rt, engine, shop_id = engine_throughput(Path(tmp), args.orders, args.workers)
            try:
                webhook_latency(rt, shop_id, args.webhook_seconds, 50.0)
            finally:
                engine.stop()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (RSS) of this process: {rss_mb:.0f} MB")
    if args.backfill_orders and args.only != "engine":
        # Its own process: DBOS is one per process, and its peak memory must be its own.
        command = [sys.executable, "-m", "scripts.bench_backfill"]
        command += ["--orders", str(args.backfill_orders), "--workers", str(args.workers)]
        return subprocess.run(command, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
