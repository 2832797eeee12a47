"""Every captured Shoporama response parses: products into Product models, lists in both shapes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import pytest

from billysync.money import parse_money
from billysync.shop.models import Product
from billysync.shop.shoporama import CallBudget, ShoporamaClient, product_from_payload
from billysync.shop.shoporama import values as V
from billysync.shop.shoporama.paging import read_page

Load = Callable[[str], Any]


def _serving(body: object, seen: list[httpx2.Request]) -> httpx2.MockTransport:
    def handler(request: httpx2.Request) -> httpx2.Response:
        seen.append(request)
        return httpx2.Response(200, json=body)

    return httpx2.MockTransport(handler)


def _client(transport: httpx2.BaseTransport) -> ShoporamaClient:
    return ShoporamaClient("tok", transport=transport, budget=CallBudget(daily_limit=50))


def test_every_fixture_file_is_covered(shoporama_fixtures: Path) -> None:
    covered = {
        "product_list.json",
        "product_single.json",
        "product_search_empty.json",
        "category_list.json",
    }
    present = {p.name for p in shoporama_fixtures.glob("*.json")}
    assert present == covered, "a new fixture file needs a parsing test here"


def test_product_list_parses_into_products(load_fixture: Load) -> None:
    raw = load_fixture("product_list.json")
    page = read_page(raw, "products", offset=0, limit=12)
    assert page.total == raw["paging"]["total"]
    products = [product_from_payload(item) for item in page.items]
    assert len(products) == len(raw["products"])
    for item, product in zip(raw["products"], products, strict=True):
        assert isinstance(product, Product)
        assert product.key == str(item["product_id"])
        assert product.item_number == item["own_id"]
        assert product.name == item["name"]
        assert product.price == parse_money(item["price"])
        assert product.variants == ()  # stock_settings are empty in every live sample


def test_product_list_through_the_client_stops_after_the_total(load_fixture: Load) -> None:
    raw = load_fixture("product_list.json")
    seen: list[httpx2.Request] = []
    with _client(_serving(raw, seen)) as client:
        items = client.list_products()
    assert [i["product_id"] for i in items] == [i["product_id"] for i in raw["products"]]
    assert len(seen) == 1  # 12 of total 12: no second page asked for


def test_single_product_is_a_bare_object(load_fixture: Load) -> None:
    raw = load_fixture("product_single.json")
    seen: list[httpx2.Request] = []
    with _client(_serving(raw, seen)) as client:
        payload = client.get_product(raw["product_id"])
    assert payload == raw
    assert seen[0].url.path.endswith(f"/product/{raw['product_id']}")
    product = product_from_payload(payload)
    assert product.item_number == raw["own_id"]
    assert product.price == parse_money(raw["price"])
    listed = load_fixture("product_list.json")["products"]
    same = next(p for p in listed if p["product_id"] == raw["product_id"])
    assert product_from_payload(same) == product


def test_empty_search_gives_no_products(load_fixture: Load) -> None:
    raw = load_fixture("product_search_empty.json")
    page = read_page(raw, "products", offset=0, limit=5)
    assert page.items == [] and page.total == 0
    seen: list[httpx2.Request] = []
    with _client(_serving(raw, seen)) as client:
        assert client.list_products() == []
    assert len(seen) == 1


def test_categories_are_a_bare_array(load_fixture: Load) -> None:
    raw = load_fixture("category_list.json")
    assert isinstance(raw, list)
    page = read_page(raw, "categories", offset=0, limit=100)
    assert page.total is None
    assert page.items == raw
    seen: list[httpx2.Request] = []
    with _client(_serving(raw, seen)) as client:
        categories = client.list_categories()
    assert categories == raw
    assert len(seen) == 1  # shorter than the page size: done


def test_loose_types_in_the_captures_read_leniently(load_fixture: Load) -> None:
    categories = load_fixture("category_list.json")
    hidden = [V.flag(c["is_hidden"]) for c in categories]  # "1", "0" and null live
    assert {type(c["is_hidden"]) for c in categories} >= {str, type(None)}
    assert hidden.count(True) == sum(1 for c in categories if c["is_hidden"] == "1")
    assert all(V.flag(c["is_removed"]) is False for c in categories if c["is_removed"] == "0")
    product = load_fixture("product_single.json")
    assert V.identifier(product["images"][0]["image_id"]) == product["images"][0]["image_id"]
    changed = V.timestamp(product["last_modified"])
    assert changed is not None and changed.tzinfo is not None
    assert changed.strftime("%Y-%m-%d %H:%M:%S") == product["last_modified"]


@pytest.mark.parametrize("name", ["product_list.json", "product_search_empty.json"])
def test_paging_block_is_read(name: str, load_fixture: Load, shoporama_fixtures: Path) -> None:
    raw = json.loads((shoporama_fixtures / name).read_text(encoding="utf-8"))
    page = read_page(raw, "products", offset=0, limit=raw["paging"]["limit"])
    assert page.total == raw["paging"]["total"]
    assert len(page.items) == raw["paging"]["count"]
