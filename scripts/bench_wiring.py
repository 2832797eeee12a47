"""The benchmark's one place that builds billysync: runtime, engine, shop, orders, Billy.

Every bench module reaches the engine's constructors (`Runtime.from_settings`, `Engine`,
`EngineOptions`) through here, so a change to them is made once. Billy is always the
emulator as a process of its own (`billysync emulate billy`) at zero latency: our process's
CPU time is then ours alone, and Billy's answers cross a real socket as in production.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from billysync.billy.client import BillyClient
from billysync.billy.ratelimit import MAX_REQUESTS_PER_SECOND
from billysync.config import ProcessSettings
from billysync.shop.models import Order
from billysync.store import shops, transfers
from billysync.store.db import sqlalchemy_url
from billysync.sync import service
from billysync.sync.engine import Engine, EngineOptions, options_from_settings
from billysync.sync.runtime import Runtime
from tests.support.shop_builders import line, order, person

TOKEN = "bench-billy-token-0001"
SHOPORAMA_TOKEN = "bench-shoporama-token"
PG_ADMIN_URL = os.environ.get("BILLYSYNC_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
# The engine is measured, not Billy's rate budget: throughput runs give the shop the highest
# ceiling a shop may set (the rate-limit section sets its own, against a limiting emulator).
UNLIMITED = MAX_REQUESTS_PER_SECOND
FINAL_STATES = ("transferred", "paid", "credited", "failed", "skipped")


def queue_settings() -> EngineOptions:
    """The transfer queue as `serve` and `worker` run it with this environment's settings
    (BILLYSYNC_WORKER_CONCURRENCY, BILLYSYNC_QUEUE_POLLING_SECONDS); the bare DBOS run
    copies these."""
    return options_from_settings(ProcessSettings(), "bench")


def runtime(data_dir: Path, database_url: str) -> Runtime:
    process = ProcessSettings(
        data_dir=data_dir,
        database_url=database_url,
        secret_key_file=data_dir / "secret.key",
    )
    rt = Runtime.from_settings(process)
    rt.db.migrate()
    return rt


def embedded_engine(rt: Runtime) -> Engine:
    """The engine as `serve` runs it, without the schedule loops (no product passes)."""
    options = queue_settings()
    options.role = "bench"
    options.run_loops = False
    return Engine(rt, options).start()


def process_env(data_dir: Path, database_url: str, executor_id: str) -> dict[str, str]:
    """The environment of a billysync process of this installation."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BILLYSYNC_")}
    env.update(
        BILLYSYNC_DATA_DIR=str(data_dir),
        BILLYSYNC_DATABASE_URL=database_url,
        BILLYSYNC_SECRET_KEY_FILE=str(data_dir / "secret.key"),
        BILLYSYNC_EXECUTOR_ID=executor_id,
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Billy:
    """`billysync emulate billy` in its own process; `url` is Billy's base (…/v2)."""

    url: str
    popen: subprocess.Popen[bytes]

    @property
    def root(self) -> str:
        return self.url.removesuffix("/v2")

    def journal(self, since: int = 0) -> list[dict[str, object]]:
        url = f"{self.root}/_emulator/journal?since={since}"
        with urllib.request.urlopen(url, timeout=120) as r:  # noqa: S310 (our http:// URL)
            answer = json.loads(r.read())
        return list(answer["entries"] if isinstance(answer, dict) else answer)

    def last_seq(self) -> int:
        entries = self.journal()
        return int(entries[-1]["seq"]) if entries else 0  # type: ignore[call-overload]


@contextmanager
def emulator_process(log_dir: Path, args: list[str], announced: str) -> Iterator[tuple[str, Any]]:
    """`billysync emulate …` in its own process; (the URL it announces, its Popen)."""
    log = log_dir / f"{args[0]}-{uuid.uuid4().hex[:6]}.log"
    command = [sys.executable, "-m", "billysync", "emulate", *args, "--port", "0"]
    with log.open("wb") as sink:
        popen = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while not (found := re.findall(announced, log.read_text())):
            if popen.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the {args[0]} emulator did not start: {log.read_text()[-2000:]}"
                )
            time.sleep(0.05)
        yield found[0], popen
    finally:
        popen.terminate()
        popen.wait(timeout=30)


@contextmanager
def billy_process(log_dir: Path, rate_limit: float | None = None) -> Iterator[Billy]:
    """The Billy emulator with one organization (TOKEN), at zero latency."""
    args = ["billy", "--token", TOKEN]
    if rate_limit is not None:
        args += ["--rate-limit", str(rate_limit)]
    with emulator_process(log_dir, args, r"Billy emulator on (http://\S+/v2)") as (url, popen):
        yield Billy(url, popen)


@contextmanager
def shoporama_process(log_dir: Path) -> Iterator[str]:
    """The Shoporama emulator, no activity of its own; its REST address (token SHOPORAMA_TOKEN)."""
    args = ["shoporama", "--token", SHOPORAMA_TOKEN, "--orders-per-minute", "0"]
    args += ["--daily-limit", "1000000"]
    with emulator_process(log_dir, args, r"Shoporama emulator at (http://\S+/REST)") as (url, _):
        yield url


def make_shop(
    rt: Runtime, billy_url: str, billy_requests_per_second: float = UNLIMITED
) -> tuple[int, str]:
    """A shop booking into the emulator's organization, payments posted, with its ceiling of
    Billy requests per second (the shop's setting); (id, API token)."""
    with BillyClient(TOKEN, base_url=billy_url) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
        products = {
            number: client.products.create(
                {
                    "name": number.title(),
                    "productNo": number,
                    "accountId": accounts[1110],
                    "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
                }
            ).id
            for number in ("SHIPPING", "DISCOUNT")
        }
    with rt.db.session() as session:
        shop, api_token = shops.create_shop(session, name="Bench shop")
        shops.set_billy_key(shop, TOKEN, rt.box)
        shop.billy_base_url = billy_url
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id = products["SHIPPING"]
        shop.discount_product_id = products["DISCOUNT"]
        shop.trigger = "paid"
        shop.post_payments = True
        shop.payment_account_id = accounts[5710]
        shop.order_prefix = ""
        shop.billy_requests_per_second = billy_requests_per_second
        session.flush()
        return shop.id, api_token


def some_orders(count: int, first: int = 10_000) -> list[Order]:
    """Paid orders of two lines; a third of the customers come back."""
    return [
        order(
            str(first + i),
            customer=person(f"cust-{i % (count // 3 + 1)}"),
            lines=(line("MUG-1", "Krus", "2", "89.00"), line("CAP-1", "Kasket", "1", "199.00")),
        )
        for i in range(count)
    ]


def submit(rt: Runtime, shop_id: int, o: Order) -> None:
    """Receive an order as the JSON API does (stored; enqueued at once if the engine runs here)."""
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


def finished(rt: Runtime, shop_id: int) -> dict[str, int]:
    """Transfers in a final state, by state."""
    with rt.db.session() as session:
        counts = transfers.count_by_state(session, shop_id)
    return {state: n for state, n in counts.items() if state in FINAL_STATES}


def wait_finished(rt: Runtime, shop_id: int, count: int, timeout: float = 3600) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = finished(rt, shop_id)
        if sum(done.values()) >= count:
            return done
        time.sleep(0.1)
    raise RuntimeError(f"only {finished(rt, shop_id)} of {count} orders finished in {timeout} s")


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one run, dropped afterwards."""
    import psycopg

    name = f"bs_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def system_database_url(database_url: str) -> str:
    """DBOS's system database on PostgreSQL: the same database (its own schema)."""
    return sqlalchemy_url(database_url)


def checkpoints_per_order(system_url: str) -> float:
    """Steps DBOS recorded per transfer workflow (what the bare run must match)."""
    query = (
        "SELECT count(*), count(DISTINCT w.workflow_uuid) FROM {w} w "
        "LEFT JOIN {o} o ON o.workflow_uuid = w.workflow_uuid WHERE w.name = 'billysync.transfer'"
    )
    if system_url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(system_url.removeprefix("sqlite:///")) as conn:
            sql = query.format(w="workflow_status", o="operation_outputs")
            steps, workflows = conn.execute(sql).fetchone()
    else:
        import psycopg

        url = system_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url) as conn:
            sql = query.format(w="dbos.workflow_status", o="dbos.operation_outputs")
            steps, workflows = conn.execute(sql).fetchone()  # type: ignore[misc]
    return float(steps) / workflows if workflows else 1.0
