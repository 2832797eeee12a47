"""Numbers and amounts as the merchant reads them: "1.234,50" in Danish, "1,234.50" in English.

The one place a number is written for a person. The pages' amounts and quantities
(web/render.py) and every text of the catalogues (web/i18n.py `translate`, and the English
of reasons and of the shop's data problems) go through it.

A text's parameters are mostly stored as text (a reason or a problem keeps them as JSON), so
`localized` also rewrites a stored number, when its parameter is one of `NUMBER_PARAMS`:
a number, maybe followed by its currency ("1234.50 DKK"). Other parameters (years, order and
item numbers, codes) are left as they are: "2099" is a year, not "2.099".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

# Parameters of the catalogues' texts that hold a count, a limit or an amount.
NUMBER_PARAMS = frozenset(
    {
        "value",
        "limit",
        "count",
        "max_length",
        "min_length",
        "quantity",
        "amount",
        "received",
        "invoiced",
        "total",
        "shop_total",
        "billy_total",
    }
)

# A number as billysync stores it ("1234.50", "1E+308"), or as an older version stored it,
# with English groupings ("1,000,000"); maybe followed by a currency code. Anything else (a
# text already written for the merchant, such as "1.234,50 DKK") is left as it is.
_STORED = re.compile(r"(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:E[+-]?\d+)?)( [A-Z]{3})?")

# From this many digits before the point on, a number is written as 1.000e+308: an absurd
# value someone sent stays short enough to read.
_LONGEST = 16


def format_number(value: int | Decimal, lang: str) -> str:
    """1234567 → "1.234.567" (Danish) or "1,234,567" (English); a Decimal keeps its places."""
    if isinstance(value, Decimal) and value.is_finite() and value.adjusted() >= _LONGEST:
        text = f"{value:.3e}"
    elif isinstance(value, Decimal):
        text = f"{value:,f}"
    else:
        text = f"{value:,}"
    if lang == "da":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def localized(params: Mapping[str, object], lang: str) -> dict[str, object]:
    """A text's parameters with their numbers written for `lang` (see the module's docstring)."""
    words: dict[str, object] = dict(params)
    for name, value in params.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, int | Decimal):
            words[name] = format_number(value, lang)
        elif isinstance(value, str) and name in NUMBER_PARAMS:
            words[name] = _stored_number(value, lang)
    return words


def _stored_number(text: str, lang: str) -> str:
    """A stored "1234.50" or "1234.50 DKK" written for `lang`; any other text as it is."""
    found = _STORED.fullmatch(text.strip())
    if found is None:
        return text
    number, unit = found.groups()
    return format_number(Decimal(number.replace(",", "")), lang) + (unit or "")
