"""executor_heartbeats: workers' signs of life, for the automatic takeover

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 01:30:00

A new table only; nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "executor_heartbeats",
        sa.Column("executor_id", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_over_by", sa.String(length=200), nullable=True),
        sa.Column("taken_over_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("executor_id"),
    )


def downgrade() -> None:
    op.drop_table("executor_heartbeats")
