"""Products (`/v2/products`): every invoice line needs one, including shipping and discount.

Products carry one price per currency as embedded `prices`; they are created with them and
read back with them (`product.prices`). Sending `prices` on update replaces all of them.

billysync's marker on a product is `productNo` (the shop's item number); `find_by_product_no`
returns every product carrying it exactly (a list; more than one means duplicates in Billy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.billy.models import Product
from billysync.billy.resources._base import Children, Resource

EMBED_PRICES = "product.prices:embed"


class ProductService(Resource[Product]):
    path = "/products"
    singular = "product"
    plural = "products"
    model = Product
    children = (Children("prices", "productPrices", "priceIds", ("productId",)),)

    def create(self, payload: Mapping[str, Any]) -> Product:
        """Create a product, e.g. `{"name": …, "productNo": …, "accountId": …,
        "salesTaxRulesetId": …, "prices": [{"unitPrice": 100, "currencyId": "DKK"}]}`."""
        return self._create(payload)

    def get(self, product_id: str) -> Product:
        return self._retrieve(product_id, include=EMBED_PRICES)

    def update(self, product_id: str, payload: Mapping[str, Any]) -> Product:
        """Partial update; `prices`, when sent, replaces every price of the product."""
        return self._update(product_id, payload)

    def find_by_product_no(self, product_no: str) -> list[Product]:
        """Every product whose `productNo` is exactly `product_no` (prices embedded)."""
        return self._find_exact("productNo", product_no, include=EMBED_PRICES)

    def list(self, **filters: object) -> list[Product]:
        """All products (every page, prices embedded); filters use Billy's names."""
        return self._list(filters, include=EMBED_PRICES)
