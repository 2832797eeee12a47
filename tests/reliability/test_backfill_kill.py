"""A backfill of 300 orders (2,000 with `BILLYSYNC_SOAK=1`), `billysync backfill` SIGKILLed
midway and run again: each order is booked exactly once, checked in the Billy emulator's own
ledger.

The shop pushed its orders through the JSON API before it had a Billy key, so each stopped
asking for one (stored here the way the engine leaves them, to keep the test's setup short);
the merchant then connects Billy and backfills November. Billy serves real HTTP in this
process; the command runs as its own process with a stable executor id, as on a server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from billysync.store import inbox, transfers
from billysync.sync.runtime import Runtime
from tests.support.kill_world import TOKEN, billy_server, cli_shop, runtime
from tests.support.shop_builders import order
from tests.support.worker_processes import Processes, Setup, wait_for

# The default run stays short; the soak books the 2,000 the issue asks for.
ORDERS = 2000 if os.environ.get("BILLYSYNC_SOAK") == "1" else 300
NOVEMBER = ("--from", "2026-11-01", "--to", "2026-11-30")


def pushed_before_billy(rt: Runtime, shop_id: int, count: int) -> None:
    reason = "shop 'Butik K' has no Billy API key: add it under Settings → Financial system"
    with rt.db.session() as session:
        for n in range(1, count + 1):
            o = order(str(n))
            event, _ = inbox.store_event(
                session,
                shop_id=shop_id,
                source="api",
                event_name="order.updated",
                object_type="order",
                object_key=o.key,
                dedupe_key=f"push:{o.key}",
                payload=o.model_dump_json(),
            )
            event.state, event.reason = "failed", reason
            transfers.ensure_transfer(session, shop_id, "order", o.key).number = o.number
            failed = transfers.TransferState.FAILED
            transfers.stop(session, shop_id, "order", o.key, failed, reason, "config")


def paid_orders(rt: Runtime, shop_id: int) -> int:
    with rt.db.session() as session:
        return transfers.count_by_state(session, shop_id).get("paid", 0)


@pytest.mark.timeout(3600)  # 2,000 orders twice over real HTTP; minutes on a busy machine
def test_backfill_killed_midway_and_resumed_books_each_order_once(tmp_path: Path) -> None:
    setup = Setup(tmp_path, f"sqlite:///{tmp_path / 'billysync.db'}")
    with billy_server() as (emu, billy_url):
        rt = runtime(setup)
        emu.add_organization(TOKEN, "Kill ApS")
        shop_id, _ = cli_shop(setup, billy_url, TOKEN, "Butik K")
        pushed_before_billy(rt, shop_id, ORDERS)
        ledger = emu.ledger(TOKEN)
        processes = Processes(setup)
        try:
            command = ("backfill", str(shop_id), *NOVEMBER)
            first = processes.command("backfill-1", *command)
            # Our own count, not the ledger's: reading Billy's books would slow Billy down.
            wait_for(
                lambda: paid_orders(rt, shop_id) >= ORDERS // 4, 1800, "a quarter booked", processes
            )
            first.kill()
            booked_at_kill = len(ledger.invoices())
            assert ORDERS // 4 <= booked_at_kill < ORDERS, "killed too late to prove anything"

            second = processes.command("backfill-1", *command)
            second.popen.wait(timeout=3000)
            assert second.popen.returncode == 0, processes.logs()
        finally:
            processes.close()

        by_number = ledger.invoices_by_order_no()
        assert len(by_number) == ORDERS
        twice = {number: len(found) for number, found in by_number.items() if len(found) != 1}
        assert twice == {}
        live = [p for p in ledger.bank_payments() if not p["isVoided"]]
        paid = [a["subjectReference"] for p in live for a in p["associations"]]
        assert len(paid) == len(set(paid)) == ORDERS
        assert {f"invoice:{found[0]['id']}" for found in by_number.values()} == set(paid)
        with rt.db.session() as session:
            states = transfers.count_by_state(session, shop_id)
        assert states == {"paid": ORDERS}
        rt.db.dispose()
