"""Workers SIGKILLed between Billy's commit and ours; exactly-once after restart or takeover.

The Billy emulator serves real HTTP in this process; `billysync worker` runs as separate
processes against the same database. Orders go in through `service.submit` here,
with no engine in this process, so a worker's dispatcher loop picks them up. A
`commit_then_hang` fault lets Billy save a document and then never answer: the worker is
stuck after Billy's commit and before its binding commit, and is killed there. Its work
is finished by restarting it (SQLite, and killed once more during that recovery) or, with
PostgreSQL and two workers, by `billysync recover --executor w1` from another process.
Exactly one invoice and one payment per order is checked in the emulator's ledger.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from billysync.store import bindings
from tests.support.kill_world import (
    INVOICES,
    PAYMENTS,
    STUCK,
    TOKEN,
    all_paid,
    billy_server,
    cli_shop,
    exactly_once_problems,
    faulted,
    held_by,
    push,
    running_in_dbos,
    runtime,
    some_orders,
    states,
    w1_stuck_on_two_invoices,
)
from tests.support.sync_harness import make_shop
from tests.support.worker_processes import PROGRESS, Processes, Setup, wait_for
from tests.support.workload import ShopOrder, Workload


def test_worker_killed_after_invoice_commit_and_again_during_recovery_sqlite(
    tmp_path: Path, processes_for: Callable[[Setup], Processes]
) -> None:
    setup = Setup(tmp_path, f"sqlite:///{tmp_path / 'billysync.db'}")
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        emu.add_organization(TOKEN, "Kill ApS")
        shop_id, _ = cli_shop(setup, billy_url, TOKEN, "Butik K")
        orders = some_orders(1, 3)
        ledger = emu.ledger(TOKEN)

        # 1. Billy saves each invoice and never answers; the worker is killed there.
        emu.faults.add(method="POST", path=INVOICES, kind="commit_then_hang", delay=STUCK)
        for o in orders:
            push(rt, shop_id, o)
        w1 = procs.worker("w1")
        wait_for(
            lambda: faulted(emu, "POST", INVOICES, "commit_then_hang") == len(orders),
            PROGRESS,
            "the invoice POSTs",
            procs,
        )
        w1.kill()
        assert len(ledger.invoices()) == len(orders) and ledger.bank_payments() == []
        with rt.db.session() as session:  # we never learnt the invoices' ids
            assert all(
                bindings.get_binding(session, shop_id, "invoice", o.key) is None for o in orders
            )

        # 2. Restarted, it recovers; it is killed again after Billy saved each payment.
        emu.faults.clear()
        emu.faults.add(method="POST", path=PAYMENTS, kind="commit_then_hang", delay=STUCK)
        w1 = procs.worker("w1")
        wait_for(
            lambda: faulted(emu, "POST", PAYMENTS, "commit_then_hang") == len(orders),
            PROGRESS,
            "the payment POSTs during recovery",
            procs,
        )
        w1.kill()
        assert len(ledger.bank_payments()) == len(orders)

        # 3. Restarted once more, with Billy healthy: everything ends paid, once.
        emu.faults.clear()
        w1 = procs.worker("w1")
        wait_for(lambda: all_paid(rt, shop_id, orders), PROGRESS, "every order paid", procs)
        # An order shows paid a moment before its workflow ends (the step closing its
        # event): stopping in that moment would leave the workflow PENDING.
        wait_for(lambda: not running_in_dbos(setup), PROGRESS, "DBOS to finish", procs)
        w1.stop()

        workload = Workload([ShopOrder([o]) for o in orders])
        problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
        creates = [e for e in emu.journal.entries() if e.method == "POST" and e.path == INVOICES]
        print(f"\n[sqlite kill] invoice POSTs {len(creates)}, journal {len(emu.journal)} calls")
        rt.db.dispose()
        assert not problems, "\n".join(problems) + "\n" + procs.logs()


@pytest.mark.postgres
def test_two_workers_one_killed_and_taken_over_by_recover_postgres(
    postgres_url: str, tmp_path: Path, processes_for: Callable[[Setup], Processes]
) -> None:
    # The operator's command is under test here, before the automatic takeover would act.
    setup = Setup(tmp_path, postgres_url, extra_env={"BILLYSYNC_TAKEOVER_AFTER_SECONDS": "3600"})
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id, _ = make_shop(rt, emu, TOKEN, "Butik K", billy_url)
        first, second = some_orders(1, 4), some_orders(5, 12)
        orders = first + second

        def held_by_w1() -> set[str]:
            return held_by(setup, "w1")

        w1 = w1_stuck_on_two_invoices(emu, rt, shop_id, first, procs)
        # w2 joins and more orders come in; both workers take them, and Billy is slow to
        # answer their invoice POSTs (it saves each after a second). w1, the stuck one, is
        # killed with whatever else it has in flight.
        emu.faults.add(method="POST", path=INVOICES, kind="latency", delay=1.0)
        w2 = procs.worker("w2")
        for o in second:
            push(rt, shop_id, o)
        wait_for(lambda: len(held_by_w1()) >= 4, PROGRESS, "w1 to take some of them too", procs)
        w1.kill()
        emu.faults.clear()

        # w2 finishes everything but w1's: those stay PENDING under w1: DBOS recovers a
        # workflow only for the executor id that held it, until another process takes that id over.
        def others_done() -> bool:
            held = {w.split(":")[3] for w in held_by_w1()}
            return all(s == "paid" for k, s in states(rt, shop_id, orders).items() if k not in held)

        wait_for(others_done, PROGRESS, "w2 to finish the orders w1 does not hold", procs)
        held = held_by_w1()
        assert len(held) >= 2, f"w1 should hold the two stuck orders, holds {held}"

        # The documented takeover, from another process.
        recover = procs.command("ops", "recover", "--executor", "w1")
        recover.popen.wait(timeout=120)
        assert recover.popen.returncode == 0, procs.logs()
        took = re.search(r"took over (\d+) unfinished workflows of w1", recover.output())
        assert took and int(took.group(1)) >= len(held), procs.logs()
        wait_for(lambda: all_paid(rt, shop_id, orders), PROGRESS, "every order paid", procs)
        wait_for(lambda: not running_in_dbos(setup), PROGRESS, "DBOS to finish", procs)
        w2.stop()

        workload = Workload([ShopOrder([o]) for o in orders])
        problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
        print(f"\n[postgres kill] w1 held {len(held)} workflows; journal {len(emu.journal)} calls")
        rt.db.dispose()
        assert not problems, "\n".join(problems) + "\n" + procs.logs()
