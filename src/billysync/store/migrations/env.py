"""Alembic environment: runs on the connection `Database.migrate` hands it."""

from __future__ import annotations

from alembic import context

from billysync.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic revision --autogenerate` from the command line
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///:memory:"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copes
)
with context.begin_transaction():
    context.run_migrations()
