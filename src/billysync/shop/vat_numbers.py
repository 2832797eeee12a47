"""Telling an EU VAT number from a Danish CVR number in what a shop sends.

Shops often have one field for "CVR / VAT number" (Shoporama's name for it is a guess, see
docs/shoporama-api.md §3.4). A foreign company's VAT number carries its country's prefix
(DE123456789, and EL for Greece); that is what makes it an EU VAT number, which decides
reverse charge (docs/vat.md). Only the shape is checked here: whether the number is valid
is VIES's answer, which the merchant checks before selling without VAT.
"""

from __future__ import annotations

# VIES prefixes that differ from the ISO country code.
_VAT_PREFIX = {"GR": "EL"}


def compact_vat_number(value: str | None) -> str | None:
    """Upper case without spaces, dots and dashes; None when nothing is left."""
    if not value:
        return None
    compact = "".join(ch for ch in value if ch not in " .-").upper()
    return compact or None


def is_foreign_vat_number(value: str | None, country: str) -> bool:
    """A VAT number of `country` (not Denmark) by its prefix, e.g. DE123456789 for DE."""
    compact = compact_vat_number(value)
    if compact is None or country == "DK":
        return False
    prefix = _VAT_PREFIX.get(country, country)
    rest = compact[len(prefix) :]
    return compact.startswith(prefix) and len(rest) >= 2 and rest.isalnum()
