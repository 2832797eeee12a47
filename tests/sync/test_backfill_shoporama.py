"""A Shoporama shop's history backfilled: listed over REST once, booked from the listed copies
(no order read twice from Shoporama's daily budget), each paid order invoiced once."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.mapping.markers import order_marker
from billysync.sync import backfill_run
from billysync.sync.engine import Engine, EngineOptions, enqueue_event
from billysync.sync.runtime import Runtime
from billysync.sync.shop_period import Period
from tests.support.shoporama_world import (
    BILLY_TOKEN,
    FAST_RETRY,
    PREFIX,
    SHOP_TOKEN,
    RecordingTransport,
    _configure_shop,
)

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))  # the emulated shop opens 3 March 2025


def test_a_shoporama_history_is_booked_from_the_listing(tmp_path: Path) -> None:
    billy = BillyEmulator(seed=5)
    billy.add_organization(token=BILLY_TOKEN, name="Nordisk Hjem ApS")
    shop = ShoporamaEmulator(seed=5, token=SHOP_TOKEN)
    history = [shop.generate_order(kind="person", payment="card") for _ in range(8)]
    history += [shop.generate_order(kind="company", payment="invoice") for _ in range(2)]
    shop.pay_order(history[-1]["order_id"])  # one invoice order paid later, one still open
    calls = RecordingTransport(shop.transport())
    rt = Runtime.from_settings(
        ProcessSettings(data_dir=tmp_path, database_url=None, public_url=None),
        billy_transport=billy.transport(),
        shop_transport=calls,
        retry=FAST_RETRY,
        billy_rate_per_second=1000.0,
    )
    rt.db.migrate()
    shop_id = _configure_shop(
        rt, "http://billy.test/v2", billy.transport(), "http://shoporama.test/REST"
    )
    engine = Engine(rt, EngineOptions(role="test", run_loops=False, polling_interval=0.05))
    engine.start()
    try:
        run_id, found = backfill_run.start(rt, shop_id, MARCH)
        listed = len(calls.exchanges)
        assert len(found.orders) == 9 and len(found.waiting) == 1, found.would_fail
        deadline = time.monotonic() + 120
        while backfill_run.release(rt, run_id, enqueue_event) != "done":
            assert time.monotonic() < deadline, backfill_run.progress(rt, run_id)
            time.sleep(0.05)
        assert engine.wait_idle(timeout=60)
    finally:
        engine.stop()
        rt.db.dispose()

    order_reads = [path for _, path, _ in calls.exchanges[listed:] if "/order" in path]
    assert order_reads == []  # booked from the listed copies
    by_number = billy.ledger(BILLY_TOKEN).invoices_by_order_no()
    paid = [o for o in history if o["order_id"] != history[-2]["order_id"]]
    expected = {order_marker(PREFIX, str(o["webshop_order_id"])) for o in paid}
    assert set(by_number) == expected
    assert all(len(invoices) == 1 for invoices in by_number.values())
