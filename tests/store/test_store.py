"""The store on real SQLite and real PostgreSQL: migrations, shops, secrets, bindings, inbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from billysync.store import audit, bindings, inbox, shops, transfers
from billysync.store.db import MIGRATIONS, Database
from billysync.store.secrets import SecretBox, SecretKeyError, mask
from billysync.store.tables import Base, Transfer
from billysync.store.transfers import TransferState


@pytest.fixture
def db(database_url: str) -> Database:
    database = Database(database_url)
    database.migrate()
    yield database
    database.dispose()


@pytest.fixture
def box(tmp_path: Path) -> SecretBox:
    return SecretBox.from_key_file(tmp_path / "keys" / "secret.key")


def test_migrate_twice_is_harmless(db: Database) -> None:
    db.migrate()
    with db.session() as session:
        version = session.execute(text("select version_num from alembic_version")).scalar()
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None and version == head


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def test_the_migrations_make_exactly_the_tables_of_tables_py(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_shop_secrets_are_ciphertext_at_rest(db: Database, box: SecretBox) -> None:
    canary = "billy-key-CANARY-5f1e2d"
    with db.session() as session:
        shop, api_token = shops.create_shop(session, name="Butik A", platform="shoporama")
        shops.set_billy_key(shop, canary, box)
        shops.set_shop_connection(shop, box, token="shop-CANARY-token", webhook_secret="whsec-1")
        shop_id = shop.id
    with db.session() as session:
        raw = session.execute(text("select * from shops")).all()
        assert canary not in repr(raw) and "shop-CANARY-token" not in repr(raw)
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        assert shops.billy_key(shop, box) == canary
        assert shops.webhook_secret(shop, box) == "whsec-1"
        assert shop.billy_key_last4 == canary[-4:]
        assert shops.shop_by_api_token(session, api_token) is not None
        assert shops.shop_by_api_token(session, api_token + "x") is None


def test_secret_key_file_is_private_and_required(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    box = SecretBox.from_key_file(path)
    assert path.stat().st_mode & 0o077 == 0
    other = SecretBox.from_key_file(tmp_path / "other.key")
    with pytest.raises(SecretKeyError, match="restore"):
        other.decrypt(box.encrypt("x"))
    with pytest.raises(SecretKeyError, match="BILLYSYNC_SECRET_KEY_FILE"):
        SecretBox.from_key_file(tmp_path / "missing.key", create=False)
    assert mask("abcdefghijkl") == "••••ijkl"
    assert mask("short") == "••••"
    assert "key" in repr(box) and "hidden" in repr(box)


def test_bindings_are_per_shop_and_idempotent(db: Database) -> None:
    with db.session() as session:
        a, _ = shops.create_shop(session, name="A")
        b, _ = shops.create_shop(session, name="B")
        bindings.bind(session, a.id, "contact", "cust-1", "billy-1", marker="C-1")
        bindings.bind(session, a.id, "contact", "cust-1", "billy-1", marker="C-1")
        bindings.bind(session, b.id, "contact", "cust-1", "billy-2", marker="C-1")
        a_id, b_id = a.id, b.id
    with db.session() as session:
        row_a = bindings.get_binding(session, a_id, "contact", "cust-1")
        row_b = bindings.get_binding(session, b_id, "contact", "cust-1")
        assert row_a is not None and row_b is not None
        assert (row_a.billy_id, row_b.billy_id) == ("billy-1", "billy-2")
        assert len(bindings.bindings_of_kind(session, a_id, "contact")) == 1


def test_inbox_dedupes_and_transfers_track_state(db: Database) -> None:
    with db.session() as session:
        shop, _ = shops.create_shop(session, name="A")
        args = dict(
            shop_id=shop.id,
            source="webhook",
            event_name="paid",
            object_type="order",
            object_key="123",
            dedupe_key="k1",
            payload="{}",
        )
        first, new1 = inbox.store_event(session, **args)
        again, new2 = inbox.store_event(session, **args)
        assert new1 and not new2 and first.id == again.id
        session.add(
            Transfer(shop_id=shop.id, kind="order", object_key="123", number="10234", state="paid")
        )
        audit.record(session, shop_id=shop.id, kind="order", object_key="123", step="invoice")
        shop_id = shop.id
    with db.session() as session:
        assert transfers.count_by_state(session, shop_id) == {"paid": 1}
        found = transfers.list_transfers(session, shop_id, search="1023")
        assert [t.number for t in found] == ["10234"]
        assert [e.step for e in audit.chain(session, shop_id, "order", "123")] == ["invoice"]
        # Only `failed` and `skipped` stop a transfer: the transitions are named and checked.
        with pytest.raises(AssertionError):
            transfers.stop(session, shop_id, "order", "123", TransferState.PAID, "why", None)


def test_an_event_closed_by_its_work_is_not_reopened_by_a_late_mark(db: Database) -> None:
    """The enqueuer marks "queued" after the enqueue; a quick workflow may have closed it."""
    with db.session() as session:
        shop, _ = shops.create_shop(session, name="A")
        event, _ = inbox.store_event(
            session,
            shop_id=shop.id,
            source="api",
            event_name="order.put",
            object_type="order",
            object_key="1",
            dedupe_key="k1",
            payload="{}",
        )
        event_id = event.id
    with db.session() as session:
        inbox.mark_event(session, event_id, "processed")
    with db.session() as session:
        inbox.mark_event(session, event_id, "queued", if_state="new")
    with db.session() as session:
        assert inbox.find_event(session, shop.id, "k1").state == "processed"  # type: ignore[union-attr]


def test_a_change_to_a_shop_raises_its_settings_version(tmp_path: Path) -> None:
    """Workers keep a shop's settings until this number moves (ORM and Core updates)."""
    from sqlalchemy import update

    from billysync.store.tables import Shop

    db = Database(f"sqlite:///{tmp_path / 'v.db'}")
    db.migrate()
    with db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik V")
        shop_id = shop.id
    with db.session() as session:
        row = shops.get_shop(session, shop_id)
        assert row is not None and row.settings_version == 1
        row.trigger = "shipped"
    with db.session() as session:
        session.execute(update(Shop).where(Shop.id == shop_id).values(email_invoices=True))
    with db.reading() as session:
        row = shops.get_shop(session, shop_id)
        assert row is not None and row.settings_version == 3
    db.dispose()
