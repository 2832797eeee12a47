"""Why an order cannot be mapped to Billy documents, said so the merchant knows what to fix.

    MappingError (ValueError)        the shop's data or the settings do not allow a booking
     ├── MissingProduct              an item number has no Billy product yet
     ├── TotalsMismatch              Billy would book a different total than the shop's
     └── PaymentMismatch             the shop received a different amount than the invoice's

All of them are *data* problems (not transient): retrying without a fix gives the same answer.
A `MappingError` may name the merchant's reason for it by `code` and `params` (a reason code of
sync/reasons.py, whose texts say it in the merchant's language); its message stays English,
for logs and the developer.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal


class MappingError(ValueError):
    """The order, return or settings cannot be turned into Billy documents as they are."""

    def __init__(
        self, message: str, *, code: str | None = None, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params = {name: str(value) for name, value in (params or {}).items()}


class MissingProduct(MappingError):
    """An order or return line names an item number that has no Billy product bound to it."""

    def __init__(self, item_number: str) -> None:
        self.item_number = item_number
        super().__init__(
            f"No Billy product for item number {item_number!r}. Run the product sync for this "
            "shop, or check that the item number on the order exists in the shop's catalogue.",
            code="shop.missing_product",
            params={"item": item_number},
        )


class TotalsMismatch(MappingError):
    """The invoice (or credit note) Billy would book does not add up to the shop's total.

    Raised instead of posting when the difference is too big to be rounding, or when no
    two-decimal rounding line can make Billy's total match exactly. Never a silent difference.
    """

    def __init__(
        self,
        order_number: str,
        shop_total: Decimal,
        billy_total: Decimal,
        difference: Decimal,
        *,
        currency: str = "",
        reason: str = "",
    ) -> None:
        self.order_number = order_number
        self.shop_total = shop_total
        self.billy_total = billy_total
        self.difference = difference
        self.currency = currency
        unit = f" {currency}" if currency else ""
        why = f" {reason}" if reason else ""
        super().__init__(
            f"Order {order_number}: the shop's total is {shop_total}{unit}, but the document "
            f"Billy would book comes to {billy_total}{unit} (difference {difference}{unit}).{why} "
            "Nothing was posted. Check the order in the shop: its lines, line discounts, "
            "shipping, discount codes and gift cards, and whether the shop's prices include "
            "VAT as the order says. Then retry the order.",
            code="shop.totals_mismatch",
            params={
                "document": "invoice",
                "shop_total": f"{shop_total}{unit}",
                "billy_total": f"{billy_total}{unit}",
            },
        )


class PaymentMismatch(MappingError):
    """The shop received a different amount than the invoice's gross amount."""

    def __init__(
        self, order_number: str, received: Decimal, invoice_gross: Decimal, currency: str
    ) -> None:
        self.order_number = order_number
        self.received = received
        self.invoice_gross = invoice_gross
        self.currency = currency
        super().__init__(
            f"Order {order_number}: the shop received {received} {currency} but the Billy "
            f"invoice is for {invoice_gross} {currency}. No payment was posted, so the invoice "
            "stays open; register the payment in Billy by hand or correct the order in the shop.",
            code="billy.payment_mismatch",
            params={
                "received": f"{received} {currency}",
                "invoiced": f"{invoice_gross} {currency}",
            },
        )
