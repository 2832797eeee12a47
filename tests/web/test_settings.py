"""Settings → Financial system and the shop connection, against the Billy emulator."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from billysync.billy.client import BillyClient
from billysync.billy.ratelimit import SharedLimiter
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import add_shop, seen, shop_row

KEY = "billy-token-0001-abcd"


@pytest.fixture
def shop(admin: tuple[TestClient, str]) -> int:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Butik A", "shoporama")
    return shop_id


def _billy_ids(billy: BillyEmulator, token: str = KEY) -> dict[str, Any]:
    with BillyClient(token, transport=billy.transport()) as client:
        org = client.organization.get()
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        products = client.products.list()
    return {"org": org, "accounts": accounts, "products": products}


def _save(client: TestClient, csrf: str, shop_id: int, **fields: str) -> Any:
    form = {"csrf_token": csrf, "trigger": "paid", "order_prefix": "", **fields}
    return client.post(f"/shops/{shop_id}/settings", data=form, follow_redirects=False)


def test_without_a_key_the_page_asks_for_one(admin: tuple[TestClient, str], shop: int) -> None:
    client, _ = admin
    page = client.get(f"/shops/{shop}/settings")
    assert page.status_code == 200
    assert "Save a valid API key first" in seen(page) and "Billy's Billing" not in seen(page)
    assert 'name="sales_account_id"' not in seen(page)


def test_a_refused_key_is_not_saved(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    answer = _save(client, csrf, shop, api_key="not-a-billy-token")
    assert answer.status_code == 400
    assert "Billy refuses the key (HTTP 401)" in seen(answer)
    assert "not-a-billy-token" not in seen(answer)
    row = shop_row(rt, shop)
    assert row is not None and row.billy_key_secret is None and row.billy_org_name is None


def test_the_key_is_checked_live_then_lists_come_from_billy(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    saved = _save(client, csrf, shop, api_key=KEY)
    assert saved.status_code == 303
    row = shop_row(rt, shop)
    assert row is not None and row.billy_org_name == "Butik ApS"
    assert shops.billy_key(row, rt.box) == KEY and KEY not in (row.billy_key_secret or "")
    page = seen(client.get(f"/shops/{shop}/settings"))
    assert "connected to “Butik ApS”" in page and "Butik ApS" in page
    assert KEY not in page and "••••abcd" in page
    ids = _billy_ids(billy)
    assert ids["accounts"][1110] in page  # a revenue account to choose
    assert "1110 Salg" in page and "5710 Bank" in page
    assert 'id="create-shipping"' in page and 'id="create-discount"' in page
    # The organization's defaults are pre-chosen: sales account and bank account.
    assert f'value="{ids["org"].default_sales_account_id}" selected' in page


def test_choices_are_validated_and_nothing_saved_when_wrong(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    _save(client, csrf, shop, api_key=KEY)
    accounts = _billy_ids(billy)["accounts"]
    answer = _save(
        client,
        csrf,
        shop,
        lists_shown="1",
        sales_account_id=accounts[5710],  # a bank account is not a revenue account
        post_payments="on",
        payment_account_id="",
        order_prefix="WEB ",
        trigger="paid",
    )
    assert answer.status_code == 400
    text = seen(answer)
    assert "Choose the account payments are posted to, or turn payment posting off" in text
    assert "not a revenue account" in text
    assert "Choose the shipping product" in text and "Choose the discount product" in text
    assert "Nothing was saved" in text
    row = shop_row(rt, shop)
    assert row is not None and row.sales_account_id is None and row.payment_account_id is None


def test_one_click_creates_the_shipping_product_once(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    _save(client, csrf, shop, api_key=KEY)
    accounts = _billy_ids(billy)["accounts"]
    form = {
        "csrf_token": csrf,
        "kind": "shipping",
        "lists_shown": "1",
        "sales_account_id": accounts[1115],
    }
    page = client.post(f"/shops/{shop}/settings/product", data=form)
    assert page.status_code == 200
    assert "was created in Billy and saved as the shipping product" in seen(page)
    again = client.post(f"/shops/{shop}/settings/product", data=form)
    assert "already has" in seen(again)
    [product] = _billy_ids(billy)["products"]
    assert (product.product_no, product.name, product.account_id) == (
        "SHIPPING",
        "Shipping",
        accounts[1115],
    )
    assert [(p.unit_price, p.currency_id) for p in product.prices] == [(0, "DKK")]
    row = shop_row(rt, shop)
    assert row is not None and row.shipping_product_id == product.id
    assert 'id="create-shipping"' not in seen(again) and 'id="create-discount"' in seen(again)


def test_a_complete_save_stores_every_choice(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    _save(client, csrf, shop, api_key=KEY)
    for kind in ("shipping", "discount"):
        client.post(f"/shops/{shop}/settings/product", data={"csrf_token": csrf, "kind": kind})
    ids = _billy_ids(billy)
    products = {p.product_no: p.id for p in ids["products"]}
    answer = _save(
        client,
        csrf,
        shop,
        lists_shown="1",
        sales_account_id=ids["accounts"][1110],
        shipping_product_id=products["SHIPPING"],
        discount_product_id=products["DISCOUNT"],
        trigger="shipped",
        post_payments="on",
        payment_account_id=ids["accounts"][5730],
        order_prefix="WEB-",
    )
    assert answer.status_code == 303, seen(answer)
    row = shop_row(rt, shop)
    assert row is not None
    assert (row.sales_account_id, row.trigger, row.post_payments, row.order_prefix) == (
        ids["accounts"][1110],
        "shipped",
        True,
        "WEB-",
    )
    assert row.payment_account_id == ids["accounts"][5730]
    assert (row.shipping_product_id, row.discount_product_id) == (
        products["SHIPPING"],
        products["DISCOUNT"],
    )
    assert shops.billy_key(row, rt.box) == KEY  # an empty key field keeps the saved key
    off = _save(
        client,
        csrf,
        shop,
        lists_shown="1",
        sales_account_id=ids["accounts"][1110],
        shipping_product_id=products["SHIPPING"],
        discount_product_id=products["DISCOUNT"],
    )
    assert off.status_code == 303
    row = shop_row(rt, shop)
    assert row is not None and not row.post_payments and row.payment_account_id is None


def test_a_key_of_another_organization_resets_the_choices(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    billy.add_organization("other-token-9999", "Andet ApS")
    _save(client, csrf, shop, api_key=KEY)
    client.post(f"/shops/{shop}/settings/product", data={"csrf_token": csrf, "kind": "shipping"})
    assert shop_row(rt, shop).shipping_product_id  # type: ignore[union-attr]
    answer = _save(client, csrf, shop, api_key="other-token-9999", lists_shown="1")
    assert answer.status_code == 303
    row = shop_row(rt, shop)
    assert row is not None and row.billy_org_name == "Andet ApS" and row.shipping_product_id is None
    assert "another organization" in seen(client.get(f"/shops/{shop}/settings"))


def test_a_locked_organization_is_refused(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    billy.lock_organization(KEY, "unpaid subscription")
    answer = _save(client, csrf, shop, api_key=KEY)
    assert answer.status_code == 400 and "is locked" in seen(answer)
    assert shop_row(rt, shop).billy_key_secret is None  # type: ignore[union-attr]


def test_changing_the_billy_address_needs_the_key_again(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    _save(client, csrf, shop, api_key=KEY)
    answer = _save(client, csrf, shop, billy_base_url="https://attacker.example/v2")
    assert answer.status_code == 400 and "Enter the API key again" in seen(answer)
    plain_http = _save(client, csrf, shop, api_key=KEY, billy_base_url="http://billy.example/v2")
    assert plain_http.status_code == 400 and "https://" in seen(plain_http)
    assert shop_row(rt, shop).billy_base_url is None  # type: ignore[union-attr]


def test_shop_connection_saves_secrets_and_shows_the_webhook_address(
    admin: tuple[TestClient, str], shop: int, rt: Runtime
) -> None:
    client, csrf = admin
    form = {
        "csrf_token": csrf,
        "shop_base_url": "https://www.shoporama.dk/REST",
        "shop_token": "shoporama-token-7777",
        "webhook_secret": "webhook-secret-8888",
        "signature_header": "X-Shoporama-Signature",
    }
    saved = client.post(f"/shops/{shop}/settings/connection", data=form, follow_redirects=False)
    assert saved.status_code == 303
    row = shop_row(rt, shop)
    assert row is not None
    assert shops.shop_token(row, rt.box) == "shoporama-token-7777"
    assert shops.webhook_secret(row, rt.box) == "webhook-secret-8888"
    page = seen(client.get(f"/shops/{shop}/settings"))
    assert "shoporama-token-7777" not in page and "webhook-secret-8888" not in page
    assert "7777" in page and "8888" in page
    assert f"https://sync.example/hooks/shoporama/{shop}" in page
    # Keeping the secrets: empty fields leave them as they are.
    kept = client.post(
        f"/shops/{shop}/settings/connection",
        data={**form, "shop_token": "", "webhook_secret": ""},
        follow_redirects=False,
    )
    assert kept.status_code == 303
    assert shops.webhook_secret(shop_row(rt, shop), rt.box) == "webhook-secret-8888"  # type: ignore[arg-type]
    moved = client.post(
        f"/shops/{shop}/settings/connection",
        data={**form, "shop_base_url": "https://elsewhere.example/REST", "shop_token": ""},
    )
    assert moved.status_code == 400 and "Enter the Shoporama token again" in seen(moved)
    bad_header = client.post(
        f"/shops/{shop}/settings/connection", data={**form, "signature_header": "X Bad: header"}
    )
    assert bad_header.status_code == 400
    assert shop_row(rt, shop).shop_base_url == "https://www.shoporama.dk/REST"  # type: ignore[union-attr]


def test_the_most_billy_calls_per_second_are_checked_saved_and_used(
    admin: tuple[TestClient, str], shop: int, rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    billy.add_organization(KEY, "Butik ApS")
    _save(client, csrf, shop, api_key=KEY)
    for bad in ("fast", "0", "-3", "1001", "nan"):
        answer = _save(client, csrf, shop, billy_requests_per_second=bad)
        assert answer.status_code == 400, bad
        assert "calls per second above 0 and at most 1000" in seen(answer)
    assert shop_row(rt, shop).billy_requests_per_second is None  # type: ignore[union-attr]
    assert _save(client, csrf, shop, billy_requests_per_second="2,5").status_code == 303
    row = shop_row(rt, shop)
    assert row is not None and row.billy_requests_per_second == 2.5
    assert 'value="2.5"' in client.get(f"/shops/{shop}/settings").text
    # The engine's client for this shop paces its organization at the shop's ceiling.
    with rt.billy_client(row) as billy_client:
        limiter = billy_client._http.rate_limiter
    assert isinstance(limiter, SharedLimiter)
    assert limiter.key == f"org:{row.billy_org_id}" and limiter.pace.ceiling == 2.5
    # Empty again: the default.
    assert _save(client, csrf, shop, billy_requests_per_second="").status_code == 303
    row = shop_row(rt, shop)
    assert row is not None and row.billy_requests_per_second is None
    with rt.billy_client(row) as billy_client:
        assert billy_client._http.rate_limiter is limiter  # one limiter per organization
    assert limiter.pace.ceiling == rt.billy_rate_per_second
