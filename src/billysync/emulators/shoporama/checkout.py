"""Checkout: how an emulated order's money is put together.

Lines (with the chosen variant's own item number and price), a shipping method and its
price, maybe a voucher (percent or fixed money off, in `voucher_discount_amount`) and maybe
a gift card (INFERRED `gift_cards: [{code, amount}]`), all incl. 25 % VAT, two decimals, in
the order's currency (catalogue prices are converted to EUR at a fixed rate).
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any, Literal

from billysync.emulators.shoporama import catalogue as C
from billysync.emulators.shoporama import payloads as P
from billysync.emulators.shoporama.people import Buyer, BuyerKind
from billysync.money import ZERO, round2

Payload = dict[str, Any]
PaymentKind = Literal["card", "mobilepay", "invoice", "ean"]
GATEWAYS: dict[str, str] = {
    "card": "quickpay",
    "mobilepay": "mobilepay",
    "invoice": "invoice",
    "ean": "ean",
}
PAID_LATER = frozenset({"invoice", "ean"})  # paid by hand, after the order


class Checkout:
    def __init__(self, rng: random.Random, shop_currency: str) -> None:
        self.rng = rng
        self.currency = shop_currency

    def price_in(self, cur: str, price: Decimal) -> Decimal:
        """A price of the shop's catalogue in the order's currency, to the cent."""
        if cur == self.currency:
            return round2(price)
        dkk = price * C.EUR_RATE if self.currency == "EUR" else price
        return round2(dkk / C.EUR_RATE) if cur == "EUR" else round2(dkk)

    def lines(
        self, products: list[Payload], cur: str, count: int, variants: bool | None
    ) -> list[Payload]:
        """Order lines from the catalogue; `variants` True/False forces a variant line or none."""
        with_variants = [p for p in products if p["stock_settings"]]
        plain = [p for p in products if not p["stock_settings"]]
        pool = plain if variants is False else products
        chosen = self.rng.sample(pool, min(count, len(pool)))
        if variants and not any(p["stock_settings"] for p in chosen):
            chosen[0] = self.rng.choice(with_variants)
        result = []
        for product in chosen:
            line: Payload = {
                "product_id": product["product_id"],
                "own_id": product["own_id"],
                "name": product["name"],
                "amount": self.rng.choices((1, 2, 3), (70, 20, 10))[0],
                "unit_price": product["price"],
                "attributes": [],
            }
            if product["stock_settings"]:
                setting = self.rng.choice(product["stock_settings"])
                attribute = product["attributes"][0]
                value = next(
                    v["value"]
                    for v in attribute["values"]
                    if v["attribute_value_id"] == setting["attribute_value_id"]
                )
                line["own_id"] = setting["own_id"]
                if setting["price"] is not None:
                    line["unit_price"] = setting["price"]
                line["attributes"] = [{"name": attribute["name"], "val": value}]
            line["unit_price"] = P.amount(self.price_in(cur, d(line["unit_price"])))
            result.append(line)
        return result

    def shipping(self, buyer: Buyer, cur: str) -> tuple[int, str, Decimal]:
        method_id = 6 if buyer.country != "DK" else self.rng.choice(C.DOMESTIC_SHIPPING)
        if buyer.kind in ("company", "ean") and self.rng.random() < 0.5:
            method_id = 5
        _, name, dkk, eur = next(m for m in C.SHIPPING_METHODS if m[0] == method_id)
        return method_id, name, eur if cur == "EUR" else dkk

    def voucher(self, subtotal: Decimal, cur: str, wanted: bool | None) -> tuple[Payload, Decimal]:
        empty = {
            "voucher_id": None,
            "voucher_code": None,
            "voucher_discount": None,
            "voucher_discount_amount": 0,
        }
        if not (wanted if wanted is not None else self.rng.random() < 0.2):
            return empty, ZERO
        voucher_id, code, percent, fixed = self.rng.choice(C.VOUCHERS)
        if percent is not None:
            off, value = round2(subtotal * percent / 100), percent
        else:
            value = self.price_in(cur, C.in_shop_currency(fixed or ZERO, self.currency))
            off = min(value, subtotal)
        return {
            "voucher_id": voucher_id,
            "voucher_code": code,
            "voucher_discount": P.amount(value),
            "voucher_discount_amount": P.amount(off),
        }, off

    def gift_cards(self, due: Decimal, cur: str, wanted: bool | None) -> list[Payload]:
        if not (wanted if wanted is not None else self.rng.random() < 0.1):
            return []
        values = C.GIFT_CARD_VALUES_EUR if cur == "EUR" else C.GIFT_CARD_VALUES_DKK
        fitting = [v for v in values if v < due] or [round2(due / 2)]
        code = f"GAVE-{self.rng.randint(1000, 9999)}-{self.rng.randint(1000, 9999)}"
        return [{"code": code, "amount": P.amount(self.rng.choice(fitting))}]


def payment_for(kind: BuyerKind, rng: random.Random) -> PaymentKind:
    if kind == "ean":
        return "ean"
    if kind == "company":
        return "invoice" if rng.random() < 0.5 else "card"
    if kind == "abroad":
        return "card"
    kinds: tuple[PaymentKind, ...] = ("card", "mobilepay", "invoice")
    return rng.choices(kinds, (70, 25, 5))[0]


def d(value: object) -> Decimal:
    return Decimal(str(value)) if value is not None else ZERO
