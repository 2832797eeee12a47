"""Which VAT rate the emulated Billy puts on an invoice line (docs/billy-api.md §3.4).

The matching itself is `billysync.billy.vat`, shared with the mapping that predicts it. A
line that names its tax rate (`taxRateId` sent on create, for a rate the ruleset cannot
express) keeps it; otherwise the line's product's ruleset decides (the organization's
default ruleset when the product has none), by the invoice contact's country and type.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from billysync.billy.vat import Ruleset, TaxRule, resolve_tax_rate_id
from billysync.money import ZERO

from .organization import Organization
from .reference import COUNTRY_GROUPS

Record = dict[str, Any]

GROUP_MEMBERS = {gid: frozenset(group["memberCountryIds"]) for gid, group in COUNTRY_GROUPS.items()}


def line_tax_rate(
    org: Organization, product: Record, contact: Record, explicit_id: str | None = None
) -> Record | None:
    """The taxRate record for a line of `product` sold to `contact` (None: no VAT)."""
    if explicit_id:
        return org.get("taxRates", explicit_id)
    ruleset_id = product.get("salesTaxRulesetId") or org.record.get("defaultSalesTaxRulesetId")
    record = org.find("salesTaxRulesets", ruleset_id)
    if record is None:
        return None
    ruleset = ruleset_of(org, record)
    rate_id = resolve_tax_rate_id(
        ruleset, str(contact.get("countryId")), str(contact.get("type")), GROUP_MEMBERS
    )
    return org.find("taxRates", rate_id)


def ruleset_of(org: Organization, record: Record) -> Ruleset:
    rules = tuple(
        TaxRule(
            tax_rate_id=rule.get("taxRateId"),
            priority=rule.get("priority") or 0,
            country_id=rule.get("countryId"),
            country_group_id=rule.get("countryGroupId"),
            contact_type=rule.get("contactType"),
        )
        for rule in org.children("salesTaxRules", "rulesetId", record["id"])
    )
    return Ruleset(record["id"], record.get("fallbackTaxRateId"), rules)


def rate_of(tax_rate: Record | None) -> Decimal:
    """The rate as a fraction (0.25 = 25 %).

    The emulator's reading of docs/billy-api.md open question 11.
    """
    if tax_rate is None:
        return ZERO
    rate = tax_rate["rate"]
    assert isinstance(rate, Decimal)
    return rate
