"""SIGTERM (a deploy, `docker stop`) mid-flight: `worker` and `serve` stop within the grace
and leave nothing PENDING that they could have finished; Billy's ledger stays exactly-once.

Billy answers invoice POSTs slowly (a latency fault), so a stop arrives while transfers
are inside their Billy calls. The process must stop dequeuing, let those transfers finish,
and exit. What it did not start stays ENQUEUED for the next worker, which finishes it.
A hung Billy call cannot finish: the process must still exit once the grace is over.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from billysync.emulators.billy import BillyEmulator
from billysync.shop.models import Order
from billysync.sync.runtime import Runtime
from tests.support.invariants import check_ledger
from tests.support.kill_world import (
    INVOICES,
    STUCK,
    TOKEN,
    all_paid,
    billy_server,
    exactly_once_problems,
    faulted,
    i6_problems,
    push,
    runtime,
    some_orders,
    unfinished_in_dbos,
)
from tests.support.sync_harness import make_shop
from tests.support.worker_processes import PROGRESS, Process, Processes, Setup, wait_for
from tests.support.workload import ShopOrder, Workload

GRACE = 15  # BILLYSYNC_STOP_GRACE_SECONDS of the processes under test
# Exit within the grace plus what a loaded machine needs to shut a Python process down;
# a process that ignored the grace would wait for Billy's hung answer (STUCK, 300 s).
EXIT_BOUND = GRACE + 45


def shop_on(rt: Runtime, emu: BillyEmulator, billy_url: str) -> int:
    shop_id, _ = make_shop(rt, emu, TOKEN, "Butik Stop", billy_url)
    return shop_id


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def terminated_in_time(process: Process, procs: Processes) -> int:
    """SIGTERM and wait for the exit; its exit code."""
    process.terminate()
    wait_for(lambda: not process.alive(), EXIT_BOUND, f"{process.name} to exit", procs)
    code = process.popen.poll()
    assert code is not None
    return code


def pending_of(setup: Setup, executor: str) -> list[tuple[str, str, str]]:
    return [w for w in unfinished_in_dbos(setup) if (w[1], w[2]) == ("PENDING", executor)]


def finish_and_check(
    setup: Setup,
    procs: Processes,
    rt: Runtime,
    emu: BillyEmulator,
    shop_id: int,
    orders: list[Order],
) -> None:
    """A fresh worker finishes what the stopped process left; exactly-once in Billy."""
    w2 = procs.worker("w2")
    wait_for(lambda: all_paid(rt, shop_id, orders), PROGRESS, "every order paid", procs)
    assert terminated_in_time(w2, procs) == 0, procs.logs()
    workload = Workload([ShopOrder([o]) for o in orders])
    problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
    rt.db.dispose()
    assert not problems, "\n".join(problems) + "\n" + procs.logs()


@pytest.mark.parametrize(
    ("command", "database"),
    [
        ("worker", "sqlite"),
        ("serve", "sqlite"),
        pytest.param("worker", "postgres", marks=pytest.mark.postgres),
    ],
)
def test_sigterm_mid_flight_finishes_running_work_and_leaves_nothing_pending(
    command: str,
    database: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> None:
    url = (
        str(request.getfixturevalue("postgres_url"))
        if database == "postgres"
        else f"sqlite:///{tmp_path / 'billysync.db'}"
    )
    setup = Setup(tmp_path, url, extra_env={"BILLYSYNC_STOP_GRACE_SECONDS": str(GRACE)})
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id = shop_on(rt, emu, billy_url)
        orders = some_orders(1, 12)
        # Every invoice takes Billy two seconds: the stop lands inside these calls.
        emu.faults.add(method="POST", path=INVOICES, kind="latency", delay=2.0)
        for o in orders:
            push(rt, shop_id, o)
        process = procs.worker("w1") if command == "worker" else procs.serve("w1", free_port())
        wait_for(
            lambda: faulted(emu, "POST", INVOICES, "latency") >= 1,
            PROGRESS,
            "an invoice POST in flight",
            procs,
        )

        assert terminated_in_time(process, procs) == 0, procs.logs()
        output = process.output()
        assert "System database accessed before DBOS was launched" not in output, output
        assert pending_of(setup, "w1") == [], procs.logs()
        emu.faults.clear()
        finish_and_check(setup, procs, rt, emu, shop_id, orders)


def test_sigterm_with_a_hung_billy_call_exits_after_the_grace_sqlite(
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> None:
    setup = Setup(
        tmp_path,
        f"sqlite:///{tmp_path / 'billysync.db'}",
        extra_env={"BILLYSYNC_STOP_GRACE_SECONDS": "3"},
    )
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id = shop_on(rt, emu, billy_url)
        orders = some_orders(1, 1)
        # Billy never answers this invoice (the worker's own timeout is 30 s).
        emu.faults.add(method="POST", path=INVOICES, kind="hang", delay=STUCK, times=1)
        push(rt, shop_id, orders[0])
        w1 = procs.worker("w1")
        wait_for(
            lambda: faulted(emu, "POST", INVOICES, "hang") == 1,
            PROGRESS,
            "the hung invoice POST",
            procs,
        )
        assert terminated_in_time(w1, procs) == 0, procs.logs()
        # The hung transfer could not finish: it stays PENDING under w1 and resumes with w1.
        assert len(pending_of(setup, "w1")) == 1, procs.logs()
        w1 = procs.worker("w1")
        wait_for(lambda: all_paid(rt, shop_id, orders), PROGRESS, "the order paid", procs)
        assert terminated_in_time(w1, procs) == 0, procs.logs()
        workload = Workload([ShopOrder(orders)])
        problems = check_ledger(emu, TOKEN, workload, "")
        problems += i6_problems(setup)
        rt.db.dispose()
        assert not problems, "\n".join(problems) + "\n" + procs.logs()
