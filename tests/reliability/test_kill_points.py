"""The worker SIGKILLed at each Billy write of a transfer; exactly-once after its restart.

docs/invariants.md §2: "the worker killed before and after every Billy call". Each kill point
gets a fresh SQLite installation, a fresh Billy emulator serving real HTTP in this
process, and one `billysync worker` subprocess (executor w1). A fault holds one Billy
write open: `commit_then_hang` lets Billy save the record and never answer (the worker
is stuck after Billy's commit, before its binding commit), `hang` never saves it (stuck
before the write). The worker is killed there, the fault is cleared and w1 restarts;
DBOS resumes its pending transfer, and the emulator's ledger must then hold exactly one
contact, product, invoice and payment (credit note and refund for a return), with the
shop's amounts (invariants.check_ledger).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from billysync.billy.client import BillyClient
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.ledger import Ledger
from billysync.shop.models import Return
from billysync.store import bindings, transfers
from billysync.sync.runtime import Runtime
from tests.support.kill_world import (
    STUCK,
    TOKEN,
    billy_server,
    exactly_once_problems,
    faulted,
    push,
    running_in_dbos,
    runtime,
)
from tests.support.shop_builders import giving_back, line, order, person
from tests.support.sync_harness import make_shop, submit
from tests.support.worker_processes import PROGRESS, Processes, Setup, wait_for
from tests.support.workload import ShopOrder, Workload

STARTED = PROGRESS  # deadline for the worker to reach the faulted request
FINISHED = PROGRESS  # deadline for the restarted worker to finish the transfer

CUSTOMER = person("kp-cust-1", name="Mette Jensen")
ORDER = order(
    "1",
    customer=CUSTOMER,
    lines=(line("MUG-1", "Krus", "2", "89.00"), line("TS-1", "T-shirt", "1", "149.95")),
)
RETURN = giving_back(ORDER, "R1", {"MUG-1": "1"}, shipping=True)  # refunded


@dataclass(frozen=True)
class KillPoint:
    """Where the worker dies: the Billy request held open, and what Billy then holds."""

    id: str
    path: str
    fault: str  # commit_then_hang (Billy saved it) or hang (Billy saved nothing)
    binding: str  # the binding the worker never got to write …
    local_key: str  # … and its key
    records: Callable[[Ledger], int]  # how many records of that kind Billy holds
    during_return: bool = False  # the order is invoiced and paid first, then returned

    @property
    def saved(self) -> int:
        return 1 if self.fault.startswith("commit_then") else 0


KILL_POINTS = [
    KillPoint(
        "after-contact",
        "/v2/contacts",
        "commit_then_hang",
        "contact",
        CUSTOMER.key,
        lambda ledger: len(ledger.contacts()),
    ),
    KillPoint(
        "after-new-product",
        "/v2/products",
        "commit_then_hang",
        "product",
        "TS-1",  # MUG-1 is the merchant's own product already
        lambda ledger: len(ledger.products()),
    ),
    KillPoint(
        "after-payment",
        "/v2/bankPayments",
        "commit_then_hang",
        "payment",
        ORDER.key,
        lambda ledger: len(ledger.bank_payments()),
    ),
    KillPoint(
        "after-credit-note",
        "/v2/invoices",
        "commit_then_hang",
        "credit_note",
        RETURN.key,
        lambda ledger: len(ledger.credit_notes()),
        during_return=True,
    ),
    KillPoint(
        "after-refund",
        "/v2/bankPayments",
        "commit_then_hang",
        "refund",
        RETURN.key,
        lambda ledger: len(ledger.bank_payments()),
        during_return=True,
    ),
    KillPoint(
        "before-invoice",
        "/v2/invoices",
        "hang",
        "invoice",
        ORDER.key,
        lambda ledger: len(ledger.invoices()),
    ),
]


def push_return(rt: Runtime, shop_id: int, ret: Return) -> None:
    submit(rt, shop_id, "return", ret)


def shop_for(rt: Runtime, emu: BillyEmulator, emu_url: str) -> int:
    """A shop on the emulator's HTTP server, with MUG-1 already a product of the merchant."""
    shop_id, accounts = make_shop(rt, emu, TOKEN, "Butik KP", emu_url)
    with BillyClient(TOKEN, base_url=emu_url) as client:
        client.products.create(
            {
                "name": "Krus",
                "productNo": "MUG-1",
                "accountId": accounts[1110],
                "prices": [{"unitPrice": 89, "currencyId": "DKK"}],
            }
        )
    return shop_id


def state_of(rt: Runtime, shop_id: int, kind: str, key: str) -> str:
    with rt.db.session() as session:
        row = transfers.get_transfer(session, shop_id, kind, key)
        return row.state if row else "none"


@pytest.mark.parametrize("point", KILL_POINTS, ids=[p.id for p in KILL_POINTS])
def test_worker_killed_at_a_billy_write_and_restarted_sqlite(
    point: KillPoint,
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> None:
    setup = Setup(tmp_path, f"sqlite:///{tmp_path / 'billysync.db'}")
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id = shop_for(rt, emu, billy_url)
        ledger = emu.ledger(TOKEN)
        kind, key = ("return", RETURN.key) if point.during_return else ("order", ORDER.key)
        final = "credited" if point.during_return else "paid"

        def arm() -> int:
            """Hold the kill point's request open; Billy's count of such records before."""
            emu.faults.add(method="POST", path=point.path, kind=point.fault, delay=STUCK)
            return point.records(ledger)

        before = -1
        if not point.during_return:
            before = arm()
        push(rt, shop_id, ORDER)
        w1 = procs.worker("w1")
        if point.during_return:
            wait_for(
                lambda: state_of(rt, shop_id, "order", ORDER.key) == "paid",
                FINISHED,
                f"order {ORDER.key} to be paid before its return",
                procs,
            )
            before = arm()
            push_return(rt, shop_id, RETURN)

        # 1. Stuck in the request; killed there.
        wait_for(
            lambda: faulted(emu, "POST", point.path, point.fault) == 1,
            STARTED,
            f"the held POST {point.path} ({point.id})",
            procs,
        )
        w1.kill()
        assert point.records(ledger) == before + point.saved, (
            f"Billy should hold {point.saved} new {point.binding} record(s) at the kill"
        )
        with rt.db.session() as session:  # we never learnt its id
            assert bindings.get_binding(session, shop_id, point.binding, point.local_key) is None
        assert state_of(rt, shop_id, kind, key) != final

        # 2. Restarted with the same executor id and Billy healthy: DBOS resumes it.
        emu.faults.clear()
        w1 = procs.worker("w1")
        wait_for(
            lambda: state_of(rt, shop_id, kind, key) == final,
            FINISHED,
            f"{kind} {key} to be {final} after the restart",
            procs,
        )
        # The state shows the end a moment before the workflow ends (its last step closes
        # the event); a stop in that moment left it PENDING on a busy machine.
        wait_for(lambda: not running_in_dbos(setup), FINISHED, "DBOS to finish", procs)
        w1.stop()

        returns = [RETURN] if point.during_return else []
        workload = Workload([ShopOrder([ORDER], returns=returns)])
        problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
        with rt.db.session() as session:
            if bindings.get_binding(session, shop_id, point.binding, point.local_key) is None:
                problems.append(f"the {point.binding} {point.local_key} was never bound")
        # The record held at the kill exists once: adopted if Billy saved it, else made now.
        if point.records(ledger) != before + 1:
            problems.append(
                f"Billy holds {point.records(ledger) - before} new {point.binding} records, not 1"
            )
        rt.db.dispose()
        assert not problems, "\n".join(problems) + "\n" + procs.logs()
