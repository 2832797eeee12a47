"""Benchmark: measures billysync and prints one table, each figure beside its target.

    python3 dev.py bench                      # every section, default sizes (over an hour)
    python3 dev.py bench --quick              # every section, small sizes (about 5 minutes)
    python3 dev.py bench --only sqlite,pages  # chosen sections

Nothing is asserted: the figures are printed (docs/invariants.md §4). Each section runs in
a process of its own (DBOS is one per process), with its own temporary data, Billy emulator
process and, on PostgreSQL, a fresh database on 127.0.0.1:5432:

- sqlite     billysync and a bare DBOS workflow (same queue, same checkpoints) on embedded
             SQLite: orders/s, our and DBOS's statements and commits per order, CPU per order,
             Billy calls per order (bench_sqlite.py, bench_bare.py)
- postgres   the same with 1, 2 and 4 worker processes, per worker CPU (bench_postgres.py)
- webhook    acknowledgement p50/p99 at 50 signed events/s (bench_webhook.py)
- ratelimit  Billy ok calls/s and % answered 429 under an emulator limit R = 10 and 40
             (bench_rate_limited.py)
- rss        RSS of a real `billysync serve` after 1k/5k/10k orders (bench_serve_rss.py)
- pages      p95 of the overview, an order page and the failed list with 100,000 orders
             (bench_pages.py)
- backfill   a backfill of 10,000 orders (bench_backfill.py)
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from scripts.bench_table import PROGRESS_PREFIX, ROWS_PREFIX, Row, markdown, rows_in

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Section:
    name: str
    module: str
    args: Callable[[argparse.Namespace], list[str]]
    needs_postgres: bool = False


SECTIONS = (
    Section("sqlite", "scripts.bench_sqlite", lambda a: ["--orders", str(a.orders)]),
    Section(
        "postgres",
        "scripts.bench_postgres",
        lambda a: ["--orders", str(a.pg_orders), "--workers", a.workers],
        needs_postgres=True,
    ),
    Section("webhook", "scripts.bench_webhook", lambda a: ["--seconds", str(a.webhook_seconds)]),
    Section(
        "ratelimit",
        "scripts.bench_rate_limited",
        lambda a: ["--limits", a.limits, "--orders", str(a.rate_orders)],
        needs_postgres=True,
    ),
    Section("rss", "scripts.bench_serve_rss", lambda a: ["--orders", str(a.rss_orders)]),
    Section("pages", "scripts.bench_pages", lambda a: ["--orders", str(a.page_orders)]),
    Section("backfill", "scripts.bench_backfill", lambda a: ["--orders", str(a.backfill_orders)]),
)
QUICK = {
    "orders": 30,
    "pg_orders": 30,
    "workers": "1,2",
    "webhook_seconds": 2.0,
    "limits": "10",
    "rate_orders": 30,
    "rss_orders": 150,
    "page_orders": 2_000,
    "backfill_orders": 100,
}


def postgres_reachable() -> bool:
    import psycopg

    from scripts.bench_wiring import PG_ADMIN_URL

    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def run_section(section: Section, args: argparse.Namespace) -> list[Row]:
    """Run one section's process, show its progress lines, return its rows."""
    command = [sys.executable, "-m", section.module, *section.args(args)]
    print(f"… {section.name}: {' '.join(command[2:])}", flush=True)
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output: list[str] = []
    for text in process.stdout:
        output.append(text)
        if text.startswith(PROGRESS_PREFIX):
            print(f"  {text.rstrip()}", flush=True)
    code = process.wait()
    print(f"  ({section.name} took {time.monotonic() - started:.0f} s)", flush=True)
    rows = rows_in("".join(output))
    if code != 0 or not rows:
        tail = "".join(t for t in output[-40:] if not t.startswith(ROWS_PREFIX))
        print(f"{section.name} failed (exit {code}); its last lines:\n{tail}", flush=True)
        rows.append(Row(f"{section.name}: the section failed (exit {code})", "—"))
    return rows


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    names = [s.name for s in SECTIONS]
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--only", default="", help=f"sections, comma-separated: {','.join(names)}")
    parser.add_argument("--orders", type=int, default=300, help="sqlite: orders")
    parser.add_argument("--pg-orders", type=int, default=600, help="postgres: orders per run")
    parser.add_argument("--workers", default="1,2,4", help="postgres: worker counts")
    parser.add_argument("--webhook-seconds", type=float, default=10.0)
    parser.add_argument("--limits", default="10,40", help="ratelimit: values of R (req/s)")
    parser.add_argument("--rate-orders", type=int, default=300, help="ratelimit: orders per R")
    parser.add_argument("--rss-orders", type=int, default=10_000, help="rss: orders sent")
    parser.add_argument("--page-orders", type=int, default=100_000, help="pages: orders seeded")
    parser.add_argument("--backfill-orders", type=int, default=10_000)
    args = parser.parse_args()
    if args.quick:
        defaults = {k: parser.get_default(k) for k in QUICK}
        for key, small in QUICK.items():
            if getattr(args, key) == defaults[key]:  # a size given explicitly still wins
                setattr(args, key, small)
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or names
    unknown = set(chosen) - set(names)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {names}")
    args.sections = chosen
    return args


def main() -> int:
    args = options()
    rows: list[Row] = []
    started = time.monotonic()
    postgres = None
    for section in SECTIONS:
        if section.name not in args.sections:
            continue
        if section.needs_postgres:
            postgres = postgres_reachable() if postgres is None else postgres
            if not postgres:
                rows.append(
                    Row(f"{section.name}: not run, PostgreSQL on 127.0.0.1:5432 is down", "—")
                )
                continue
        rows += run_section(section, args)
    minutes = (time.monotonic() - started) / 60
    print(f"\nbillysync bench ({', '.join(args.sections)}; {minutes:.0f} min)\n")
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
