"""The merchant's pages: overview (filters, htmx), document chain, failed work, products,
setup check and preview, with a shop set up against the Billy emulator."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx2
import pytest
from fastapi.testclient import TestClient

from billysync.billy.client import BillyClient
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import audit, bindings, shops
from billysync.store.tables import ProductSyncState, Transfer
from billysync.sync.runtime import Runtime
from tests.support.pages_world import KEY, configure_shop
from tests.support.web_helpers import add_shop, seen


@pytest.fixture
def shop(admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator) -> int:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Butik A", "generic")
    configure_shop(rt, billy, shop_id)
    return shop_id


def _seed_orders(rt: Runtime, shop_id: int) -> None:
    with rt.db.session() as session:
        for number, state, amount in (
            ("1001", "paid", 123450),
            ("1002", "waiting", None),
            ("1003", "failed", None),
            ("2001", "transferred", 9900),
        ):
            session.add(
                Transfer(
                    shop_id=shop_id,
                    kind="order",
                    object_key=f"key-{number}",
                    number=number,
                    state=state,
                    amount_ore=amount,
                    currency="DKK",
                    invoice_no="17" if amount else None,
                    reason="Billy rejected the data: contact.countryId: unknown"
                    if state == "failed"
                    else None,
                    error_kind="data" if state == "failed" else None,
                    order_date=datetime(2025, 3, int(number[-1]), tzinfo=UTC),
                )
            )


def test_overview_lists_orders_with_state_invoice_and_amount(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    _seed_orders(rt, shop)
    page = seen(client.get(f"/shops/{shop}/orders"))
    for number in ("1001", "1002", "1003", "2001"):
        assert number in page
    assert "1,234.50 DKK" in page and "awaiting payment" in page
    assert "contact.countryId: unknown" in page


def test_overview_filters_by_state_and_search_with_an_htmx_partial(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    _seed_orders(rt, shop)
    paid = seen(client.get(f"/shops/{shop}/orders", params={"state": "paid"}))
    table = paid.split('id="orders"')[1]
    assert "1001" in table and "1002" not in table
    partial = client.get(
        f"/shops/{shop}/orders",
        params={"q": "200"},
        headers={"HX-Request": "true", "HX-Target": "orders"},
    )
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "2001" in partial.text and "1001" not in partial.text
    nothing = client.get(f"/shops/{shop}/orders", params={"q": "9999"})
    assert 'id="orders-empty"' in nothing.text
    # Dates are the orders' own dates (1 to 4 March, by the last digit of the number).
    days = {"since": "2025-03-02", "until": "2025-03-03"}
    between = seen(client.get(f"/shops/{shop}/orders", params=days)).split('id="orders"')[1]
    assert "1002" in between and "1003" in between
    assert "1001" not in between and "2001" not in between
    by_key = seen(client.get(f"/shops/{shop}/orders", params={"q": "key-2001"}))
    assert "2001" in by_key.split('id="orders"')[1]


def test_danish_amounts_use_danish_separators(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, csrf = admin
    _seed_orders(rt, shop)
    client.post("/language", data={"lang": "da", "back": "/", "csrf_token": csrf})
    page = seen(client.get(f"/shops/{shop}/orders"))
    assert "1.234,50 DKK" in page and "afventer betaling" in page


def test_document_chain_shows_every_step_and_billy_record(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    order = {"key": "A-7", "customer": {"key": "cust-9", "name": "Jens Hansen"}}
    with rt.db.session() as session:
        session.add(
            Transfer(
                shop_id=shop,
                kind="order",
                object_key="A-7",
                number="1007",
                state="credited",
                invoice_no="42",
                amount_ore=50000,
                currency="DKK",
                snapshot=json.dumps(order),
            )
        )
        session.add(
            Transfer(
                shop_id=shop,
                kind="return",
                object_key="R-1",
                order_key="A-7",
                number="1007-R1",
                state="credited",
                invoice_no="43",
                snapshot=json.dumps({"key": "R-1", "order_key": "A-7"}),
            )
        )
        bindings.bind(session, shop, "contact", "cust-9", "billy-contact-1", marker="cust-9")
        bindings.bind(session, shop, "invoice", "A-7", "billy-invoice-1", marker="1007")
        bindings.bind(session, shop, "payment", "A-7", "billy-payment-1")
        bindings.bind(session, shop, "credit_note", "R-1", "billy-credit-1", marker="1007-R1")
        audit.record(
            session,
            shop_id=shop,
            kind="order",
            object_key="A-7",
            step="invoice",
            method="POST",
            path="/v2/invoices",
            status=200,
            duration_ms=12,
        )
        audit.record(
            session,
            shop_id=shop,
            kind="order",
            object_key="A-7",
            step="invoice",
            message="created invoice 1007",
            billy_id="billy-invoice-1",
        )
    page = seen(client.get(f"/shops/{shop}/orders/A-7"))
    for text in ("POST /v2/invoices", "Jens Hansen", "Credit note", "42"):
        assert text in page, text
    # The engine's line "created invoice <marker>" reads as what happened, without the marker.
    assert "Invoice created and approved in Billy." in page
    assert "created invoice 1007" not in page
    # Billy's ids and our markers are for the engine, not for the bookkeeper.
    for internal in ("billy-contact-1", "billy-invoice-1", "billy-payment-1", "billy-credit-1"):
        assert internal not in page, internal
    assert page.count("✓ booked") == 4  # contact, invoice, payment, credit note
    # The booked invoice itself is read from Billy after the page has loaded.
    assert f'hx-get="/shops/{shop}/orders/A-7/document"' in page
    assert f"/shops/{shop}/returns/R-1" in page
    back = seen(client.get(f"/shops/{shop}/returns/R-1"))
    assert f"/shops/{shop}/orders/A-7" in back and "billy-credit-1" not in back
    assert f'hx-get="/shops/{shop}/returns/R-1/document"' in back
    assert client.get(f"/shops/{shop}/orders/unknown").status_code == 404


def test_failed_work_is_grouped_by_what_to_fix(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        session.add(
            Transfer(
                shop_id=shop,
                kind="order",
                object_key="k1",
                number="1",
                state="failed",
                error_kind="configuration",
                reason="shop 'Butik A' is not set up: choose the shipping product",
            )
        )
        session.add(
            Transfer(
                shop_id=shop,
                kind="order",
                object_key="k2",
                number="2",
                state="failed",
                error_kind="data",
                reason="the shop's data cannot be used: total: must be a number",
            )
        )
        session.add(Transfer(shop_id=shop, kind="order", object_key="k3", number="3", state="paid"))
    page = seen(client.get(f"/shops/{shop}/failed"))
    assert 'id="failed-configuration"' in page and 'id="failed-data"' in page
    assert "choose the shipping product" in page and "total: must be a number" in page
    assert 'value="configuration"' in page and 'value="data"' in page
    assert ">3<" not in page.split('id="failed-data"')[1]


def test_failed_page_shows_the_newest_of_each_kind_and_counts_them_all(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        for n in range(105):
            session.add(
                Transfer(
                    shop_id=shop,
                    kind="order",
                    object_key=f"d{n}",
                    number=f"D-{n}",
                    state="failed",
                    error_kind="data",
                    reason="the shop's data cannot be used: total: must be a number",
                )
            )
    page = seen(client.get(f"/shops/{shop}/failed"))
    data = page.split('id="failed-data"')[1]
    assert '<span class="badge badge-failed">105</span>' in data
    assert data.count('name="key" value="d') == 100  # the newest 100, each with its retry
    assert ">D-104<" in data and ">D-4<" not in data
    assert "The newest 100 of 105 are shown" in data


def test_failed_page_says_when_nothing_failed(admin: tuple[TestClient, str], shop: int) -> None:
    client, _ = admin
    assert 'id="nothing-failed"' in client.get(f"/shops/{shop}/failed").text


def test_products_page_shows_the_last_pass(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, _ = admin
    assert "not yet" in seen(client.get(f"/shops/{shop}/products"))
    with rt.db.session() as session:
        session.add(
            ProductSyncState(
                shop_id=shop,
                last_pass_at=datetime(2025, 3, 4, 10, 30, tzinfo=UTC),  # 11:30 in Denmark
                synced=12,
                unchanged=30,
                failed=1,
                last_error="productNo X-1: name is required",
            )
        )
    page = seen(client.get(f"/shops/{shop}/products"))
    assert "2025-03-04 11:30" in page and ">12<" in page and ">30<" in page
    assert "name is required" in page and 'id="sync-now"' in page


def test_setup_check_lists_each_finding(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, csrf = admin
    ready = seen(client.get(f"/shops/{shop}/check"))
    assert "Everything is ready." in ready and "Butik ApS" in ready
    bare, _ = add_shop(client, csrf, "Ny butik", "generic")
    missing = seen(client.get(f"/shops/{bare}/check"))
    assert "check-fail" in missing and "Billy API key" in missing


def test_setup_check_finds_manual_invoice_numbering(
    admin: tuple[TestClient, str], shop: int, billy: BillyEmulator
) -> None:
    """With manual numbering Billy refuses our invoices (422 on invoiceNo, §7)."""
    client, _ = admin
    with BillyClient(KEY, transport=billy.transport()) as api:
        org_id = api.organization.get().id
    with httpx2.Client(transport=billy.transport(), headers={"X-Access-Token": KEY}) as raw:
        answer = raw.put(
            f"https://api.billysbilling.com/v2/organizations/{org_id}",
            json={"organization": {"invoiceNoMode": "manual"}},
        )
        assert answer.status_code == 200, answer.text
    page = seen(client.get(f"/shops/{shop}/check"))
    assert "Billy's invoice numbering is manual" in page and "check-fail" in page
    danish = seen(client.get(f"/shops/{shop}/check", headers={"accept-language": "da"}))
    assert "Fakturanummereringen i Billy er manuel" in danish


def test_preview_shows_what_would_be_posted_and_writes_nothing(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, _ = admin
    with rt.db.session() as session:
        token = shops.rotate_api_token(session, shops.get_shop(session, shop))  # type: ignore[arg-type]
    order = {
        "key": "P-1",
        "number": "5001",
        "created_at": "2025-03-04T14:05:49+01:00",
        "paid_at": "2025-03-04T14:06:10+01:00",
        "customer": {"key": "c-1", "name": "Jens Hansen", "country": "DK"},
        "lines": [{"item_number": "MUG-01", "name": "Mug", "quantity": 2, "unit_price": "100.00"}],
        "shipping": {"method": "GLS", "price": 50},
        "total": 250,
    }
    put = client.put("/api/v1/orders/P-1", json=order, headers={"Authorization": f"Bearer {token}"})
    assert put.status_code == 202
    writes_before = [e for e in billy.journal.entries() if e.method != "GET"]
    page = seen(client.get(f"/shops/{shop}/preview", params={"order": "P-1"}))
    assert "Jens Hansen" in page and "Mug" in page and "GLS" in page
    assert "250.00 DKK" in page  # the gross total
    assert "VAT: Danish customer, 25 % Danish VAT." in page and "25 %" in page
    assert [e for e in billy.journal.entries() if e.method != "GET"] == writes_before
    unknown = seen(client.get(f"/shops/{shop}/preview", params={"order": "nope"}))
    assert 'id="preview-error"' in unknown
