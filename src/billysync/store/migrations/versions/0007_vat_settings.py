"""VAT settings per shop: OSS registration and how gift cards are booked

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("oss_registered", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column(
                "gift_card_booking", sa.String(length=10), nullable=False, server_default="line"
            )
        )
        batch.add_column(sa.Column("gift_card_account_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("gift_card_account_id")
        batch.drop_column("gift_card_booking")
        batch.drop_column("oss_registered")
