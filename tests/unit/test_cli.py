"""`billysync shop …`, `accounts`, `products`: shops and their settings from the command line.

`shop set` must refuse exactly what the settings page refuses, say what to fix, save nothing
then, and accept accounts and products by number or name. Exit codes as in docs/cli.md.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from billysync.billy.client import BillyClient
from billysync.config import ProcessSettings
from billysync.store import shops
from billysync.sync.runtime import Runtime
from billysync.web.app import create_app
from tests.support.cli_helpers import (
    BILLY_TOKEN,
    OTHER_TOKEN,
    Billy,
    Run,
    added_shop,
    connected_shop,
    json_of,
)


def _shop(shop_id: int) -> shops.Shop:
    rt = Runtime.from_settings(ProcessSettings())
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
    rt.db.dispose()
    assert shop is not None
    return shop


def _account_ids(billy: Billy) -> dict[int, str]:
    with BillyClient(BILLY_TOKEN, base_url=billy.url) as client:
        return {a.account_no: a.id for a in client.accounts.list() if a.account_no}


def test_set_up_a_shop_by_account_numbers_and_names(cli_any_db: Run, billy: Billy) -> None:
    cli = cli_any_db  # on SQLite and on PostgreSQL
    shop_id = connected_shop(cli, billy)
    unready = cli("doctor", shop_id)
    assert unready.exit_code == 1
    assert "FIX  Sales account" in unready.output and "CLI ApS" in unready.output

    made = cli("shop", "create-products", shop_id, "--json")
    assert made.exit_code == 0, made.output
    products = {p["kind"]: p for p in json_of(made)["products"]}
    assert products["shipping"]["created"] and products["discount"]["created"]
    again = cli("shop", "create-products", shop_id, "--only", "shipping")
    assert again.exit_code == 0 and "already in Billy" in again.output  # never made twice
    with BillyClient(BILLY_TOKEN, base_url=billy.url) as client:
        assert len(client.products.find_by_product_no("SHIPPING")) == 1

    saved = cli(
        "shop", "set", shop_id,
        "--sales-account", "salg",  # by name, any case
        "--payment-account", "5710",  # by number
        "--post-payments", "--trigger", "shipped", "--prefix", "CLI-",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    assert f"billysync doctor {shop_id}" in saved.output
    # What the number and the name were taken for is said.
    assert "Sales account: 1110 Salg" in saved.output
    assert "Payment account: 5710 Bank" in saved.output
    ids = _account_ids(billy)
    shop = _shop(shop_id)
    assert shop.sales_account_id == ids[1110] and shop.payment_account_id == ids[5710]
    assert shop.shipping_product_id == products["shipping"]["id"]
    assert (shop.trigger, shop.order_prefix, shop.post_payments) == ("shipped", "CLI-", True)

    ready = cli("doctor", shop_id, "--json")
    assert ready.exit_code == 0, ready.output
    report = json_of(ready)
    assert report["ready"] is True and all(c["ok"] for c in report["checks"])
    assert any("5710 Bank" in c["message"] for c in report["checks"])

    listed = cli("shop", "list", "--json")
    assert json_of(listed)["shops"][0]["trigger"] == "shipped"
    assert BILLY_TOKEN not in listed.output and BILLY_TOKEN not in ready.output


def test_shop_set_refuses_what_the_page_refuses_and_saves_nothing(
    cli_any_db: Run, billy: Billy
) -> None:
    cli = cli_any_db  # on SQLite and on PostgreSQL
    shop_id = connected_shop(cli, billy)
    before = _shop(shop_id)

    wrong_key = cli("shop", "set", shop_id, "--billy-key", "not-a-billy-token")
    assert wrong_key.exit_code == 2
    assert "Billy refused the API key" in wrong_key.stderr
    assert "not-a-billy-token" not in wrong_key.output

    bank_as_sales = cli("shop", "set", shop_id, "--sales-account", "5710")
    assert bank_as_sales.exit_code == 2
    assert "“5710” is not a revenue account" in bank_as_sales.stderr
    assert f"billysync accounts {shop_id} --revenue" in bank_as_sales.stderr

    sales_as_payment = cli("shop", "set", shop_id, "--payment-account", "Salg", "--json")
    assert sales_as_payment.exit_code == 2
    problems = json_of(sales_as_payment)["problems"]
    assert [p["code"] for p in problems] == ["unknown_payment_account"]

    unknown = cli(
        "shop", "set", shop_id, "--sales-account", "9999", "--shipping-product", "Fragtbil",
        "--trigger", "sometimes", "--prefix", "WEB 1",
    )  # fmt: skip
    assert unknown.exit_code == 2
    # Plain values are refused before Billy is asked, each with what to do.
    assert "--trigger is paid or shipped" in unknown.stderr
    assert "no spaces in --prefix" in unknown.stderr
    assert "Nothing was saved." in unknown.stderr
    refused_choices = cli("shop", "set", shop_id, "--sales-account", "9999", "--shipping-product",
                          "Fragtbil", "--json")  # fmt: skip
    codes = {p["field"]: p["code"] for p in json_of(refused_choices)["problems"]}
    assert codes == {
        "sales_account_id": "unknown_sales_account",
        "shipping_product_id": "unknown_product",
    }

    with BillyClient(BILLY_TOKEN, base_url=billy.url) as client:
        for number in ("FRAGT-1", "FRAGT-2"):
            client.products.create(
                {
                    "name": "Fragt",
                    "productNo": number,
                    "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
                }
            )
    two = cli("shop", "set", shop_id, "--shipping-product", "fragt")
    assert two.exit_code == 2
    assert "“fragt” fits more than one: Fragt (FRAGT-1)" in two.stderr
    assert "Give the number or the id instead." in two.stderr
    by_number = cli("shop", "set", shop_id, "--shipping-product", "FRAGT-2", "--json")
    assert json_of(by_number)["chosen"] == {"shipping_product_id": "Fragt (FRAGT-2)"}
    before = _shop(shop_id)

    nothing = cli("shop", "set", shop_id)
    assert nothing.exit_code == 2 and "Nothing to change" in nothing.stderr

    no_payment_account = cli("shop", "set", shop_id, "--post-payments")
    assert no_payment_account.exit_code == 2 and "--payment-account" in no_payment_account.stderr

    bad_url = cli("shop", "set", shop_id, "--billy-url", "ftp://billy.example/v2")
    assert bad_url.exit_code == 2 and "https://" in bad_url.stderr
    moved = cli("shop", "set", shop_id, "--billy-url", "https://billy.example/v2")
    assert moved.exit_code == 2 and "--billy-key" in moved.stderr  # the key never travels

    after = _shop(shop_id)
    for name in ("sales_account_id", "payment_account_id", "trigger", "order_prefix"):
        assert getattr(after, name) == getattr(before, name), name
    assert after.billy_key_secret == before.billy_key_secret
    assert after.billy_base_url == billy.url


def test_a_key_of_another_organization_clears_the_choices(cli: Run, billy: Billy) -> None:
    shop_id = connected_shop(cli, billy)
    assert cli("shop", "set", shop_id, "--sales-account", "1110").exit_code == 0
    switched = cli("shop", "set", shop_id, "--billy-key", OTHER_TOKEN, "--json")
    assert switched.exit_code == 0, switched.output
    assert json_of(switched)["other_org"] == "Anden ApS"
    shop = _shop(shop_id)
    assert shop.billy_org_name == "Anden ApS" and shop.sales_account_id is None


def test_accounts_and_products_list_what_shop_set_takes(cli: Run, billy: Billy) -> None:
    shop_id = connected_shop(cli, billy)
    listed = cli("accounts", shop_id, "--json")
    assert listed.exit_code == 0, listed.output
    data = json_of(listed)
    revenue = {a["number"]: a["name"] for a in data["revenue_accounts"]}
    payments = {a["number"]: a["name"] for a in data["payment_accounts"]}
    assert revenue["1110"] == "Salg" and "5710" not in revenue
    assert payments["5710"] == "Bank" and "1110" not in payments
    words = cli("accounts", shop_id, "--payments")
    assert "5710" in words.output and "Bank" in words.output and "Salg " not in words.output

    assert cli("shop", "create-products", shop_id).exit_code == 0
    products = json_of(cli("products", shop_id, "--json"))["products"]
    assert {p["number"] for p in products} >= {"SHIPPING", "DISCOUNT"}

    unset, _ = added_shop(cli, "Uden nøgle")
    no_key = cli("products", unset)
    assert no_key.exit_code == 2 and f"billysync shop set {unset} --billy-key" in no_key.stderr


def test_shop_add_refuses_unknown_platforms(cli: Run) -> None:
    magento = cli("shop", "add", "Magento-butik", "--platform", "magento")
    assert magento.exit_code == 2
    assert "Unknown platform “magento”" in magento.stderr
    assert "shoporama or generic" in magento.stderr
    assert json_of(cli("shop", "list", "--json"))["shops"] == []
    nameless = cli("shop", "add", "  ")
    assert nameless.exit_code == 2 and "name" in nameless.stderr


def test_the_api_token_is_replaced_and_the_old_one_stops_at_once(cli: Run) -> None:
    shop_id, old = added_shop(cli)
    shown = cli("shop", "token", shop_id)
    assert shown.exit_code == 2
    assert f"billysync shop token {shop_id} --rotate" in shown.stderr and old not in shown.output

    rt = Runtime.from_settings(ProcessSettings())
    api = TestClient(create_app(rt), base_url="https://testserver")
    order = {"key": "1", "customer": {"key": "c", "name": "C", "country": "DK"}, "lines": []}

    def put(token: str) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return api.put("/api/v1/orders/1", json=order, headers=headers).status_code

    assert put(old) != 401
    rotated = cli("shop", "token", shop_id, "--rotate", "--json")
    assert rotated.exit_code == 0, rotated.output
    new = json_of(rotated)["token"]
    assert new != old
    assert put(old) == 401
    assert put(new) != 401
    api.close()
    rt.db.dispose()

    missing = cli("shop", "token", 99, "--rotate")
    assert missing.exit_code == 3 and "There is no shop 99" in missing.stderr


def test_the_shop_connection_follows_the_pages_rules(cli: Run) -> None:
    shop_id, _ = added_shop(cli, "Shoporama-butik", "--platform", "shoporama")
    connection = ("--shop-url", "https://shop.example/REST", "--shop-token", "shoporama-secret-1")
    first = cli("shop", "set", shop_id, *connection, "--webhook-secret", "hook-secret-1")
    assert first.exit_code == 0, first.output
    moved = cli("shop", "set", shop_id, "--shop-url", "https://other.example/REST")
    assert moved.exit_code == 2 and "--shop-token" in moved.stderr
    header = cli("shop", "set", shop_id, "--signature-header", "X Bad: header", "--json")
    assert [p["code"] for p in json_of(header)["problems"]] == ["header_invalid"]
    plain_http = cli("shop", "set", shop_id, "--shop-url", "http://shop.example/REST",
                     "--shop-token", "shoporama-secret-2")  # fmt: skip
    assert plain_http.exit_code == 2 and "https://" in plain_http.stderr
    shop = _shop(shop_id)
    assert shop.shop_base_url == "https://shop.example/REST"
    for answer in (first, moved, header, plain_http):
        assert "shoporama-secret" not in answer.output and "hook-secret" not in answer.output


def test_payment_methods_fees_and_invoice_email_are_set_by_name(cli: Run, billy: Billy) -> None:
    shop_id = connected_shop(cli, billy)
    saved = cli(
        "shop", "set", shop_id,
        "--payment-method-account", "MobilePay=5730",
        "--payment-method-account", "Kort=Bank",
        "--fee-account", "2320", "--email-invoices",
    )  # fmt: skip
    assert saved.exit_code == 0, saved.output
    ids = _account_ids(billy)
    shop = _shop(shop_id)
    assert json.loads(shop.payment_method_accounts or "{}") == {
        "mobilepay": ids[5730],
        "kort": ids[5710],
    }
    assert shop.fee_account_id == ids[2320] and shop.email_invoices is True

    # A method's account must take payments, a fee account must be an expense account.
    refused = cli(
        "shop", "set", shop_id,
        "--payment-method-account", "Faktura=1110", "--fee-account", "5710", "--json",
    )  # fmt: skip
    assert refused.exit_code == 2
    codes = [p["code"] for p in json_of(refused)["problems"]]
    assert codes == ["unknown_payment_account", "unknown_fee_account"]
    assert _shop(shop_id).payment_method_accounts == shop.payment_method_accounts

    removed = cli("shop", "set", shop_id, "--payment-method-account", "MOBILEPAY=")
    assert removed.exit_code == 0, removed.output
    assert json.loads(_shop(shop_id).payment_method_accounts or "{}") == {"kort": ids[5710]}


def test_the_most_billy_calls_per_second_are_set_as_on_the_page(
    cli: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id, _ = added_shop(cli)
    refused = cli("shop", "set", shop_id, "--billy-rate", "hurtigt", "--json")
    assert refused.exit_code == 2
    assert [p["code"] for p in json_of(refused)["problems"]] == ["rate_invalid"]
    assert _shop(shop_id).billy_requests_per_second is None
    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    danish = cli("shop", "set", shop_id, "--billy-rate", "0")
    assert danish.exit_code == 2
    assert "et tal over 0 og højst 1000" in danish.stderr and "Intet blev gemt" in danish.stderr
    monkeypatch.delenv("BILLYSYNC_LANGUAGE")
    saved = cli("shop", "set", shop_id, "--billy-rate", "2,5", "--json")
    assert saved.exit_code == 0, saved.output
    assert json_of(saved)["saved"] == ["billy_requests_per_second"]
    assert _shop(shop_id).billy_requests_per_second == 2.5
    assert cli("shop", "set", shop_id, "--billy-rate", "").exit_code == 0
    assert _shop(shop_id).billy_requests_per_second is None  # empty: the default again
