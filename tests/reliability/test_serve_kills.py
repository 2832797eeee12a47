"""The whole service SIGKILLed at random moments while orders flow in; exactly-once after.

A black box, run as a merchant runs it: Billy is `billysync emulate billy` in a process of
its own (every call slowed a little, so work is always in flight), and the service is
`billysync serve` on SQLite, or `billysync web` with two `billysync worker` processes on
PostgreSQL. A shop sends its orders over the JSON API and sends each again until it is
accepted, as a shop does while the service is down. At random moments a process is
SIGKILLed and started again. Afterwards Billy's own records (the emulator's snapshot) must
hold exactly one approved invoice with the order's amount and one payment per order,
every order must be paid (none failed) and DBOS must hold no unfinished workflow.

Nothing here waits on speed: a run fails only when no order at all finishes for
`PROGRESS` seconds. Default: 300 orders and 3 kills; `BILLYSYNC_SOAK=1` (`python3 dev.py
soak`): 5,000 orders and 20 kills. `BILLYSYNC_KILL_SEED` repeats a run's kill moments.
"""

from __future__ import annotations

import json
import os
import random
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from billysync.mapping.markers import order_marker
from billysync.money import parse_money
from billysync.shop.models import Order
from billysync.store import inbox, transfers
from billysync.sync.runtime import Runtime
from tests.support.kill_world import (
    cli_shop,
    i6_problems,
    runtime,
    some_orders,
    unfinished_in_dbos,
)
from tests.support.worker_processes import Process, Processes, Setup, wait_for

SOAK = os.environ.get("BILLYSYNC_SOAK") == "1"
ORDERS = 5_000 if SOAK else 300
KILLS = 20 if SOAK else 3
PROGRESS = 120.0  # seconds with no order finishing before the run counts as stuck
STARTED = 90.0  # seconds for a process to answer after a (re)start on a busy machine
LATENCY = 0.02  # seconds Billy takes for every call
TOKEN = "serve-kill-billy-token-0001"


def serve_orders(count: int) -> list[Order]:
    """Orders of returning and new customers (a third as many as orders), a few products
    each."""
    return some_orders(1, count, customers=max(4, count // 3), shirts=5, prefix="sk-cust")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def billy_process(procs: Processes) -> str:
    """`billysync emulate billy` on a free port, every call slowed; its /v2 base URL."""
    billy = procs.command("billy", "emulate", "billy", "--port", "0", "--token", TOKEN)
    found: list[str] = []

    def url() -> bool:
        found[:] = re.findall(r"Billy emulator on (http://\S+/v2)", billy.output())
        return bool(found)

    wait_for(url, STARTED, "the Billy emulator process", procs)
    root = found[0].removesuffix("/v2")
    rule = json.dumps({"kind": "latency", "delay": LATENCY}).encode()
    request = urllib.request.Request(
        f"{root}/_emulator/faults", data=rule, method="POST", headers={"Content-Type": "json"}
    )
    urllib.request.urlopen(request, timeout=30).close()
    return found[0]


def billy_snapshot(billy_url: str) -> dict:
    root = billy_url.removesuffix("/v2")
    with urllib.request.urlopen(f"{root}/_emulator/snapshot", timeout=60) as answer:
        return json.loads(answer.read())


class Shop:
    """Sends every order until accepted (202/200), trying again while the service is down.

    A few senders at once, as a shop's webhooks arrive: the web's answer time is not
    what this test is about.
    """

    SENDERS = 4

    def __init__(self, port: int, api_token: str, orders: list[Order]) -> None:
        self.port, self.api_token = port, api_token
        self.waiting = list(reversed(orders))
        self.sent = 0
        self.total = len(orders)
        self.all_sent_at = 0.0  # time.monotonic() when the last order was accepted
        self.refused: list[str] = []  # answers a correct order must never get
        self._lock = threading.Lock()
        self._senders = [
            threading.Thread(target=self._run, name=f"shop-sender-{n}", daemon=True)
            for n in range(self.SENDERS)
        ]

    def start(self) -> None:
        for sender in self._senders:
            sender.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self.waiting:
                    return
                o = self.waiting.pop()
            while not self._send(o):
                time.sleep(0.2)
            with self._lock:
                self.sent += 1
                if self.sent == self.total:
                    self.all_sent_at = time.monotonic()

    def _send(self, o: Order) -> bool:
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
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status in (200, 202)
        except urllib.error.HTTPError as error:
            if error.code < 500:
                with self._lock:
                    self.refused.append(f"order {o.key}: {error.code} {error.read()[:300]!r}")
                return True
            return False  # the service is starting or stopping: send again
        except OSError:
            return False  # down (refused, reset, timed out): send again


def states(rt: Runtime, shop_id: int) -> Counter[str]:
    with rt.db.session() as session:
        return Counter(transfers.count_by_state(session, shop_id))


def wait_with_progress(
    done: Callable[[], int], goal: int, what: str, procs: Processes, rt: Runtime, shop_id: int
) -> None:
    """Wait until done() reaches goal; give up only when it stops moving for PROGRESS s."""
    best, moved = -1, time.monotonic()
    while True:
        now = done()
        if now >= goal:
            return
        if now > best:
            best, moved = now, time.monotonic()
        failed = states(rt, shop_id).get("failed", 0)
        if failed:
            raise AssertionError(f"{failed} orders failed while {what}\n{procs.logs()}")
        if time.monotonic() - moved > PROGRESS:
            raise AssertionError(
                f"no progress for {PROGRESS:g} s while {what}: {now}/{goal}, "
                f"states {dict(states(rt, shop_id))}\n{procs.logs()}"
            )
        time.sleep(0.2)


def ledger_problems(snapshot: dict, orders: list[Order]) -> list[str]:
    """I1–I3 read from Billy's own records: one invoice and one payment per order."""
    [org] = snapshot["organizations"]
    records = org["records"]
    invoices = [i for i in records.get("invoices", []) if i["type"] == "invoice"]
    by_marker: dict[str, list[dict]] = {}
    for invoice in invoices:
        by_marker.setdefault(invoice.get("orderNo") or "", []).append(invoice)
    links = records.get("bankPaymentAssociations", [])
    payments = {p["id"]: p for p in records.get("bankPayments", []) if not p["isVoided"]}
    paid: dict[str, list[dict]] = {}
    for link in links:
        payment = payments.get(link["bankPaymentId"])
        if payment is not None:
            paid.setdefault(link["subjectReference"], []).append(payment)
    problems = []
    expected = {order_marker("", o.number): o for o in orders}
    for marker in by_marker:
        if marker not in expected:
            problems.append(f"I1: invoice(s) {marker!r} match no order sent")
    for marker, o in expected.items():
        found = by_marker.get(marker, [])
        if len(found) != 1:
            problems.append(f"I1: order {o.number} has {len(found)} invoices, not 1")
            continue
        invoice = found[0]
        if invoice["state"] != "approved":
            problems.append(f"I1: invoice {marker} is {invoice['state']}")
        if parse_money(invoice["grossAmount"]) != o.total:
            problems.append(f"I2: invoice {marker} is {invoice['grossAmount']}, order {o.total}")
        cash = paid.get(f"invoice:{invoice['id']}", [])
        amounts = [parse_money(p["cashAmount"]) for p in cash]
        if len(cash) != 1 or sum(amounts, Decimal(0)) != o.total:
            problems.append(f"I3: invoice {marker} has payments {amounts}; received {o.total}")
    return problems


def run_with_kills(
    procs: Processes,
    setup: Setup,
    start: Callable[[str, int], Process],
    roles: list[str],
) -> None:
    """The shared run: shop, sender, kills at random moments, then the checks."""
    seed = int(os.environ.get("BILLYSYNC_KILL_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    billy_url = billy_process(procs)
    rt = runtime(setup)
    shop_id, api_token = cli_shop(setup, billy_url, TOKEN, "Butik S")
    orders = serve_orders(ORDERS)
    port = free_port()
    running = {role: start(role, port) for role in roles}
    shop = Shop(port, api_token, orders)
    started = time.monotonic()
    shop.start()

    def paid() -> int:
        return states(rt, shop_id).get("paid", 0)

    # Every role is killed at least once when there are kills enough; then at random. The
    # moments are spread over the whole run: each kill comes when a random share of the
    # orders is paid (the first may come before any), a random fraction of a second later.
    victims = rng.sample(roles, len(roles)) + [rng.choice(roles) for _ in range(KILLS)]
    shares = sorted(rng.uniform(0.0, 0.9) for _ in range(KILLS))
    kills: list[str] = []
    for victim, share in zip(victims[:KILLS], shares, strict=True):
        goal = int(share * len(orders))
        wait_with_progress(paid, goal, f"{goal} orders paid", procs, rt, shop_id)
        time.sleep(rng.uniform(0.0, 1.5))
        paid_at_kill = paid()
        running[victim].kill()
        at = time.monotonic() - started
        kills.append(f"{victim} at {at:.1f} s ({shop.sent} sent, {paid_at_kill} paid)")
        time.sleep(rng.uniform(0.0, 1.0))
        running[victim] = start(victim, port)

    wait_with_progress(lambda: shop.sent, len(orders), "sending", procs, rt, shop_id)
    all_sent = shop.all_sent_at - started
    wait_with_progress(paid, len(orders), "booking", procs, rt, shop_id)
    elapsed = time.monotonic() - started
    # Nothing is left running before the last kill: every workflow has ended.
    wait_for(lambda: not unfinished_in_dbos(setup), PROGRESS, "DBOS to finish", procs)
    for process in running.values():
        process.kill()

    snapshot = billy_snapshot(billy_url)
    problems = ledger_problems(snapshot, orders)
    problems += [f"the shop was refused: {r}" for r in shop.refused]
    final = states(rt, shop_id)
    if final != Counter({"paid": len(orders)}):
        problems.append(f"I6: transfers end {dict(final)}, not {len(orders)} paid")
    problems += i6_problems(setup)
    with rt.db.session() as session:
        unread = inbox.events_in_state(session, "new")
        if unread:
            problems.append(f"I6: {len(unread)} received events never handled")
    [org] = snapshot["organizations"]
    print(
        f"\n[serve kills, {setup.database_url.split(':')[0]}] seed {seed}: {len(orders)} orders, "
        f"{len(kills)} kills ({', '.join(kills)}); all sent after {all_sent:.1f} s, "
        f"paid after {elapsed:.1f} s; "
        f"Billy holds {len(org['records'].get('invoices', []))} invoices, "
        f"{len(org['records'].get('bankPayments', []))} payments; "
        f"{snapshot['journalEntries']} Billy calls"
    )
    rt.db.dispose()
    assert not problems, f"seed {seed}\n" + "\n".join(problems[:50]) + "\n" + procs.logs()


@pytest.fixture
def procs(
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> Iterator[Callable[[str], Processes]]:
    def make(database_url: str) -> Processes:
        return processes_for(Setup(tmp_path, database_url))

    yield make


# The run ends by the progress deadlines above; this only stops a run that hangs outright.
WHOLE_RUN = 7200 if SOAK else 900


@pytest.mark.timeout(WHOLE_RUN)
def test_serve_killed_at_random_moments_sqlite(
    tmp_path: Path, procs: Callable[[str], Processes]
) -> None:
    processes = procs(f"sqlite:///{tmp_path / 'billysync.db'}")

    def serve(role: str, port: int) -> Process:
        process = processes.command(role, "serve", "--port", str(port), "--no-demo")
        wait_for(lambda: answers(port), STARTED, "serve to answer", processes)
        return process

    run_with_kills(processes, processes.setup, serve, ["serve"])


@pytest.mark.postgres
@pytest.mark.timeout(WHOLE_RUN)
def test_web_and_two_workers_killed_at_random_moments_postgres(
    postgres_url: str, procs: Callable[[str], Processes]
) -> None:
    processes = procs(postgres_url)

    def start(role: str, port: int) -> Process:
        if role == "web":
            process = processes.command(role, "web", "--port", str(port))
            wait_for(lambda: answers(port), STARTED, "the web to answer", processes)
            return process
        return processes.worker(role)

    run_with_kills(processes, processes.setup, start, ["web", "w1", "w2"])
