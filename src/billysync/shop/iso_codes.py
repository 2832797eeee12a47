"""ISO 3166-1 country codes and ISO 4217 currency codes, from the `pycountry` package.

pycountry ships the Debian iso-codes data (kept in step with the ISO maintenance agencies),
so the lists are not ours to maintain. Of ISO 4217 we take only money a shop can be paid
in: the X-codes for gold, silver, bond-market units, special drawing rights, the test code
and "no currency" are codes, but no one buys goods in them.
"""

from __future__ import annotations

from functools import cache

import pycountry

# ISO 4217 codes that are not a currency a customer pays in (precious metals, bond-market
# units, the IMF's and the African Development Bank's units, testing, "no currency").
_NOT_MONEY = frozenset(
    {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"}
)


@cache
def countries() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code (DK, SE, GB, …)."""
    return frozenset(country.alpha_2 for country in pycountry.countries)


@cache
def currencies() -> frozenset[str]:
    """Every ISO 4217 code of a currency goods are paid in (DKK, EUR, …)."""
    return frozenset(c.alpha_3 for c in pycountry.currencies if c.alpha_3 not in _NOT_MONEY)


def is_country(code: str) -> bool:
    return code in countries()


def is_currency(code: str) -> bool:
    return code in currencies()
