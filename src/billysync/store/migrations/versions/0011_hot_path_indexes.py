"""the engine's hot path: inbox indexes, and a version on each shop's settings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 04:10:00

- `ix_inbox_shop_object` (shop, object type, object key, id): every copy of one order, which
  a pushed shop's order is merged from, without scanning all of the shop's events;
- `ix_inbox_state_id` (state, id): the dispatcher's sweep for events nobody enqueued, oldest
  first, without a full scan;
- `shops.settings_version`: raised by every change of the row, so a worker keeps the shop's
  settings for the process and reads them again only when they changed;
- `leases`: one process at a time sweeps the inbox for events nobody enqueued.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index(
        "ix_inbox_shop_object",
        "inbox_events",
        ["shop_id", "object_type", "object_key", "id"],
        unique=False,
    )
    op.create_index("ix_inbox_state_id", "inbox_events", ["state", "id"], unique=False)
    with op.batch_alter_table("shops") as batch:
        batch.add_column(
            sa.Column("settings_version", sa.Integer(), nullable=False, server_default="1")
        )


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("settings_version")
    op.drop_index("ix_inbox_state_id", table_name="inbox_events")
    op.drop_index("ix_inbox_shop_object", table_name="inbox_events")
    op.drop_table("leases")
