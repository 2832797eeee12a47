"""Two shops' orders through the engine while Billy fails ~20 % of calls (docs/invariants.md §2).

Every event goes in through `service.submit`, one to three times, interleaved with
other orders'; Billy answers 500/502/503, 429 with Retry-After, slowly, not at all, or saves
the document and then fails (commit-then-status/drop/hang). Afterwards the invariants
I1–I7 are checked in the Billy emulator's ledger (tests/support/invariants.py). The fault counts and
totals are printed (`pytest -s`, and in the report of a failure).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from dbos import DBOS

from billysync.emulators.billy import BillyEmulator
from billysync.sync.engine import Engine
from tests.support.invariants import check_ledger, check_transfers, unfinished_workflows
from tests.support.sync_harness import Harness, make_shop
from tests.support.workload import Delivery, Workload, build_workload, deliveries

# `python3 dev.py soak` (BILLYSYNC_SOAK=1): the long run of quality.md §2.
ORDERS = 5_000 if os.environ.get("BILLYSYNC_SOAK") == "1" else 200

TOKEN_A = "reliability-shop-a-token-0001"
TOKEN_B = "reliability-shop-b-token-0002"
PREFIX_B = "B-"

# Each rule draws its own chance; together about one call in five fails somehow. The
# commit-then-fail kinds matter for writes (on a read they are a plain 5xx/drop/hang).
FAULTS: tuple[dict, ...] = (
    dict(kind="status", status=500, probability=0.03),
    dict(kind="status", status=502, probability=0.02),
    dict(kind="status", status=503, probability=0.03),
    dict(kind="rate_limit", retry_after=1, probability=0.008),
    dict(kind="latency", delay=0.05, probability=0.025),
    dict(kind="drop", probability=0.025),
    dict(kind="hang", delay=0.2, probability=0.025),
    dict(kind="commit_then_status", status=500, method="POST", probability=0.02),
    dict(kind="commit_then_status", status=503, method="POST", probability=0.015),
    dict(kind="commit_then_drop", method="POST", probability=0.025),
    dict(kind="commit_then_hang", method="POST", delay=0.2, probability=0.025),
)


@dataclass
class Shop:
    harness: Harness
    workload: Workload
    prefix: str


def _shop(
    engine: Engine, emu: BillyEmulator, token: str, name: str, prefix: str, workload: Workload
) -> Shop:
    shop_id, accounts = make_shop(engine.rt, emu, token, name)
    harness = Harness(emu, engine.rt, engine, shop_id, token, accounts)
    harness.configure(order_prefix=prefix)
    return Shop(harness, workload, prefix)


def _traffic(shops: list[Shop], rng: random.Random) -> list[tuple[Shop, Delivery]]:
    """Both shops' deliveries, interleaved at random (each shop's own order kept)."""
    queues = [[(shop, d) for d in deliveries(shop.workload, rng)] for shop in shops]
    out = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        out.append(queue.pop(0))
    return out


QUIET_LIMIT = 300.0  # seconds in which not one workflow finished: the engine is stuck


def wait_idle_while_moving(engine: Engine) -> None:
    """Until no workflow is pending or queued. Fails only when none has finished for
    QUIET_LIMIT seconds: a deadline on the whole run would measure the machine's load
    (a 5,000-order soak on PostgreSQL beside two test runs took over 50 minutes)."""
    fewest, moved = None, time.monotonic()
    while active := len(
        DBOS.list_workflows(status=["PENDING", "ENQUEUED"], load_input=False, load_output=False)
    ):
        if fewest is None or active < fewest:
            fewest, moved = active, time.monotonic()
        quiet = time.monotonic() - moved
        assert quiet < QUIET_LIMIT, f"no workflow finished in {quiet:.0f} s; {active} unfinished"
        time.sleep(1.0)


def run_under_faults(
    engine_for: Callable[..., Engine], database_url: str, *, orders: int, seed: int
) -> None:
    emu = BillyEmulator(seed=seed)
    engine = engine_for(database_url, emu)
    # Shop B reuses shop A's order keys (1, 2, …) with other content: nothing may mix.
    a = _shop(engine, emu, TOKEN_A, "Butik A", "", build_workload(seed, orders=orders))
    b = _shop(engine, emu, TOKEN_B, "Butik B", PREFIX_B, build_workload(seed + 1, orders=20))
    for rule in FAULTS:
        emu.faults.add(**rule)
    calls_before = len(emu.journal)
    traffic = _traffic([a, b], random.Random(seed))

    started = time.monotonic()
    for shop, delivery in traffic:
        shop.harness.push(delivery.kind, delivery.payload)
    wait_idle_while_moving(engine)
    elapsed = time.monotonic() - started

    emu.faults.clear()  # the checks read the ledger directly; no more faults wanted
    calls = emu.journal.entries()[calls_before:]
    faulted = sum(1 for c in calls if c.fault)
    print(f"\n[{database_url.split(':')[0]}] fault counts: {emu.faults.counts()}")
    print(
        f"  shop A: {len(a.workload.orders)} orders ({len(a.workload.paid)} paid, "
        f"{len(a.workload.unpaid)} never paid, {len(a.workload.returns)} returns); "
        f"shop B: {len(b.workload.orders)} orders, {len(b.workload.returns)} returns"
    )
    print(
        f"  {len(traffic)} deliveries; {len(calls)} Billy calls, {faulted} faulted "
        f"({faulted / max(1, len(calls)):.0%}); done in {elapsed:.1f} s"
    )
    for shop in (a, b):
        ledger = emu.ledger(shop.harness.token)
        print(
            f"  ledger {shop.harness.token[-4:]}: {len(ledger.invoices())} invoices, "
            f"{len(ledger.credit_notes())} credit notes, "
            f"{sum(not p['isVoided'] for p in ledger.bank_payments())} payments, "
            f"{len(ledger.contacts())} contacts, {len(ledger.products())} products"
        )

    problems = unfinished_workflows()
    for shop in (a, b):
        problems += check_ledger(emu, shop.harness.token, shop.workload, shop.prefix)
        problems += check_transfers(engine.rt, shop.harness.shop_id, shop.workload)
    assert faulted > len(calls) // 10, "the faults did not fire: the run proves nothing"
    assert not problems, f"{len(problems)} violations:\n" + "\n".join(problems)


@pytest.mark.timeout(7200 if ORDERS > 200 else 600)  # a hang; QUIET_LIMIT ends a stuck run
def test_200_orders_under_faults_sqlite(engine_for: Callable[..., Engine], tmp_path) -> None:
    run_under_faults(engine_for, f"sqlite:///{tmp_path / 'billysync.db'}", orders=ORDERS, seed=11)


@pytest.mark.postgres
@pytest.mark.timeout(7200 if ORDERS > 200 else 600)
def test_200_orders_under_faults_postgres(
    postgres_url: str, engine_for: Callable[..., Engine]
) -> None:
    # postgres_url first: its database must outlive the engine (fixtures end in reverse).
    run_under_faults(engine_for, postgres_url, orders=ORDERS, seed=12)
