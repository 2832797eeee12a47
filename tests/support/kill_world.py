"""What the kill tests share: Billy's emulator served in this process, the installation's
runtime and shop, orders sent in as the JSON API sends them, and what the transfers, DBOS
and Billy's ledger hold afterwards.

The processes under test (`billysync worker`, `recover`, `serve`) are worker_processes.py's;
they run against the same database as the test, which reads the outcome from here.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from billysync.billy.client import BillyClient
from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator, start_background_server
from billysync.shop.models import Order
from billysync.store import transfers
from billysync.sync.runtime import Runtime
from tests.support.billy_setup import make_choices
from tests.support.invariants import check_ledger, check_transfers
from tests.support.shop_builders import line, order, person
from tests.support.sync_harness import submit
from tests.support.worker_processes import PROGRESS, Process, Processes, Setup, wait_for
from tests.support.workload import Workload

TOKEN = "kill-test-billy-token-0001"
STUCK = 300.0  # a hung answer outlasts the worker's 30 s timeout: only the kill ends it
INVOICES = "/v2/invoices"
PAYMENTS = "/v2/bankPayments"


@contextmanager
def billy_server() -> Iterator[tuple[BillyEmulator, str]]:
    """Billy's emulator over HTTP in this process; its /v2 base URL."""
    emu = BillyEmulator(seed=3)
    url, stop = start_background_server(emu, port=0)
    try:
        yield emu, url + "/v2"
    finally:
        stop()


def runtime(setup: Setup) -> Runtime:
    """The test's own view of the installation's database (migrated)."""
    process = ProcessSettings(
        data_dir=setup.data_dir,
        database_url=setup.database_url,
        secret_key_file=setup.secret_key_file,
    )
    rt = Runtime.from_settings(process)
    rt.db.migrate()
    return rt


def some_orders(
    first: int, count: int, *, customers: int = 3, shirts: int = 4, prefix: str = "kill-cust"
) -> list[Order]:
    """Orders `first`… of returning customers (`customers` of them), each a mug and one of
    `shirts` T-shirts: contacts and products are shared, as in a shop."""
    return [
        order(
            str(key),
            customer=person(f"{prefix}-{key % customers}"),
            lines=(
                line("MUG-1", "Krus", str(1 + key % 3), "89.00"),
                line(f"TS-{key % shirts}", f"T-shirt {key % shirts}", "1", "149.95"),
            ),
        )
        for key in range(first, first + count)
    ]


def push(rt: Runtime, shop_id: int, o: Order) -> None:
    """The order, received as the JSON API receives it; a worker's dispatcher takes it."""
    submit(rt, shop_id, "order", o)


def faulted(emu: BillyEmulator, method: str, path: str, kind: str) -> int:
    """How many calls to `method path` the fault `kind` has answered."""
    return sum(
        1 for e in emu.journal.entries() if (e.method, e.path, e.fault) == (method, path, kind)
    )


def states(rt: Runtime, shop_id: int, orders: list[Order]) -> dict[str, str]:
    with rt.db.session() as session:
        rows = {o.key: transfers.get_transfer(session, shop_id, "order", o.key) for o in orders}
    return {key: (row.state if row else "none") for key, row in rows.items()}


def all_paid(rt: Runtime, shop_id: int, orders: list[Order]) -> bool:
    return set(states(rt, shop_id, orders).values()) == {"paid"}


def unfinished_in_dbos(setup: Setup) -> list[tuple[str, str, str]]:
    """(workflow id, status, executor) of DBOS workflows not finished, read from its tables."""
    query = (
        "SELECT workflow_uuid, status, executor_id FROM {table} "
        "WHERE status IN ('PENDING', 'ENQUEUED', 'ERROR')"
    )
    if setup.database_url.startswith("sqlite"):
        with sqlite3.connect(setup.data_dir / "dbos.sqlite") as conn:
            return list(conn.execute(query.format(table="workflow_status")))
    import psycopg

    with psycopg.connect(setup.database_url) as conn:
        return list(conn.execute(query.format(table="dbos.workflow_status")).fetchall())


def held_by(setup: Setup, executor: str) -> set[str]:
    """Transfers `executor` was running: PENDING under its id (a dead executor's stay so).

    ENQUEUED ones carry the id of whoever enqueued them, but any worker takes them.
    """
    return {
        w
        for w, status, ex in unfinished_in_dbos(setup)
        if (status, ex) == ("PENDING", executor) and w.startswith("transfer:")
    }


def w1_stuck_on_two_invoices(
    emu: BillyEmulator, rt: Runtime, shop_id: int, first: list[Order], procs: Processes
) -> Process:
    """Worker w1 alone takes `first`: Billy saves two of their invoices and never answers.

    Returns once the other orders of `first` are paid, so every contact and product is
    bound: a kill then leaves write intents only on w1's own orders (another's would block
    the next worker for 120 s).
    """
    emu.faults.add(method="POST", path=INVOICES, kind="commit_then_hang", delay=STUCK, times=2)
    for o in first:
        push(rt, shop_id, o)
    w1 = procs.worker("w1")
    wait_for(
        lambda: faulted(emu, "POST", INVOICES, "commit_then_hang") == 2,
        PROGRESS,
        "two stuck invoice POSTs",
        procs,
    )
    wait_for(
        lambda: list(states(rt, shop_id, first).values()).count("paid") == len(first) - 2,
        PROGRESS,
        "the first orders that were not stuck",
        procs,
    )
    return w1


def running_in_dbos(setup: Setup) -> bool:
    """Whether DBOS still has work to do (ERROR ends a workflow too: the checks report it)."""
    return any(status != "ERROR" for _, status, _ in unfinished_in_dbos(setup))


def cli_shop(setup: Setup, billy_url: str, token: str, name: str) -> tuple[int, str]:
    """A shop set up the way the docs say, with `billysync shop add` and `billysync shop
    set`, on the organization of `token`; (shop id, its JSON API token)."""
    with BillyClient(token, base_url=billy_url) as client:
        choices = make_choices(client)
    env = setup.env("cli")
    billysync = [sys.executable, "-m", "billysync", "shop"]
    added = subprocess.run(
        [*billysync, "add", name], env=env, capture_output=True, text=True, check=True
    )
    shop_id = int(added.stdout.split()[1])  # "shop 1 added; its JSON API token …: TOKEN"
    api_token = added.stdout.strip().rsplit(" ", 1)[1]
    env["BILLYSYNC_BILLY_KEY"] = token  # the documented way to keep a key out of `ps`
    subprocess.run(
        [
            *billysync,
            "set",
            str(shop_id),
            f"--billy-url={billy_url}",
            f"--sales-account={choices.accounts[1110]}",
            f"--shipping-product={choices.shipping_product}",
            f"--discount-product={choices.discount_product}",
            "--trigger=paid",
            "--post-payments",
            f"--payment-account={choices.accounts[5710]}",
            "--prefix=",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return shop_id, api_token


def exactly_once_problems(
    emu: BillyEmulator, rt: Runtime, shop_id: int, workload: Workload, setup: Setup
) -> list[str]:
    """What breaks exactly-once: Billy's ledger against the shop's orders (I1–I5), the
    transfers' ends, and DBOS workflows left unfinished (I6)."""
    problems = check_ledger(emu, TOKEN, workload, "")
    problems += check_transfers(rt, shop_id, workload)
    return problems + i6_problems(setup)


def i6_problems(setup: Setup) -> list[str]:
    """I6: DBOS workflows left unfinished once the processes stopped.

    A scheduled pass (products, poll) that a worker's timer queued just before the workers
    stopped is not one: it never started, so nothing of it is lost, and the next start
    runs it. A transfer still queued is an order not booked, and anything PENDING or ERROR
    is unfinished.
    """
    return [
        f"I6: DBOS workflow {(workflow_id, status, executor)}"
        for workflow_id, status, executor in unfinished_in_dbos(setup)
        if status != "ENQUEUED" or workflow_id.startswith("transfer:")
    ]
