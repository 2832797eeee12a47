"""transfers.order_key; the poll cursor gets a table of its own

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:30:00

- `transfers.order_key`: the order an order or return belongs to (an order's own key, a
  return's original order), filled from the existing rows (a return's from its snapshot),
  so returns find their order by an index instead of reading JSON snapshots.
- `poll_cursors`: the Shoporama poll's cursor leaves `product_sync_state` (which is about
  product passes); existing cursors are carried over.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_transfers = sa.table(
    "transfers",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("object_key", sa.String),
    sa.column("snapshot", sa.Text),
    sa.column("order_key", sa.String),
)
_sync_state = sa.table(
    "product_sync_state", sa.column("shop_id", sa.Integer), sa.column("poll_cursor", sa.String)
)
_cursors = sa.table(
    "poll_cursors",
    sa.column("shop_id", sa.Integer),
    sa.column("listed_from", sa.DateTime(timezone=True)),
)


def _order_key_of_return(snapshot: str | None) -> str | None:
    try:
        data = json.loads(snapshot or "")
    except ValueError:
        return None
    key = data.get("order_key") if isinstance(data, dict) else None
    return str(key)[:100] if key else None


def upgrade() -> None:
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("order_key", sa.String(length=100), nullable=True))
        batch_op.create_index("ix_transfer_shop_order", ["shop_id", "order_key"], unique=False)
    bind = op.get_bind()
    bind.execute(
        _transfers.update()
        .where(_transfers.c.kind == "order")
        .values(order_key=_transfers.c.object_key)
    )
    returns = bind.execute(
        sa.select(_transfers.c.id, _transfers.c.snapshot).where(_transfers.c.kind == "return")
    ).all()
    for row_id, snapshot in returns:
        order_key = _order_key_of_return(snapshot)
        if order_key:
            bind.execute(
                _transfers.update().where(_transfers.c.id == row_id).values(order_key=order_key)
            )

    op.create_table(
        "poll_cursors",
        sa.Column("shop_id", sa.Integer(), nullable=False),
        sa.Column("listed_from", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("shop_id"),
    )
    cursors = bind.execute(
        sa.select(_sync_state.c.shop_id, _sync_state.c.poll_cursor).where(
            _sync_state.c.poll_cursor.is_not(None)
        )
    ).all()
    for shop_id, cursor in cursors:
        try:
            moment = datetime.fromisoformat(cursor)
        except ValueError:
            continue  # an unreadable cursor: the next poll lists everything once
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        bind.execute(_cursors.insert().values(shop_id=shop_id, listed_from=moment))
    with op.batch_alter_table("product_sync_state", schema=None) as batch_op:
        batch_op.drop_column("poll_cursor")


def downgrade() -> None:
    with op.batch_alter_table("product_sync_state", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poll_cursor", sa.String(length=40), nullable=True))
    bind = op.get_bind()
    for shop_id, listed_from in bind.execute(
        sa.select(_cursors.c.shop_id, _cursors.c.listed_from)
    ).all():
        bind.execute(
            _sync_state.update()
            .where(_sync_state.c.shop_id == shop_id)
            .values(poll_cursor=listed_from.isoformat())
        )
    op.drop_table("poll_cursors")
    with op.batch_alter_table("transfers", schema=None) as batch_op:
        batch_op.drop_index("ix_transfer_shop_order")
        batch_op.drop_column("order_key")
