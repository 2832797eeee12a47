"""`billysync web` on PostgreSQL enqueues an order as it stores it, in one transaction.

The engine runs in this process only as the workers would (its own starter switched off, no
dispatcher), so an order is worked only if the web's enqueue reached DBOS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest

from billysync.emulators.billy import BillyEmulator
from billysync.store import inbox
from billysync.sync import intake
from billysync.sync.engine import Engine, dispatch_pending, enqueue_event, transfer_workflow_id
from billysync.sync.web_intake import TransactionEnqueuer, enqueue_where_stored
from tests.support.shop_builders import order
from tests.support.sync_harness import TOKEN, make_shop, submit

pytestmark = pytest.mark.postgres


@pytest.fixture
def web_only() -> Iterator[Callable[[], None]]:
    """Makes this process store as `billysync web` does, beside its running engine: the
    engine's own starter is put aside, and given back before engine_for's teardown, which
    stops a running engine only (DBOS would otherwise outlive the test's database)."""
    put_aside = []

    def as_web() -> None:
        intake.set_starter(None)
        put_aside.append(True)

    yield as_web
    intake.set_transaction_starter(None)
    if put_aside:
        intake.set_starter(enqueue_event)


def invoices(emu: BillyEmulator) -> list[str]:
    return [i["orderNo"] for i in emu.ledger(TOKEN).invoices()]


def dbos_workflows(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT workflow_uuid, status FROM dbos.workflow_status").fetchall()
    return {workflow_id: status for workflow_id, status in rows}


def test_an_order_stored_by_the_web_is_enqueued_with_it_and_booked(
    postgres_url: str, engine_for: Callable[..., Engine], web_only: Callable[[], None]
) -> None:
    emu = BillyEmulator()
    engine = engine_for(postgres_url, emu)  # a worker: DBOS's tables exist, its queue runs
    web_only()  # … but nothing in this process enqueues, as in `billysync web`
    enqueuer = enqueue_where_stored(engine.rt)
    assert enqueuer is not None
    shop_id, _ = make_shop(engine.rt, emu, TOKEN, "Butik W")

    event_id = submit(engine.rt, shop_id, "order", order("7"))
    # Enqueued when the web's unit of work committed, without any dispatcher.
    assert transfer_workflow_id(shop_id, "order", "7", event_id) in dbos_workflows(postgres_url)
    assert engine.wait_idle(timeout=120)
    assert invoices(emu) == ["107"]
    enqueuer.close()


def test_a_unit_of_work_that_fails_after_the_enqueue_leaves_neither_event_nor_workflow(
    postgres_url: str, engine_for: Callable[..., Engine], web_only: Callable[[], None]
) -> None:
    emu = BillyEmulator()
    engine = engine_for(postgres_url, emu)
    web_only()
    enqueuer = TransactionEnqueuer(engine.rt)
    shop_id, _ = make_shop(engine.rt, emu, TOKEN, "Butik W")

    def enqueue_then_fail(session, event_id, event):  # type: ignore[no-untyped-def]
        assert enqueuer(session, event_id, event)
        raise RuntimeError("the web process dies before its commit")

    intake.set_transaction_starter(enqueue_then_fail)
    with pytest.raises(RuntimeError):
        submit(engine.rt, shop_id, "order", order("8"))
    with engine.rt.db.reading() as session:
        assert inbox.events_in_state(session, "new") == []
    assert not [w for w in dbos_workflows(postgres_url) if w.startswith("transfer:")]
    enqueuer.close()


def test_without_dbos_tables_yet_the_order_is_stored_and_the_dispatcher_starts_it(
    postgres_url: str, engine_for: Callable[..., Engine], web_only: Callable[[], None]
) -> None:
    emu = BillyEmulator()
    engine = engine_for(postgres_url, emu, launch=False)  # no worker has ever run
    enqueuer = enqueue_where_stored(engine.rt)
    assert enqueuer is not None
    shop_id, _ = make_shop(engine.rt, emu, TOKEN, "Butik W")

    event_id = submit(engine.rt, shop_id, "order", order("9"))  # no error for the shop
    with engine.rt.db.reading() as session:
        assert [e.id for e in inbox.events_in_state(session, "new")] == [event_id]

    engine.start()  # the first worker: its dispatcher takes what the web could not enqueue
    assert dispatch_pending(engine.rt, older_than=0) == 1
    assert engine.wait_idle(timeout=120)
    assert invoices(emu) == ["109"]
    enqueuer.close()
