"""The merchant's pages in Chromium, in Danish and in English (issue 12): settings that never
look saved when they are not, a key that stopped working, a wrong Billy address; Preview by
order number shown as an invoice; the order page with the invoice as booked; an overview
that pages, shows totals before invoicing, returns negative and skip reasons, and refreshes by
itself; products with their name and state; failure reasons filed where the fix is made, with
Billy's words apart; the step log; the live shop check; the wording. Screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from tests.support.e2e_helpers import SCREENSHOTS, make_runtime, serve, shot
from tests.support.merchant_world import FRESH_KEY, build
from tests.support.pages_world import put_transfer

pytestmark = pytest.mark.browser

PASSWORD = "the merchant's own password"
WORDS = {
    "da": {
        "unsaved": "ikke gemt endnu",
        "created": "gemt som fragtprodukt",
        "key_broken": "Den gemte nøgle virker ikke længere",
        "address": "Tjek adressen",
        "booked": "allerede bogført i Billy som faktura nr.",
        "invoice_for": "Faktura for ordre 10001",
        "open": "Åbn i Billy",
        "total": "I alt",
        "page": "Side 1 af 2",
        "next": "Næste",
        "page2": "Side 2 af 2",
        "skipped": "Annulleret i butikken",
        "waiting": "afventer betaling",
        "not_invoiced": "ordrens total fra butikken, endnu ikke faktureret",
        "paid": "betalt",
        "in_billy": "i Billy",
        "not_synced": "ikke synkroniseret",
        "nothing_yet": "Ingen ordrer endnu",
        "one_fix": "ting skal rettes",
        "fix_settings": "Rettes i billysyncs indstillinger",
        "payment_account": "Billy afviste betalingskontoen.",
        "fix_wait": "Intet at gøre: vi prøver igen",
        "retry_at": "Vi prøver igen kl. 14:05 (forsøg 3).",
        "fix_billy": "Rettes i Billy",
        "vat_rate": "Billy afviste momssatsen på en linje i fakturaen.",
        "billy_said": "Billy svarede:",
        "created_invoice": "Oprettede fakturaen i Billy.",
        "unreachable": "Butikken kunne ikke nås på http://127.0.0.1:9/REST",
        "connected": "Forbundet",
    },
    "en": {
        "unsaved": "not saved yet",
        "created": "saved as the shipping product",
        "key_broken": "The saved key no longer works",
        "address": "Check the address",
        "booked": "already in Billy as invoice no.",
        "invoice_for": "Invoice for order 10001",
        "open": "Open in Billy",
        "total": "Total",
        "page": "Page 1 of 2",
        "next": "Next",
        "page2": "Page 2 of 2",
        "skipped": "Cancelled in the shop",
        "waiting": "awaiting payment",
        "not_invoiced": "the order's total from the shop, not invoiced yet",
        "paid": "paid",
        "in_billy": "in Billy",
        "not_synced": "not synced",
        "nothing_yet": "No orders yet",
        "one_fix": "to fix before orders can be transferred",
        "fix_settings": "Fix in billysync's settings",
        "payment_account": "Billy refused the payment account.",
        "fix_wait": "Nothing to do: we retry",
        "retry_at": "We retry at 14:05 (attempt 3).",
        "fix_billy": "Fix in Billy",
        "vat_rate": "Billy refused the VAT rate of a line on the invoice.",
        "billy_said": "Billy said:",
        "created_invoice": "Created the invoice in Billy.",
        "unreachable": "The shop could not be reached at http://127.0.0.1:9/REST",
        "connected": "Connected",
    },
}
# English words that no Danish sentence has: a Danish page showing one is not Danish.
ENGLISH = re.compile(
    r"\b(?:the|was|were|with|refused|could not|retry|created|invoiced|payment|order)\b",
    re.IGNORECASE,
)


def window(page: Any, name: str, height: int = 860) -> None:
    """What fits on a laptop screen (the README's pictures come from these)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clip = {"x": 0, "y": 0, "width": 1366, "height": height}
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), clip=clip, full_page=True)


@pytest.fixture
def merchant(
    browser: Any, tmp_path: Path, billy_server: tuple[BillyEmulator, str]
) -> Iterator[tuple[Any, Any, Any]]:
    """(served app, world, a function giving a logged-in page in a language)."""
    billy, url = billy_server
    rt = make_runtime(tmp_path)
    rt.process.admin_password = PASSWORD
    world = build(rt, billy, url + "/v2")
    contexts: list[Any] = []

    def logged_in(served: Any, lang: str) -> Any:
        locale = "da-DK" if lang == "da" else "en-GB"
        context = browser.new_context(viewport={"width": 1366, "height": 860}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(served.url + "/login")
        page.fill("#password", PASSWORD)
        page.click("button.primary")
        page.wait_for_url(re.compile(r"/shops$"))
        assert page.locator("html").get_attribute("lang") == lang
        return page

    with serve(rt) as served:
        yield served, world, logged_in
    for context in contexts:
        context.close()
    rt.db.dispose()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_overview_order_page_preview_and_products(merchant: Any, lang: str) -> None:
    from playwright.sync_api import expect

    served, world, logged_in = merchant
    words = WORDS[lang]
    page = logged_in(served, lang)
    base = f"{served.url}/shops/{world.shop_id}"
    icon = page.request.get(served.url + "/favicon.ico")
    assert icon.status == 200

    # 7: the overview pages, knows the total before invoicing, returns are negative.
    page.goto(base + "/orders")
    table = page.locator("#orders-table")
    expect(page.locator("#pager")).to_contain_text(words["page"])
    expect(table.locator("tr[data-state=skipped]")).to_contain_text(words["skipped"])
    waiting = table.locator("tr[data-state=waiting]")
    expect(waiting).to_contain_text(words["waiting"])
    expect(waiting.locator("td.amount")).to_contain_text("336")
    assert waiting.locator("td.amount").get_attribute("title") == words["not_invoiced"]
    expect(table.locator("tr[data-kind=return]")).to_contain_text("-178")
    shot(page, f"merchant-{lang}-overview")
    window(page, f"readme-{lang}-overview")
    page.click("#pager a[rel=next]")
    expect(page.locator("#pager")).to_contain_text(words["page2"])
    assert "page=2" in page.url
    # The page follows the work: a state changed elsewhere shows without a reload.
    page.goto(base + "/orders")
    with served.rt.db.session() as session:
        put_transfer(session, world.shop_id, "order", "A-3", state="paid", invoice_no="999")
    expect(page.locator("#orders-table tr", has_text="10003")).to_contain_text(
        words["paid"], timeout=20_000
    )

    # 6: the order page shows the invoice as booked, read from Billy.
    page.goto(base + "/orders/A-1")
    document = page.locator("#booked-document")
    expect(document).to_contain_text("Vejle Bibliotekerne")
    expect(document).to_contain_text("Kaffekrus")
    expect(document.locator("[data-part=gross]")).to_contain_text("336")
    expect(document.locator("[data-part=payments]")).to_contain_text("5710")
    expect(page.locator("#open-in-billy")).to_contain_text(words["open"])
    assert "/invoices/" in (page.locator("#open-in-billy").get_attribute("href") or "")
    assert "WEB-C-" not in page.content() and "bp-cup" not in page.content()
    shot(page, f"merchant-{lang}-order")
    window(page, f"readme-{lang}-order", height=1180)

    # 5: preview by the order number the merchant sees, as an invoice.
    page.goto(base + "/preview")
    page.fill("#order", "10001")
    page.click("button.primary")
    expect(page.locator("#already-booked")).to_contain_text(words["booked"])
    expect(page.locator("#preview-invoice h2")).to_contain_text(words["invoice_for"])
    expect(page.locator("#preview-document")).to_contain_text("Søndergade 12")
    expect(page.locator("#payment-account")).to_contain_text("5710")
    assert "cashAccountId" not in page.content() and "countryId" not in page.content()
    shot(page, f"merchant-{lang}-preview")

    # 8: products with their name, Billy state and failures, searchable by name too.
    page.goto(base + "/products")
    expect(page.locator("#products-table")).to_contain_text("MUG-01")
    expect(page.locator("#products-table tr", has_text="MUG-01")).to_contain_text("Kaffekrus")
    expect(page.locator("#product-failures")).to_contain_text("TEA-03")
    expect(page.locator("#product-failures")).to_contain_text(words["not_synced"])
    shot(page, f"merchant-{lang}-products")
    page.fill("#q", "bean")
    expect(page.locator("#products-table")).not_to_contain_text("MUG-01")
    expect(page.locator("#products-table")).to_contain_text("BEAN-1")
    expect(page.locator("#products-table")).to_contain_text(words["in_billy"])
    page.fill("#q", "bønner")
    expect(page.locator("#products-table")).not_to_contain_text("MUG-01")
    expect(page.locator("#products-table")).to_contain_text("Kaffebønner 500 g")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_reasons_steps_and_the_shop_check_in_the_merchants_language(
    merchant: Any, lang: str
) -> None:
    from playwright.sync_api import expect

    served, world, logged_in = merchant
    words = WORDS[lang]
    page = logged_in(served, lang)
    base = f"{served.url}/shops/{world.shop_id}"

    # 3: each reason in the merchant's language, said once, filed where the fix is made;
    # Billy's own words only apart, as a quote marked as Billy's.
    page.goto(base + "/failed")
    account = page.locator("tr", has_text="10005").locator("td.reason")
    expect(account).to_contain_text(words["fix_settings"])
    expect(account).to_contain_text(words["payment_account"])
    waiting = page.locator("tr", has_text="10006").locator("td.reason")
    expect(waiting).to_contain_text(words["fix_wait"])
    expect(waiting).to_contain_text(words["retry_at"])
    # Fixed in Billy: listed with the settings' failures, not under "correct it in the shop".
    expect(page.locator("#failed-configuration")).to_contain_text("10007")
    vat = page.locator("tr", has_text="10007").locator("td.reason")
    expect(vat).to_contain_text(words["fix_billy"])
    expect(vat).to_contain_text(words["vat_rate"])
    expect(vat).to_contain_text(words["billy_said"])
    expect(vat.locator("q[data-from=billy]")).to_have_text("invoice.taxRateId: is not valid here")
    for reason, said_once in (
        (account, words["payment_account"]),
        (waiting, words["retry_at"]),
        (vat, words["vat_rate"]),
    ):
        sentence = reason.inner_text().split(words["billy_said"])[0]
        assert sentence.count(said_once) == 1, sentence
        if lang == "da":
            assert not ENGLISH.search(sentence), sentence
    shot(page, f"merchant-{lang}-failed-reasons")
    page.goto(base + "/orders/A-5")
    expect(page.locator("#order-reason")).to_contain_text(words["payment_account"])
    assert page.locator("#order-reason").inner_text().count(words["payment_account"]) == 1
    shot(page, f"merchant-{lang}-failed-order")

    # 4: the step log in the merchant's language.
    page.goto(base + "/orders/A-1")
    steps = page.locator("#steps")
    expect(steps).to_contain_text(words["created_invoice"])
    if lang == "da":
        said = " ".join(steps.locator("[data-from=engine]").all_text_contents())
        assert said and not ENGLISH.search(said), said
    page.locator("summary", has_text=re.compile("Trin|Steps")).click()
    shot(page, f"merchant-{lang}-steps")

    # 4: the invoice's own texts follow the customer's language, whatever the merchant's.
    page.goto(base + "/orders/A-8")
    danish_customer = page.locator("#booked-document")
    expect(danish_customer).to_contain_text("Rabatkode JUL10")
    expect(danish_customer).not_to_contain_text("Discount code")
    page.goto(base + "/orders/A-9")
    swedish_customer = page.locator("#booked-document")
    expect(swedish_customer).to_contain_text("Discount code JUL10")
    expect(swedish_customer).not_to_contain_text("Rabatkode")
    shot(page, f"merchant-{lang}-invoice-in-the-customers-language")

    # 1: a Shoporama shop is contacted by the setup check: a made-up address is not "connected".
    with served.rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Aldrig kontaktet", platform="shoporama")
        shops.set_shop_connection(
            shop, served.rt.box, base_url="http://127.0.0.1:9/REST", token="made-up-token-0000"
        )
        never_contacted = shop.id
    page.goto(f"{served.url}/shops/{never_contacted}/check")
    checks = page.locator("#checks")
    expect(checks).to_contain_text(words["unreachable"])
    shoporama_line = checks.locator("li", has_text=words["unreachable"])
    expect(shoporama_line).not_to_contain_text(words["connected"])
    shot(page, f"merchant-{lang}-shop-check")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_settings_say_what_is_saved_and_what_is_wrong(merchant: Any, lang: str) -> None:
    from playwright.sync_api import expect

    served, world, logged_in = merchant
    words = WORDS[lang]
    page = logged_in(served, lang)
    with served.rt.db.session() as session:
        shop = shops.get_shop(session, world.shop_id)
        assert shop is not None
        billy_url = shop.billy_base_url
        fresh, _ = shops.create_shop(session, name="Ny butik", platform="shoporama")
        fresh_id = fresh.id

    # 11: an empty overview points to the setup.
    page.goto(f"{served.url}/shops/{fresh_id}/orders")
    expect(page.locator("#orders-empty")).to_contain_text(words["nothing_yet"])
    expect(page.locator(f"#orders-empty a[href='/shops/{fresh_id}/settings']")).to_be_visible()
    shot(page, f"merchant-{lang}-empty-overview")

    # 12: a wrong Billy address is explained as such.
    page.goto(f"{served.url}/shops/{fresh_id}/settings")
    page.fill("#api_key", FRESH_KEY)
    page.locator("#financial details summary").click()
    page.fill("#billy_base_url", "http://127.0.0.1:9/v2")
    page.click("#save-settings")
    expect(page.locator("[data-error-for=billy_base_url]")).to_contain_text(words["address"])
    shot(page, f"merchant-{lang}-wrong-address")

    # 2: Billy's suggestions are marked as not saved; one click saves the shipping product.
    page.fill("#api_key", FRESH_KEY)
    page.fill("#billy_base_url", billy_url or "")
    page.click("#save-settings")
    expect(page.locator("[data-unsaved=sales_account_id]")).to_contain_text(words["unsaved"])
    expect(page.locator("#unsaved-notice")).to_be_visible()
    shot(page, f"merchant-{lang}-unsaved")
    page.click("#create-shipping")
    expect(page.locator(".flash-ok")).to_contain_text(words["created"])
    expect(page.locator("[data-unsaved=shipping_product_id]")).to_have_count(0)
    with served.rt.db.session() as session:
        saved = shops.get_shop(session, fresh_id)
        assert saved is not None and saved.shipping_product_id and not saved.sales_account_id

    # 12: a saved key that stopped working is not shown as connected.
    with served.rt.db.session() as session:
        broken = shops.get_shop(session, world.shop_id)
        assert broken is not None
        shops.set_billy_key(broken, "a-key-billy-has-forgotten", served.rt.box)
    page.goto(f"{served.url}/shops/{world.shop_id}/settings")
    expect(page.locator("#org-state")).to_contain_text(words["key_broken"])
    expect(page.locator("#org-state")).not_to_contain_text("✓")
    shot(page, f"merchant-{lang}-key-broken")

    # 11: the setup check counts in words.
    page.goto(f"{served.url}/shops/{world.shop_id}/check")
    expect(page.locator(".flash-warn")).to_contain_text(words["one_fix"])
    assert "thing(s)" not in page.content() and "(sequential)" not in page.content()
    shot(page, f"merchant-{lang}-check")
