"""The database: one SQLAlchemy engine, sessions, and migration to the newest schema.

SQLite (embedded) runs in WAL mode with a busy timeout so the web and the workers of one
process can share the file; PostgreSQL (distributed) is used as it is.

A unit of work (`Database.session()`) commits whole or not at all on both. pysqlite's own
transaction handling cannot promise that: it sends no BEGIN before a SAVEPOINT, so a
savepoint opened first in a unit of work ran outside any transaction and its RELEASE
committed on its own. The driver's handling is therefore switched off and we begin each
transaction ourselves (SQLAlchemy's documented pysqlite recipe, "Serializable isolation /
Savepoints / Transactional DDL"), with BEGIN IMMEDIATE: the write lock is taken at the
start, so two units of work that read and then write wait for each other (busy timeout)
instead of one failing at once with "database is locked".

Within one process, SQLite units of work also queue on a lock of our own before they begin.
SQLite's busy handler waits by sleeping, in steps that grow to 100 ms, so under eight busy
workflow threads a writer slept long after the lock was free: the threads of the process
took turns at a fraction of the speed the file allows. Other processes (a CLI command beside
`serve`) still meet at SQLite's lock and its busy timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # pysqlite emits no BEGIN/COMMIT of its own
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


READING = "billysync_reading"  # an execution option: this connection only reads


def _sqlite_begin(connection: Connection) -> None:
    # A reading unit needs no write lock: a deferred BEGIN reads a snapshot beside writers.
    reading = connection.get_execution_options().get(READING, False)
    connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def sqlalchemy_url(url: str) -> str:
    """postgresql://… means psycopg 3 (the driver we ship), not psycopg2."""
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url[len("postgres://") :]
    return url


def insert_absent(session: Session, entity: type[DeclarativeBase], **values: Any) -> bool:
    """Add a row unless one with the same unique key exists; True when this call added it.

    Two writers adding the same key at once (a webhook delivered twice, two workers binding
    one customer) agree on one row with `INSERT … ON CONFLICT DO NOTHING`, in the caller's
    unit of work: no savepoint, and the loser reads the winner's row afterwards.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING tells whether a row was added (psycopg reports no row count here).
    key = inspect(entity).primary_key
    statement = insert(entity).values(**values).on_conflict_do_nothing().returning(*key)
    return session.execute(statement).first() is not None


class Database:
    """An engine and a session factory for one database URL."""

    def __init__(self, url: str, *, echo: bool = False, connections: int = 12) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.removeprefix("sqlite:///")
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"echo": echo}
        if not self.is_sqlite:
            # A burst beyond `connections` (web requests) gets a few more, then waits.
            kwargs.update(pool_size=connections, max_overflow=connections // 2, pool_pre_ping=True)
        self.engine: Engine = create_engine(sqlalchemy_url(url), **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # Re-entrant: a unit that opens another inside it (before its own first statement)
        # must not wait on itself.
        self._writer = threading.RLock() if self.is_sqlite else nullcontext()
        reader = self.engine.execution_options(**{READING: True})
        self._readers = sessionmaker(reader, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back on an exception."""
        with self._writer:
            session = self._sessions()
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A unit that only reads: a snapshot, without the write lock, ended without a commit
        (there is nothing to commit). Objects read stay usable after it (detached)."""
        session = self._readers()
        try:
            yield session
            if session.new or session.dirty or session.deleted:
                raise RuntimeError("a reading unit of work changed rows: use session()")
        finally:
            session.close()  # detaches what was read, then ends the transaction (rollback)

    def migrate(self) -> None:
        """Bring the schema to the newest migration (safe to run on every start)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.schema_change() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def schema_change(self) -> Iterator[Connection]:
        """One transaction for migrations. On SQLite, foreign keys are off meanwhile: Alembic
        rebuilds a table to drop or change a column, and dropping the old table would delete
        every row that refers to it (ON DELETE CASCADE) — bindings, transfers, the inbox."""
        with self.engine.connect() as connection:
            # Straight to the driver, outside any transaction: SQLite ignores this pragma
            # inside one (and our connections open one on first use).
            raw = connection.connection.driver_connection
            if self.is_sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys=OFF")
            try:
                with connection.begin():
                    yield connection
            finally:
                if self.is_sqlite and raw is not None:
                    raw.execute("PRAGMA foreign_keys=ON")

    def dispose(self) -> None:
        self.engine.dispose()
