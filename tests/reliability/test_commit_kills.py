"""The worker SIGKILLed before and after database commits, again and again; exactly-once after.

quality.md §2 asks for a kill before and after every Billy call *and every database
commit*, and again during recovery. The Billy calls are test_kill_points.py; this is the
commits. A worker (dying_billysync.py) counts the commits that wrote anything, in our
database and in DBOS's, and SIGKILLs itself just before or just after the Nth; it is then
started again with a later N, so each death also lands in the recovery of the one before.
One order and its return go through (contact, products, invoice, payment, credit note,
refund), until the worker finishes before its planned commit. Then Billy's ledger must
hold each document once with the shop's amounts, and nothing may be left unfinished.

The default run kills at about every fifth commit, at random (the seed is printed;
`BILLYSYNC_KILL_SEED` repeats it), before and after in turn; `BILLYSYNC_SOAK=1` kills at
every single commit, before and after.
"""

from __future__ import annotations

import os
import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from test_kill_points import ORDER, RETURN, push_return, shop_for, state_of

from tests.support.kill_world import (
    billy_server,
    exactly_once_problems,
    push,
    runtime,
    unfinished_in_dbos,
)
from tests.support.worker_processes import Processes, Setup, wait_for
from tests.support.workload import ShopOrder, Workload

SOAK = os.environ.get("BILLYSYNC_SOAK") == "1"
STRIDE = 1 if SOAK else 5  # on average, every STRIDE-th commit is a kill point
STEP = 120.0  # seconds one worker life may take to die or finish, on a busy machine
DYING = re.compile(r"dying at write commit (\d+) \((\w+); last write ([^)]*)\)")


@pytest.mark.timeout(7200 if SOAK else 900)  # the STEP deadlines end a stuck run first
def test_worker_killed_before_and_after_database_commits_sqlite(
    tmp_path: Path,
    processes_for: Callable[[Setup], Processes],
) -> None:
    setup = Setup(tmp_path, f"sqlite:///{tmp_path / 'billysync.db'}")
    procs = processes_for(setup)
    seed = int(os.environ.get("BILLYSYNC_KILL_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    first = 1 if SOAK else rng.randint(1, STRIDE)
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        shop_id = shop_for(rt, emu, billy_url)
        push(rt, shop_id, ORDER)
        push_return(rt, shop_id, RETURN)  # waits for its order, then is woken

        def done() -> bool:
            return (
                state_of(rt, shop_id, "order", ORDER.key),
                state_of(rt, shop_id, "return", RETURN.key),
            ) == ("paid", "credited")

        deaths: list[str] = []
        nth, lives = first, 0
        while not done():
            # Before and after alternate; the soak run takes both at every commit.
            when = ("before", "after")[lives % 2]
            worker = procs.dying_worker("w1", f"{when}:{nth}")
            lives += 1
            ended = lambda w=worker: not w.alive() or done()  # noqa: E731
            wait_for(ended, STEP, f"w1 to die at {when}:{nth} or finish", procs)
            if worker.alive():  # it finished before its planned death
                worker.kill()  # (its leftovers, if any, are finished below)
                break
            found = DYING.search(worker.output())
            assert found, f"w1 ended without its planned death\n{procs.logs()}"
            deaths.append(f"{when} {nth}: {found.group(3)}")
            if not SOAK or when == "after":
                nth += rng.randint(1, 2 * STRIDE - 1)
            assert lives < 1000, "the worker never finished: every life died"

        # A last worker, no planned death, finishes whatever the last one left (a pass or
        # a poll it had begun); only when DBOS holds nothing unfinished is it killed.
        w1 = procs.worker("w1")
        wait_for(lambda: not unfinished_in_dbos(setup), STEP, "DBOS to finish", procs)
        w1.kill()

        workload = Workload([ShopOrder([ORDER], returns=[RETURN])])
        problems = exactly_once_problems(emu, rt, shop_id, workload, setup)
        print(
            f"\n[commit kills] seed {seed}: {len(deaths)} deaths, about every {STRIDE}th commit:"
            f"\n  " + "\n  ".join(deaths)
        )
        rt.db.dispose()
        assert deaths, "no commit was ever killed: the test proves nothing"
        assert not problems, f"seed {seed}\n" + "\n".join(problems) + "\n" + procs.logs()
