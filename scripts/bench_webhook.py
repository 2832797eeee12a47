"""Webhook acknowledgement: p50/p99 at 50 signed Shoporama events/s against a real server.

    python -m scripts.bench_webhook --seconds 10 --rate 50

The app (`create_app`, as `serve` runs it) listens on a socket with the engine running in
the same process, embedded SQLite, for a Shoporama shop (the Shoporama and Billy emulators
in processes of their own, so the product passes the events start do their work). Each
event is signed with the shop's webhook secret and sent on its schedule; the time to the
answer is what the shop waits.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2
import uvicorn

from billysync.store import shops
from billysync.web.app import create_app
from scripts import bench_wiring
from scripts.bench_table import Row, emit

SECRET = "bench-webhook-secret"


def serve_in_thread(app: object) -> tuple[str, uvicorn.Server, threading.Thread]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server, thread


def webhook_latency(data_dir: Path, seconds: float, rate: float) -> list[float]:
    with (
        bench_wiring.billy_process(data_dir) as billy,
        bench_wiring.shoporama_process(data_dir) as shoporama,
    ):
        rt = bench_wiring.runtime(data_dir, f"sqlite:///{(data_dir / 'billysync.db').resolve()}")
        engine = bench_wiring.embedded_engine(rt)
        try:
            shop_id, _ = bench_wiring.make_shop(rt, billy.url)
            with rt.db.session() as session:
                shop = shops.get_shop(session, shop_id)
                assert shop is not None
                shop.platform = "shoporama"
                shops.set_shop_connection(
                    shop,
                    rt.box,
                    base_url=shoporama,
                    token=bench_wiring.SHOPORAMA_TOKEN,
                    webhook_secret=SECRET,
                )
            url, server, thread = serve_in_thread(create_app(rt))
            latencies = send_events(url, shop_id, seconds, rate)
            server.should_exit = True
            thread.join(timeout=10)
        finally:
            engine.stop()
            rt.db.dispose()
    return latencies


def send_events(url: str, shop_id: int, seconds: float, rate: float) -> list[float]:
    latencies: list[float] = []
    with httpx2.Client(base_url=url) as client:
        start = time.perf_counter()
        for i in range(int(seconds * rate)):
            body = json.dumps(
                {"event": "product", "data": {"product_id": 900_000 + i, "last_modified": str(i)}}
            ).encode()
            signature = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            time.sleep(max(0.0, start + i / rate - time.perf_counter()))
            sent = time.perf_counter()
            answer = client.post(
                f"/hooks/shoporama/{shop_id}",
                content=body,
                headers={"X-Shoporama-Signature": signature},
            )
            latencies.append((time.perf_counter() - sent) * 1000)
            if answer.status_code >= 300:
                raise RuntimeError(f"webhook answered {answer.status_code}: {answer.text[:200]}")
    return sorted(latencies)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        latencies = webhook_latency(Path(tmp), args.seconds, args.rate)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    p50 = statistics.median(latencies)
    emit(
        [
            Row(
                f"webhook acknowledgement at {args.rate:.0f}/s, p50 / p99 of {len(latencies)}",
                f"{p50:.1f} / {p99:.1f} ms",
                "",
                "p99 < 50 ms",
            )
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
