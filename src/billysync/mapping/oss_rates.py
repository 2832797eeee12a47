"""The standard VAT rate of every other EU member state, with the date each holds from.

Data for the EU One Stop Shop (OSS, docs/vat.md): a Danish shop registered for it charges an
EU consumer the VAT of the country the goods are sent to. billysync books webshop goods at
the standard rate; a merchant who sells goods with a reduced rate somewhere (books, food)
must book those by hand (docs/vat.md says so).

Each country lists its rates oldest first, each from the date it applies. The first date is
2021-07-01, the day OSS began (EU directive 2017/2455); the rate had applied before then too.
Changes since then: Luxembourg 16 % in 2023, Estonia 22 % in 2024 and 24 % from July 2025,
Finland 25.5 % from September 2024, Slovakia 23 % from 2025, Romania 21 % from August 2025.
Checked against the European Commission's and national tax authorities' published rates;
update this table when a member state changes its rate (tests hold it to 26 countries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

OSS_START = date(2021, 7, 1)


@dataclass(frozen=True)
class StandardRate:
    country: str
    rate: Decimal  # a fraction, 0.19 for 19 %
    valid_from: date

    @property
    def percent(self) -> str:
        return percent_text(self.rate)


def percent_text(rate: Decimal) -> str:
    """A fraction as the percentage names and markers show it: 0.19 → '19', 0.255 → '25.5'."""
    return format((rate * 100).normalize(), "f")


def _history(country: str, *changes: tuple[str, str]) -> tuple[StandardRate, ...]:
    return tuple(StandardRate(country, Decimal(rate), date.fromisoformat(d)) for d, rate in changes)


START = OSS_START.isoformat()

STANDARD_RATES: dict[str, tuple[StandardRate, ...]] = {
    "AT": _history("AT", (START, "0.20")),
    "BE": _history("BE", (START, "0.21")),
    "BG": _history("BG", (START, "0.20")),
    "CY": _history("CY", (START, "0.19")),
    "CZ": _history("CZ", (START, "0.21")),
    "DE": _history("DE", (START, "0.19")),
    "EE": _history("EE", (START, "0.20"), ("2024-01-01", "0.22"), ("2025-07-01", "0.24")),
    "ES": _history("ES", (START, "0.21")),
    "FI": _history("FI", (START, "0.24"), ("2024-09-01", "0.255")),
    "FR": _history("FR", (START, "0.20")),
    "GR": _history("GR", (START, "0.24")),
    "HR": _history("HR", (START, "0.25")),
    "HU": _history("HU", (START, "0.27")),
    "IE": _history("IE", (START, "0.23")),
    "IT": _history("IT", (START, "0.22")),
    "LT": _history("LT", (START, "0.21")),
    "LU": _history("LU", (START, "0.17"), ("2023-01-01", "0.16"), ("2024-01-01", "0.17")),
    "LV": _history("LV", (START, "0.21")),
    "MT": _history("MT", (START, "0.18")),
    "NL": _history("NL", (START, "0.21")),
    "PL": _history("PL", (START, "0.23")),
    "PT": _history("PT", (START, "0.23")),
    "RO": _history("RO", (START, "0.19"), ("2025-08-01", "0.21")),
    "SE": _history("SE", (START, "0.25")),
    "SI": _history("SI", (START, "0.22")),
    "SK": _history("SK", (START, "0.20"), ("2025-01-01", "0.23")),
}


def standard_rate(country: str, on: date) -> StandardRate | None:
    """The rate `country` charged on `on`; None outside the table (not OSS, or before it)."""
    current = None
    for entry in STANDARD_RATES.get(country, ()):
        if entry.valid_from <= on:
            current = entry
    return current


def rates_on(on: date) -> dict[str, StandardRate]:
    """Every OSS country's rate on `on`."""
    found = {country: standard_rate(country, on) for country in STANDARD_RATES}
    return {country: rate for country, rate in found.items() if rate is not None}
