"""The engine's hot path: one process sweeps, an enqueued event is not enqueued twice, a
record another attempt is writing is waited for briefly, and a shop's settings are kept."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing

import pytest
from dbos import DBOS
from sqlalchemy import select

from billysync.store import bindings, inbox, intents, leases, transfers
from billysync.store.tables import InboxEvent
from billysync.sync import engine, exporter
from billysync.sync.context import TransferContext
from billysync.sync.engine import dispatch_pending, transfer_workflow_id
from tests.support.shop_builders import order
from tests.support.statement_counts import counting
from tests.support.sync_harness import Harness


def test_one_process_holds_the_sweep_until_it_stops_renewing(harness: Harness) -> None:
    db = harness.rt.db
    with db.session() as session:
        assert leases.hold(session, "dispatcher", "w1", seconds=60)
    with db.session() as session:
        assert not leases.hold(session, "dispatcher", "w2", seconds=60)
        assert leases.hold(session, "dispatcher", "w1", seconds=0)  # renewed, then lapsed
    time.sleep(0.01)
    with db.session() as session:
        assert leases.hold(session, "dispatcher", "w2", seconds=60)  # taken over
        assert not leases.hold(session, "dispatcher", "w1", seconds=60)


def test_the_sweep_marks_an_event_whose_workflow_exists_and_does_not_enqueue_it_again(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    event_id = harness.push("order", order("8101"))
    harness.engine.wait_idle(timeout=120)
    row = harness.transfer(key="8101")
    assert row["state"] == "paid"
    # As if the sweep ran while the workflow was still waiting in the queue.
    with harness.rt.db.session() as session:
        inbox.mark_event(session, event_id, "new")
    enqueued: list[str] = []
    monkeypatch.setattr(
        engine, "enqueue_transfer", lambda *a, **k: enqueued.append(k["workflow_id"])
    )
    assert dispatch_pending(harness.rt, older_than=0) == 1
    assert enqueued == []
    harness.engine.wait_idle(timeout=120)
    with harness.rt.db.session() as session:
        state = session.scalar(select(InboxEvent.state).where(InboxEvent.id == event_id))
        attempts = transfers.get_transfer(session, harness.shop_id, "order", "8101")
        assert attempts is not None
        assert (state, attempts.attempts) == ("queued", 1)
    wid = transfer_workflow_id(harness.shop_id, "order", "8101", event_id)
    assert len(DBOS.list_workflows(workflow_ids=[wid], load_input=False)) == 1
    assert dispatch_pending(harness.rt, older_than=0) == 0


def test_a_record_another_attempt_is_writing_is_waited_for_not_retried_later(
    harness: Harness,
) -> None:
    """Two first orders for one product: the second waits moments for the first's binding."""
    with harness.rt.db.session() as session:
        intents.claim(
            session,
            shop_id=harness.shop_id,
            kind="product",
            local_key="MUG-1",
            owner="the other order",
            marker="MUG-1",
        )

    def the_other_order_binds() -> None:
        time.sleep(0.3)
        with harness.rt.db.session() as session:
            bindings.record(session, harness.shop_id, "product", "MUG-1", "p-1", marker="MUG-1")
            intents.release(session, shop_id=harness.shop_id, kind="product", local_key="MUG-1")

    other = threading.Thread(target=the_other_order_binds)
    other.start()
    created: list[str] = []
    with harness.billy() as client:
        ctx = TransferContext(harness.rt, harness.shop_id, "order", "1", "this order", client)
        started = time.monotonic()
        found = exporter.ensure(
            ctx,
            kind="product",
            local_key="MUG-1",
            marker="MUG-1",
            lookup=list,
            create=lambda: created.append("MUG-1"),
            describe=lambda _: ("p-2", {}),
        )
        waited = time.monotonic() - started
    other.join()
    assert (found.billy_id, created) == ("p-1", [])
    print(f"\nwaited {waited:.2f} s for the other attempt's binding")


def test_a_shops_settings_are_kept_and_read_again_when_they_change(harness: Harness) -> None:
    rt = harness.rt
    first = rt.attempt_start(harness.shop_id, "order", "1")
    with counting(rt.db.engine) as kept:
        again = rt.attempt_start(harness.shop_id, "order", "1")
    harness.configure(trigger="shipped")  # as the settings page does, in any process
    changed = rt.attempt_start(harness.shop_id, "order", "1")
    assert first is not None and again is not None and changed is not None
    assert kept.total == 1, kept.sql  # the version and the transfer, nothing more
    assert (first[0].trigger, again[0].trigger, changed[0].trigger) == ("paid", "paid", "shipped")


def test_dboss_sqlite_file_runs_in_wal_mode(harness: Harness) -> None:
    """Readers and DBOS's one writer do not block each other (DBOS leaves rollback mode)."""
    path = harness.rt.process.data_dir / "dbos.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
