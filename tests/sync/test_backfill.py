"""Backfill against the Billy emulator: the dry run's counts, totals, VAT and refusals; the
real run through the normal workflow with original dates; orders Billy already has adopted;
a locked period a finding, not a crash."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from billysync.money import parse_money
from billysync.store import audit
from billysync.sync import backfill, backfill_run
from billysync.sync.engine import enqueue_event
from billysync.sync.shop_period import Period
from tests.support.billy_tampering import set_fiscal_locking_date
from tests.support.shop_builders import giving_back, order
from tests.support.sync_harness import Harness

NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


def _pushed_before_billy(h: Harness, orders: list, returns: list) -> None:
    """The shop pushed these while it had no Billy key: each stopped, asking for one."""
    with h.rt.db.session() as session:
        from billysync.store import shops

        shop = shops.get_shop(session, h.shop_id)
        assert shop is not None
        key, shop.billy_key_secret = shop.billy_key_secret, None
    for o in orders:
        h.push("order", o)
    for r in returns:
        h.push("return", r)
    h.settle()
    assert h.transfer(key=orders[0].key)["state"] == "failed"
    h.configure(billy_key_secret=key)
    assert h.emu.ledger(h.token).invoices() == []


def _wait_done(h: Harness, run_id: int, timeout: float = 120) -> backfill_run.Progress:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        backfill_run.release(h.rt, run_id, enqueue_event)  # what the command's loop does
        progress = backfill_run.progress(h.rt, run_id)
        assert progress is not None
        if progress.state == "done":
            h.settle()
            return progress
        time.sleep(0.1)
    raise AssertionError(f"the backfill did not finish in {timeout} s: {progress}")


def _history() -> tuple[list, list]:
    early = order("2001").model_copy(
        update={
            "created_at": datetime(2026, 11, 2, 9, 0, tzinfo=UTC),
            "paid_at": datetime(2026, 11, 3, 23, 30, tzinfo=UTC),  # 4 November in Denmark
        }
    )
    unpaid = order("2002", paid=False)
    broken = order("2003", total=Decimal("100.00"))  # lines and total disagree
    by_hand = order("2004")
    returned = order("2005")
    orders = [early, unpaid, broken, by_hand, returned]
    return orders, [giving_back(returned, "R9", {"TS-RED-M": "1"})]


def test_dry_run_counts_totals_vat_and_what_would_fail(harness: Harness) -> None:
    h = harness
    orders, returns = _history()
    _pushed_before_billy(h, orders, returns)
    calls_before = len(h.emu.journal.as_dicts(0))

    found = backfill.plan(h.rt, h.shop_id, NOVEMBER)

    writes = [e for e in h.emu.journal.as_dicts(0)[calls_before:] if e["method"] != "GET"]
    assert writes == []  # a dry run writes nothing
    assert sorted(o.key for o in found.orders) == ["2001", "2004", "2005"]
    totals = found.order_totals["DKK"]
    assert (totals.count, totals.gross) == (3, Decimal("1016.70"))  # 3 × 338.90
    assert totals.vat == Decimal("203.34") and totals.net == totals.gross - totals.vat
    assert found.return_totals["DKK"].gross == Decimal("149.95")
    assert [w.key for w in found.waiting] == ["2002"]
    [failing] = found.would_fail
    assert failing.key == "2003" and failing.reason
    document = found.to_json()
    assert document["orders"]["DKK"] == {
        "count": 3,
        "net": "813.36",
        "vat": "203.34",
        "gross": "1016.70",
    }
    assert document["would_fail"][0]["number"] == "102003"


def test_backfill_books_through_the_workflow_with_original_dates_and_adopts(
    harness: Harness,
) -> None:
    h = harness
    orders, returns = _history()
    _pushed_before_billy(h, orders, returns)
    billy = h.billy()
    # Booked by hand in Billy before billysync was switched on, with our marker.
    template = billy.invoices.create(
        {
            "contactId": billy.contacts.create({"name": "Jens Hansen", "countryId": "DK"}).id,
            "entryDate": "2026-11-20",
            "currencyId": "DKK",
            "taxMode": "incl",
            "orderNo": "102004",
            "state": "approved",
            "lines": [{"productId": _shipping(h), "unitPrice": 338.90, "quantity": 1}],
        }
    )

    run_id, found = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert [o.number for o, _ in found.adopt] == ["102004"]
    progress = _wait_done(h, run_id)
    assert (progress.total, progress.failed, progress.adopted) == (3, 0, 1)

    ledger = h.emu.ledger(h.token)
    by_number = ledger.invoices_by_order_no()
    assert sorted(by_number) == ["102001", "102004", "102005"]
    assert all(len(found) == 1 for found in by_number.values())
    assert by_number["102004"][0]["id"] == template.id  # adopted, not booked again
    assert by_number["102001"][0]["entryDate"] == "2026-11-04"  # paid 4 November, Danish time
    assert parse_money(by_number["102001"][0]["grossAmount"]) == Decimal("338.90")
    [note] = ledger.credit_notes()
    assert note["orderNo"] == "102005-RR9" and note["entryDate"] == "2026-11-23"
    assert h.transfer(key="2001")["state"] == "paid"
    assert h.transfer(key="2004")["invoice_id"] == template.id
    with h.rt.db.session() as session:
        entries = audit.chain(session, h.shop_id, "order", "2004")
    [adopted] = [e.message for e in entries if e.step == "adopted"]
    number = template.invoice_no
    assert _said(adopted)["en"].startswith(f"Billy already had invoice {number} for this order")
    assert _said(adopted)["da"].startswith(f"Billy havde allerede faktura {number} til ordren")

    # Run again: nothing is booked twice.
    calls_before = len(h.emu.journal.as_dicts(0))
    run_again, again = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert run_again == run_id and again.orders == [] and again.adopt == []
    _wait_done(h, run_id)
    writes = [e for e in h.emu.journal.as_dicts(0)[calls_before:] if e["method"] != "GET"]
    assert writes == []


def test_a_locked_period_is_a_finding_not_a_crash(harness: Harness) -> None:
    h = harness
    orders, returns = _history()
    _pushed_before_billy(h, orders, returns)
    set_fiscal_locking_date(h.emu, h.token, date(2026, 11, 10))

    run_id, found = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert [item.key for item in found.locked] == ["2001"]
    progress = _wait_done(h, run_id)
    assert progress.locked == 1 and progress.failed == 0
    assert "102001" not in h.emu.ledger(h.token).invoices_by_order_no()
    stopped = h.transfer(key="2001")
    assert stopped["state"] == "failed" and stopped["error_kind"] == "config"
    said = _said(stopped["reason"])
    assert said["en"].startswith("The period is locked in Billy until 2026-11-10")
    assert said["da"].startswith("Perioden er låst i Billy til og med 2026-11-10, og fakturaen")


def test_a_period_locked_after_the_plan_is_refused_by_billy_and_said_in_words(
    harness: Harness,
) -> None:
    """The accountant locks November while the backfill runs: Billy refuses the documents
    dated in it (docs/billy-emulator.md A29), and each order stops with the locking date."""
    h = harness
    orders = [order(str(2100 + n)) for n in range(3)]  # paid 20 November
    _pushed_before_billy(h, orders, [])
    run_id, found = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert len(found.orders) == 3 and found.locked == []
    set_fiscal_locking_date(h.emu, h.token, date(2026, 11, 30))

    progress = _wait_done(h, run_id)
    assert (progress.total, progress.failed) == (3, 3)
    assert h.emu.ledger(h.token).invoices() == []
    stopped = h.transfer(key="2100")
    assert stopped["state"] == "failed"
    said = _said(stopped["reason"])
    assert said["en"].startswith("The period is locked in Billy until 2026-11-30")
    assert "Unlock the period in Billy" in said["en"]
    assert said["da"].startswith("Perioden er låst i Billy til og med 2026-11-30")


def _said(stored: str) -> dict[str, str]:
    """A stored reason in both of the merchant's languages."""
    from billysync.web.i18n import translator
    from billysync.web.texts_reasons import render_stored

    return {lang: render_stored(stored, translator(lang)) for lang in ("en", "da")}


def test_a_locked_organization_stops_the_backfill_with_a_reason(harness: Harness) -> None:
    h = harness
    h.emu.lock_organization(h.token, "unpaid subscription")
    with pytest.raises(backfill.OrganizationLocked, match="unpaid subscription"):
        backfill.plan(h.rt, h.shop_id, NOVEMBER)


def test_a_backfill_leaves_no_history_in_the_queue_at_once(harness: Harness) -> None:
    h = harness
    many = [order(str(3000 + n)) for n in range(30)]
    _pushed_before_billy(h, many, [])
    run_id, _ = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    while backfill_run.release(h.rt, run_id, enqueue_event) != "done":
        progress = backfill_run.progress(h.rt, run_id)
        assert progress is not None
        assert progress.in_flight <= backfill_run.WINDOW
        time.sleep(0.02)
    h.settle()
    assert len(h.emu.ledger(h.token).invoices()) == 30


def _shipping(h: Harness) -> str:
    with h.rt.db.session() as session:
        from billysync.store import shops

        shop = shops.get_shop(session, h.shop_id)
        assert shop is not None and shop.shipping_product_id
        return shop.shipping_product_id


def test_an_adopted_order_binds_its_contact_so_a_later_return_credits_it(
    harness: Harness,
) -> None:
    h = harness
    sold = order("2006")
    _pushed_before_billy(h, [sold], [])
    billy = h.billy()
    # Booked by hand in Billy, to a contact of the merchant's own (not our contact marker).
    by_hand = billy.contacts.create({"name": "Jens Hansen", "countryId": "DK"}).id
    invoice = billy.invoices.create(
        {
            "contactId": by_hand,
            "entryDate": "2026-11-20",
            "currencyId": "DKK",
            "taxMode": "incl",
            "orderNo": "102006",
            "state": "approved",
            "lines": [{"productId": _shipping(h), "unitPrice": 338.90, "quantity": 1}],
        }
    )
    run_id, found = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert [o.number for o, _ in found.adopt] == ["102006"]
    _wait_done(h, run_id)
    contacts_before = len(h.emu.ledger(h.token).contacts())

    # The customer returns a shirt after the backfill: the credit note credits the adopted
    # invoice, made out to the contact that invoice has.
    h.push("return", giving_back(sold, "R1", {"TS-RED-M": "1"}))
    h.settle()

    returned = h.transfer(kind="return", key="R1")
    assert returned["state"] == "credited", returned["reason"]
    [note] = h.emu.ledger(h.token).credit_notes()
    assert (note["creditedInvoiceId"], note["contactId"]) == (invoice.id, by_hand)
    assert len(h.emu.ledger(h.token).contacts()) == contacts_before  # no second contact


def test_an_adopted_invoice_keeps_its_contact_when_the_customer_has_another(
    harness: Harness,
) -> None:
    h = harness
    earlier, sold = order("2007"), order("2008")  # one customer, two orders
    h.push("order", earlier)  # booked by billysync: the customer's contact is ours
    h.settle()
    billy = h.billy()
    by_hand = billy.contacts.create({"name": "Jens Hansen", "countryId": "DK"}).id
    invoice = billy.invoices.create(
        {
            "contactId": by_hand,
            "entryDate": "2026-11-20",
            "currencyId": "DKK",
            "taxMode": "incl",
            "orderNo": "102008",
            "state": "approved",
            "lines": [{"productId": _shipping(h), "unitPrice": 338.90, "quantity": 1}],
        }
    )
    with h.rt.db.session() as session:
        from billysync.store import inbox

        inbox.store_event(
            session,
            shop_id=h.shop_id,
            source="api",
            event_name="order.updated",
            object_type="order",
            object_key=sold.key,
            dedupe_key="pushed-long-ago:2008",
            payload=sold.model_dump_json(),
        )[0].state = "failed"
    run_id, found = backfill_run.start(h.rt, h.shop_id, NOVEMBER)
    assert [o.number for o, _ in found.adopt] == ["102008"]
    _wait_done(h, run_id)

    h.push("return", giving_back(sold, "R2", {"TS-RED-M": "1"}))
    h.settle()
    assert h.transfer(kind="return", key="R2")["state"] == "credited"
    [note] = h.emu.ledger(h.token).credit_notes()
    assert (note["creditedInvoiceId"], note["contactId"]) == (invoice.id, by_hand)
