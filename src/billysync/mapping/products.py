"""Billy products for a shop product: one per billable item number (docs/billy-api.md
§3.6).

`productNo` is the item number (our marker, markers.product_marker), the revenue account is the
one chosen in the settings, and the price is the shop's price in the shop's currency.

Price mode: a Billy product price is only the default unit price for new lines (every invoice
line we post carries its own `unitPrice`), and Billy prices have no tax mode of their own. We
keep them in the same mode as the shop's prices, which is the mode our invoices use (`incl`
when the shop's prices include VAT), so a line typed by hand in Billy gets the same price.
A price with fractions of an øre is rounded to whole øre; it is only a default.
"""

from __future__ import annotations

from billysync.mapping.drafts import ProductDraft, ProductPriceDraft
from billysync.mapping.markers import product_marker
from billysync.mapping.settings import BillySettings
from billysync.money import round2
from billysync.shop.models import Product


def products_for(
    product: Product, settings: BillySettings, *, sales_tax_ruleset_id: str | None = None
) -> list[ProductDraft]:
    """One draft per distinct item number; the first occurrence wins if a number repeats."""
    drafts: dict[str, ProductDraft] = {}
    for item_number, name, price in product.billable_items():
        if item_number in drafts:
            continue
        drafts[item_number] = ProductDraft(
            name=name,
            product_no=product_marker(item_number),
            account_id=settings.sales_account_id,
            prices=(ProductPriceDraft(unit_price=round2(price), currency_id=product.currency),),
            sales_tax_ruleset_id=sales_tax_ruleset_id,
        )
    return list(drafts.values())
