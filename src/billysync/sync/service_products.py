"""The shipping and discount products: found in Billy by their product number, or created.

An order's shipping and discount lines are booked on two products the merchant chooses in
Settings → Financial system. The one-click "create it in Billy" lands here: the product is
looked up by its number first (`mapping/markers.py`), so a second click never makes a
second product; a new one has price 0 in the organization's base currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from billysync.billy.client import BillyClient
from billysync.billy.models import Organization, Product
from billysync.mapping.markers import SERVICE_PRODUCT_NUMBERS

ServiceKind = Literal["shipping", "discount"]


@dataclass(frozen=True)
class ServiceProduct:
    """The product in Billy, and whether it was created just now (False: found)."""

    billy_id: str
    name: str
    product_no: str
    created: bool


def ensure_service_product(
    client: BillyClient,
    *,
    kind: ServiceKind,
    name: str,
    account_id: str | None,
    organization: Organization,
) -> ServiceProduct:
    """The shipping or discount product, found by its number or created (never twice)."""
    product_no = SERVICE_PRODUCT_NUMBERS[kind]
    for found in client.products.find_by_product_no(product_no):
        return ServiceProduct(found.id, found.name or "", product_no, created=False)
    payload: dict[str, object] = {
        "name": name,
        "productNo": product_no,
        "prices": [{"unitPrice": 0, "currencyId": organization.base_currency_id or "DKK"}],
    }
    if account_id or organization.default_sales_account_id:
        payload["accountId"] = account_id or organization.default_sales_account_id
    if organization.default_sales_tax_ruleset_id:
        payload["salesTaxRulesetId"] = organization.default_sales_tax_ruleset_id
    created: Product = client.products.create(payload)
    return ServiceProduct(created.id, name, product_no, created=True)
