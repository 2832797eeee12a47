"""The emulator's generated shop, read through the client and mapped to canonical models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.money import ZERO, parse_money, round2
from billysync.shop.models import Order
from billysync.shop.shoporama import (
    ShoporamaClient,
    customer_from_payload,
    order_from_payload,
    product_from_payload,
    return_from_payload,
)
from billysync.shop.shoporama import values as V


def skus(emulator: ShoporamaEmulator) -> dict[str, dict[str, Any]]:
    """Every item number in the shop (products and variants) → its product payload."""
    result = {}
    for product in emulator.products():
        result[product["own_id"]] = product
        for setting in product["stock_settings"]:
            result[setting["own_id"]] = product
    return result


def parts_add_up(order: Order) -> bool:
    goods = sum((round2(line.quantity * line.unit_price) for line in order.lines), ZERO)
    shipping = order.shipping.price if order.shipping else ZERO
    off = sum((d.amount for d in order.discounts), ZERO) + sum(
        (g.amount for g in order.gift_cards), ZERO
    )
    return round2(goods + shipping - off) == order.total


def cvr_is_valid(cvr: str) -> bool:
    weights = (2, 7, 6, 5, 4, 3, 2, 1)
    return len(cvr) == 8 and sum(int(d) * w for d, w in zip(cvr, weights, strict=True)) % 11 == 0


def test_a_person_paying_by_card(emulator: ShoporamaEmulator, shop_client: ShoporamaClient) -> None:
    sent = emulator.generate_order(kind="person", payment="card", lines=3)
    order = order_from_payload(shop_client.get_order(sent["order_id"]))
    assert order.customer.kind == "person" and order.customer.country == "DK"
    assert order.is_paid and order.payment is not None and order.payment.amount == order.total
    assert len(order.lines) == 3 and parts_add_up(order)
    assert order.total == parse_money(sent["total_price"])
    known = skus(emulator)
    assert all(line.item_number in known for line in order.lines)


def test_a_company_with_cvr_paying_by_invoice(
    emulator: ShoporamaEmulator, shop_client: ShoporamaClient
) -> None:
    sent = emulator.generate_order(kind="company", payment="invoice")
    order = order_from_payload(shop_client.get_order(sent["order_id"]))
    assert order.customer.kind == "company"
    assert order.customer.company_name == sent["order_company_name"]
    assert order.customer.cvr is not None and cvr_is_valid(order.customer.cvr)
    assert not order.is_paid and order.payment is None  # an invoice is paid later
    emulator.pay_order(sent["order_id"])
    paid = order_from_payload(shop_client.get_order(sent["order_id"]))
    assert paid.is_paid and paid.payment is not None
    assert paid.paid_at is not None and paid.paid_at > order.created_at


def test_a_public_institution_with_ean(
    emulator: ShoporamaEmulator, shop_client: ShoporamaClient
) -> None:
    sent = emulator.generate_order(kind="ean")
    order = order_from_payload(shop_client.get_order(sent["order_id"]))
    ean = order.customer.ean
    assert ean is not None and len(ean) == 13 and ean.startswith("5798")
    checksum = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(ean[:12]))
    assert int(ean[12]) == (10 - checksum % 10) % 10
    assert order.customer.kind == "company" and not order.is_paid


def test_variant_lines_carry_the_variants_item_number(emulator: ShoporamaEmulator) -> None:
    sent = emulator.generate_order(variants=True, lines=2)
    order = order_from_payload(sent)
    variant_lines = [line for line in order.lines if line.variant]
    assert variant_lines
    known = skus(emulator)
    for line in variant_lines:
        product = product_from_payload(known[line.item_number])
        variant = next(v for v in product.variants if v.item_number == line.item_number)
        assert variant.name == line.variant
        assert line.item_number != product.item_number


def test_voucher_gift_card_and_shipping(emulator: ShoporamaEmulator) -> None:
    sent = emulator.generate_order(voucher=True, gift_card=True, kind="person")
    order = order_from_payload(sent)
    assert [d.code for d in order.discounts] == [sent["voucher_code"]]
    assert order.discounts[0].amount == parse_money(sent["voucher_discount_amount"])
    assert [g.code for g in order.gift_cards] == [sent["gift_cards"][0]["code"]]
    assert order.gift_cards[0].code.startswith("GAVE-")
    assert order.shipping is not None
    assert order.shipping.method == sent["shipping_name"]
    assert order.shipping.price == parse_money(sent["shipping_price"])
    assert parts_add_up(order)


def test_an_order_from_abroad_is_in_euro(emulator: ShoporamaEmulator) -> None:
    order = order_from_payload(emulator.generate_order(kind="abroad"))
    assert order.currency == "EUR" and order.customer.country != "DK"
    assert parts_add_up(order)


def test_shipped_and_withdrawn(emulator: ShoporamaEmulator, shop_client: ShoporamaClient) -> None:
    sent = emulator.generate_order(payment="card")
    emulator.ship_order(sent["order_id"])
    shipped = order_from_payload(shop_client.get_order(sent["order_id"]))
    assert shipped.is_shipped and shipped.is_paid and not shipped.cancelled
    unpaid = emulator.generate_order(payment="invoice", kind="company")
    emulator.cancel_order(unpaid["order_id"])
    withdrawn = order_from_payload(shop_client.get_order(unpaid["order_id"]))
    assert withdrawn.cancelled and not withdrawn.is_shipped


def test_full_and_partial_returns(
    emulator: ShoporamaEmulator, shop_client: ShoporamaClient
) -> None:
    sent = emulator.generate_order(lines=3, payment="card", voucher=False)
    emulator.ship_order(sent["order_id"])
    emulator.create_return(sent["order_id"], full=False)
    emulator.create_return(sent["order_id"], full=True, refund_shipping=True)
    order = order_from_payload(shop_client.get_order(sent["order_id"]))
    credits = [return_from_payload(r) for r in shop_client.list_returns()]
    assert len(credits) == 2
    assert {c.order_number for c in credits} == {order.number}
    returned: dict[str, Decimal] = {}
    for credit in credits:
        for line in credit.lines:
            returned[line.item_number] = returned.get(line.item_number, ZERO) + line.quantity
    assert returned == {line.item_number: line.quantity for line in order.lines}
    assert credits[1].refunded_shipping == (order.shipping.price if order.shipping else ZERO)
    goods = sum((c.amount - c.refunded_shipping for c in credits), ZERO)
    assert goods == sum((round2(li.quantity * li.unit_price) for li in order.lines), ZERO)


def test_products_and_their_changes(
    emulator: ShoporamaEmulator, shop_client: ShoporamaClient
) -> None:
    before = {p.key: p for p in map(product_from_payload, shop_client.list_products())}
    assert len(before) == len(emulator.products())
    changed = emulator.change_price(196401)
    grown = emulator.add_variant(196402)
    after = {p.key: p for p in map(product_from_payload, shop_client.list_products())}
    assert after["196401"].price == parse_money(changed["price"]) != before["196401"].price
    new_numbers = {v.item_number for v in after["196402"].variants} - {
        v.item_number for v in before["196402"].variants
    }
    assert new_numbers == {grown["stock_settings"][-1]["own_id"]}


def test_incremental_reads_return_what_changed(
    emulator: ShoporamaEmulator, shop_client: ShoporamaClient
) -> None:
    emulator.advance(30)
    cutoff = emulator.now()
    assert {o["order_id"] for o in shop_client.list_orders(since=cutoff)} == set()
    emulator.advance(30)
    changed = shop_client.list_orders(since=cutoff)
    expected = [
        o["order_id"]
        for o in emulator.orders()
        if (V.timestamp(o["last_modified"]) or cutoff) >= cutoff
    ]
    assert sorted(o["order_id"] for o in changed) == sorted(expected) and expected


def test_customers_map(emulator: ShoporamaEmulator, shop_client: ShoporamaClient) -> None:
    emulator.advance(40)
    customers = [customer_from_payload(c) for c in shop_client.list_customers()]
    assert customers and {c.key for c in customers} == {
        str(c["customer_id"]) for c in emulator.customers()
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=10_000), currency=st.sampled_from(["DKK", "EUR"]))
def test_everything_a_seeded_shop_generates_maps(seed: int, currency: str) -> None:
    shop = ShoporamaEmulator(seed=seed, currency=currency)
    shop.advance(80)
    for payload in shop.orders():
        order = order_from_payload(payload, currency=currency)
        assert parts_add_up(order)
        assert parse_money(payload["vat"]) == round2(order.total * Decimal("0.2"))
    for payload in shop.returns():
        credit = return_from_payload(payload)
        assert credit.amount == parse_money(payload["total_price"])
    for payload in shop.products():
        product_from_payload(payload, currency=currency)
    for payload in shop.customers():
        customer_from_payload(payload)
