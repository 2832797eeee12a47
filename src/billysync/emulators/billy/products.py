"""Products and their prices (docs/billy-api.md §3.6).

The smallest valid product is `{"name": …}`; `accountId` falls back to the organization's
default sales account (as in `products_single.json`), and a missing `salesTaxRulesetId`
stays null, meaning the organization's default ruleset decides the VAT. `prices` holds one
price per currency; setting it on PUT replaces all prices (docs/billy-api.md open question 15,
assumed yes).
"""

from __future__ import annotations

from typing import Any

from .changes import Changes, replace_children
from .errors import Invalid, record_error
from .fields import Field, check_id, client_key, read_record, require, ro, unwrap, without
from .organization import Organization

Record = dict[str, Any]

PRODUCT_FIELDS: dict[str, Field] = {
    "name": Field("str", required=True),
    "description": Field("str"),
    "accountId": Field("ref", ref="accounts"),
    "inventoryAccountId": Field("ref", ref="accounts"),
    "productNo": Field("str"),
    "suppliersProductNo": Field("str"),
    "salesTaxRulesetId": Field("ref", ref="salesTaxRulesets"),
    "isArchived": Field("bool"),
    "isInInventory": Field("bool"),
    "imageId": Field("str"),
    "imageUrl": ro(),
}

PRICE_FIELDS: dict[str, Field] = {
    "productId": Field("ref", "create", ref="products"),
    "unitPrice": Field("decimal", required=True),
    "currencyId": Field("ref", required=True, ref="currencies"),
}


def _defaults(org: Organization) -> Record:
    return {
        "name": "",
        "description": "",
        "accountId": org.record["defaultSalesAccountId"],
        "inventoryAccountId": None,
        "productNo": "",
        "suppliersProductNo": "",
        "salesTaxRulesetId": None,
        "isArchived": False,
        "isInInventory": False,
        "imageId": None,
        "imageUrl": None,
    }


def _check_account(org: Organization, values: Record, invalid: Invalid, key: str) -> None:
    account = org.find("accounts", values.get("accountId"))
    if account is not None and account["natureId"] != "revenue":
        invalid.field(
            key,
            "accountId",
            f"account {account['accountNo']} is not a revenue account; "
            "products must book to a revenue account such as 1110 Salg",
        )


def _read_prices(
    org: Organization, raw: Any, invalid: Invalid, parent_key: str
) -> list[tuple[str | None, Record]]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        invalid.field(parent_key, "prices", "must be a list of {unitPrice, currencyId}")
        return []
    prices: list[tuple[str | None, Record]] = []
    currencies: set[str] = set()
    for index, item in enumerate(raw):
        key = client_key(item, f"product.prices[{index}]")
        values = read_record(
            org, "productPrice", PRICE_FIELDS, without(item, "productId"), invalid, error_key=key
        )
        currency = values.get("currencyId")
        if currency in currencies:
            invalid.field(key, "currencyId", "a product has one price per currency")
        if isinstance(currency, str):
            currencies.add(currency)
        item_id = item.get("id")
        prices.append((item_id if isinstance(item_id, str) else None, values))
    return prices


def create_product(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "product")
    invalid = Invalid()
    key = client_key(data, "product")
    values = read_record(
        org, "product", PRODUCT_FIELDS, without(data, "prices"), invalid, error_key=key
    )
    _check_account(org, values, invalid, key)
    prices = _read_prices(org, data["prices"], invalid, key) if "prices" in data else []
    invalid.raise_if_any()
    changes = Changes()
    product = org.insert("products", {**_defaults(org), **values})
    changes.add("products", product)
    replace_children(org, changes, "productPrices", "productId", product["id"], prices)
    return changes


def update_product(org: Organization, product_id: str, document: dict[str, Any]) -> Changes:
    product = org.get("products", product_id)
    data = unwrap(document, "product")
    check_id(data, product_id, "product")
    invalid = Invalid()
    key = client_key(data, "product")
    values = read_record(
        org,
        "product",
        PRODUCT_FIELDS,
        without(data, "prices"),
        invalid,
        error_key=key,
        existing=product,
    )
    _check_account(org, values, invalid, key)
    prices = _read_prices(org, data["prices"], invalid, key) if "prices" in data else None
    invalid.raise_if_any()
    changes = Changes()
    product.update(values)
    changes.add("products", product)
    if prices is not None:
        replace_children(org, changes, "productPrices", "productId", product_id, prices)
    return changes


def delete_product(org: Organization, product_id: str) -> Changes:
    changes = Changes()
    if org.find("products", product_id) is None:
        return changes
    if any(org.where("invoiceLines", productId=product_id)):
        raise record_error(
            "product",
            "The product is used on invoices and cannot be deleted; archive it instead "
            "(isArchived: true).",
        )
    for price in org.children("productPrices", "productId", product_id):
        org.remove("productPrices", price["id"])
        changes.delete("productPrices", price["id"])
    org.remove("products", product_id)
    changes.delete("products", product_id)
    return changes


def create_price(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "productPrice")
    invalid = Invalid()
    key = client_key(data, "productPrice")
    values = read_record(org, "productPrice", PRICE_FIELDS, data, invalid, error_key=key)
    require(invalid, key, values, "productId")
    taken = {
        p["currencyId"]
        for p in org.children("productPrices", "productId", values.get("productId") or "")
    }
    if values.get("currencyId") in taken:
        invalid.field(key, "currencyId", "the product already has a price in this currency")
    invalid.raise_if_any()
    changes = Changes()
    changes.add("productPrices", org.insert("productPrices", values))
    return changes


def update_price(org: Organization, price_id: str, document: dict[str, Any]) -> Changes:
    price = org.get("productPrices", price_id)
    data = unwrap(document, "productPrice")
    check_id(data, price_id, "productPrice")
    invalid = Invalid()
    key = client_key(data, "productPrice")
    values = read_record(
        org, "productPrice", PRICE_FIELDS, data, invalid, error_key=key, existing=price
    )
    others = [
        p
        for p in org.children("productPrices", "productId", price["productId"])
        if p["id"] != price_id
    ]
    if values.get("currencyId") in {p["currencyId"] for p in others}:
        invalid.field(key, "currencyId", "the product already has a price in this currency")
    invalid.raise_if_any()
    price.update(values)
    changes = Changes()
    changes.add("productPrices", price)
    return changes


def delete_price(org: Organization, price_id: str) -> Changes:
    changes = Changes()
    if org.find("productPrices", price_id) is not None:
        org.remove("productPrices", price_id)
        changes.delete("productPrices", price_id)
    return changes
