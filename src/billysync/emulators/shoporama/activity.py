"""The emulated shop's life: customers order, pay, get parcels, send things back.

`ShopActivity` holds the shop's objects as Shoporama payloads (the REST layer serves them
as they are) and changes them the way a Danish webshop's day does. Everything random
comes from one seeded `random.Random`, so a seed replays the same shop.

Orders obey the totals rule the connector checks: `total_price` = Σ lines + shipping −
voucher − gift cards, every amount incl. 25 % VAT with two decimals, and `vat` = 20 % of
the total. Orders carry an INFERRED `currency` (EUR for customers abroad) and an INFERRED
`gift_cards: [{code, amount}]`. Returns credit what the customer actually paid per unit:
with a voucher on the order, each unit is credited less the voucher's share (the
canonical Return has no discount of its own).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from billysync.emulators.shoporama import catalogue as C
from billysync.emulators.shoporama import payloads as P
from billysync.emulators.shoporama.checkout import (
    GATEWAYS,
    PAID_LATER,
    Checkout,
    PaymentKind,
    d,
    payment_for,
)
from billysync.emulators.shoporama.people import BuyerKind, People
from billysync.money import ZERO, round2

Payload = dict[str, Any]
START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ShopEvent:
    """Something happened in the shop; `data` is the object as it was then."""

    name: str  # Shoporama's webhook event name
    object_type: str  # order | return | product | stock
    object_id: int
    data: Payload


class ShopClock:
    """Simulated time (moves on with every event) unless a real clock is given."""

    def __init__(self, clock: Callable[[], datetime] | None) -> None:
        self._clock = clock
        self._now = START

    def now(self) -> datetime:
        return self._clock() if self._clock is not None else self._now

    def pass_minutes(self, minutes: float) -> None:
        if self._clock is None:
            self._now += timedelta(minutes=minutes)


class ShopActivity:
    def __init__(
        self,
        *,
        seed: int,
        currency: str,
        clock: ShopClock,
        on_event: Callable[[ShopEvent], None],
    ) -> None:
        self.rng = random.Random(seed)
        self.currency = currency.upper()
        self.clock = clock
        self._on_event = on_event
        self.people = People(self.rng)
        self.checkout = Checkout(self.rng, self.currency)
        self.log: list[ShopEvent] = []
        self.orders: dict[int, Payload] = {}
        self.returns: dict[int, Payload] = {}
        self.products: dict[int, Payload] = {}
        self.customers: dict[int, Payload] = {}
        self._returned: dict[int, list[int]] = {}  # order id → units returned per line
        self._next_order_id = 500_001
        self._next_number = 10_001
        self._next_return_id = 9_001
        self._next_value_id = 60_001
        created = P.local_text(self.clock.now() - timedelta(days=120))
        self.categories = P.category_payloads(created)
        for index, item in enumerate(C.PRODUCTS):
            product_id = 196_401 + index
            price = C.in_shop_currency(item.price, self.currency)
            product = P.product_payload(
                product_id, item.own_id, item.name, price, created, 101 + index % 4
            )
            for value, suffix, variant_price in item.variants:
                P.add_variant(
                    product,
                    attribute_id=5_001 + index,
                    attribute_name=item.attribute or "Variant",
                    value_id=self._value_id(),
                    value=value,
                    own_id=f"{item.own_id}-{suffix}",
                    price=C.in_shop_currency(variant_price, self.currency)
                    if variant_price
                    else None,
                )
            self.products[product_id] = product

    # --- orders -----------------------------------------------------------------------
    def generate_order(
        self,
        *,
        kind: BuyerKind | None = None,
        payment: PaymentKind | None = None,
        currency: str | None = None,
        voucher: bool | None = None,
        gift_card: bool | None = None,
        lines: int | None = None,
        variants: bool | None = None,
    ) -> Payload:
        """A new order (event `order_created`, and `paid` when paid by card at once)."""
        rng = self.rng
        self.clock.pass_minutes(rng.uniform(2, 40))
        kind = kind or rng.choices(("person", "company", "ean", "abroad"), (60, 20, 7, 13))[0]
        buyer = self.people.buyer(kind, self.customers, self._stamp())
        cur = (currency or ("EUR" if buyer.country != "DK" else self.currency)).upper()
        payment = payment or payment_for(kind, rng)
        count = lines or rng.choices((1, 2, 3, 4), (40, 35, 17, 8))[0]
        order_lines = self.checkout.lines(list(self.products.values()), cur, count, variants)
        subtotal = sum((round2(d(li["unit_price"]) * li["amount"]) for li in order_lines), ZERO)
        shipping_id, shipping_name, shipping_price = self.checkout.shipping(buyer, cur)
        voucher_fields, voucher_amount = self.checkout.voucher(subtotal, cur, voucher)
        before_cards = subtotal + shipping_price - voucher_amount
        cards = self.checkout.gift_cards(before_cards, cur, gift_card)
        total = before_cards - sum((d(c["amount"]) for c in cards), ZERO)
        order_id, number = self._next_order_id, self._next_number
        self._next_order_id += rng.randint(1, 3)
        self._next_number += 1
        now = self._stamp()
        order: Payload = {
            "order_id": order_id,
            "webshop_order_id": number,
            "invoice_id": number,
            "basket_id": 900_000 + order_id % 100_000,
            "time": now,
            "last_modified": now,
            "status": "new",
            "paid": 0 if payment in PAID_LATER else 1,
            "payment_gateway": GATEWAYS[payment],
            "currency": cur,
            **buyer.order_fields(),
            "comments": rng.choice(("", "", "", "Stil pakken ved døren, tak", "Gaveindpakning")),
            "shipping_id": shipping_id,
            "shipping_name": shipping_name,
            "shipping_price": P.amount(shipping_price),
            "tracking_number": None,
            **voucher_fields,
            "gift_cards": cards,
            "price": P.amount(subtotal),
            "vat": P.amount(round2(total * Decimal("0.2"))),
            "total_price": P.amount(total),
            "products": order_lines,
        }
        self.orders[order_id] = order
        self._returned[order_id] = [0] * len(order_lines)
        self._emit("order_created", "order", order_id, order)
        if order["paid"]:
            self._emit("paid", "order", order_id, order)
        return copy.deepcopy(order)

    # --- what happens to orders afterwards --------------------------------------------
    def pay_order(self, order_id: int) -> Payload:
        """An invoice or EAN order is paid (event `paid`)."""
        order = self.orders[order_id]
        if order["paid"]:
            raise ValueError(f"order {order_id} is already paid")
        self.clock.pass_minutes(self.rng.uniform(10, 240))
        order.update(paid=1, last_modified=self._stamp())
        self._emit("paid", "order", order_id, order)
        return copy.deepcopy(order)

    def ship_order(self, order_id: int) -> Payload:
        """The parcel leaves (status → shipped, event `new_status`)."""
        order = self.orders[order_id]
        if order["status"] != "new":
            raise ValueError(f"order {order_id} is {order['status']}, not new")
        self.clock.pass_minutes(self.rng.uniform(5, 120))
        tracking = "".join(str(self.rng.randint(0, 9)) for _ in range(14))
        order.update(status="shipped", tracking_number=tracking, last_modified=self._stamp())
        self._emit("new_status", "order", order_id, order)
        return copy.deepcopy(order)

    def cancel_order(self, order_id: int) -> Payload:
        """The customer withdraws an unpaid order (status → cancelled, `order_withdrawn`)."""
        order = self.orders[order_id]
        if order["status"] != "new" or order["paid"]:
            raise ValueError(f"order {order_id} cannot be withdrawn any more")
        self.clock.pass_minutes(self.rng.uniform(5, 600))
        order.update(status="cancelled", last_modified=self._stamp())
        self._emit("order_withdrawn", "order", order_id, order)
        return copy.deepcopy(order)

    def create_return(
        self, order_id: int, *, full: bool | None = None, refund_shipping: bool | None = None
    ) -> Payload:
        """A return of a shipped order (event `new_return`): all of it, or part of one line."""
        order = self.orders[order_id]
        returned = self._returned[order_id]
        open_units = [
            line["amount"] - done for line, done in zip(order["products"], returned, strict=True)
        ]
        if order["status"] != "shipped" or not any(open_units):
            raise ValueError(f"order {order_id} has nothing left to return")
        full = full if full is not None else self.rng.random() < 0.4
        subtotal = d(order["price"])
        share = d(order["voucher_discount_amount"]) / subtotal if subtotal else ZERO
        picks: list[tuple[int, int]] = []
        if full:
            picks = [(i, units) for i, units in enumerate(open_units) if units]
        else:
            index = self.rng.choice([i for i, units in enumerate(open_units) if units])
            picks = [(index, self.rng.randint(1, open_units[index]))]
        lines = []
        for index, units in picks:
            line = order["products"][index]
            returned[index] += units
            unit = round2(d(line["unit_price"]) * (1 - share))
            lines.append({**copy.deepcopy(line), "amount": units, "unit_price": P.amount(unit)})
        if refund_shipping is None:
            refund_shipping = full and self.rng.random() < 0.5
        shipping = d(order["shipping_price"]) if refund_shipping else ZERO
        goods = sum((round2(d(li["unit_price"]) * li["amount"]) for li in lines), ZERO)
        self.clock.pass_minutes(self.rng.uniform(30, 600))
        return_id = self._next_return_id
        self._next_return_id += 1
        now = self._stamp()
        record: Payload = {
            "order_return_id": return_id,
            "order_id": order_id,
            "webshop_order_id": order["webshop_order_id"],
            "created": now,
            "last_modified": now,
            "refunded": 1 if self.rng.random() < 0.7 else 0,
            "currency": order["currency"],
            "comment": self.rng.choice(C.RETURN_REASONS),
            "shipping_price": P.amount(shipping),
            "total_price": P.amount(goods + shipping),
            "products": lines,
        }
        self.returns[return_id] = record
        self._emit("new_return", "return", return_id, record)
        return copy.deepcopy(record)

    # --- products ---------------------------------------------------------------------
    def change_price(self, product_id: int | None = None) -> Payload:
        """A new list price (event `product`)."""
        product = self.products[product_id or self.rng.choice(list(self.products))]
        factor = Decimal(self.rng.choice((-20, -10, -5, 5, 10, 15, 20))) / 100
        price = (d(product["price"]) * (1 + factor)).quantize(Decimal("1")) - Decimal("0.05")
        product["price"] = P.amount(max(price, Decimal("9.95")))
        return self._product_changed(product)

    def add_variant(self, product_id: int | None = None) -> Payload:
        """A new size or colour with its own item number (event `product`)."""
        candidates = [p for p in self.products.values() if self._unused_values(p)]
        if product_id is not None:
            candidates = [self.products[product_id]]
        product = self.rng.choice(candidates)
        attribute = product["attributes"][0]
        value, suffix = self._unused_values(product)[0]
        P.add_variant(
            product,
            attribute_id=attribute["attribute_id"],
            attribute_name=attribute["name"],
            value_id=self._value_id(),
            value=value,
            own_id=f"{product['own_id']}-{suffix}",
            price=None,
        )
        return self._product_changed(product)

    def change_stock(self) -> Payload:
        """A stock level changes (event `stock`)."""
        product = self.rng.choice(list(self.products.values()))
        skus = [s["own_id"] for s in product["stock_settings"]] or [product["own_id"]]
        self.clock.pass_minutes(self.rng.uniform(1, 30))
        data = {"product_id": product["product_id"], "own_id": self.rng.choice(skus)}
        data["stock"] = self.rng.randint(0, 60)
        self._emit("stock", "stock", product["product_id"], data)
        return data

    def _unused_values(self, product: Payload) -> list[tuple[str, str]]:
        if not product["attributes"]:
            return []
        attribute = product["attributes"][0]
        taken = {v["value"] for v in attribute["values"]}
        return [v for v in C.NEW_VARIANT_VALUES.get(attribute["name"], ()) if v[0] not in taken]

    def _returnable(self, order: Payload) -> bool:
        """Shipped, with units not yet sent back."""
        returned = self._returned[order["order_id"]]
        lines = zip(order["products"], returned, strict=True)
        return order["status"] == "shipped" and any(li["amount"] > done for li, done in lines)

    def _product_changed(self, product: Payload) -> Payload:
        self.clock.pass_minutes(self.rng.uniform(5, 120))
        product["last_modified"] = self._stamp()
        self._emit("product", "product", product["product_id"], product)
        return copy.deepcopy(product)

    # --- a step of shop life ----------------------------------------------------------
    def tick(self, *, new_orders: bool = True) -> list[ShopEvent]:
        """The next thing that happens in the shop; the events it produced."""
        before = len(self.log)
        open_orders = [o for o in self.orders.values() if o["status"] == "new"]
        to_pay = [o for o in open_orders if not o["paid"]]
        to_ship = [o for o in open_orders if o["paid"] or o["payment_gateway"] in PAID_LATER]
        returnable = [o for o in self.orders.values() if self._returnable(o)]
        actions: list[tuple[int, Callable[[], object]]] = [
            (6, self.change_price),
            (9, self.change_stock),
        ]
        if new_orders or not self.orders:
            actions.append((45, self.generate_order))
        if any(self._unused_values(p) for p in self.products.values()):
            actions.append((2, self.add_variant))
        if to_pay:
            actions.append((10, lambda: self.pay_order(self.rng.choice(to_pay)["order_id"])))
        if to_ship:
            actions.append((35, lambda: self.ship_order(self.rng.choice(to_ship)["order_id"])))
        if returnable:
            pick = self.rng.choice(returnable)["order_id"]
            actions.append((6, lambda: self.create_return(pick)))
        if to_pay:
            actions.append((2, lambda: self.cancel_order(self.rng.choice(to_pay)["order_id"])))
        weights = [weight for weight, _ in actions]
        self.rng.choices([action for _, action in actions], weights)[0]()
        return self.log[before:]

    # --- inside -------------------------------------------------------------------------
    def _emit(self, name: str, object_type: str, object_id: int, data: Payload) -> None:
        event = ShopEvent(name, object_type, object_id, copy.deepcopy(data))
        self.log.append(event)
        self._on_event(event)

    def _stamp(self) -> str:
        return P.local_text(self.clock.now())

    def _value_id(self) -> int:
        self._next_value_id += 1
        return self._next_value_id - 1
