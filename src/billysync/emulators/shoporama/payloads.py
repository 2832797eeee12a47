"""Builders of payloads in Shoporama's shapes: products as captured live, customers as
reconstructed (docs/shoporama-api.md §3, §8). The order and return payloads are built by `activity`.

Products carry every key of a real `GET /REST/product` item (reference fixture
`product_single.json`), with variants in the INFERRED read shape: `attributes` =
`[{attribute_id, name, values: [{attribute_value_id, value}]}]` and `stock_settings` =
`[{attribute_id, attribute_value_id, own_id, sec_own_id, purchase_price, price}]`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from billysync.localtime import DANISH_TIME
from billysync.money import to_json_number

Payload = dict[str, Any]
SHOP_TIMEZONE = DANISH_TIME
SHOP_URL = "https://nordiskhjem.example"


def local_text(moment: datetime) -> str:
    """Shoporama's timestamp: `YYYY-MM-DD HH:MM:SS`, Danish local time, no zone."""
    return moment.astimezone(SHOP_TIMEZONE).strftime("%Y-%m-%d %H:%M:%S")


def amount(value: Decimal) -> int | float:
    """Money as Shoporama sends it: a JSON number (`264`, `159.95`)."""
    return to_json_number(value)


def product_payload(
    product_id: int, own_id: str, name: str, price: Decimal, created: str, category_id: int
) -> Payload:
    slug = own_id.lower()
    return {
        "product_id": product_id,
        "own_id": own_id,
        "sec_own_id": None,
        "gtin": None,
        "mpn": None,
        "profile_id": 2851,
        "supplier_id": 7950,
        "manufacturer_id": None,
        "safety_profile_id": None,
        "brand_id": None,
        "main_category_id": str(category_id),  # a string live, while `categories` holds ints
        "created": created,
        "is_online": 1,
        "online_since": created,
        "no_index": 0,
        "no_shopping": 0,
        "removed_on": None,
        "rewrite_url": slug,
        "name": name,
        "list_description": "",
        "description": f"<p>{name} fra Nordisk Hjem.</p>",
        "vat": None,
        "price": amount(price),
        "sale_price": None,
        "purchase_price": None,
        "location": None,
        "bulk_discount_over": None,
        "bulk_discount": None,
        "discount_intervals": [],
        "shipping": None,
        "shipping_weight": None,
        "never_free_shipping": 0,
        "delivery_time": "",
        "delivery_time_not_in_stock": "",
        "allow_negative_stock": 1,
        "tariff_code": "",
        "package": None,
        "auto_offline": 0,
        "weight": 0,
        "meta": "",
        "meta_title": "",
        "meta_description": "",
        "search": "",
        "no_internal_search": 0,
        "canonical_id": None,
        "mailing_list_ids": None,
        "bundle": [],
        "requires_age_verification": None,
        "last_modified": created,
        "url": f"{SHOP_URL}/{slug}",
        "min_stock_order": None,
        "min_stock_value": 0,
        "country_of_origin": None,
        "avg_rating": None,
        "google_category": None,
        "no_partner_ads": 0,
        "categories": [category_id],
        "related": [],
        "similar": [],
        "bundle_data": [],
        "html_fields": [],
        "attributes": [],
        "stock_settings": [],
        "product_labels": [],
        "images": [
            {
                "image_id": str(product_id % 100000),
                "weight": "10",
                "variant_name": None,
                "description": "",
                "url": f"{SHOP_URL}/cache/{product_id}/fit-1000x1000x90.png",
            }
        ],
        "pdf_files": [],
        "extension_data": [],
    }


def add_variant(
    product: Payload,
    *,
    attribute_id: int,
    attribute_name: str,
    value_id: int,
    value: str,
    own_id: str,
    price: Decimal | None,
) -> None:
    """Add one variant (a value of the product's attribute, with its own SKU)."""
    attributes = product["attributes"]
    attribute = next((a for a in attributes if a["attribute_id"] == attribute_id), None)
    if attribute is None:
        attribute = {"attribute_id": attribute_id, "name": attribute_name, "values": []}
        attributes.append(attribute)
    attribute["values"].append({"attribute_value_id": value_id, "value": value})
    product["stock_settings"].append(
        {
            "attribute_id": attribute_id,
            "attribute_value_id": value_id,
            "own_id": own_id,
            "sec_own_id": None,
            "purchase_price": None,
            "price": amount(price) if price is not None else None,
        }
    )


def category_payloads(created: str) -> list[Payload]:
    """The shop's categories, in the live shape (fixture `category_list.json`)."""
    names = ((101, "Tøj"), (102, "Køkken"), (103, "Bolig"), (104, "Papir og bøger"))
    return [
        {
            "category_id": category_id,
            "is_removed": "0",
            "tag": None,
            "parent_id": 0,
            "in_menu": 1,
            "is_online": 1,
            "is_front": 0,
            "is_hidden": None,
            "name": name,
            "no_index": 0,
            "no_internal_search": 0,
            "description_a": "",
            "description_b": "",
            "meta_title": "",
            "meta_description": "",
            "search": None,
            "rewrite_url": name.lower(),
            "empty_redir": None,
            "canonical_id": None,
            "sort_order": "normal",
            "meta": "",
            "weight": 0,
            "json_data": None,
            "last_modified": created,
            "url": f"{SHOP_URL}/{name.lower()}",
            "images": [],
            "extension_data": [],
        }
        for category_id, name in names
    ]
