"""the Overview's indexes: its order (shop, the order's day, id), per state, and search

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 01:10:00

The Overview lists a shop's orders newest first by the order's own date, else the day it was
received (`coalesce(order_date, created_at)`), a page at a time. Without this index every page
sorted all of the shop's transfers (over a second with 100,000 of them on SQLite); with it a
page is read in index order. Search by order or invoice number is a prefix range on
(shop, number) and (shop, invoice number).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_transfer_shop_day",
        "transfers",
        ["shop_id", sa.text("coalesce(order_date, created_at)"), "id"],
        unique=False,
    )
    op.create_index(
        "ix_transfer_shop_state_day",
        "transfers",
        ["shop_id", "state", sa.text("coalesce(order_date, created_at)"), "id"],
        unique=False,
    )
    op.create_index("ix_transfer_shop_number", "transfers", ["shop_id", "number"], unique=False)
    op.create_index(
        "ix_transfer_shop_invoice_no", "transfers", ["shop_id", "invoice_no"], unique=False
    )


def downgrade() -> None:
    for name in (
        "ix_transfer_shop_invoice_no",
        "ix_transfer_shop_number",
        "ix_transfer_shop_state_day",
        "ix_transfer_shop_day",
    ):
        op.drop_index(name, table_name="transfers")
