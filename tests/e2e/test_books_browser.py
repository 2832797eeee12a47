"""The reconciliation and backfill pages in a real browser, in English and in Danish.

A shop that pushes through the JSON API; Billy (the emulator over HTTP) has one order's
invoice, lacks another's and holds a document nobody in the shop knows. The merchant
reconciles November, sees each finding with what to do, asks for the missing invoice to
be booked, then dry-runs a backfill and starts it. Screenshots under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.sync import intake
from billysync.sync.runtime import Runtime
from tests.support.billy_setup import choose, make_choices
from tests.support.e2e_helpers import make_runtime, serve, shot
from tests.support.shop_builders import order

pytestmark = pytest.mark.browser

PASSWORD = "a long admin password"
BILLY_KEY = "e2e-books-billy-token-0042"


def _connected_shop(rt: Runtime, billy_url: str) -> int:
    client = BillyClient(BILLY_KEY, base_url=billy_url)
    choices = make_choices(client)
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
                "lines": [{"productId": choices.shipping_product, "unitPrice": 338.90}],
            }
        )
    client.close()
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Kaffebutikken", platform="generic")
        shops.set_billy_key(shop, BILLY_KEY, rt.box)
        shop.billy_base_url = billy_url
        choose(shop, choices, payment_account=None)
        shop_id = shop.id
    for key in ("1001", "1002"):
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


def test_reconciliation_and_backfill_pages_in_english_and_danish(
    page: Any, tmp_path: Path, billy_server: tuple[BillyEmulator, str]
) -> None:
    from playwright.sync_api import expect

    billy, url = billy_server
    billy.add_organization(BILLY_KEY, "Kaffebutikken ApS")
    rt = make_runtime(tmp_path)
    rt.process.admin_password = PASSWORD
    shop_id = _connected_shop(rt, url + "/v2")
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
        expect(summary).to_contain_text("November 2026: 2 orders, 2 findings")
        findings = page.locator("#recon-findings tbody tr")
        expect(findings).to_have_count(2)
        expect(page.locator(".finding-missing_invoice")).to_contain_text("Missing invoice")
        expect(page.locator(".finding-missing_invoice")).to_contain_text("338.90")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("109999")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("matches no order")
        shot(page, "30-reconciliation-en")

        page.click("text=Dansk")
        expect(summary).to_contain_text("November 2026: 2 ordrer, 2 afvigelser")
        expect(page.locator(".finding-missing_invoice")).to_contain_text("Manglende faktura")
        expect(page.locator(".finding-missing_invoice")).to_contain_text("338,90")
        expect(page.locator(".finding-unknown_in_billy")).to_contain_text("Ukendt i Billy")
        shot(page, "31-afstemning-da")

        page.click("#repair-all")
        expect(page.locator(".flash-ok")).to_contain_text("bliver bogført")
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
