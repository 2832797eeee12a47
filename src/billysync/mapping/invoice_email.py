"""The e-mail Billy sends with an invoice, in the customer's language.

Billy sends the invoice itself (a link and the PDF); we give the subject and a short body.
The language follows the customer's contact in Billy (Danish for Danish customers, English
for everyone else: `mapping/contact.py`), never the merchant's.
"""

from __future__ import annotations

from dataclasses import dataclass

from billysync.shop.models import Order


@dataclass(frozen=True)
class InvoiceEmail:
    subject: str
    body: str


def invoice_email_for(order: Order, *, invoice_no: str | None, shop_name: str) -> InvoiceEmail:
    number = invoice_no or order.number
    if order.customer.country == "DK":
        return InvoiceEmail(
            subject=f"Faktura {number} fra {shop_name}",
            body=(
                f"Hej {order.customer.name}\n\n"
                f"Tak for din ordre {order.number}. Her er din faktura.\n\n"
                f"Venlig hilsen\n{shop_name}"
            ),
        )
    return InvoiceEmail(
        subject=f"Invoice {number} from {shop_name}",
        body=(
            f"Dear {order.customer.name}\n\n"
            f"Thank you for your order {order.number}. Here is your invoice.\n\n"
            f"Kind regards\n{shop_name}"
        ),
    )
