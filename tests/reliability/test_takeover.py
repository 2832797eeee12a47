"""Three workers on PostgreSQL, one SIGKILLed and never restarted: the live ones take its
work over by themselves (no command), once, with no duplicate in Billy.

w1 runs alone and Billy saves its invoices without answering (`commit_then_hang`): first
two while the other first orders get paid, so contacts and products are bound, then as
many more as w1 takes of a second batch. w1 thus holds at least three transfers PENDING,
each with an outcome unknown, and is killed with them. w2 and w3 start only then, so
they cannot take the second batch before w1 does (on a busy machine one worker's single
dequeue takes the whole batch). After the takeover time without a heartbeat from w1, one
of w2/w3 claims it and hands its workflows back to the queue; the ledger must then hold
exactly one invoice and one payment per order, and the takeover must be logged once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.kill_world import (
    INVOICES,
    STUCK,
    TOKEN,
    all_paid,
    billy_server,
    exactly_once_problems,
    faulted,
    held_by,
    push,
    runtime,
    some_orders,
    unfinished_in_dbos,
    w1_stuck_on_two_invoices,
)
from tests.support.sync_harness import make_shop
from tests.support.worker_processes import PROGRESS, Processes, Setup, wait_for
from tests.support.workload import ShopOrder, Workload

TAKEOVER_AFTER = 15  # seconds of silence before w1 counts as dead (several beats on a busy box)


def takeover_lines(procs: Processes) -> list[dict[str, object]]:
    """The structured `worker.takeover` log lines of every process."""
    lines = []
    for process in procs.started:
        for text in process.output().splitlines():
            if '"worker.takeover"' in text:
                lines.append(json.loads(text))
    return lines


@pytest.mark.postgres
def test_three_workers_one_killed_for_good_the_others_take_over_by_themselves_postgres(
    postgres_url: str,
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> None:
    setup = Setup(
        tmp_path,
        postgres_url,
        extra_env={"BILLYSYNC_TAKEOVER_AFTER_SECONDS": str(TAKEOVER_AFTER)},
    )
    procs = processes_for(setup)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id, _ = make_shop(rt, emu, TOKEN, "Butik T", billy_url)
        first, second = some_orders(1, 4), some_orders(5, 12)
        orders = first + second

        def held_by_w1() -> set[str]:
            return held_by(setup, "w1")

        w1 = w1_stuck_on_two_invoices(emu, rt, shop_id, first, procs)
        emu.faults.add(method="POST", path=INVOICES, kind="commit_then_hang", delay=STUCK)
        for o in second:
            push(rt, shop_id, o)
        wait_for(
            lambda: (
                faulted(emu, "POST", INVOICES, "commit_then_hang") >= 3 and len(held_by_w1()) >= 3
            ),
            PROGRESS,
            "w1 to be stuck on a third invoice",
            procs,
        )
        held = held_by_w1()
        w1.kill()  # and never restarted
        emu.faults.clear()
        procs.worker("w2")
        procs.worker("w3")

        # No command: w2 and w3 notice w1's silence and finish its work.
        wait_for(lambda: all_paid(rt, shop_id, orders), PROGRESS, "every order paid", procs)
        wait_for(lambda: not unfinished_in_dbos(setup), PROGRESS, "DBOS to finish", procs)
        lines = takeover_lines(procs)
        for process in procs.started[1:]:
            process.stop()

        assert len(held) >= 3
        assert [(line["dead_executor"], line["automatic"]) for line in lines] == [("w1", True)], (
            procs.logs()
        )
        assert int(str(lines[0]["workflows"])) >= 3, procs.logs()
        workload = Workload([ShopOrder([o]) for o in orders])
        problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
        print(f"\n[takeover] w1 held {len(held)} workflows; journal {len(emu.journal)} calls")
        rt.db.dispose()
        assert not problems, "\n".join(problems) + "\n" + procs.logs()
