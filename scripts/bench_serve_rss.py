"""Memory of a real `billysync serve` as orders go through: RSS after 1k, 5k and 10k orders.

    python -m scripts.bench_serve_rss --orders 10000

`serve` (embedded SQLite, no demo) runs as a process of its own, the Billy emulator in
another at zero latency; a shop sends its orders over the JSON API, four at a time. When
1,000, 5,000 and 10,000 orders (those up to --orders) are booked, the process's resident
memory is read from /proc. Also printed: the orders/s `serve` kept up over the whole run.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from billysync.shop.models import Order
from scripts import bench_wiring
from scripts.bench_processes import spawn
from scripts.bench_table import Row, emit, progress

SERVING = "billysync is running"  # what `serve` prints once its engine and web run
CHECKPOINTS = (100, 1_000, 5_000, 10_000)
SENDERS = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def send_all(port: int, api_token: str, orders: list[Order]) -> None:
    """The shop: every order PUT once, SENDERS at a time (an answer ≥ 300 stops the run)."""
    waiting = list(reversed(orders))
    lock = threading.Lock()
    errors: list[str] = []

    def sender() -> None:
        while not errors:
            with lock:
                if not waiting:
                    return
                o = waiting.pop()
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/orders/{o.key}",
                data=o.model_dump_json().encode(),
                method="PUT",
                headers={
                    "Authorization": f"Bearer {api_token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                urllib.request.urlopen(request, timeout=120).close()  # noqa: S310 (http://127.0.0.1)
            except Exception as exc:
                errors.append(f"order {o.key}: {exc}")

    threads = [threading.Thread(target=sender, daemon=True) for _ in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("the shop's orders were refused: " + "; ".join(errors[:5]))


def serve_rss(folder: Path, count: int) -> list[Row]:
    url = f"sqlite:///{(folder / 'billysync.db').resolve()}"
    with bench_wiring.billy_process(folder) as billy:
        rt = bench_wiring.runtime(folder, url)
        shop_id, api_token = bench_wiring.make_shop(rt, billy.url)
        port = free_port()
        env = bench_wiring.process_env(folder, url, "bench-serve")
        env[bench_wiring.RATE_ENV] = str(bench_wiring.UNLIMITED)
        args = ["serve", "--no-demo", "--port", str(port)]
        serve = spawn("serve", "scripts.bench_instrumented", args, env, folder)
        rows = []
        try:
            serve.wait_for(SERVING)
            started = time.perf_counter()
            shop = threading.Thread(
                target=send_all,
                args=(port, api_token, bench_wiring.some_orders(count)),
                daemon=True,
            )
            shop.start()
            for checkpoint in (c for c in CHECKPOINTS if c <= count):
                done = bench_wiring.wait_finished(rt, shop_id, checkpoint)
                rss = serve.rss_mb()
                progress(f"serve: {checkpoint} orders booked, RSS {rss:.0f} MB")
                rows.append(
                    Row(
                        f"RSS of `serve` after {checkpoint:,} orders ({done.get('paid', 0)} paid)",
                        f"{rss:.0f} MB",
                        "",
                        "< 200 MB, flat",
                    )
                )
            bench_wiring.wait_finished(rt, shop_id, count)
            elapsed = time.perf_counter() - started
            shop.join()
        finally:
            serve.stop()
            rt.db.dispose()
    rows.append(
        Row(
            f"`serve` throughput over {count:,} orders (JSON API, 4 senders)",
            f"{count / elapsed:.1f} orders/s",
        )
    )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        emit(serve_rss(Path(tmp), args.orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
