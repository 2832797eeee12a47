"""What a merchant and a bookkeeper see (issue 12): preview by order number as an invoice,
the booked document read from Billy, an overview that pages and refreshes, products with
their state, settings that never look saved when they are not, and Danish wording."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from billysync.billy.errors import (
    BillyConfigurationError,
    BillyDataError,
    BillyError,
    BillyNotFoundError,
    BillyTransientError,
)
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import audit, bindings, shops
from billysync.sync.runtime import Runtime
from billysync.web.billy_trouble import Trouble, explain
from tests.support.pages_world import KEY, ORDER, book_in_billy, configure_shop, put_transfer
from tests.support.web_helpers import add_shop, seen

RAW_BILLY_FIELDS = ("countryId", "zipcodeText", "isCustomer", "cashSide", "cashAccountId")


@pytest.fixture
def pushed(admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator) -> int:
    """A JSON API shop set up against the emulator, with order 1001 (key A-1) pushed."""
    client, csrf = admin
    shop_id, token = add_shop(client, csrf, "Krusbutikken", "generic")
    configure_shop(rt, billy, shop_id)
    answer = client.put(
        "/api/v1/orders/A-1", json=ORDER, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 202, answer.text
    with rt.db.session() as session:  # the engine notes the number when it reads the order
        put_transfer(session, shop_id, "order", "A-1", number="1001")
    return shop_id


def test_preview_takes_the_order_number_and_shows_an_invoice(
    admin: tuple[TestClient, str], pushed: int
) -> None:
    client, _ = admin
    page = seen(client.get(f"/shops/{pushed}/preview", params={"order": "1001"}))
    invoice = page.split('id="preview-document"')[1]
    for text in ("Jens Hansen", "Vestergade 3", "8000 Aarhus C", "Krus", "178.00 DKK", "35.60"):
        assert text in invoice, text
    assert "Invoice for order 1001" in page
    assert re.search(r'id="payment-account">5710 [^<]+<', page)
    assert 'id="payment-amount">178.00 DKK' in page
    for raw in RAW_BILLY_FIELDS:
        assert raw not in page, raw
    assert "already in Billy" not in page
    # The internal key still works, and an unknown number says so.
    assert (
        'id="preview-document"'
        in client.get(f"/shops/{pushed}/preview", params={"order": "A-1"}).text
    )
    unknown = seen(client.get(f"/shops/{pushed}/preview", params={"order": "4711"}))
    assert "has not received an order numbered 4711" in unknown


def test_preview_says_when_the_order_is_already_in_billy(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        put_transfer(session, pushed, "order", "A-1", state="paid", invoice_no="17")
    page = seen(client.get(f"/shops/{pushed}/preview", params={"order": "1001"}))
    notice = page.split('id="already-booked"')[1].split("</div>")[0]
    assert "already in Billy as invoice no. 17" in notice
    assert f"/shops/{pushed}/orders/A-1" in notice


def test_the_order_page_shows_the_invoice_as_booked_in_billy(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, _ = admin
    invoice_id = book_in_billy(billy, rt, pushed)
    page = seen(client.get(f"/shops/{pushed}/orders/A-1"))
    assert f'hx-get="/shops/{pushed}/orders/A-1/document"' in page
    assert invoice_id not in page
    fragment = client.get(f"/shops/{pushed}/orders/A-1/document", headers={"HX-Request": "true"})
    booked = seen(fragment)
    assert "<html" not in booked
    for text in ("Jens Hansen", "Vestergade 3", "Krus", "178.00", "35.60 DKK", "142.40 DKK"):
        assert text in booked, text
    payments = booked.split('data-part="payments"')[1]
    assert "2025-03-04" in payments and re.search(r"5710 \w+", payments)
    assert "178.00 DKK" in payments
    link = re.search(r'href="([^"]+)"[^>]*id="open-in-billy"', booked)
    assert link is not None and link.group(1).endswith(f"/invoices/{invoice_id}")
    assert link.group(1).startswith("https://")
    for raw in RAW_BILLY_FIELDS:
        assert raw not in booked, raw


def test_the_order_page_shows_what_the_engine_booked_without_asking_billy(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime, billy: BillyEmulator
) -> None:
    """Booked by the engine, the invoice is kept as Billy confirmed it: the order page shows
    its lines, VAT, totals, customer, payment and link with no call to Billy at all."""
    from billysync.shop.models import Order
    from billysync.sync.context import TransferContext
    from billysync.sync.transfer import transfer_order

    client, _ = admin
    with rt.db.session() as session:
        shop = shops.get_shop(session, pushed)
        assert shop is not None
    with rt.billy_client(shop) as billy_client:
        ctx = TransferContext(rt, pushed, "order", "A-1", "test", billy_client)
        transfer_order(ctx, Order.model_validate(ORDER).key)
    with rt.db.session() as session:
        invoice = bindings.get_binding(session, pushed, "invoice", "A-1")
        assert invoice is not None
        invoice_id, invoice_no = invoice.billy_id, bindings.binding_extra(invoice)["invoice_no"]
    calls_before = len(billy.journal.entries())
    booked = seen(client.get(f"/shops/{pushed}/orders/A-1/document"))
    assert len(billy.journal.entries()) == calls_before  # not one call to Billy
    for text in ("Jens Hansen", "Vestergade 3", "Krus", "178.00", "35.60 DKK", "142.40 DKK"):
        assert text in booked, text
    assert str(invoice_no) in booked
    payments = booked.split('data-part="payments"')[1]
    assert "2025-03-04" in payments and re.search(r"5710 \w+", payments)
    assert "178.00 DKK" in payments
    link = re.search(r'href="([^"]+)"[^>]*id="open-in-billy"', booked)
    assert link is not None and link.group(1).endswith(f"/invoices/{invoice_id}")
    for raw in RAW_BILLY_FIELDS:
        assert raw not in booked, raw
    # The same page for an invoice bound by an older version (nothing kept) reads Billy.
    with rt.db.session() as session:
        row = bindings.get_binding(session, pushed, "invoice", "A-1")
        assert row is not None
        row.extra = json.dumps(
            {k: v for k, v in bindings.binding_extra(row).items() if k != "booked"}
        )
    again = seen(client.get(f"/shops/{pushed}/orders/A-1/document"))
    assert len(billy.journal.entries()) > calls_before and "142.40 DKK" in again


def test_an_order_not_in_billy_says_so_and_offers_the_preview(
    admin: tuple[TestClient, str], pushed: int
) -> None:
    client, _ = admin
    page = seen(client.get(f"/shops/{pushed}/orders/A-1"))
    assert 'id="not-booked"' in page and f"/shops/{pushed}/preview?order=1001" in page


def _seed(rt: Runtime, shop_id: int, count: int) -> None:
    start = datetime(2025, 1, 1, 12, tzinfo=UTC)
    with rt.db.session() as session:
        for i in range(count):
            put_transfer(
                session,
                shop_id,
                "order",
                f"k{i:03d}",
                number=f"{5000 + i}",
                state="paid",
                amount_ore=10000 + i,
                currency="DKK",
                invoice_no=str(i + 1),
                order_date=start + timedelta(hours=i),
            )


def test_the_overview_pages_through_every_order(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime
) -> None:
    client, _ = admin
    _seed(rt, pushed, 120)
    first = seen(client.get(f"/shops/{pushed}/orders", params={"state": "paid"}))
    assert first.count("<tr data-kind=") == 50
    assert "1–50 of 120" in first and "Page 1 of 3" in first
    assert "5119" in first and "5069" not in first  # newest first
    assert (
        f'href="/shops/{pushed}/orders?state=paid&amp;page=2"'
        in client.get(f"/shops/{pushed}/orders", params={"state": "paid"}).text
    )
    last = seen(client.get(f"/shops/{pushed}/orders", params={"state": "paid", "page": "3"}))
    assert last.count("<tr data-kind=") == 20 and "101–120 of 120" in last
    assert "5000" in last and "5119" not in last
    # The table polls itself with the same filters and page.
    poll = re.search(r'id="orders-live" hx-get="([^"]+)" hx-trigger="every (\d+)s"', last)
    assert poll is not None and "state=paid" in poll.group(1) and "page=3" in poll.group(1)
    partial = client.get(
        poll.group(1).replace("&amp;", "&"),
        headers={"HX-Request": "true", "HX-Target": "orders"},
    )
    assert "<html" not in partial.text and 'id="stats" hx-swap-oob="true"' in partial.text


def test_the_overview_shows_totals_before_invoicing_returns_negative_and_skip_reasons(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        put_transfer(session, pushed, "order", "A-1", snapshot=json.dumps(ORDER), state="waiting")
        put_transfer(
            session,
            pushed,
            "return",
            "R-1",
            number="1001-R1",
            state="credited",
            amount_ore=8900,
            currency="DKK",
            invoice_no="18",
        )
        put_transfer(
            session,
            pushed,
            "order",
            "B-2",
            number="1002",
            state="skipped",
            reason="the order was cancelled in the shop before it was paid",
        )
    page = seen(client.get(f"/shops/{pushed}/orders"))
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r"<tr data-kind[^>]*>.*?(\d{4}(?:-R1)?)</strong>.*?</tr>", page, re.S)
    }
    assert "178.00 DKK" in rows["1001"] and "not invoiced yet" in rows["1001"]
    assert "awaiting payment" in rows["1001"]
    assert "-89.00 DKK" in rows["1001-R1"]
    assert "cancelled in the shop before it was paid" in rows["1002"]


def test_an_empty_overview_points_to_the_setup(admin: tuple[TestClient, str]) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Ny butik", "shoporama")
    page = seen(client.get(f"/shops/{shop_id}/orders"))
    empty = page.split('id="orders-empty"')[1]
    assert "No orders yet" in empty
    assert f"/shops/{shop_id}/settings" in empty and f"/shops/{shop_id}/check" in empty
    assert "No orders match" not in page
    filtered = seen(client.get(f"/shops/{shop_id}/orders", params={"q": "x"}))
    assert "No orders yet" in filtered  # nothing at all: the setup hint, not "no match"


def test_the_products_page_lists_products_with_state_and_failures(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        bindings.bind(session, pushed, "product", "MUG-01", "bp-1", marker="MUG-01")
        bindings.bind(session, pushed, "product", "CUP-02", "bp-2", marker="CUP-02")
    with rt.db.session() as session:
        for item in ("CUP-02", "TEA-03"):
            audit.record(
                session,
                shop_id=pushed,
                kind="product",
                object_key=f"p-{item}",
                step="product",
                message=f"product {item}: Billy refused the price",
            )
    page = seen(client.get(f"/shops/{pushed}/products"))
    table = page.split('id="products-table"')[1]
    mug = table.split("MUG-01")[1].split("</tr>")[0]
    cup = table.split("CUP-02")[1].split("</tr>")[0]
    assert "in Billy" in mug and "refused" not in mug
    assert "not synced" in cup and "Billy refused the price" in cup
    failures = page.split('id="product-failures"')[1].split("</table>")[0]
    assert "TEA-03" in failures and "MUG-01" not in failures
    assert "bp-1" not in page
    found = seen(client.get(f"/shops/{pushed}/products", params={"q": "mug"}))
    assert "MUG-01" in found and "CUP-02" not in found and "TEA-03" not in found


def test_suggested_choices_are_marked_not_saved_until_saved(
    admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Ny butik", "shoporama")
    billy.add_organization(KEY, "Butik ApS")
    saved = client.post(
        f"/shops/{shop_id}/settings",
        data={"csrf_token": csrf, "api_key": KEY, "trigger": "paid", "post_payments": "on"},
    )
    assert saved.status_code == 200
    page = seen(client.get(f"/shops/{shop_id}/settings"))
    marked = set(re.findall(r'data-unsaved="([a-z_]+)"', page))
    assert {"sales_account_id", "payment_account_id"} <= marked
    assert 'id="unsaved-notice"' in page
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None and shop.sales_account_id is None
    # One click creates the shipping product and saves it: it is no longer marked.
    form = {"csrf_token": csrf, "kind": "shipping", "lists_shown": "1", "trigger": "paid"}
    made = seen(client.post(f"/shops/{shop_id}/settings/product", data=form))
    assert "saved as the shipping product" in made
    assert 'data-unsaved="shipping_product_id"' not in made
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None and shop.shipping_product_id


def test_a_saved_key_that_stopped_working_is_not_shown_as_connected(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime
) -> None:
    client, _ = admin
    assert "✓" in seen(client.get(f"/shops/{pushed}/settings")).split('id="org-state"')[1][:200]
    with rt.db.session() as session:  # the key was deleted in Billy since
        shop = shops.get_shop(session, pushed)
        assert shop is not None
        shops.set_billy_key(shop, "a-key-billy-no-longer-knows", rt.box)
    page = seen(client.get(f"/shops/{pushed}/settings"))
    state = page.split('id="org-state"')[1][:300]
    assert "✓" not in state and "The saved key no longer works" in state
    assert "Billy refuses the key (HTTP 401)" in page and "try again" not in page.lower()


@pytest.mark.parametrize(
    ("error", "custom", "expected"),
    [
        (BillyConfigurationError(401, message="unauthorized"), False, Trouble.KEY_REFUSED),
        (BillyTransientError(message="ConnectError: refused"), True, Trouble.ADDRESS),
        (BillyTransientError(message="ConnectError: refused"), False, Trouble.UNAVAILABLE),
        (BillyNotFoundError(404, "UNKNOWN_RESOURCE"), True, Trouble.ADDRESS),
        (
            BillyConfigurationError(message="the Billy base URL is not usable"),
            True,
            Trouble.ADDRESS,
        ),
        (BillyError(200, message="not JSON"), True, Trouble.ADDRESS),
        (BillyTransientError(503), True, Trouble.UNAVAILABLE),
        (BillyDataError(500), True, Trouble.UNAVAILABLE),
    ],
)
def test_billy_trouble_points_at_the_fix(
    error: BillyError, custom: bool, expected: Trouble
) -> None:
    found = explain(error, address="https://billy.example/v2", custom_address=custom)
    assert found.trouble is expected


def test_wording_favicon_and_shoporama_shops_without_a_json_api_token(
    admin: tuple[TestClient, str], pushed: int
) -> None:
    client, csrf = admin
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")
    answer = client.post(
        "/shops", data={"name": "Shoporama-butik", "platform": "shoporama", "csrf_token": csrf}
    )
    assert answer.url.path.endswith("/settings") and 'id="api-token"' not in answer.text
    settings = seen(answer)
    assert "BILLYSYNC_" not in settings and "Billy's Billing" not in settings
    assert "New API token" not in settings
    check = seen(client.get(f"/shops/{pushed}/check"))
    assert "thing(s)" not in check and "(sequential)" not in check


def test_the_order_page_works_when_billy_cannot_be_read(
    admin: tuple[TestClient, str], pushed: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, _ = admin
    book_in_billy(billy, rt, pushed)
    with rt.db.session() as session:
        shop = shops.get_shop(session, pushed)
        assert shop is not None
        shops.set_billy_key(shop, "a-key-billy-no-longer-knows", rt.box)
    assert client.get(f"/shops/{pushed}/orders/A-1").status_code == 200
    fragment = seen(client.get(f"/shops/{pushed}/orders/A-1/document"))
    trouble = fragment.split('id="booked-trouble"')[1]
    assert "could not be read from Billy just now" in trouble
    assert "Billy refuses the key (HTTP 401)" in trouble
