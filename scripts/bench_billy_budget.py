"""Benchmark: Billy's shared rate budget alone against the emulator's limit R. Nothing is asserted.

    .venv/bin/python -m scripts.bench_billy_budget        # R = 10 and 40, with 1 and 3 processes
    .venv/bin/python -m scripts.bench_billy_budget --rate 40 --processes 4 --seconds 60
    .venv/bin/python -m scripts.bench_billy_budget --database postgresql://127.0.0.1/test

The emulator serves HTTP in this process and refuses more than R requests per second per
access token (429 with Retry-After, bursts of one second's worth). `processes` worker
processes each run `threads` threads that call GET /v2/organization as fast as they may,
through `Runtime.billy_client_for_key` (the service's own path: one `SharedLimiter` per
process over the `billy_budgets` row in the database). The shop's ceiling is `ceiling`
requests per second (default 2 R: set too high, so the limiter must find R by itself).

`measure_rate_limit(r, processes)` returns the figures: calls Billy accepted per second
(target ≥ 0.9 R) and the share answered 429 (target < 1 %), over the whole run, start included.
The limiter alone, without the engine: so the figure is the budget's, not the engine's speed.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from multiprocessing.synchronize import Event
from pathlib import Path

from billysync.billy.errors import BillyError
from billysync.billy.http import BillyCall
from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.server import start_background_server
from billysync.store.db import Database
from billysync.sync.runtime import Runtime

TOKEN = "bench-ratelimit-token-0001"
POSTGRES = "postgresql://127.0.0.1:5432/test"


@dataclass(frozen=True)
class RateLimitFigures:
    rate_limit: float  # R, the emulator's limit (requests/s)
    ceiling: float  # the shop's setting (requests/s)
    processes: int
    seconds: float
    ok: int
    rejected: int

    @property
    def ok_per_second(self) -> float:
        return self.ok / self.seconds

    @property
    def share_of_r(self) -> float:
        return self.ok_per_second / self.rate_limit

    @property
    def rejected_share(self) -> float:
        total = self.ok + self.rejected
        return self.rejected / total if total else 0.0


def _hammer(
    database_url: str,
    data_dir: str,
    billy_url: str,
    ceiling: float,
    threads: int,
    seconds: float,
    ready: multiprocessing.Queue[int],
    start: Event,
    results: multiprocessing.Queue[tuple[int, int]],
) -> None:
    """One worker process: `threads` callers through this process's limiter."""
    process = ProcessSettings(data_dir=Path(data_dir), database_url=database_url)
    rt = Runtime.from_settings(process, billy_rate_per_second=ceiling)
    counts = {"ok": 0, "rejected": 0}
    lock = threading.Lock()

    def observe(call: BillyCall) -> None:
        with lock:
            if call.status == 200:
                counts["ok"] += 1
            elif call.status == 429:
                counts["rejected"] += 1

    ready.put(1)
    start.wait()
    deadline = time.monotonic() + seconds

    def caller() -> None:
        with rt.billy_client_for_key(
            TOKEN, billy_url, observe, organization_id="bench-organization"
        ) as client:
            while time.monotonic() < deadline:
                # A 429 that outlived its retries is counted by `observe`: go on.
                with contextlib.suppress(BillyError):
                    client.organization.get()

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    rt.db.dispose()
    results.put((counts["ok"], counts["rejected"]))


def _fresh_database(kind: str, tmp: Path) -> tuple[str, str | None]:
    """A migrated database for one run: (URL, PostgreSQL database to drop afterwards)."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp / 'bench.db'}"
        Database(url).migrate()
        return url, None
    import psycopg

    name = f"bench_rl_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(kind, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = kind.rsplit("/", 1)[0] + "/" + name
    db = Database(url)
    db.migrate()
    db.dispose()
    return url, name


def _drop(kind: str, name: str | None) -> None:
    if name is None:
        return
    import psycopg

    with psycopg.connect(kind, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure_rate_limit(
    r: float,
    processes: int,
    *,
    ceiling: float | None = None,
    seconds: float = 120.0,
    threads: int = 4,
    database: str = "sqlite",
) -> RateLimitFigures:
    """Calls accepted per second and 429s with the emulator limited to `r` requests/s and
    `processes` processes calling one organization; `database` is "sqlite" or a PostgreSQL
    URL (a fresh database is made on that server and dropped afterwards)."""
    ceiling = ceiling or 2 * r
    emulator = BillyEmulator()
    emulator.add_organization(TOKEN, "Bench ApS")
    emulator.set_rate_limit(r)
    url, stop = start_background_server(emulator)
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        database_url, to_drop = _fresh_database(database, Path(tmp))
        try:
            ready: multiprocessing.Queue[int] = context.Queue()
            results: multiprocessing.Queue[tuple[int, int]] = context.Queue()
            start = context.Event()
            queues = (ready, start, results)
            workers = [
                context.Process(
                    target=_hammer,
                    args=(database_url, tmp, url + "/v2", ceiling, threads, seconds, *queues),
                )
                for _ in range(processes)
            ]
            for worker in workers:
                worker.start()
            for _ in workers:
                ready.get(timeout=120)
            start.set()
            figures = [results.get(timeout=seconds + 120) for _ in workers]
            for worker in workers:
                worker.join()
        finally:
            stop()
            _drop(database, to_drop)
    return RateLimitFigures(
        rate_limit=r,
        ceiling=ceiling,
        processes=processes,
        seconds=seconds,
        ok=sum(ok for ok, _ in figures),
        rejected=sum(rejected for _, rejected in figures),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, action="append", help="R (default: 10 and 40)")
    parser.add_argument("--processes", type=int, action="append", help="default: 1 and 3")
    parser.add_argument("--ceiling", type=float, help="the shop's setting (default: 2 R)")
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--threads", type=int, default=4, help="callers per process")
    parser.add_argument("--database", default="sqlite", help=f'"sqlite" or e.g. {POSTGRES}')
    args = parser.parse_args()
    print(
        f"{'R':>5} {'ceiling':>8} {'procs':>5} {'ok/s':>7} {'× R':>6} {'429s':>6} "
        f"{'429 %':>6}   target: ≥ 0.9 R, < 1 % 429 ({args.database.split('://')[0]})"
    )
    for r in args.rate or [10.0, 40.0]:
        for processes in args.processes or [1, 3]:
            f = measure_rate_limit(
                r,
                processes,
                ceiling=args.ceiling,
                seconds=args.seconds,
                threads=args.threads,
                database=args.database,
            )
            print(
                f"{f.rate_limit:>5g} {f.ceiling:>8g} {f.processes:>5} {f.ok_per_second:>7.2f} "
                f"{f.share_of_r:>6.2f} {f.rejected:>6} {100 * f.rejected_share:>5.2f}%",
                flush=True,
            )


if __name__ == "__main__":
    main()
