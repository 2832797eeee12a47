"""admin sessions, first-run setup codes and login failures in the database

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 00:40:00

Kept in the database so several web processes agree: a logout or a password change ends a
session everywhere, any process accepts a printed setup code, and the login throttle counts
failures across processes. The inbox gets an index on its state for the dispatcher and
/metrics (the events still to work).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admin_sessions",
        sa.Column("id_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id_digest"),
    )
    op.create_index(
        op.f("ix_admin_sessions_expires_at"), "admin_sessions", ["expires_at"], unique=False
    )
    op.create_table(
        "setup_codes",
        sa.Column("code_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code_digest"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_login_failure_address_at", "login_failures", ["address", "failed_at"], unique=False
    )
    op.create_index(
        "ix_inbox_state_received", "inbox_events", ["state", "received_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_state_received", table_name="inbox_events")
    op.drop_index("ix_login_failure_address_at", table_name="login_failures")
    op.drop_table("login_failures")
    op.drop_table("setup_codes")
    op.drop_index(op.f("ix_admin_sessions_expires_at"), table_name="admin_sessions")
    op.drop_table("admin_sessions")
