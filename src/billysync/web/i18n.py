"""The admin pages' texts in English and Danish: one small catalogue, no framework.

`translate(lang, key, **params)` looks a key up and fills `{name}` placeholders. A missing key
shows the key itself (a test checks every key used in templates and code exists in both
languages). The language is the merchant's choice, kept in the session; the first guess is
the browser's `Accept-Language`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from billysync.web.texts_books import BOOKS_TEXTS
from billysync.web.texts_checks import CHECK_TEXTS
from billysync.web.texts_payments import PAYMENT_TEXTS
from billysync.web.texts_problems import PROBLEM_CATALOGUE
from billysync.web.texts_reasons import REASON_CATALOGUE
from billysync.web.texts_setup import SETUP_TEXTS
from billysync.web.texts_vat import VAT_TEXTS
from billysync.web.texts_work import WORK_TEXTS

LANGUAGES = ("en", "da")
DEFAULT_LANGUAGE = "da"

MESSAGES: dict[str, tuple[str, str]] = {
    **WORK_TEXTS,
    **SETUP_TEXTS,
    **CHECK_TEXTS,
    **VAT_TEXTS,
    **BOOKS_TEXTS,
}
MESSAGES |= PAYMENT_TEXTS
MESSAGES |= REASON_CATALOGUE
MESSAGES |= PROBLEM_CATALOGUE


def pick_language(accept_language: str | None) -> str:
    """The first guess from the browser: Danish if it asks for Danish first, else English."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"


def translate(lang: str, key: str, /, **params: Any) -> str:
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts[1] if lang == "da" else texts[0]
    return text.format(**params) if params else text


def translate_or(lang: str, key: str, fallback: str) -> str:
    """The catalogue's text for `key`, or `fallback` when the catalogue has none (a name the
    engine made up that no page has a word for yet)."""
    return translate(lang, key) if key in MESSAGES else fallback


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, /, **params: Any) -> str:
        return translate(lang, key, **params)

    return t
