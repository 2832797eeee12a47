"""payment accounts per payment method, the fee account, invoice e-mail

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 01:45:00

- `shops.payment_method_accounts`: JSON {payment method: Billy account id}, the clearing
  account per gateway; methods not listed use `payment_account_id`.
- `shops.fee_account_id`: where the payment provider's fees are booked (empty: Billy's
  default bank fee account).
- `shops.email_invoices`: ask Billy to e-mail each new invoice to the customer (off).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.add_column(sa.Column("payment_method_accounts", sa.Text(), nullable=True))
        batch.add_column(sa.Column("fee_account_id", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("email_invoices", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("email_invoices")
        batch.drop_column("fee_account_id")
        batch.drop_column("payment_method_accounts")
