"""The emulator speaks the field names of the connector's `fields` module, and the live
product shape of the captured fixtures. When a name in `fields` is corrected, this test
says which emulator payloads must follow."""

from __future__ import annotations

from typing import Any

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.shop.shoporama import fields as F
from tests.support.captured import shoporama_fixture


def field_names() -> set[str]:
    names: set[str] = set()
    for name, value in vars(F).items():
        if name.isupper() and isinstance(value, str):
            names.add(value)
        elif name.isupper() and isinstance(value, tuple | frozenset):
            names.update(v for v in value if isinstance(v, str))
    return names


def busy_shop() -> ShoporamaEmulator:
    shop = ShoporamaEmulator(seed=21)
    shop.generate_order(voucher=True, gift_card=True, variants=True, kind="company")
    order = shop.generate_order(payment="card", lines=3)
    shop.ship_order(order["order_id"])
    shop.create_return(order["order_id"], full=True, refund_shipping=True)
    shop.add_variant()
    shop.advance(120)
    return shop


def unknown_keys(objects: list[dict[str, Any]], known: set[str]) -> set[str]:
    return {key for obj in objects for key in obj if key not in known}


def test_orders_returns_and_customers_use_the_fields_module_names() -> None:
    shop, known = busy_shop(), field_names()
    orders = shop.orders()
    lines = [line for order in orders for line in order["products"]]
    attributes = [a for line in lines for a in line["attributes"]]
    cards = [card for order in orders for card in order["gift_cards"]]
    returns = shop.returns()
    assert cards and attributes and returns
    assert unknown_keys(orders, known) == set()
    assert unknown_keys(lines, known) == set()
    assert unknown_keys(attributes, known) == set()
    assert unknown_keys(cards, known) == set()
    assert unknown_keys(returns, known) == set()
    assert unknown_keys([li for r in returns for li in r["products"]], known) == set()
    assert unknown_keys(shop.customers(), known) == set()
    stock = [e.data for e in shop.events if e.name == F.EVENT_STOCK]
    assert stock and unknown_keys(stock, known) == set()


def test_statuses_and_events_are_known_to_the_connector() -> None:
    shop = busy_shop()
    known_statuses = F.OPEN_STATUSES | F.SHIPPED_STATUSES | F.CANCELLED_STATUSES
    assert {o[F.ORDER_STATUS] for o in shop.orders()} <= known_statuses
    event_names = {v for k, v in vars(F).items() if k.startswith("EVENT_")}
    assert {e.name for e in shop.events} <= event_names


def test_products_have_the_live_shape() -> None:
    live_keys = set(shoporama_fixture("product_single.json"))
    shop = busy_shop()
    for product in shop.products():
        assert set(product) == live_keys
    known = field_names()
    variants = [s for p in shop.products() for s in p[F.PRODUCT_STOCK_SETTINGS]]
    attributes = [a for p in shop.products() for a in p[F.PRODUCT_ATTRIBUTES]]
    values = [v for a in attributes for v in a[F.ATTRIBUTE_VALUES]]
    assert variants and unknown_keys(variants, known) == set()
    assert unknown_keys(attributes, known) == set()
    assert unknown_keys(values, known) == set()


def test_categories_have_the_live_shape() -> None:
    live_keys = set(shoporama_fixture("category_list.json")[0])
    for category in ShoporamaEmulator(seed=1).shop.categories:
        assert set(category) == live_keys
