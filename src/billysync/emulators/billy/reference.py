"""Reference data every Billy organization sees: currencies, countries, country groups.

These are shared by all organizations (codes as ids, docs/billy-api.md §1.2) and read-only
(writes answer 405, docs/billy-api.md §3.3). The exchange rates are fixed, plausible DKK rates:
`exchangeRate` is DKK per one unit of the currency, as Billy reports it for a DKK company.
"""

from __future__ import annotations

from decimal import Decimal
from types import MappingProxyType
from typing import Any

from billysync.billy.vat import EU_MEMBERS

Record = dict[str, Any]

_CURRENCIES: list[tuple[str, str, str]] = [
    ("DKK", "Danish Krone", "1"),
    ("EUR", "Euro", "7.4604"),
    ("SEK", "Swedish Krona", "0.6421"),
    ("NOK", "Norwegian Krone", "0.6385"),
    ("USD", "US Dollar", "6.8741"),
    ("GBP", "British Pound", "8.5711"),
    ("CHF", "Swiss Franc", "7.8015"),
]


_COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czech Republic", "DK": "Denmark", "EE": "Estonia", "FI": "Finland",
    "FR": "France", "DE": "Germany", "GR": "Greece", "HU": "Hungary", "IE": "Ireland",
    "IT": "Italy", "LV": "Latvia", "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta",
    "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania",
    "SK": "Slovakia", "SI": "Slovenia", "ES": "Spain", "SE": "Sweden",
    "NO": "Norway", "GB": "United Kingdom", "US": "United States", "CH": "Switzerland",
    "IS": "Iceland", "GL": "Greenland", "FO": "Faroe Islands", "CA": "Canada",
    "AU": "Australia",
}  # fmt: skip

_LOCALES = {"DK": "da_DK", "GL": "da_DK", "FO": "da_DK", "DE": "de_DE", "AT": "de_DE",
            "FR": "fr_FR", "NL": "nl_NL", "BE": "nl_NL"}  # fmt: skip

EU_GROUP_ID = "EU"
WORLD_GROUP_ID = "WORLD"


def _currencies() -> dict[str, Record]:
    return {
        code: {"id": code, "name": name, "exchangeRate": Decimal(rate)}
        for code, name, rate in _CURRENCIES
    }


def _countries() -> dict[str, Record]:
    return {
        code: {
            "id": code,
            "name": name,
            "hasStates": code in ("US", "CA", "AU"),
            "hasFiniteStates": code in ("US", "CA", "AU"),
            "hasFiniteZipcodes": code == "DK",
            "icon": f"flag-{code.lower()}",
            "localeId": _LOCALES.get(code, "en_US"),
        }
        for code, name in sorted(_COUNTRY_NAMES.items())
    }


def _country_groups() -> dict[str, Record]:
    return {
        EU_GROUP_ID: {
            "id": EU_GROUP_ID,
            "name": "EU",
            "icon": None,
            "memberCountryIds": sorted(EU_MEMBERS),
        },
        WORLD_GROUP_ID: {
            "id": WORLD_GROUP_ID,
            "name": "World",
            "icon": None,
            "memberCountryIds": sorted(_COUNTRY_NAMES),
        },
    }


# Read-only views shared by every organization; the emulator never writes to them.
CURRENCIES: MappingProxyType[str, Record] = MappingProxyType(_currencies())
COUNTRIES: MappingProxyType[str, Record] = MappingProxyType(_countries())
COUNTRY_GROUPS: MappingProxyType[str, Record] = MappingProxyType(_country_groups())

GLOBAL_TABLES: dict[str, MappingProxyType[str, Record]] = {
    "currencies": CURRENCIES,
    "countries": COUNTRIES,
    "countryGroups": COUNTRY_GROUPS,
}
