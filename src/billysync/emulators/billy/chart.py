"""A new Danish Billy company: its organization record, chart of accounts and VAT setup.

What Billy gives a new DKK company (docs/billy-api.md §3.1–§3.4; account numbers and system roles
from the 2016 Danish default chart in `accounts_list.json`), trimmed to what a webshop
needs. Ruleset and tax-rate names are the emulator's (docs/billy-api.md open question 17).

VAT rules of the default ruleset (an assumption, see docs/billy-emulator.md):
DK → 25 %; EU country + company → 0 % (reverse charge); EU country + person → 25 %;
any other country → 0 % (export).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .organization import Organization
from .reference import EU_GROUP_ID, WORLD_GROUP_ID
from .wire import timestamp

Record = dict[str, Any]

# key: (name, abbreviation, rate as a fraction, sales, purchases, description)
_TAX_RATES: dict[str, tuple[str, str, str, bool, bool, str]] = {
    "sales25": ("Salgsmoms 25%", "S25", "0.25", True, False, "Dansk salgsmoms"),
    "euGoods": ("EU-salg af varer", "EUV", "0", True, False, "Omvendt betalingspligt"),
    "euServices": ("EU-salg af ydelser", "EUY", "0", True, False, "Omvendt betalingspligt"),
    "export": ("Eksport", "EKS", "0", True, False, "Salg uden for EU"),
    "exempt": ("Momsfrit salg", "MF", "0", True, False, "Momsfritaget salg"),
    "purchase25": ("Købsmoms 25%", "K25", "0.25", False, True, "Dansk købsmoms"),
}

# (accountNo, name, natureId)
_GROUPS: list[tuple[int, str, str]] = [
    (1100, "Omsætning", "revenue"),
    (1200, "Vareforbrug", "expense"),
    (1600, "Salgsomkostninger", "expense"),
    (2200, "Finansielle indtægter", "revenue"),
    (2300, "Finansielle omkostninger", "expense"),
    (5700, "Likvide beholdninger", "asset"),
    (5800, "Tilgodehavender", "asset"),
    (7100, "Egenkapital", "equity"),
    (7200, "Skyldig moms", "liability"),
    (7300, "Kortfristet gæld", "liability"),
]

# (accountNo, name, group, systemRole, tax rate key, isPaymentEnabled, isBankAccount)
_ACCOUNTS: list[tuple[int, str, int, str | None, str | None, bool, bool]] = [
    (1110, "Salg", 1100, None, "sales25", False, False),
    (1115, "Salg af fragt", 1100, None, None, False, False),
    (1120, "Salg til øvrig udland - varer", 1100, None, "export", False, False),
    (1130, "Salg til øvrig udland - ydelser", 1100, None, "export", False, False),
    (1140, "Salg til EU - varer", 1100, None, "euGoods", False, False),
    (1150, "Salg til EU - ydelser", 1100, None, "euServices", False, False),
    (1210, "Vareindkøb", 1200, None, "purchase25", False, False),
    (1610, "Fragt udgifter", 1600, None, None, False, False),
    (
        2210,
        "Realiserede kursgevinster og -tab",
        2200,
        "realizedCurrencyDifference",
        None,
        False,
        False,
    ),
    (2220, "Rykkergebyrer", 2200, "lateFeesRevenue", None, False, False),
    (2320, "Gebyrer", 2300, None, None, False, False),
    (5710, "Bank", 5700, None, None, True, True),
    (5720, "Kasse", 5700, None, None, True, False),
    (5730, "Betalingsudbyder (clearing)", 5700, None, None, True, False),
    (5810, "Til gode hos kunder", 5800, "accountsReceivable", None, False, False),
    (5820, "Til gode hos leverandører", 5800, "prepaymentAsset", None, False, False),
    (7110, "Dette års resultat", 7100, "currentEarnings", None, False, False),
    (7120, "Overført resultat", 7100, "retainedEarnings", None, False, False),
    (7130, "Mellemregning med ejer", 7100, None, None, True, False),
    (
        7150,
        "Urealiserede kursgevinster og -tab",
        7100,
        "unrealizedCurrencyDifference",
        None,
        False,
        False,
    ),
    (7210, "Afregnet moms", 7200, "salesTaxPayable", None, False, False),
    (7220, "Købsmoms (indgående moms)", 7200, None, None, False, False),
    (7250, "Salgsmoms (udgående moms)", 7200, "salesTax", None, False, False),
    (7310, "Skyldnere til kunder", 7300, "prepaymentLiability", None, False, False),
    (7320, "Skyldnere til leverandører", 7300, "accountsPayable", None, False, False),
]

# name, abbreviation, fallback rate, rules: (countryId, countryGroupId, contactType, rate)
_RULESETS: list[tuple[str, str, str, list[tuple[str | None, str | None, str | None, str]]]] = [
    (
        "Dansk moms 25%",
        "DK",
        "sales25",
        [
            ("DK", None, None, "sales25"),
            (None, EU_GROUP_ID, "company", "euGoods"),
            (None, EU_GROUP_ID, "person", "sales25"),
            (None, WORLD_GROUP_ID, None, "export"),
        ],
    ),
    ("Momsfrit", "MF", "exempt", [(None, WORLD_GROUP_ID, None, "exempt")]),
]


def found_organization(org: Organization) -> None:
    """Give a fresh organization what a new Danish Billy company starts with."""
    rates = {key: _tax_rate(org, *spec) for key, spec in _TAX_RATES.items()}
    groups = {no: _group(org, no, name, nature) for no, name, nature in _GROUPS}
    accounts: dict[int, Record] = {}
    for no, name, group_no, role, rate_key, payment, bank in _ACCOUNTS:
        group = groups[group_no]
        accounts[no] = org.insert(
            "accounts",
            {
                "id": org.ids.new(),
                "name": name,
                "accountNo": no,
                "description": "",
                "groupId": group["id"],
                "natureId": group["natureId"],
                "systemRole": role,
                "currencyId": "DKK",
                "taxRateId": rates[rate_key]["id"] if rate_key else None,
                "isPaymentEnabled": payment,
                "isBankAccount": bank,
                "isArchived": False,
                "bankId": None,
                "bankName": "Danske Bank" if bank else None,
                "bankRoutingNo": "1234" if bank else None,
                "bankAccountNo": "0001234567" if bank else None,
                "bankSwift": None,
                "bankIban": None,
            },
        )
    rulesets = [_ruleset(org, rates, *spec) for spec in _RULESETS]
    org.record = _organization_record(org, accounts, rulesets[0])


def _tax_rate(
    org: Organization,
    name: str,
    abbreviation: str,
    rate: str,
    sales: bool,
    purchases: bool,
    description: str,
) -> Record:
    return org.insert(
        "taxRates",
        {
            "id": org.ids.new(),
            "name": name,
            "abbreviation": abbreviation,
            "description": description,
            "rate": Decimal(rate),
            "appliesToSales": sales,
            "appliesToPurchases": purchases,
            "isPredefined": True,
            "isActive": True,
            "netAmountMetaFieldId": None,
            "deductionComponents": [],
        },
    )


def _group(org: Organization, no: int, name: str, nature: str) -> Record:
    return org.insert(
        "accountGroups",
        {
            "id": org.ids.new(),
            "accountNo": no,
            "name": name,
            "type": "group",
            "natureId": nature,
            "sumFrom": None,
            "style": None,
            "priority": 0,
        },
    )


def _ruleset(
    org: Organization,
    rates: dict[str, Record],
    name: str,
    abbreviation: str,
    fallback: str,
    rules: list[tuple[str | None, str | None, str | None, str]],
) -> Record:
    ruleset = org.insert(
        "salesTaxRulesets",
        {
            "id": org.ids.new(),
            "name": name,
            "abbreviation": abbreviation,
            "description": "",
            "fallbackTaxRateId": rates[fallback]["id"],
            "isPredefined": True,
        },
    )
    for priority, (country, group, contact_type, rate) in enumerate(rules, start=1):
        org.insert(
            "salesTaxRules",
            {
                "id": org.ids.new(),
                "rulesetId": ruleset["id"],
                "countryId": country,
                "stateId": None,
                "countryGroupId": group,
                "contactType": contact_type,
                "taxRateId": rates[rate]["id"],
                "priority": priority,
            },
        )
    return ruleset


def _organization_record(org: Organization, accounts: dict[int, Record], ruleset: Record) -> Record:
    created = org.now()
    year = created.year
    slug = "".join(c for c in org.name.lower() if c.isalnum()) or "demo"
    return {
        "id": org.id,
        "ownerUserId": org.ids.new(),
        "ownerUmbrellaId": None,
        "createdTime": timestamp(created),
        "name": org.name,
        "url": slug,
        "street": "",
        "zipcode": "",
        "city": "",
        "countryId": "DK",
        "stateId": None,
        "region": "dk",
        "phone": "",
        "fax": "",
        "email": "",
        "registrationNo": "",
        "baseCurrencyId": "DKK",
        "logoFileId": None,
        "logoPdfFileId": None,
        "logoUrl": None,
        "iconFileId": None,
        "iconUrl": None,
        "icon48Url": None,
        "fiscalYearEndMonth": 12,
        "firstFiscalYearStart": f"{year}-01-01",
        "firstFiscalYearEnd": f"{year}-12-31",
        "fiscalLockingDate": None,
        "hasBillVoucherNo": True,
        "billyProviderId": "dk",
        "subscriptionPlan": "premium",
        "subscriptionCardType": None,
        "subscriptionCardNumber": None,
        "subscriptionCardExpires": None,
        "isSubscriptionBankPayer": False,
        "subscriptionCurrencyId": "DKK",
        "subscriptionPrice": 0,
        "subscriptionPeriod": "yearly",
        "subscriptionDiscount": 0,
        "subscriptionExpires": f"{year + 1}-12-31",
        "consolidatedBilling": False,
        "isTrial": False,
        "isTerminated": False,
        "terminationTime": None,
        "localeId": "da_DK",
        "billEmailAddress": f"{slug}@in.billysbilling.com",
        "isUnmigrated": False,
        "isLocked": False,
        "lockedCode": None,
        "lockedReason": "",
        "appUrl": f"https://app.billy.dk/{slug}",
        "emailAttachmentDeliveryMode": "link",
        "hasVat": True,
        "salesTaxPeriod": "quarter",
        "vatPeriod": "quarter",
        "invoiceNoMode": "sequential",
        "nextInvoiceNo": 1,
        "paymentTermsMode": "net",
        "paymentTermsDays": 7,
        "defaultTaxMode": "incl",
        "defaultSalesAccountId": accounts[1110]["id"],
        "defaultSalesTaxRulesetId": ruleset["id"],
        "defaultInvoiceBankAccountId": accounts[5710]["id"],
        "defaultInventoryAccountId": None,
        "bankSyncStartDate": None,
        "defaultBankFeeAccountId": accounts[2320]["id"],
        "defaultBillBankAccountId": accounts[5710]["id"],
        "defaultTemplateId": org.ids.new(),
    }
