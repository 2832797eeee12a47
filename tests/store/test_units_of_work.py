"""Every unit of work commits whole or not at all, on real SQLite and real PostgreSQL.

`Database.session()` is the unit of work. Each test below writes through one of the
places that insert "if absent" (bindings, write intents, the inbox, transfers, product
sync state, the shop's call count, poll cursors, audit lines), then raises inside the block: nothing
may stay. With pysqlite's own transaction handling a SAVEPOINT opened before any other
write began no transaction, so its RELEASE committed on its own and a failed unit of work
kept half its rows (an empty binding that later failed every attempt with KeyError).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from billysync.store import audit, bindings, executors, inbox, intents, polls, shops, transfers
from billysync.store.db import Database
from billysync.store.tables import (
    AuditEntry,
    Binding,
    ExecutorHeartbeat,
    InboxEvent,
    PollCursor,
    ProductSyncState,
    ShopCallCount,
    Transfer,
    WriteIntent,
)
from billysync.store.transfers import TransferState
from billysync.sync import products as product_sync
from billysync.sync.adapters import shoporama as shoporama_source


class Interrupted(RuntimeError):
    """Stands for anything that ends a unit of work early: a bug, a Billy error, a kill."""


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def shop_id(db: Database) -> int:
    with db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik U")
        return shop.id


def count(db: Database, table: type) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def interrupted(db: Database, work: Callable[[Session], object]) -> None:
    """Run `work` in a unit of work that then fails before its end."""
    with pytest.raises(Interrupted), db.session() as session:
        work(session)
        raise Interrupted("after the write, before the unit of work ends")


def test_a_new_binding_does_not_outlive_a_failed_unit_of_work(db: Database, shop_id: int) -> None:
    """The defect itself: on SQLite the row stayed, with its marker and data empty."""
    interrupted(
        db,
        lambda s: bindings.bind(
            s, shop_id, "invoice", "1001", "inv-1", marker="WEB-1001", extra={"gross": "10.00"}
        ),
    )
    assert count(db, Binding) == 0


def test_an_updated_binding_keeps_its_old_data_when_the_update_fails(
    db: Database, shop_id: int
) -> None:
    with db.session() as session:
        bindings.bind(session, shop_id, "product", "MUG-1", "p-1", marker="MUG-1", content_hash="a")
    interrupted(
        db,
        lambda s: bindings.bind(s, shop_id, "product", "MUG-1", "p-2", content_hash="b"),
    )
    with db.session() as session:
        row = bindings.get_binding(session, shop_id, "product", "MUG-1")
        assert row is not None
        assert (row.billy_id, row.marker, row.content_hash) == ("p-1", "MUG-1", "a")


def test_a_write_intent_does_not_outlive_a_failed_unit_of_work(db: Database, shop_id: int) -> None:
    def claim(session: Session) -> None:
        unknown = intents.claim(
            session, shop_id=shop_id, kind="invoice", local_key="1", owner="w", marker="M-1"
        )
        assert unknown is False

    interrupted(db, claim)
    assert count(db, WriteIntent) == 0
    with db.session() as session:  # and a later claim is a first claim again
        claim(session)
    assert count(db, WriteIntent) == 1


def test_an_inbox_event_does_not_outlive_a_failed_unit_of_work(db: Database, shop_id: int) -> None:
    def store(session: Session) -> bool:
        _, new = inbox.store_event(
            session,
            shop_id=shop_id,
            source="webhook",
            event_name="paid",
            object_type="order",
            object_key="1",
            dedupe_key="d-1",
            payload="{}",
        )
        return new

    interrupted(db, store)
    assert count(db, InboxEvent) == 0
    with db.session() as session:  # the event was not stored, so it is new now
        assert store(session) is True
        assert store(session) is False


def test_a_transfer_does_not_outlive_a_failed_unit_of_work(db: Database, shop_id: int) -> None:
    interrupted(db, lambda s: transfers.ensure_transfer(s, shop_id, "order", "1"))
    interrupted(db, lambda s: transfers.finish(s, shop_id, "order", "2", TransferState.PAID))
    assert count(db, Transfer) == 0


def test_product_sync_state_does_not_outlive_a_failed_unit_of_work(
    db: Database, shop_id: int
) -> None:
    def record(session: Session) -> None:
        product_sync.sync_state(session, shop_id).synced = 5

    interrupted(db, record)
    assert count(db, ProductSyncState) == 0
    with db.session() as session:
        record(session)
        record(session)  # found the second time, not added twice
    assert count(db, ProductSyncState) == 1


def test_the_shops_call_count_does_not_outlive_a_failed_unit_of_work(
    db: Database, shop_id: int
) -> None:
    day = date(2026, 12, 1)
    interrupted(db, lambda s: shoporama_source.add_calls(s, shop_id, day, 7))
    assert count(db, ShopCallCount) == 0
    with db.session() as session:
        shoporama_source.add_calls(session, shop_id, day, 7)
        shoporama_source.add_calls(session, shop_id, day, 3)
    with db.session() as session:
        row = session.get(ShopCallCount, (shop_id, day.isoformat()))
        assert row is not None and row.calls == 10


def test_a_poll_cursor_does_not_outlive_a_failed_unit_of_work(db: Database, shop_id: int) -> None:
    started = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    interrupted(db, lambda s: polls.save_poll_cursor(s, shop_id, started))
    assert count(db, PollCursor) == 0
    with db.session() as session:
        polls.save_poll_cursor(session, shop_id, started)
        polls.save_poll_cursor(session, shop_id, started)  # found the second time
    with db.session() as session:
        assert polls.poll_cursor(session, shop_id) == started


def test_a_heartbeat_and_a_takeover_do_not_outlive_a_failed_unit_of_work(db: Database) -> None:
    """Workers' heartbeats: a first beat and an operator's claim of an unknown executor."""
    interrupted(db, lambda s: executors.beat(s, "w-1", "worker"))
    interrupted(db, lambda s: executors.claim(s, "w-2", "w-3", silent_before=None))
    assert count(db, ExecutorHeartbeat) == 0
    with db.session() as session:
        executors.beat(session, "w-1", "worker")
        executors.beat(session, "w-1", "worker")  # found the second time
        assert executors.claim(session, "w-2", "w-3", silent_before=None)
    with db.session() as session:
        assert session.get(ExecutorHeartbeat, "w-1") is not None
        row = session.get(ExecutorHeartbeat, "w-2")
        assert row is not None and row.taken_over_by == "w-3"


def test_a_whole_unit_of_work_leaves_nothing_when_it_fails(db: Database, shop_id: int) -> None:
    """The exporter's last unit of work: bind, release the intent, log; all or nothing."""
    with db.session() as session:
        intents.claim(
            session, shop_id=shop_id, kind="invoice", local_key="9", owner="w", marker="M-9"
        )

    def finish(session: Session) -> None:
        bindings.bind(
            session, shop_id, "invoice", "9", "inv-9", marker="M-9", extra={"gross": "1.00"}
        )
        intents.release(session, shop_id=shop_id, kind="invoice", local_key="9")
        audit.record(session, shop_id=shop_id, kind="order", object_key="9", step="invoice")
        transfers.finish(session, shop_id, "order", "9", TransferState.TRANSFERRED)

    interrupted(db, finish)
    assert (count(db, Binding), count(db, AuditEntry), count(db, Transfer)) == (0, 0, 0)
    assert count(db, WriteIntent) == 1  # still there: the next attempt looks Billy up first


def test_concurrent_units_of_work_that_read_then_write_all_commit(
    db: Database, shop_id: int
) -> None:
    """Eight threads each read, then insert or update: none fails with "database is locked".

    A deferred BEGIN lets two SQLite transactions read and then both try to write; one of
    them cannot wait for the other and fails at once. Each unit of work here takes its
    write lock when it begins, so they run one after another and all commit.
    """
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(15):
                with db.session() as session:
                    transfers.get_transfer(session, shop_id, "order", str(i))
                    transfers.note_reason(session, shop_id, "order", str(i), f"by {n}")
                    bindings.bind(session, shop_id, "contact", str(i), f"c-{n}", marker=str(i))
        except BaseException as error:  # reported below, with every thread's
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert (count(db, Transfer), count(db, Binding)) == (15, 15)


def test_sqlite_transactions_are_real_and_take_the_write_lock_at_once(tmp_path: object) -> None:
    """The driver leaves transactions to us; each unit of work begins with BEGIN IMMEDIATE."""
    database = Database(f"sqlite:///{tmp_path}/u.db")
    database.migrate()
    with database.session() as session:
        connection = session.connection().connection.dbapi_connection
        assert connection is not None
        assert connection.isolation_level is None  # pysqlite emits no BEGIN/COMMIT itself
        assert connection.in_transaction  # our BEGIN IMMEDIATE, before any write
        session.execute(text("select 1"))
    database.dispose()


@pytest.mark.postgres
def test_a_claim_that_meets_an_intent_leaving_with_its_binding_finds_the_binding(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL reads what committed before each statement: between our failed insert and
    our takeover, another attempt binds the record and releases its intent. The claim must
    find that binding, not create the record a second time."""
    db = Database(postgres_url)
    db.migrate()
    with db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik P")
        shop_id = shop.id
    with db.session() as session:
        intents.claim(
            session, shop_id=shop_id, kind="contact", local_key="c1", owner="A", marker="C-1"
        )
    real_claim = intents.claim

    def the_other_attempt_finishes_first(session: Session, **kwargs: Any) -> bool:
        with db.session() as other:
            bindings.record(other, shop_id, "contact", "c1", "billy-c1", marker="C-1")
            intents.release(other, shop_id=shop_id, kind="contact", local_key="c1")
        return real_claim(session, **kwargs)

    monkeypatch.setattr(intents, "claim", the_other_attempt_finishes_first)
    with db.session() as session:
        found = intents.claim_unless_bound(
            session, shop_id=shop_id, kind="contact", local_key="c1", owner="B", marker="C-1"
        )
    assert found is intents.Claim.BOUND
    assert count(db, WriteIntent) == 0
    db.dispose()
