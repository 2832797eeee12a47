"""VAT as Billy decides it: rulesets (per product), their rules (per country/contact type) and
the tax rates they point at.

A line's VAT rate cannot be sent; Billy derives it from the product's ruleset and the contact
(docs/billy-api.md §3.4). billysync reads these to predict Billy's totals before it sends an
invoice.
"""

from __future__ import annotations

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
