"""Pages with 100,000 orders in the database: p95 of the overview, an order page, the failed list.

    python -m scripts.bench_pages --orders 100000

A few orders go through the real engine into the Billy emulator (most paid; some failed
while Billy's organization is locked), so every row has the shape the engine gives it.
Their rows (transfer, inbox event, step log, bindings) are then copied in bulk under new
order keys, a fixed share failed, until the database holds --orders orders. `billysync web`
runs as a process of its own on that database; a logged-in session asks for each page
(after one unmeasured request) and the answer times' p95 is printed. Target: < 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import httpx2
from sqlalchemy import Table, insert, select

from billysync.store.tables import AuditEntry, Binding, InboxEvent, Transfer
from billysync.sync.runtime import Runtime
from scripts import bench_wiring
from scripts.bench_processes import spawn
from scripts.bench_serve_rss import free_port
from scripts.bench_table import Row, emit, progress
from tests.support.web_helpers import PASSWORD, csrf_from, set_password

TEMPLATES_PAID = 16
TEMPLATES_FAILED = 4
FAILED_SHARE = 0.05
CHUNK = 5_000
REQUESTS = 30  # per page, after one unmeasured


def book_templates(
    rt: Runtime, billy: bench_wiring.Billy, shop_id: int
) -> tuple[list[str], list[str]]:
    """Real orders through the engine: (keys of paid ones, keys of failed ones)."""
    engine = bench_wiring.embedded_engine(rt)
    try:
        paid = bench_wiring.some_orders(TEMPLATES_PAID, first=1)
        for o in paid:
            bench_wiring.submit(rt, shop_id, o)
        bench_wiring.wait_finished(rt, shop_id, len(paid))
        lock = json.dumps({"token": bench_wiring.TOKEN, "reason": "bench"}).encode()
        request = urllib.request.Request(  # noqa: S310 (http://127.0.0.1)
            f"{billy.root}/_emulator/lock", data=lock, method="POST"
        )
        urllib.request.urlopen(request, timeout=30).close()  # noqa: S310 (http://127.0.0.1)
        failed = bench_wiring.some_orders(TEMPLATES_FAILED, first=TEMPLATES_PAID + 1)
        for o in failed:
            bench_wiring.submit(rt, shop_id, o)
        bench_wiring.wait_finished(rt, shop_id, len(paid) + len(failed))
    finally:
        engine.stop()
    return [o.key for o in paid], [o.key for o in failed]


def rows_of(rt: Runtime, key: str) -> dict[str, list[dict[str, Any]]]:
    """The template order's rows, by table, without their ids."""
    picks = {
        "transfers": select(Transfer.__table__).where(Transfer.object_key == key),
        "inbox_events": select(InboxEvent.__table__).where(InboxEvent.object_key == key),
        "audit_entries": select(AuditEntry.__table__).where(AuditEntry.object_key == key),
        "bindings": select(Binding.__table__).where(Binding.local_key == key),
    }
    with rt.db.session() as session:
        return {
            name: [{k: v for k, v in r._mapping.items() if k != "id"} for r in session.execute(q)]
            for name, q in picks.items()
        }


def copy_of(
    template: dict[str, list[dict[str, Any]]], key: str, n: int
) -> dict[str, list[dict[str, Any]]]:
    """The template's rows for order `key`, the n-th copy (n seconds older)."""
    older = timedelta(seconds=n)
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in template.items():
        out[name] = []
        for row in rows:
            row = dict(row)
            for field in ("object_key", "local_key"):
                if field in row:
                    row[field] = key
            if name == "transfers":
                row["number"] = key
                for field in ("created_at", "updated_at", "order_date"):
                    if row.get(field) is not None:
                        row[field] = row[field] - older
            if name == "inbox_events":
                row["dedupe_key"] = f"bench-copy:{key}"
            if name == "bindings":
                row["billy_id"] = f"{row['billy_id']}-{n}"
                row["marker"] = key
            if name == "audit_entries":
                row["at"] = row["at"] - older
            out[name].append(row)
    return out


def seed(rt: Runtime, paid: list[str], failed: list[str], total: int) -> None:
    tables = {  # Core inserts of whole rows, without the ORM's per-object work
        "transfers": cast(Table, Transfer.__table__),
        "inbox_events": cast(Table, InboxEvent.__table__),
        "audit_entries": cast(Table, AuditEntry.__table__),
        "bindings": cast(Table, Binding.__table__),
    }
    paid_rows = [rows_of(rt, k) for k in paid]
    failed_rows = [rows_of(rt, k) for k in failed]
    rng = random.Random(13)
    existing = len(paid) + len(failed)
    for start in range(0, total - existing, CHUNK):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        for n in range(start, min(start + CHUNK, total - existing)):
            pool = failed_rows if rng.random() < FAILED_SHARE else paid_rows
            for name, rows in copy_of(pool[n % len(pool)], str(100_000 + n), n).items():
                batch[name] += rows
        with rt.db.session() as session:
            for name, table in tables.items():
                if batch[name]:
                    session.execute(insert(table), batch[name])


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def timed_pages(base: str, shop_id: int, keys: list[str]) -> dict[str, list[float]]:
    pages = {
        "the overview (first page)": lambda _: f"/shops/{shop_id}/orders",
        "the overview, searched by order number": lambda k: f"/shops/{shop_id}/orders?q={k}",
        "an order page": lambda k: f"/shops/{shop_id}/orders/{k}",
        "the failed list": lambda _: f"/shops/{shop_id}/failed",
    }
    times: dict[str, list[float]] = {}
    with httpx2.Client(base_url=base, timeout=120, headers={"Accept-Language": "en"}) as client:
        token = csrf_from(client.get("/login").text)
        answer = client.post("/login", data={"password": PASSWORD, "csrf_token": token})
        if answer.status_code != 303 or not answer.headers["location"].endswith("/shops"):
            raise RuntimeError(f"could not log in: {answer.status_code} {answer.text[:300]}")
        rng = random.Random(7)
        for name, path in pages.items():
            client.get(path(keys[0]))  # unmeasured: warms the process's caches
            times[name] = []
            for _ in range(REQUESTS):
                key = rng.choice(keys)
                url = path(key)
                sent = time.perf_counter()
                page = client.get(url)
                times[name].append((time.perf_counter() - sent) * 1000)
                if page.status_code != 200 or (key in url and key not in page.text):
                    raise RuntimeError(f"{url} answered {page.status_code} without order {key}")
    return times


def pages(folder: Path, total: int) -> list[Row]:
    url = f"sqlite:///{(folder / 'billysync.db').resolve()}"
    with bench_wiring.billy_process(folder) as billy:
        rt = bench_wiring.runtime(folder, url)
        shop_id, _ = bench_wiring.make_shop(rt, billy.url)
        paid, failed = book_templates(rt, billy, shop_id)
    started = time.perf_counter()
    seed(rt, paid, failed, total)
    progress(f"pages: {total:,} orders seeded in {time.perf_counter() - started:.0f} s")
    set_password(rt)
    rt.db.dispose()
    port = free_port()
    env = bench_wiring.process_env(folder, url, "bench-web")
    web = spawn("web", "billysync", ["web", "--port", str(port)], env, folder)
    try:
        web.wait_for_port(port)
        keys = [str(100_000 + n) for n in range(0, total - len(paid) - len(failed), 97)]
        times = timed_pages(f"http://127.0.0.1:{port}", shop_id, keys)
    finally:
        web.stop()
    return [
        Row(
            f"{name} with {total:,} orders, p95 (p50) of {REQUESTS}",
            f"{p95(t):.0f} ms ({statistics.median(t):.0f} ms)",
            "",
            "< 200 ms",
        )
        for name, t in times.items()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        emit(pages(Path(tmp), args.orders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
