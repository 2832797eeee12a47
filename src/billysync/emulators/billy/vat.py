"""Which VAT rate Billy puts on an invoice line (docs/billy-api.md §3.4).

A line's rate is read-only: Billy takes the line's product's sales-tax ruleset (the
organization's default when the product has none) and matches its rules, by priority,
against the invoice contact's country, country group and type (company/person). The
first rule that matches gives the rate; when none does, the ruleset's fallback rate.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billysync.money import ZERO

from .organization import Organization
from .reference import in_group

Record = dict[str, Any]


def line_tax_rate(org: Organization, product: Record, contact: Record) -> Record | None:
    """The taxRate record for a line of `product` sold to `contact` (None: no VAT)."""
    ruleset_id = product.get("salesTaxRulesetId") or org.record.get("defaultSalesTaxRulesetId")
    ruleset = org.find("salesTaxRulesets", ruleset_id)
    if ruleset is None:
        return None
    rules = sorted(
        org.children("salesTaxRules", "rulesetId", ruleset["id"]),
        key=lambda rule: rule.get("priority") or 0,
    )
    for rule in rules:
        if _matches(rule, contact):
            return org.find("taxRates", rule.get("taxRateId"))
    return org.find("taxRates", ruleset.get("fallbackTaxRateId"))


def rate_of(tax_rate: Record | None) -> Decimal:
    """The rate as a fraction (0.25 = 25 %).

    The emulator's reading of docs/billy-api.md open question 11.
    """
    if tax_rate is None:
        return ZERO
    rate = tax_rate["rate"]
    assert isinstance(rate, Decimal)
    return rate


def _matches(rule: Record, contact: Record) -> bool:
    country = contact.get("countryId")
    if rule.get("countryId") and rule["countryId"] != country:
        return False
    if rule.get("countryGroupId") and not in_group(rule["countryGroupId"], str(country)):
        return False
    return not rule.get("contactType") or rule["contactType"] == contact.get("type")
