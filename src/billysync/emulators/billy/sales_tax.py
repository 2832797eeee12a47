"""Creating tax rates, sales-tax rulesets and their rules (docs/billy-api.md §3.4, §7).

Billy's docs list create for `taxRates`, `salesTaxRulesets` and `salesTaxRules`; that is how
a shop registered for OSS gets one rate per EU country and a ruleset whose rules pick them by
country and contact type. A rate's `rate` is a fraction (the emulator's reading of
docs/billy-api.md open question 11) and cannot change; a ruleset's `rules` are embedded on
create and cannot be set again; a rule must name a country or a country group that exists,
and a rate for sales. Predefined rates and rulesets cannot be changed or deleted, so none of
these have PUT or DELETE here (they answer 405).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .changes import Changes
from .errors import Invalid
from .fields import Field, client_key, read_record, require, ro, unwrap, without
from .organization import Organization
from .reference import COUNTRIES, COUNTRY_GROUPS

Record = dict[str, Any]

TAX_RATE_FIELDS: dict[str, Field] = {
    "name": Field("str", "create", required=True),
    "abbreviation": Field("str", "create"),
    "description": Field("str", "create"),
    "rate": Field("decimal", "create", required=True),
    "appliesToSales": Field("bool", "create"),
    "appliesToPurchases": Field("bool", "create"),
    "isActive": Field("bool", "create"),
    "isPredefined": ro(),
    "netAmountMetaFieldId": ro(),
    "deductionComponents": ro(),
}

RULESET_FIELDS: dict[str, Field] = {
    "name": Field("str", "create", required=True),
    "abbreviation": Field("str", "create"),
    "description": Field("str", "create"),
    "fallbackTaxRateId": Field("ref", "create", ref="taxRates"),
    "isPredefined": ro(),
}

RULE_FIELDS: dict[str, Field] = {
    "rulesetId": Field("ref", "create", ref="salesTaxRulesets"),
    "countryId": Field("str", "create"),
    "stateId": Field("str", "create"),
    "countryGroupId": Field("str", "create"),
    "contactType": Field("enum", "create", choices=("company", "person")),
    "taxRateId": Field("ref", "create", required=True, ref="taxRates"),
    "priority": Field("int", "create"),
}


def create_tax_rate(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "taxRate")
    key = client_key(data, "taxRate")
    invalid = Invalid()
    values = read_record(org, "taxRate", TAX_RATE_FIELDS, data, invalid, error_key=key)
    rate = values.get("rate")
    if isinstance(rate, Decimal) and not (0 <= rate < 1):
        invalid.field(key, "rate", "is a fraction from 0 to below 1 (0.25 means 25 %)")
    invalid.raise_if_any()
    record = org.insert(
        "taxRates",
        {
            "id": org.ids.new(),
            "abbreviation": "",
            "description": "",
            "appliesToSales": True,
            "appliesToPurchases": False,
            "isActive": True,
            **values,
            "isPredefined": False,
            "netAmountMetaFieldId": None,
            "deductionComponents": [],
        },
    )
    changes = Changes()
    changes.add("taxRates", record)
    return changes


def create_ruleset(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "salesTaxRuleset")
    key = client_key(data, "salesTaxRuleset")
    invalid = Invalid()
    values = read_record(
        org, "salesTaxRuleset", RULESET_FIELDS, without(data, "rules"), invalid, error_key=key
    )
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        invalid.field(key, "rules", "must be a list of sales tax rules")
        raw_rules = []
    rules = [
        _read_rule(org, without(item, "rulesetId"), invalid, client_key(item, f"rules[{i}]"))
        for i, item in enumerate(raw_rules)
    ]
    invalid.raise_if_any()
    ruleset = org.insert(
        "salesTaxRulesets",
        {
            "id": org.ids.new(),
            "abbreviation": "",
            "description": "",
            "fallbackTaxRateId": None,
            **values,
            "isPredefined": False,
        },
    )
    changes = Changes()
    changes.add("salesTaxRulesets", ruleset)
    for priority, rule in enumerate(rules, start=1):
        changes.add("salesTaxRules", _insert_rule(org, ruleset["id"], rule, priority))
    return changes


def create_rule(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "salesTaxRule")
    key = client_key(data, "salesTaxRule")
    invalid = Invalid()
    values = _read_rule(org, data, invalid, key)
    require(invalid, key, values, "rulesetId")
    invalid.raise_if_any()
    ruleset_id = values["rulesetId"]
    priority = len(org.children("salesTaxRules", "rulesetId", ruleset_id)) + 1
    changes = Changes()
    changes.add("salesTaxRules", _insert_rule(org, ruleset_id, values, priority))
    return changes


def _read_rule(org: Organization, data: dict[str, Any], invalid: Invalid, key: str) -> Record:
    values = read_record(org, "salesTaxRule", RULE_FIELDS, data, invalid, error_key=key)
    country, group = values.get("countryId"), values.get("countryGroupId")
    if not country and not group:
        invalid.field(key, "countryId", "is required (or a countryGroupId)")
    if country and country not in COUNTRIES:
        invalid.field(key, "countryId", f"no country with id `{country}`")
    if group and group not in COUNTRY_GROUPS:
        invalid.field(key, "countryGroupId", f"no country group with id `{group}`")
    rate = org.find("taxRates", values.get("taxRateId"))
    if rate is not None and not rate.get("appliesToSales"):
        invalid.field(key, "taxRateId", "is not a rate for sales; choose one for sales")
    return values


def _insert_rule(org: Organization, ruleset_id: str, values: Record, priority: int) -> Record:
    return org.insert(
        "salesTaxRules",
        {
            "id": org.ids.new(),
            "countryId": None,
            "stateId": None,
            "countryGroupId": None,
            "contactType": None,
            "priority": priority,
            **values,
            "rulesetId": ruleset_id,
        },
    )
