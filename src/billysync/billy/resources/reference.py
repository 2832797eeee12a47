"""Reference data read at startup and for the settings page: accounts, currencies, countries.

Read-only lists (Billy answers 405 to writes on currencies and countries). Filters are passed
through with Billy's own names, e.g. `accounts.list(isArchived=False)`; Billy ignores names it
does not know, so check what comes back rather than trusting a filter.
"""

from __future__ import annotations

from billysync.billy.models import Account, Country, CountryGroup, Currency
from billysync.billy.resources._base import Resource


class AccountService(Resource[Account]):
    path = "/accounts"
    singular = "account"
    plural = "accounts"
    model = Account

    def list(self, **filters: object) -> list[Account]:
        """Every account of the chart (all pages); `is_payment_enabled` marks cash accounts."""
        return self._list(filters)

    def get(self, account_id: str) -> Account:
        return self._retrieve(account_id)


class CurrencyService(Resource[Currency]):
    path = "/currencies"
    singular = "currency"
    plural = "currencies"
    model = Currency

    def list(self, **filters: object) -> list[Currency]:
        return self._list(filters)

    def get(self, currency_id: str) -> Currency:
        """One currency by its ISO code, e.g. `get("EUR")`."""
        return self._retrieve(currency_id)


class CountryService(Resource[Country]):
    path = "/countries"
    singular = "country"
    plural = "countries"
    model = Country

    def list(self, **filters: object) -> list[Country]:
        return self._list(filters)

    def get(self, country_id: str) -> Country:
        """One country by its ISO alpha-2 code, e.g. `get("DK")`."""
        return self._retrieve(country_id)


class CountryGroupService(Resource[CountryGroup]):
    """Groups such as the EU that VAT rules match on, with their member countries."""

    path = "/countryGroups"
    singular = "countryGroup"
    plural = "countryGroups"
    model = CountryGroup

    def list(self, **filters: object) -> list[CountryGroup]:
        return self._list(filters)
