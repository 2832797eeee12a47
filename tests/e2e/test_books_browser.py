"""The reconciliation and backfill pages in a real browser, in English and in Danish.

A shop that pushes through the JSON API; Billy (the emulator over HTTP) has one order's
invoice (booked by hand), lacks two others' and holds a document nobody in the shop knows.
The merchant reconciles November, sees each finding with what to do, books one missing
invoice with its button, dry-runs a backfill of the month and starts it (the hand-booked
order is adopted, the other missing one booked), and reconciles again once it is done:
only the unknown document is left.
The engine runs in this process (its workers; the test takes the backfill loop's turns, so
no nightly run or poll interferes). Screenshots under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.store.tables import Shop
from billysync.sync import backfill_run, intake
from billysync.sync.engine import Engine, EngineOptions, enqueue_event
from billysync.sync.runtime import Runtime
from tests.support.e2e_helpers import make_runtime, serve, shot
from tests.support.shop_builders import order

pytestmark = pytest.mark.browser

PASSWORD = "a long admin password"
BILLY_KEY = "e2e-books-billy-token-0042"


def _connected_shop(rt: Runtime, billy_url: str) -> int:
    client = BillyClient(BILLY_KEY, base_url=billy_url)
    accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
    products = {
        number: client.products.create(
            {
                "name": number.title(),
                "productNo": number,
                "accountId": accounts[1110],
                "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
            }
        ).id
        for number in ("SHIPPING", "DISCOUNT")
    }
    contact = client.contacts.create({"name": "Jens Hansen", "countryId": "DK"}).id
    for order_no in ("101001", "109999"):  # booked by hand; the second matches no order
        client.invoices.create(
            {
                "contactId": contact,
                "entryDate": "2026-11-20",
                "currencyId": "DKK",
                "taxMode": "incl",
                "orderNo": order_no,
                "state": "approved",
                "lines": [{"productId": products["SHIPPING"], "unitPrice": 338.90}],
            }
        )
    client.close()
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Kaffebutikken", platform="generic")
        shops.set_billy_key(shop, BILLY_KEY, rt.box)
        shop.billy_base_url = billy_url
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id = products["SHIPPING"]
        shop.discount_product_id = products["DISCOUNT"]
        shop.post_payments = False
        shop_id = shop.id
    for key in ("1001", "1002", "1003"):
        o = order(key)
        intake.submit(
            rt,
            intake.Event(
                shop_id=shop_id,
                source=intake.EventSource.API,
                name="order.updated",
                object_type="order",
                object_key=o.key,
                dedupe_key=f"push:{key}",
                payload=o.model_dump_json(),
            ),
            start=False,
        )
    return shop_id


def _off_loop(call: Callable[[], object]) -> None:
    """Run `call` outside Playwright's event loop (DBOS refuses to start or stop inside one)."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # handed to the test thread below
            failure.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=120)
    if failure:
        raise failure[0]


def _wait_for_invoice(rt: Runtime, order_no: str) -> None:
    """Until Billy has the order's invoice (the engine works in the background)."""
    with rt.db.session() as session:
        url = session.scalars(select(Shop.billy_base_url)).one()
    deadline = time.monotonic() + 60
    with BillyClient(BILLY_KEY, base_url=url) as client:
        while not client.invoices.find_by_order_no(order_no):
            assert time.monotonic() < deadline, f"Billy never got the invoice of {order_no}"
            time.sleep(0.2)


def _backfill_loop(rt: Runtime, stop: threading.Event) -> threading.Thread:
    """The engine's backfill loop (Engine._backfill_loop) on its own, in a thread."""

    def run() -> None:
        while not stop.wait(backfill_run.PACE):
            backfill_run.drive_running(rt, enqueue_event)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def test_reconciliation_and_backfill_pages_in_english_and_danish(
    page: Any, tmp_path: Path, billy_server: tuple[BillyEmulator, str]
) -> None:

    billy, url = billy_server
    billy.add_organization(BILLY_KEY, "Kaffebutikken ApS")
    rt = make_runtime(tmp_path)
    rt.process.admin_password = PASSWORD
    shop_id = _connected_shop(rt, url + "/v2")
    engine = Engine(rt, EngineOptions(role="e2e", run_loops=False, polling_interval=0.05))
    _off_loop(engine.start)
    stop = threading.Event()
    loop = _backfill_loop(rt, stop)
    try:
        _pages(page, rt, shop_id)
    finally:
        stop.set()
        loop.join(timeout=10)
        _off_loop(engine.stop)
        rt.db.dispose()


def _pages(page: Any, rt: Runtime, shop_id: int) -> None:
    from playwright.sync_api import expect

    with serve(rt) as served:
        page.goto(served.url + "/login")
        page.fill("#password", PASSWORD)
        page.click("button.primary")

        # The overview says nothing has been reconciled yet.
        page.goto(f"{served.url}/shops/{shop_id}/orders")
        expect(page.locator("#reconciled")).to_contain_text("Not reconciled yet")

        page.click("nav >> text=Reconciliation")
        expect(page.locator("#recon-none")).to_be_visible()
        page.fill("#first", "2026-11-01")
        page.fill("#last", "2026-11-30")
        page.click("#reconcile-run")
        summary = page.locator("#recon-summary")
        expect(summary).to_contain_text("November 2026: 3 orders, 3 findings")
        findings = page.locator("#recon-findings tbody tr")
        expect(findings).to_have_count(3)
        missing = page.locator(".finding-missing_invoice")
        expect(missing).to_have_count(2)
        expect(missing.first).to_contain_text("Missing invoice")
        expect(missing.first).to_contain_text("338.90")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("109999")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("matches no order")
        shot(page, "30-reconciliation-en")

        page.click("text=Dansk")
        expect(summary).to_contain_text("November 2026: 3 ordrer, 3 afvigelser")
        expect(missing.first).to_contain_text("Manglende faktura")
        expect(missing.first).to_contain_text("338,90")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("Ukendt i Billy")
        shot(page, "31-afstemning-da")

        # One click books order 101002's invoice through the normal workflow.
        missing.filter(has_text="101002").locator("button").click()
        expect(page.locator(".flash-ok")).to_contain_text("bliver bogført")
        _wait_for_invoice(rt, "101002")
        page.click("#reconcile-run")
        expect(summary).to_contain_text("November 2026: 3 ordrer, 2 afvigelser")
        expect(missing).to_have_count(1)
        page.goto(f"{served.url}/shops/{shop_id}/orders")
        expect(page.locator("#reconciled")).to_contain_text("2 afvigelser")

        # Backfill: the dry run, in Danish, then in English, then the run.
        page.click("nav >> text=Historik")
        page.fill("#from", "2026-11-01")
        page.fill("#to", "2026-11-30")
        page.click("#backfill-dry-run")
        plan = page.locator("#backfill-plan")
        expect(plan).to_contain_text("Fakturaer (DKK)")
        expect(plan).to_contain_text("overtages i stedet for at blive bogført igen: 1")
        expect(plan).to_contain_text("Overført tidligere: 1")
        expect(plan).to_contain_text("338,90 DKK")
        shot(page, "32-historik-proevekoersel-da")

        page.click("text=English")
        page.fill("#from", "2026-11-01")
        page.fill("#to", "2026-11-30")
        page.click("#backfill-dry-run")
        expect(plan).to_contain_text("Invoices (DKK)")
        expect(plan).to_contain_text("Already in Billy, adopted rather than booked again: 1")
        expect(plan).to_contain_text("67.78")  # the VAT of 338.90 incl. 25 %
        shot(page, "33-history-dry-run-en")

        page.click("#backfill-start")
        expect(page.locator(".flash-ok")).to_contain_text("has started")
        progress = page.locator("#backfill-progress")
        expect(progress).to_contain_text("of 1 done")
        expect(page).to_have_url(re.compile(r"/backfill$"))
        shot(page, "34-history-running-en")
        page.click("text=Dansk")
        # htmx refreshes the card while the run goes on; a reload shows where it ended.
        _wait_for_invoice(rt, "101003")
        page.reload()
        expect(progress).to_contain_text("1 af 1 færdige: 0 fejlet, 1 overtaget")
        shot(page, "35-historik-faerdig-da")

        # Billy now has every order's invoice: only the unknown document is left.
        page.click("nav >> text=Afstemning")
        page.click("#reconcile-run")
        expect(summary).to_contain_text("November 2026: 3 ordrer, 1 afvigelser")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("bogført det")
        page.click("text=English")
        expect(summary).to_contain_text("November 2026: 3 orders, 1 findings")
        shot(page, "36-reconciliation-after-en")
