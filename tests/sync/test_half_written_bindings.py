"""A binding left without its data is an outcome unknown: looked up by marker, never a dead end.

An older version could commit a binding row before its data (see
tests/store/test_units_of_work.py): Billy held the invoice, our binding held its id with
no marker and no amounts, and the write intent stayed. Every later attempt then failed
with `KeyError: 'gross'` and the payment was never posted. Here such rows are made by hand
the way that version left them; the next attempt must adopt Billy's invoice (found by its
`orderNo`), post the one payment, and bind the invoice whole. Rows broken before the
upgrade are queued for that attempt by the migration itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from alembic import command
from alembic.config import Config

from billysync.money import parse_money
from billysync.store import bindings, transfers
from billysync.store.db import MIGRATIONS
from billysync.store.tables import Binding, WriteIntent, utcnow
from billysync.store.transfers import TransferState
from billysync.sync import service
from tests.support.shop_builders import order
from tests.support.sync_harness import Harness

ORDER = order("7001")


def invoiced_without_payment(h: Harness) -> str:
    """The order invoiced in Billy with payment posting off; Billy's invoice id."""
    h.configure(post_payments=False)
    h.push("order", ORDER)
    h.settle()
    assert h.transfer(key=ORDER.key)["state"] == "transferred"
    h.configure(post_payments=True)
    with h.rt.db.session() as session:
        row = bindings.get_binding(session, h.shop_id, "invoice", ORDER.key)
        assert row is not None
        return row.billy_id


def break_as_the_old_version_did(h: Harness, invoice_id: str) -> None:
    """Binding with Billy's id but no marker or data, a stale intent, the order failed."""
    with h.rt.db.session() as session:
        row = bindings.get_binding(session, h.shop_id, "invoice", ORDER.key)
        assert row is not None
        row.marker, row.extra = None, None
        session.add(
            WriteIntent(
                shop_id=h.shop_id,
                kind="invoice",
                local_key=ORDER.key,
                owner="transfer:dead-workflow",
                marker="10" + ORDER.key,
                started_at=utcnow() - timedelta(hours=1),
            )
        )
        transfers.stop(
            session,
            h.shop_id,
            "order",
            ORDER.key,
            TransferState.FAILED,
            "unexpected error KeyError: 'gross'",
            "transient",
        )


def assert_paid_once_and_bound_whole(h: Harness, invoice_id: str) -> None:
    ledger = h.emu.ledger(h.token)
    invoices = [i for i in ledger.invoices() if i["type"] == "invoice"]
    assert [i["id"] for i in invoices] == [invoice_id]  # adopted, not made again
    payments = [p for p in ledger.bank_payments() if not p.get("isVoided")]
    assert len(payments) == 1
    assert h.transfer(key=ORDER.key)["state"] == "paid"
    with h.rt.db.session() as session:
        row = bindings.get_binding(session, h.shop_id, "invoice", ORDER.key)
        assert row is not None and bindings.is_complete(row)
        assert row.billy_id == invoice_id
        assert parse_money(bindings.binding_extra(row)["gross"]) == ORDER.total
        assert session.query(WriteIntent).count() == 0
        assert session.query(Binding).filter(Binding.marker.is_(None)).count() == 0


def test_a_retry_adopts_the_invoice_of_a_half_written_binding(
    harness_for: Callable[..., Harness], database_url: str
) -> None:
    h = harness_for(database_url)
    invoice_id = invoiced_without_payment(h)
    break_as_the_old_version_did(h, invoice_id)

    service.retry(h.rt, h.shop_id, "order", ORDER.key)
    h.settle()
    assert_paid_once_and_bound_whole(h, invoice_id)


def test_the_upgrade_queues_every_order_with_a_half_written_binding(
    harness_for: Callable[..., Harness], database_url: str
) -> None:
    h = harness_for(database_url)
    invoice_id = invoiced_without_payment(h)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with h.rt.db.engine.begin() as connection:  # back to the version that broke it
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    break_as_the_old_version_did(h, invoice_id)
    h.rt.db.migrate()  # the upgrade queues the order again: no command needed
    h.settle()
    assert_paid_once_and_bound_whole(h, invoice_id)
