"""Memory of a real `billysync serve` as orders go through: RSS after 1k, 5k and 10k orders.

    python -m scripts.bench_serve_rss --orders 10000

`serve` (embedded SQLite, no demo) runs as a process of its own, the Billy emulator in
another at zero latency; a shop sends its orders over the JSON API, four at a time. When
100, 1,000, 5,000 and 10,000 orders (those below --orders) and all of them are booked, the
process's resident memory is read from /proc. Also printed: the orders/s `serve` kept up
over the whole run.
"""

from __future__ import annotations

import argparse
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from billysync.shop.models import Order
from billysync.sync.runtime import Runtime
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


class Shop:
    """Every order PUT once over the JSON API, SENDERS at a time, on threads of its own."""

    def __init__(self, port: int, api_token: str, orders: list[Order]) -> None:
        self.port, self.api_token = port, api_token
        self.waiting = list(reversed(orders))
        self.errors: list[str] = []  # an order refused stops the run
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._send, daemon=True) for _ in range(SENDERS)]
        for t in self.threads:
            t.start()

    def _send(self) -> None:
        while not self.errors:
            with self._lock:
                if not self.waiting:
                    return
                o = self.waiting.pop()
            request = urllib.request.Request(
                f"http://127.0.0.1:{self.port}/api/v1/orders/{o.key}",
                data=o.model_dump_json().encode(),
                method="PUT",
                headers={
                    "Authorization": f"Bearer {self.api_token}",
                    "Content-Type": "application/json",
                },
            )
            try:
                urllib.request.urlopen(request, timeout=120).close()  # noqa: S310
            except Exception as exc:
                detail = exc.read()[:300] if isinstance(exc, urllib.error.HTTPError) else b""
                self.errors.append(f"order {o.key}: {exc} {detail!r}")


def wait_booked(rt: Runtime, shop_id: int, count: int, shop: Shop) -> dict[str, int]:
    while True:
        done = bench_wiring.finished(rt, shop_id)
        if sum(done.values()) >= count:
            return done
        if shop.errors:
            raise RuntimeError("the shop's orders were refused: " + "; ".join(shop.errors[:3]))
        time.sleep(0.2)


def serve_rss(folder: Path, count: int) -> list[Row]:
    url = f"sqlite:///{(folder / 'billysync.db').resolve()}"
    with bench_wiring.billy_process(folder) as billy:
        rt = bench_wiring.runtime(folder, url)
        shop_id, api_token = bench_wiring.make_shop(rt, billy.url)
        port = free_port()
        env = bench_wiring.process_env(folder, url, "bench-serve")
        args = ["serve", "--no-demo", "--port", str(port)]
        serve = spawn("serve", "scripts.bench_instrumented", args, env, folder)
        rows = []
        try:
            serve.wait_for(SERVING)
            serve.wait_for_port(port)
            started = time.perf_counter()
            shop = Shop(port, api_token, bench_wiring.some_orders(count))
            for checkpoint in sorted({c for c in CHECKPOINTS if c < count} | {count}):
                done = wait_booked(rt, shop_id, checkpoint, shop)
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
            elapsed = time.perf_counter() - started
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
