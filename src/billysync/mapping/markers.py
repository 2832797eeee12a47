"""Markers: the deterministic keys we write into Billy documents so we can find them again.

Billy has no idempotency keys and ignores unknown filters, so before any create whose earlier
outcome is unknown the engine looks the document up by its marker and compares it exactly.
Every marker is built here, in one place, so lookups and creates can never disagree:

- invoice `orderNo`      = prefix + order number                 ("WEB-1001")
- credit note `orderNo`  = prefix + order number + "-R" + return key ("WEB-1001-R77")
- contact `contactNo`    = prefix + "C-" + customer key, at most 40 characters; a longer key
                           becomes prefix + "CH-" + 24 hex digits of its SHA-256 ("WEB-CH-…")
- product `productNo`    = the shop's item number, as is (what the merchant sees in Billy)
"""

from __future__ import annotations

import hashlib

MAX_CONTACT_MARKER = 40
_HASH_DIGITS = 24


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
