"""Markers: the deterministic keys we write into Billy documents so we can find them again.

Billy has no idempotency keys and ignores unknown filters, so before any create whose earlier
outcome is unknown the engine looks the document up by its marker and compares it exactly.
Every marker is built here, in one place, so lookups and creates can never disagree:

- invoice `orderNo`      = prefix + order number                 ("WEB-1001")
- credit note `orderNo`  = prefix + order number + "-R" + return key ("WEB-1001-R77")
- contact `contactNo`    = prefix + "C-" + customer key, at most 40 characters; a longer key
                           becomes prefix + "CH-" + 24 hex digits of its SHA-256 ("WEB-CH-…")
- product `productNo`    = the shop's item number, as is (what the merchant sees in Billy)
- shipping and discount products: `SHIPPING` and `DISCOUNT`

The order-number prefix's rule (`prefix_problem`) is here too: every marker carries it.
"""

from __future__ import annotations

import hashlib

MAX_CONTACT_MARKER = 40
_HASH_DIGITS = 24

# The prefix is part of every marker; contact markers must stay within 40 characters
# (MAX_CONTACT_MARKER), and a hashed contact marker takes 27 of them.
MAX_PREFIX_LENGTH = 10

# The product numbers of the two products an order's extra lines are booked on (created
# by one click in the settings, or by the merchant); found again by these numbers.
SHIPPING_PRODUCT_NO = "SHIPPING"
DISCOUNT_PRODUCT_NO = "DISCOUNT"
SERVICE_PRODUCT_NUMBERS = {"shipping": SHIPPING_PRODUCT_NO, "discount": DISCOUNT_PRODUCT_NO}


def prefix_problem(prefix: str) -> str | None:
    """What is wrong with an order-number prefix (None: it can be used), with an example."""
    if len(prefix) > MAX_PREFIX_LENGTH:
        return f"must be at most {MAX_PREFIX_LENGTH} characters, e.g. 'WEB-'"
    if any(ch.isspace() or not ch.isprintable() for ch in prefix):
        return "must not contain spaces or control characters, e.g. 'WEB-'"
    return None


def order_marker(prefix: str, number: str) -> str:
    """The invoice's `orderNo`: the order number the customer sees, with the shop's prefix."""
    return f"{prefix}{number}"


def return_marker(prefix: str, order_number: str, return_key: str) -> str:
    """The credit note's `orderNo`: one per shop return, recognisably tied to its order."""
    return f"{prefix}{order_number}-R{return_key}"


def contact_marker(prefix: str, customer_key: str) -> str:
    """The contact's `contactNo`: the same customer key always gives the same marker.

    Keys that do not fit in 40 characters (long emails, UUIDs with a prefix) are replaced by
    a hash; the "CH-" form can never equal a plain "C-" marker, so the two cannot collide.
    """
    plain = f"{prefix}C-{customer_key}"
    if len(plain) <= MAX_CONTACT_MARKER:
        return plain
    digest = hashlib.sha256(customer_key.encode("utf-8")).hexdigest()[:_HASH_DIGITS]
    hashed = f"{prefix}CH-{digest}"
    if len(hashed) > MAX_CONTACT_MARKER:
        raise ValueError(f"the order prefix {prefix!r} is too long for a contact number")
    return hashed


def product_marker(item_number: str) -> str:
    """The product's `productNo`: the shop's item number (SKU), unprefixed."""
    return item_number
