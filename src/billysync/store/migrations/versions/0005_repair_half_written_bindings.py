"""repair half-written bindings: queue their orders and returns again

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 00:40:00

Before units of work were atomic on SQLite, a binding row could be committed without its
marker and data (docs/invariants.md I6): Billy held the document, we held its id and
nothing else, and every later attempt failed (`KeyError: 'gross'`). The exporter now
treats such a row as an outcome unknown and looks Billy up by the marker; this
migration stores a retry request for each order or return that owns one, so the repair
happens on the first start after the upgrade without anyone clicking "retry". The
request is an ordinary inbox event, started by any worker's dispatcher; its attempt
adopts the document Billy already holds and never makes a second one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# The documents an order or return carries data of (amounts, currency, number), by the
# transfer they belong to; contacts and products are found again when next used.
OWNER_KIND = {"invoice": "order", "payment": "order", "credit_note": "return", "refund": "return"}


def upgrade() -> None:
    connection = op.get_bind()
    bindings = sa.table(
        "bindings",
        sa.column("shop_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("local_key", sa.String),
        sa.column("marker", sa.String),
    )
    broken = connection.execute(
        sa.select(bindings.c.shop_id, bindings.c.kind, bindings.c.local_key).where(
            bindings.c.marker.is_(None), bindings.c.kind.in_(list(OWNER_KIND))
        )
    ).all()
    owners = sorted({(shop_id, OWNER_KIND[kind], key) for shop_id, kind, key in broken})
    if not owners:
        return
    inbox = sa.table(
        "inbox_events",
        sa.column("shop_id", sa.Integer),
        sa.column("source", sa.String),
        sa.column("event_name", sa.String),
        sa.column("object_type", sa.String),
        sa.column("object_key", sa.String),
        sa.column("dedupe_key", sa.String),
        sa.column("payload", sa.Text),
        sa.column("received_at", sa.DateTime(timezone=True)),
        sa.column("state", sa.String),
    )
    transfers = sa.table(
        "transfers",
        sa.column("shop_id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("object_key", sa.String),
        sa.column("state", sa.String),
        sa.column("reason", sa.Text),
        sa.column("error_kind", sa.String),
    )
    now = datetime.now(UTC)
    for shop_id, kind, key in owners:
        connection.execute(
            inbox.insert().values(
                shop_id=shop_id,
                source="command",
                event_name="retry",
                object_type=kind,
                object_key=key,
                dedupe_key=f"repair-binding:{kind}:{key}"[:128],
                payload="",
                received_at=now,
                state="new",
            )
        )
        connection.execute(
            transfers.update()
            .where(
                transfers.c.shop_id == shop_id,
                transfers.c.kind == kind,
                transfers.c.object_key == key,
            )
            .values(state="received", reason="retry after upgrade", error_kind=None)
        )


def downgrade() -> None:
    pass  # the retry requests are ordinary events; nothing to undo
