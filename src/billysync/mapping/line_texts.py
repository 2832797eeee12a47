"""The words billysync writes on invoice and credit-note lines, in the customer's language.

Billy prints a line's description as we send it, and the customer reads the invoice in the
language of their contact (`localeId`, contact.py). So each text billysync adds itself (a
discount code, a gift card, a rounding line, a line discount, shipping without a name) exists
in Danish and English, and one document uses one of them: never "Rabatkode JUL10 / Discount
code JUL10". Names from the shop (products, the shipping method) are sent as the shop wrote them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from billysync.shop.models import Customer


class Language(StrEnum):
    DANISH = "da"
    ENGLISH = "en"


# Billy's locale for each language (docs/billy-api.md §3.5: a contact's `localeId`).
LOCALES: dict[Language, Literal["da_DK", "en_US"]] = {
    Language.DANISH: "da_DK",
    Language.ENGLISH: "en_US",
}

# key → (Danish, English)
_TEXTS: dict[str, tuple[str, str]] = {
    "discount_code": ("Rabatkode {code}", "Discount code {code}"),
    "gift_card": ("Gavekort {card}", "Gift card {card}"),
    "rounding": ("Afrunding", "Rounding difference"),
    "line_discount": ("Rabat", "Discount"),
    "shipping": ("Fragt", "Shipping"),
}


def customer_language(customer: Customer) -> Language:
    """A Danish customer reads Danish; everyone else English (the contact's `localeId`)."""
    return Language.DANISH if customer.country == "DK" else Language.ENGLISH


def line_text(language: Language, key: str, **params: str) -> str:
    danish, english = _TEXTS[key]
    text = danish if language is Language.DANISH else english
    return text.format(**params)
