"""Invoice lines as both invoices and credit notes build them, and the small rules they share.

Lines get their priority in the order they are added (Billy sorts by it), their unit price
and cash discount rounded to whole øre (any effect on the total is caught by balance.py), and
their VAT from the sale's `SaleVat` (billy/vat.py): goods, shipping and discount codes share
the goods' rate, a gift card has none. The rate predicts Billy's totals; the tax rate id is
sent only where Billy's ruleset would give another rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from billysync.billy.totals import TaxMode
from billysync.billy.vat import SaleVat
from billysync.mapping.drafts import InvoiceLineDraft, LineKind
from billysync.mapping.errors import MissingProduct
from billysync.money import ZERO, round2

LINE_DISCOUNT_TEXT = "Rabat / Discount"
SHIPPING_FALLBACK_TEXT = "Fragt / Shipping"


class LineBuilder:
    """Collects invoice lines in order, numbering their priority and rounding to whole øre."""

    def __init__(self, vat: SaleVat) -> None:
        self.vat = vat
        self.built: tuple[InvoiceLineDraft, ...] = ()

    def add(
        self,
        *,
        product_id: str,
        description: str,
        unit_price: Decimal,
        quantity: Decimal = Decimal(1),
        discount: Decimal = ZERO,
        kind: LineKind = "product",
    ) -> None:
        line_vat = self.vat.gift_card_vat() if kind == "gift_card" else self.vat.goods
        line = InvoiceLineDraft(
            product_id=product_id,
            description=description,
            quantity=quantity,
            unit_price=round2(unit_price) + 0,  # + 0 turns -0.00 into 0.00
            discount_value=round2(discount) if discount else None,
            discount_text=LINE_DISCOUNT_TEXT if discount else None,
            priority=len(self.built) + 1,
            tax_rate=line_vat.rate,
            tax_rate_id=line_vat.tax_rate_id,
            kind=kind,
        )
        self.built = (*self.built, line)


def tax_mode_of(prices_include_vat: bool) -> TaxMode:
    return "incl" if prices_include_vat else "excl"


def line_description(name: str, variant: str | None) -> str:
    return f"{name} ({variant})" if variant else name


def gift_card_label(code: str) -> str:
    """Only the last four characters: a code with a balance left is as good as cash."""
    return code if len(code) <= 4 else f"****{code[-4:]}"


def product_id_for(product_ids: Mapping[str, str], item_number: str) -> str:
    product_id = product_ids.get(item_number)
    if not product_id:
        raise MissingProduct(item_number)
    return product_id
