"""The admin pages in a real browser against a real server and Billy's emulator over HTTP.

A merchant's first hour: type the setup code from the console and choose the admin
password, add a shop, connect Billy (the key is checked live, the lists come from Billy, the
missing shipping and discount products are created with one click), save, run the setup
check, and look around. Each page is screenshotted under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.store.tables import Transfer
from billysync.sync.runtime import Runtime
from tests.support.e2e_helpers import make_runtime, serve, shot

pytestmark = pytest.mark.browser

PASSWORD = "a long admin password"
BILLY_KEY = "e2e-billy-token-0042"


def _shop(rt: Runtime, shop_id: int) -> Any:
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        session.expunge(shop)
        return shop


def test_a_merchant_sets_up_a_shop_from_nothing(
    page: Any,
    tmp_path: Path,
    billy_server: tuple[BillyEmulator, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from playwright.sync_api import expect

    billy, billy_url = billy_server
    billy.add_organization(BILLY_KEY, "Kaffebutikken ApS")
    rt = make_runtime(tmp_path)
    with serve(rt) as served:
        # First visit: the one-time code from the server's console, then the admin password.
        console = capsys.readouterr().err
        code = re.findall(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", console)[-1]
        page.goto(served.url + "/")
        expect(page).to_have_url(re.compile(r"/setup$"))
        shot(page, "01-choose-password")
        page.fill("#code", code)
        page.fill("#password", PASSWORD)
        page.fill("#confirm", PASSWORD)
        page.click("button[type=submit].primary")
        expect(page).to_have_url(re.compile(r"/shops$"))

        # Log out and in again, as on any later day.
        page.click("text=Log out")
        expect(page).to_have_url(re.compile(r"/login$"))
        page.fill("#password", "not the password")
        page.click("button.primary")
        expect(page.locator(".flash-error")).to_contain_text("not right")
        shot(page, "02-login")
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        expect(page).to_have_url(re.compile(r"/shops$"))
        shot(page, "03-shops-empty")

        # Add a Shoporama shop: straight to its settings (it never uses the JSON API token).
        page.fill("#name", "Kaffebutikken")
        page.select_option("#platform", "shoporama")
        page.click("text=Add shop")
        expect(page).to_have_url(re.compile(r"/shops/\d+/settings$"))
        expect(page.locator(".flash-ok")).to_contain_text("connect it to Billy and to Shoporama")
        expect(page.locator("#api-token")).to_have_count(0)
        shot(page, "04-shop-added")
        shop_id = int(re.search(r"/shops/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
        expect(page.locator("#financial")).to_contain_text("Save a valid API key first")
        shot(page, "05-settings-no-key")

        # A wrong key is refused by Billy, and nothing is saved.
        page.click("summary")  # the Billy address (the emulator here)
        page.fill("#billy_base_url", billy_url + "/v2")
        page.fill("#api_key", "a-key-billy-does-not-know")
        page.click("#save-settings")
        expect(page.locator("[data-error-for=api_key]")).to_contain_text("Billy refuses the key")
        assert _shop(rt, shop_id).billy_key_secret is None

        # The right key: checked live, the organization's name shown, lists from Billy.
        page.fill("#billy_base_url", billy_url + "/v2")
        page.fill("#api_key", BILLY_KEY)
        page.click("#save-settings")
        expect(page.locator(".flash-ok")).to_contain_text("Kaffebutikken ApS")
        expect(page.locator("#org-name")).to_have_text("Kaffebutikken ApS")
        assert BILLY_KEY not in page.content()
        expect(page.locator("#sales_account_id option", has_text="1110 Salg")).to_have_count(1)
        expect(page.locator("#payment_account_id option", has_text="5710 Bank")).to_have_count(1)
        shot(page, "06-settings-lists-from-billy")

        # Saving without the products says what to fix.
        page.select_option("#shipping_product_id", "")
        page.click("#save-settings")
        expect(page.locator("[data-error-for=shipping_product_id]")).to_contain_text(
            "Choose the shipping product"
        )
        shot(page, "07-settings-what-to-fix")

        # One click each: the shipping and discount products are made in Billy and saved.
        page.click("#create-shipping")
        expect(page.locator(".flash-ok")).to_contain_text("saved as the shipping product")
        expect(page.locator("#create-shipping")).to_have_count(0)
        page.click("#create-discount")
        expect(page.locator("#create-discount")).to_have_count(0)
        with BillyClient(BILLY_KEY, base_url=billy_url + "/v2") as client:
            made = {p.product_no: p for p in client.products.list()}
        assert set(made) == {"SHIPPING", "DISCOUNT"}
        expect(page.locator("#shipping_product_id")).to_have_value(made["SHIPPING"].id)

        page.check("input[name=trigger][value=shipped]")
        page.check("#post_payments")
        page.select_option("#payment_account_id", label="5730 Betalingsudbyder (clearing)")
        page.fill("#order_prefix", "KB-")
        page.click("#save-settings")
        expect(page.locator(".flash-ok")).to_contain_text("The settings were saved")
        shop = _shop(rt, shop_id)
        assert (shop.trigger, shop.order_prefix, shop.post_payments) == ("shipped", "KB-", True)
        assert shop.shipping_product_id == made["SHIPPING"].id
        assert shop.discount_product_id == made["DISCOUNT"].id
        shot(page, "08-settings-saved")

        # The shop connection: secrets go in, only their last four characters come back.
        page.fill("#shop_base_url", "https://www.shoporama.dk/REST")
        page.fill("#shop_token", "shoporama-secret-token-1234")
        page.fill("#webhook_secret", "webhook-secret-abcd-9876")
        page.click("text=Save connection")
        expect(page.locator(".flash-ok")).to_contain_text("shop connection was saved")
        expect(page.locator("#webhook-url")).to_have_text(f"{served.url}/hooks/shoporama/{shop_id}")
        html = page.content()
        assert "shoporama-secret-token" not in html and "webhook-secret-abcd" not in html
        page.locator("#connection").scroll_into_view_if_needed()
        shot(page, "09-shop-connection")

        # The setup check asks Billy and lists each finding.
        page.click("nav >> text=Setup check")
        expect(page.locator("#checks li")).not_to_have_count(0)
        expect(page.locator("#checks")).to_contain_text("Kaffebutikken ApS")
        shot(page, "10-setup-check")

        for name, link in (
            ("11-overview", "Overview"),
            ("12-failed", "Failed"),
            ("13-products", "Products"),
            ("14-preview", "Preview"),
        ):
            page.click(f"aside nav >> text={link}")
            expect(page.locator("main h1")).to_be_visible()
            shot(page, name)

        # Danish, by the merchant's choice.
        page.click("text=Dansk")
        expect(page.locator("main h1")).to_have_text("Forhåndsvisning")
        page.click("aside nav >> text=Indstillinger")
        expect(page.locator("#financial h2")).to_have_text("Økonomisystem")
        shot(page, "15-settings-danish")


def test_overview_search_updates_the_table_in_place(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    rt = make_runtime(tmp_path)
    rt.process.admin_password = PASSWORD
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik", platform="generic")
        shop_id = shop.id
        for number, state, ore in (
            ("1001", "paid", 24900),
            ("1002", "failed", None),
            ("2001", "transferred", 9900),
        ):
            session.add(
                Transfer(
                    shop_id=shop_id,
                    kind="order",
                    object_key=f"k{number}",
                    number=number,
                    state=state,
                    amount_ore=ore,
                    currency="DKK",
                    invoice_no="7" if ore else None,
                    reason="Billy rejected the data: lines: at least one line"
                    if state == "failed"
                    else None,
                    order_date=datetime(2025, 3, 4, tzinfo=UTC),
                )
            )
    with serve(rt) as served:
        page.goto(served.url + "/login")
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        page.goto(f"{served.url}/shops/{shop_id}/orders")
        rows = page.locator("#orders-table tbody tr")
        expect(rows).to_have_count(3)
        expect(page.locator("#orders-table")).to_contain_text("249.00 DKK")
        page.evaluate("window.__marker = 'same page'")  # survives only without a reload
        page.fill("#q", "200")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("2001")
        assert page.evaluate("window.__marker") == "same page"
        assert "q=200" in page.url  # the filter is in the address, so it can be shared
        page.fill("#q", "")
        page.select_option("#state", "failed")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("at least one line")
        shot(page, "16-overview-filtered")
