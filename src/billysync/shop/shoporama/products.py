"""Shoporama products → canonical `Product`, each stock setting a variant with its own SKU.

Product keys are live-confirmed (docs/shoporama-api.md §4). The variant read shape is INFERRED:
`stock_settings[].own_id` is the variant's item number, and its name is the attribute
value (`attributes[].values[]`) that its `attribute_value_id` points at. The list price
is `price`; `sale_price` is a temporary offer and not the product's price in Billy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.shop.models import Product, ProductVariant
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama import values as V
from billysync.shop.shoporama.reading import FieldReader, build

Payload = Mapping[str, Any]


def product_from_payload(
    payload: Payload, *, currency: str = "DKK", prices_include_vat: bool = True
) -> Product:
    """A `Product` from a `GET /REST/product` item; each stock setting is a variant."""
    head = FieldReader(payload, "product")
    key = head.required_identifier(F.PRODUCT_ID)
    r = FieldReader(payload, f"product {key}")
    item_number = r.text(F.PRODUCT_ITEM_NUMBER) or key
    name = r.text(F.PRODUCT_NAME)
    if name is None:
        r.missing(F.PRODUCT_NAME)
    value_names = _attribute_values(r)
    variants = []
    for index, raw in enumerate(r.objects(F.PRODUCT_STOCK_SETTINGS), start=1):
        setting = FieldReader(raw, f"{r.label}, variant {index}")
        value_id = setting.identifier(F.VARIANT_VALUE_ID)
        own_id = setting.text(F.VARIANT_ITEM_NUMBER)
        variant_name = (
            value_names.get(value_id or "") or setting.text(F.VARIANT_NAME) or own_id or value_id
        )
        if variant_name is None:
            setting.missing(F.VARIANT_ITEM_NUMBER)
        variants.append(
            build(
                setting.label,
                ProductVariant,
                item_number=own_id or item_number,
                name=variant_name,
                price=setting.money(F.VARIANT_PRICE),
            )
        )
    return build(
        r.label,
        Product,
        key=key,
        item_number=item_number,
        name=name,
        price=r.required_money(F.PRODUCT_PRICE),
        currency=currency,
        prices_include_vat=prices_include_vat,
        variants=tuple(variants),
    )


def _attribute_values(r: FieldReader) -> dict[str, str]:
    """attribute_value_id → its text ("M", "Blå"), from the product's attributes."""
    names: dict[str, str] = {}
    for attribute in r.objects(F.PRODUCT_ATTRIBUTES):
        values = attribute.get(F.ATTRIBUTE_VALUES)
        for value in values if isinstance(values, list) else []:
            if not isinstance(value, Mapping):
                continue
            try:
                value_id = V.identifier(value.get(F.ATTRIBUTE_VALUE_ID))
                text = V.text(value.get(F.ATTRIBUTE_VALUE_NAME))
            except V.BadValue:
                continue
            if value_id and text:
                names[value_id] = text
    return names
