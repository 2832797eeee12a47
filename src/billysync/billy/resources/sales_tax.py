"""VAT as Billy decides it: rulesets (per product), their rules (per country/contact type) and
the tax rates they point at.

A line's VAT rate is derived from the product's ruleset and the contact (docs/billy-api.md
§3.4); billysync reads these to predict Billy's totals before it sends an invoice, and creates
the rates and the ruleset a shop registered for OSS needs (docs/billy-api.md §7: all three
support create).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.billy.models import SalesTaxRule, SalesTaxRuleset, TaxRate
from billysync.billy.resources._base import Children, Resource


class SalesTaxRulesetService(Resource[SalesTaxRuleset]):
    path = "/salesTaxRulesets"
    singular = "salesTaxRuleset"
    plural = "salesTaxRulesets"
    model = SalesTaxRuleset
    children = (Children("rules", "salesTaxRules", "ruleIds", ("rulesetId",)),)

    def list(self, *, include_rules: bool = True, **filters: object) -> list[SalesTaxRuleset]:
        """Every ruleset; with `include_rules` each carries its `rules` (embedded)."""
        include = "salesTaxRuleset.rules:embed" if include_rules else None
        return self._list(filters, include=include)

    def get(self, ruleset_id: str, *, include_rules: bool = True) -> SalesTaxRuleset:
        include = "salesTaxRuleset.rules:embed" if include_rules else None
        return self._retrieve(ruleset_id, include=include)

    def create(self, payload: Mapping[str, Any]) -> SalesTaxRuleset:
        """Create a ruleset with its rules embedded: `{"name": …, "fallbackTaxRateId": …,
        "rules": [{"countryId": "DE", "contactType": "person", "taxRateId": …}, …]}`."""
        return self._create(payload)


class SalesTaxRuleService(Resource[SalesTaxRule]):
    path = "/salesTaxRules"
    singular = "salesTaxRule"
    plural = "salesTaxRules"
    model = SalesTaxRule

    def list(self, **filters: object) -> list[SalesTaxRule]:
        """Every rule of every ruleset (filter client-side on `ruleset_id`)."""
        return self._list(filters)


class TaxRateService(Resource[TaxRate]):
    path = "/taxRates"
    singular = "taxRate"
    plural = "taxRates"
    model = TaxRate

    def list(self, **filters: object) -> list[TaxRate]:
        """Every tax rate; `rate` is a `Decimal` fraction (0.25 for 25 %)."""
        return self._list(filters)

    def get(self, tax_rate_id: str) -> TaxRate:
        return self._retrieve(tax_rate_id)

    def create(self, payload: Mapping[str, Any]) -> TaxRate:
        """Create a rate: `{"name": …, "abbreviation": …, "rate": 0.19, "appliesToSales": true}`."""
        return self._create(payload)
