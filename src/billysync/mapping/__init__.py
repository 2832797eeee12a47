"""Mapping: pure functions, no I/O and no clock, from shop models and a shop's settings to
the Billy documents we would post (contact, invoice, payment, credit note, product).

The engine (billysync.sync) calls these; everything public is re-exported here except the
preview, which is `billysync.mapping.preview.preview` (re-exporting it would hide the module).

    contact.py   contact_for          customer → contact
    orders.py    invoice_for, payment_for
    returns.py   credit_note_for, refund_for
    products.py  products_for         shop product → one Billy product per item number
    preview.py   preview              all of an order's documents as plain data
    drafts.py    the documents (to_payload() = Billy's wire JSON)
    markers.py   the keys we find documents by again
    balance.py   shop total = Billy total, or a labelled rounding line, or stop
"""

from billysync.mapping.balance import ROUNDING_TOLERANCE
from billysync.mapping.contact import contact_for
from billysync.mapping.drafts import (
    ContactDraft,
    ContactPersonDraft,
    InvoiceDraft,
    InvoiceLineDraft,
    PaymentDraft,
    ProductDraft,
    ProductPriceDraft,
)
from billysync.mapping.errors import MappingError, MissingProduct, PaymentMismatch, TotalsMismatch
from billysync.mapping.markers import contact_marker, order_marker, product_marker, return_marker
from billysync.mapping.orders import invoice_for, payment_for
from billysync.mapping.products import products_for
from billysync.mapping.returns import credit_note_for, refund_for
from billysync.mapping.settings import BillySettings

__all__ = [
    "ROUNDING_TOLERANCE",
    "BillySettings",
    "ContactDraft",
    "ContactPersonDraft",
    "InvoiceDraft",
    "InvoiceLineDraft",
    "MappingError",
    "MissingProduct",
    "PaymentDraft",
    "PaymentMismatch",
    "ProductDraft",
    "ProductPriceDraft",
    "TotalsMismatch",
    "contact_for",
    "contact_marker",
    "credit_note_for",
    "invoice_for",
    "order_marker",
    "payment_for",
    "product_marker",
    "products_for",
    "refund_for",
    "return_marker",
]
