"""Migration 0002 on real SQLite and PostgreSQL: the new columns are filled from existing rows,
and the migrated schema is the one store/tables.py declares."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text

from billysync.store import polls, transfers
from billysync.store.db import MIGRATIONS, Database
from billysync.store.tables import Base


def _upgrade(db: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_0002_fills_order_keys_and_carries_the_poll_cursor_over(database_url: str) -> None:
    db = Database(database_url)
    try:
        _upgrade(db, "0001")
        now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "insert into shops (id, name, platform, api_token_hash, language, created_at,"
                    " trigger, post_payments, order_prefix, signature_header,"
                    " shop_daily_call_limit) values (1, 'A', 'shoporama', 'h', 'da', :now,"
                    " 'paid', true, '', 'X', 1000)"
                ),
                {"now": now},
            )
            rows = [
                ("order", "O-1", json.dumps({"key": "O-1"})),
                ("return", "R-1", json.dumps({"key": "R-1", "order_key": "O-1"})),
                ("return", "R-2", "not json"),
            ]
            for kind, key, snapshot in rows:
                connection.execute(
                    text(
                        "insert into transfers (shop_id, kind, object_key, number, state,"
                        " snapshot, attempts, created_at, updated_at) values (1, :kind, :key,"
                        " '', 'received', :snapshot, 0, :now, :now)"
                    ),
                    {"kind": kind, "key": key, "snapshot": snapshot, "now": now},
                )
            connection.execute(
                text(
                    "insert into product_sync_state (shop_id, synced, unchanged, failed,"
                    " poll_cursor) values (1, 0, 0, 0, :cursor)"
                ),
                {"cursor": now.isoformat()},
            )
        _upgrade(db, "0002")
        with db.session() as session:
            found = {
                key: getattr(transfers.get_transfer(session, 1, kind, key), "order_key", "?")
                for kind, key, _ in rows
            }
            assert found == {"O-1": "O-1", "R-1": "O-1", "R-2": None}
            assert polls.poll_cursor(session, 1) == now
    finally:
        db.dispose()


def test_the_migrated_schema_is_the_declared_one(database_url: str) -> None:
    db = Database(database_url)
    try:
        db.migrate()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        db.dispose()
