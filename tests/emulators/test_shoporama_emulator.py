"""The Shoporama emulator's REST side and its generated shop."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx2
import pytest

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.money import ZERO, parse_money, round2


@pytest.fixture
def shop() -> Iterator[ShoporamaEmulator]:
    emulator = ShoporamaEmulator(seed=11, token="t-123")
    emulator.advance(60)
    yield emulator
    emulator.close()


@pytest.fixture
def http(shop: ShoporamaEmulator) -> Iterator[httpx2.Client]:
    with httpx2.Client(
        transport=shop.transport(),
        base_url="http://shop.test/REST/",
        headers={"Authorization": "Shoporama t-123"},
    ) as client:
        yield client


def money(value: object) -> Decimal:
    return parse_money(value)


# --- REST ----------------------------------------------------------------------------------
@pytest.mark.parametrize("auth", ["Shoporama t-123", "Bearer t-123", "t-123", "shoporama t-123"])
def test_accepted_authorization_forms(shop: ShoporamaEmulator, auth: str) -> None:
    answer = shop.handle("GET", "/REST/product", {}, {"Authorization": auth})
    assert answer.status == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Shoporama wrong"}, {"X-Other": "t"}])
def test_401_without_the_token_and_not_counted(
    shop: ShoporamaEmulator, headers: dict[str, str]
) -> None:
    before = shop.calls_today
    assert shop.handle("GET", "/REST/order", {}, headers).status == 401
    assert shop.calls_today == before


def test_lists_have_paging_and_a_plural_key(shop: ShoporamaEmulator, http: httpx2.Client) -> None:
    total = len(shop.orders())
    body = http.get("order", params={"limit": 10, "offset": 5}).json()
    assert body["paging"] == {"offset": 5, "limit": 10, "count": 10, "total": total}
    assert [o["order_id"] for o in body["orders"]] == [o["order_id"] for o in shop.orders()[5:15]]
    assert http.get("order", params={"limit": 1000}).json()["paging"]["limit"] == 100
    tail = http.get("order", params={"offset": total - 2}).json()
    assert tail["paging"]["count"] == 2
    assert http.get("order", params={"limit": "x"}).status_code == 400
    assert "order_returns" in http.get("order-return").json()
    assert "customers" in http.get("customer").json()


def test_categories_and_shipping_are_bare_arrays(http: httpx2.Client) -> None:
    categories = http.get("category").json()
    assert isinstance(categories, list) and categories and "category_id" in categories[0]
    assert isinstance(http.get("shipping").json(), list)


def test_single_objects_are_bare_and_unknown_ones_404(
    shop: ShoporamaEmulator, http: httpx2.Client
) -> None:
    order = shop.orders()[0]
    assert http.get(f"order/{order['order_id']}").json() == order
    missing = http.get("order/1")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/plain")
    assert http.get("nothing-here").status_code == 404
    assert http.post("order", json={}).status_code == 405


def test_last_modified_filter(shop: ShoporamaEmulator, http: httpx2.Client) -> None:
    orders = shop.orders()
    middle = sorted(o["last_modified"] for o in orders)[len(orders) // 2]
    since = middle.replace(" ", "T")
    got = http.get("order", params={"last_modified": since}).json()["orders"]
    assert {o["order_id"] for o in got} == {
        o["order_id"] for o in orders if o["last_modified"] >= middle
    }
    assert 0 < len(got) < len(orders)


def test_search_and_customer_filters(shop: ShoporamaEmulator, http: httpx2.Client) -> None:
    found = http.get("product", params={"search": "kaffekop"}).json()["products"]
    assert [p["name"] for p in found] == ["Kaffekop i stentøj"]
    with_account = next(o for o in shop.orders() if o["customer_id"])
    theirs = http.get("order", params={"customer_id": with_account["customer_id"]}).json()
    assert theirs["orders"] and all(
        o["customer_id"] == with_account["customer_id"] for o in theirs["orders"]
    )


def test_a_daily_limit_per_token_answers_429() -> None:
    clock_time = [datetime(2025, 3, 4, 23, 0, tzinfo=UTC)]
    shop = ShoporamaEmulator(seed=1, daily_limit=3, clock=lambda: clock_time[0])
    auth = {"Authorization": f"Shoporama {shop.token}"}
    assert [shop.handle("GET", "/REST/product", {}, auth).status for _ in range(4)] == [
        200, 200, 200, 429,
    ]  # fmt: skip
    refused = shop.handle("GET", "/REST/product", {}, auth)
    assert refused.status == 429 and int(refused.headers["Retry-After"]) == 3600
    assert shop.calls_today == 5
    clock_time[0] += timedelta(hours=1)  # midnight UTC
    assert shop.calls_today == 0
    assert shop.handle("GET", "/REST/product", {}, auth).status == 200


def test_self_reports_usage(http: httpx2.Client) -> None:
    http.get("product")
    me = http.get("self").json()
    assert me["current_usage"] == 2 and me["daily_limit"] == 1000


# --- the generated shop --------------------------------------------------------------------
def test_the_seed_decides_the_shop() -> None:
    one, same, other = ShoporamaEmulator(seed=5), ShoporamaEmulator(seed=5), ShoporamaEmulator(6)
    for emulator in (one, same, other):
        emulator.advance(25)
    assert one.orders() == same.orders()
    assert one.orders() != other.orders()
    assert [e.name for e in one.events] == [e.name for e in same.events]


def test_totals_are_consistent(shop: ShoporamaEmulator) -> None:
    shop.advance(100)
    for order in shop.orders():
        amounts = [order["total_price"], order["vat"], order["shipping_price"]]
        amounts += [line["unit_price"] for line in order["products"]]
        assert all(money(a) == round2(money(a)) for a in amounts), "two decimals at most"
        goods = sum((round2(money(li["unit_price"]) * li["amount"]) for li in order["products"]),
                    ZERO)  # fmt: skip
        cards = sum((money(c["amount"]) for c in order["gift_cards"]), ZERO)
        voucher = money(order["voucher_discount_amount"])
        total = money(order["total_price"])
        assert total == goods + money(order["shipping_price"]) - voucher - cards
        assert total > 0
        assert money(order["vat"]) == round2(total * Decimal("0.2"))
        assert money(order["price"]) == goods


def test_payment_kinds(shop: ShoporamaEmulator) -> None:
    card = shop.generate_order(payment="card")
    invoice = shop.generate_order(payment="invoice", kind="company")
    ean = shop.generate_order(kind="ean")
    assert card["paid"] == 1 and card["payment_gateway"] == "quickpay"
    assert invoice["paid"] == 0 and invoice["payment_gateway"] == "invoice"
    assert ean["paid"] == 0 and ean["ean_number"] and ean["cvr"]
    names = [e.name for e in shop.events if e.object_id == card["order_id"]]
    assert names == ["order_created", "paid"]
    assert shop.pay_order(invoice["order_id"])["paid"] == 1
    with pytest.raises(ValueError):
        shop.pay_order(invoice["order_id"])


def test_euro_orders(shop: ShoporamaEmulator) -> None:
    order = shop.generate_order(kind="abroad")
    assert order["currency"] == "EUR" and order["order_country"] != "DK"
    dkk_price = next(
        p["price"] for p in shop.products() if p["product_id"] == order["products"][0]["product_id"]
    )
    assert money(order["products"][0]["unit_price"]) < money(dkk_price)
    euro_shop = ShoporamaEmulator(seed=3, currency="EUR")
    domestic = euro_shop.generate_order(kind="person")
    assert domestic["currency"] == "EUR"


def test_variants_have_their_own_item_numbers(shop: ShoporamaEmulator) -> None:
    numbers = [s["own_id"] for p in shop.products() for s in p["stock_settings"]]
    numbers += [p["own_id"] for p in shop.products()]
    assert len(numbers) == len(set(numbers))
    order = shop.generate_order(variants=True)
    variant_skus = {s["own_id"] for p in shop.products() for s in p["stock_settings"]}
    assert any(line["own_id"] in variant_skus and line["attributes"] for line in order["products"])
    plain = shop.generate_order(variants=False, lines=3)
    assert all(not line["attributes"] for line in plain["products"])


def test_returns_never_exceed_what_was_bought(shop: ShoporamaEmulator) -> None:
    order = shop.generate_order(lines=2, payment="card")
    with pytest.raises(ValueError):
        shop.create_return(order["order_id"])  # not shipped yet
    shop.ship_order(order["order_id"])
    while True:
        try:
            shop.create_return(order["order_id"], full=False)
        except ValueError:
            break
    returned: dict[str, int] = {}
    for record in shop.returns():
        if record["order_id"] == order["order_id"]:
            for line in record["products"]:
                returned[line["own_id"]] = returned.get(line["own_id"], 0) + line["amount"]
    assert returned == {line["own_id"]: line["amount"] for line in order["products"]}


def test_returns_credit_what_was_paid(shop: ShoporamaEmulator) -> None:
    order = shop.generate_order(voucher=True, lines=2, payment="card")
    shop.ship_order(order["order_id"])
    record = shop.create_return(order["order_id"], full=True, refund_shipping=False)
    credited = sum((round2(money(li["unit_price"]) * li["amount"]) for li in record["products"]),
                   ZERO)  # fmt: skip
    assert money(record["total_price"]) == credited
    paid_for_goods = money(order["price"]) - money(order["voucher_discount_amount"])
    units = sum(line["amount"] for line in order["products"])
    assert abs(credited - paid_for_goods) <= Decimal("0.01") * units  # per-unit rounding


def test_product_changes_move_last_modified(shop: ShoporamaEmulator) -> None:
    before = {p["product_id"]: p for p in shop.products()}
    changed = shop.change_price(196405)
    assert changed["price"] != before[196405]["price"]
    assert changed["last_modified"] > before[196405]["last_modified"]
    grown = shop.add_variant(196401)
    assert len(grown["stock_settings"]) == len(before[196401]["stock_settings"]) + 1
    assert (
        grown["attributes"][0]["values"][-1]["attribute_value_id"]
        == (grown["stock_settings"][-1]["attribute_value_id"])
    )


def test_the_shop_lives(shop: ShoporamaEmulator) -> None:
    names = {e.name for e in shop.advance(200)}
    assert {"order_created", "paid", "new_status", "new_return", "product", "stock"} <= names
    statuses = {o["status"] for o in shop.orders()}
    assert {"new", "shipped"} <= statuses


def test_over_real_http() -> None:
    shop = ShoporamaEmulator(seed=2)
    shop.advance(20)
    url, stop = shop.start_background_server()
    try:
        assert url.endswith("/REST")
        answer = httpx2.get(f"{url}/order", headers={"Authorization": f"Shoporama {shop.token}"})
        body: dict[str, Any] = answer.json()
        assert body["paging"]["total"] == len(shop.orders())
        assert httpx2.get(f"{url}/order").status_code == 401
        raw = httpx2.get(f"{url}/category", headers={"Authorization": shop.token}).content
        assert json.loads(raw) == json.loads(json.dumps(shop.shop.categories))
    finally:
        stop()
        shop.close()
