"""The tables of billysync. Every row and unique key carries the shop id (docs/invariants.md I7).

Money is integer øre (`*_ore` columns); secrets are ciphertext (`*_secret` columns, see
`secrets.py`). The schema is created and changed only by the Alembic migrations in
`migrations/`; this module is their source of truth (`alembic revision --autogenerate`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    literal_column,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; we store UTC, so say so."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Shop(Base):
    """A shop (tenant) with the settings of its Settings → Financial system page."""

    __tablename__ = "shops"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(20), default="generic")  # shoporama | generic
    api_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(2), default="da")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Billy: the key is ciphertext; only its last four characters are ever shown.
    billy_key_secret: Mapped[str | None] = mapped_column(Text, default=None)
    billy_key_last4: Mapped[str | None] = mapped_column(String(4), default=None)
    billy_base_url: Mapped[str | None] = mapped_column(String(500), default=None)
    billy_org_id: Mapped[str | None] = mapped_column(String(64), default=None)
    billy_org_name: Mapped[str | None] = mapped_column(String(200), default=None)
    sales_account_id: Mapped[str | None] = mapped_column(String(64), default=None)
    shipping_product_id: Mapped[str | None] = mapped_column(String(64), default=None)
    discount_product_id: Mapped[str | None] = mapped_column(String(64), default=None)
    trigger: Mapped[str] = mapped_column(String(10), default="paid")  # paid | shipped
    post_payments: Mapped[bool] = mapped_column(Boolean, default=True)
    payment_account_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # {payment method as the shop names it: Billy account id} as JSON; see BillySettings.
    payment_method_accounts: Mapped[str | None] = mapped_column(Text, default=None)
    fee_account_id: Mapped[str | None] = mapped_column(String(64), default=None)
    email_invoices: Mapped[bool] = mapped_column(Boolean, default=False)
    order_prefix: Mapped[str] = mapped_column(String(20), default="")
    # VAT (docs/vat.md): registered for the EU One Stop Shop; gift cards as a VAT-free line
    # on the discount product ("line") or as a payment from a gift-card account ("payment").
    oss_registered: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    gift_card_booking: Mapped[str] = mapped_column(
        String(10), default="line", server_default="line"
    )
    gift_card_account_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # The most requests per second billysync sends to this shop's Billy organization (None:
    # the default); below it the pace adapts to Billy's 429 answers (billy/ratelimit.py).
    billy_requests_per_second: Mapped[float | None] = mapped_column(Double, default=None)

    # The shop platform connection (Shoporama): REST base URL, token and webhook secret.
    shop_base_url: Mapped[str | None] = mapped_column(String(500), default=None)
    shop_token_secret: Mapped[str | None] = mapped_column(Text, default=None)
    webhook_secret_secret: Mapped[str | None] = mapped_column(Text, default=None)
    signature_header: Mapped[str] = mapped_column(String(100), default="X-Shoporama-Signature")
    shop_daily_call_limit: Mapped[int] = mapped_column(Integer, default=1000)

    # Raised by every change of the row (ORM or Core update): a worker keeps the shop's
    # settings for the process and reads them again only when this number moved.
    settings_version: Mapped[int] = mapped_column(
        Integer,
        default=1,
        server_default="1",
        onupdate=literal_column("settings_version + 1"),
    )


class InboxEvent(Base):
    """A received event (webhook, poll, JSON API), stored before any work: nothing is lost."""

    __tablename__ = "inbox_events"
    __table_args__ = (
        UniqueConstraint("shop_id", "dedupe_key", name="uq_inbox_shop_dedupe"),
        # The dispatcher and /metrics look for the events still to work (state "new").
        Index("ix_inbox_state_received", "state", "received_at"),
        # The dispatcher's sweep reads them oldest first.
        Index("ix_inbox_state_id", "state", "id"),
        # Every copy of one object (a pushed shop's order is merged from all its pushes).
        Index("ix_inbox_shop_object", "shop_id", "object_type", "object_key", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # webhook | poll | api
    event_name: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str] = mapped_column(String(20))  # order | return | product | unknown
    object_key: Mapped[str] = mapped_column(String(100))
    dedupe_key: Mapped[str] = mapped_column(String(128))
    payload: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="new")  # new|processed|ignored|failed
    reason: Mapped[str | None] = mapped_column(Text, default=None)


class Transfer(Base):
    """The state of one order or return on its way into Billy, as the merchant sees it."""

    __tablename__ = "transfers"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "object_key", name="uq_transfer_shop_object"),
        Index("ix_transfer_shop_state", "shop_id", "state"),
        Index("ix_transfer_shop_order", "shop_id", "order_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # order | return
    object_key: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(100), default="")
    # The order this belongs to: its own key for an order, the original order's for a return
    # (so returns find their order by an index, not by reading snapshots).
    order_key: Mapped[str | None] = mapped_column(String(100), default=None)
    state: Mapped[str] = mapped_column(String(20), default="received")  # transfers.TransferState
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    error_kind: Mapped[str | None] = mapped_column(String(20), default=None)
    invoice_id: Mapped[str | None] = mapped_column(String(64), default=None)
    invoice_no: Mapped[str | None] = mapped_column(String(64), default=None)
    amount_ore: Mapped[int | None] = mapped_column(BigInteger, default=None)
    currency: Mapped[str | None] = mapped_column(String(3), default=None)
    order_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    snapshot: Mapped[str | None] = mapped_column(Text, default=None)  # canonical model JSON
    snapshot_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    transferred_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# The Overview's order: newest first by the order's day (else when it was received), then id.
Index(
    "ix_transfer_shop_day",
    Transfer.shop_id,
    func.coalesce(Transfer.order_date, Transfer.created_at),
    Transfer.id,
)
Index(
    "ix_transfer_shop_state_day",
    Transfer.shop_id,
    Transfer.state,
    func.coalesce(Transfer.order_date, Transfer.created_at),
    Transfer.id,
)
# The Overview's search: order and invoice numbers by how they begin.
Index("ix_transfer_shop_number", Transfer.shop_id, Transfer.number)
Index("ix_transfer_shop_invoice_no", Transfer.shop_id, Transfer.invoice_no)


class Binding(Base):
    """Our record ↔ Billy's record (OCA's *binder*): written right after Billy confirms."""

    __tablename__ = "bindings"
    __table_args__ = (
        UniqueConstraint("shop_id", "kind", "local_key", name="uq_binding_shop_kind_key"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # contact|product|invoice|payment|credit_note|…
    local_key: Mapped[str] = mapped_column(String(200))
    billy_id: Mapped[str] = mapped_column(String(64))
    marker: Mapped[str | None] = mapped_column(String(200), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    extra: Mapped[str | None] = mapped_column(Text, default=None)  # JSON: gross, invoice no, …
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One step or one Billy call in an order's document chain."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_shop_object", "shop_id", "kind", "object_key"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # order | return | product
    object_key: Mapped[str] = mapped_column(String(200))
    step: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text, default="")
    method: Mapped[str | None] = mapped_column(String(10), default=None)
    path: Mapped[str | None] = mapped_column(String(300), default=None)
    status: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    billy_id: Mapped[str | None] = mapped_column(String(64), default=None)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProductSyncState(Base):
    """The last product sync pass of a shop, for the Products page."""

    __tablename__ = "product_sync_state"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    last_pass_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    synced: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)


class PollCursor(Base):
    """Where a shop's next safety-net poll starts listing (the start of the last full pass)."""

    __tablename__ = "poll_cursors"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    listed_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ShopCallCount(Base):
    """Calls made to a shop platform per UTC day (Shoporama's daily budget)."""

    __tablename__ = "shop_call_counts"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)


class AdminUser(Base):
    __tablename__ = "admin_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WriteIntent(Base):
    """A Billy write about to be sent: if it is still here later, the outcome is unknown.

    Written (and committed) before a create, removed with the binding that records the
    result. Whoever finds an intent of a dead attempt looks Billy up by the marker before
    creating anything; a live attempt's fresh intent makes others wait (`owner`, `started_at`).
    """

    __tablename__ = "write_intents"

    shop_id: Mapped[int] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    local_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str] = mapped_column(String(200))
    marker: Mapped[str | None] = mapped_column(String(200), default=None)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReconciliationRun(Base):
    """One comparison of a shop's orders with Billy for a period (sync/reconcile.py).

    The findings are kept as the JSON that `billysync reconcile --json` prints, so the page,
    the overview's line and the command all show the same result.
    """

    __tablename__ = "reconciliation_runs"
    __table_args__ = (Index("ix_reconciliation_shop", "shop_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(20), default="manual")  # manual | nightly | cli
    orders: Mapped[int] = mapped_column(Integer, default=0)
    finding_count: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(Text, default="{}")  # the --json document
    error: Mapped[str | None] = mapped_column(Text, default=None)  # why it could not finish
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class BackfillRun(Base):
    """A backfill of one shop's historic orders for a period (sync/backfill.py).

    Its work items are inbox events whose dedupe key starts with `backfill:<run id>:`, so a
    run that was killed resumes by planning again: what is stored is not stored twice.
    """

    __tablename__ = "backfill_runs"
    __table_args__ = (
        UniqueConstraint("shop_id", "period_from", "period_to", name="uq_backfill_shop_period"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(20), default="planned")  # running | done | stopped
    total: Mapped[int] = mapped_column(Integer, default=0)  # orders and returns to transfer
    adopted: Mapped[int] = mapped_column(Integer, default=0)  # found in Billy by marker
    locked: Mapped[int] = mapped_column(Integer, default=0)  # in a period Billy has locked
    already: Mapped[int] = mapped_column(Integer, default=0)  # transferred before the run
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Lease(Base):
    """A job every process could do, done by one at a time: whoever holds the lease."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    until: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ExecutorHeartbeat(Base):
    """A worker process's last sign of life, so live workers can take over a dead one's work.

    One row per DBOS executor id (a process, not a shop: it runs every shop's work). A row
    silent longer than the takeover time is claimed once (`taken_over_by`) by a live worker,
    which then finishes the dead executor's pending workflows.
    """

    __tablename__ = "executor_heartbeats"

    executor_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    role: Mapped[str] = mapped_column(String(20))
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    taken_over_by: Mapped[str | None] = mapped_column(String(200), default=None)
    taken_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class BillyBudget(Base):
    """The shared rate budget of one Billy organization (see billy/ratelimit.py `Budget`).

    One row per organization, not per shop: shops that share an organization share Billy's
    limit. Every process leases tokens from it in one short transaction. Times are epoch
    seconds, as the budget's arithmetic uses them.
    """

    __tablename__ = "billy_budgets"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    rate: Mapped[float] = mapped_column(Double)
    tokens: Mapped[float] = mapped_column(Double)
    updated_at: Mapped[float] = mapped_column(Double)
    paused_until: Mapped[float] = mapped_column(Double, default=0.0)
    last_rejection_at: Mapped[float] = mapped_column(Double, default=0.0)
    calls: Mapped[int] = mapped_column(BigInteger, default=0)
    rejections: Mapped[int] = mapped_column(BigInteger, default=0)


class AdminSession(Base):
    """A logged-in admin session, so logout and a password change end it in every process.

    The cookie carries a random id; only its SHA-256 digest is stored, so a database dump
    gives nobody a usable session.
    """

    __tablename__ = "admin_sessions"

    id_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class SetupCode(Base):
    """A one-time code printed on a server's console while no admin password exists.

    One row per process start; any of them lets the first visitor choose the password, and
    all go when the password is chosen. Only the SHA-256 digest is kept.
    """

    __tablename__ = "setup_codes"

    code_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LoginFailure(Base):
    """A failed login (or first-run code) from one client address, for the shared throttle."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failure_address_at", "address", "failed_at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
