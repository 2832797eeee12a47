"""billy_budgets: one shared, adaptive rate budget per Billy organization; a ceiling per shop

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 04:00:00

A new table and a new nullable column (None: the default rate); nothing existing changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "billy_budgets",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("rate", sa.Double(), nullable=False),
        sa.Column("tokens", sa.Double(), nullable=False),
        sa.Column("updated_at", sa.Double(), nullable=False),
        sa.Column("paused_until", sa.Double(), nullable=False),
        sa.Column("last_rejection_at", sa.Double(), nullable=False),
        sa.Column("calls", sa.BigInteger(), nullable=False),
        sa.Column("rejections", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("shops") as batch:
        batch.add_column(sa.Column("billy_requests_per_second", sa.Double(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("billy_requests_per_second")
    op.drop_table("billy_budgets")
