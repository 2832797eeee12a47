"""A Billy organization's reference data, read once per process and shop and cached.

The VAT rate Billy will put on a line follows from the product's sales tax ruleset and the
contact's country and type (docs/billy-api.md §3.4), matched by billy/vat.py exactly as the
emulator matches it; we need it to predict Billy's totals, and to name a line's rate where
the ruleset cannot express what the law asks (docs/vat.md). Account currencies decide
whether a payment needs an exchange rate.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from billysync.billy.models import Account, CountryGroup, SalesTaxRuleset, TaxRate
from billysync.billy.vat import OssRate, Ruleset, SaleVat, TaxRule, VatBook, VatSetupError
from billysync.money import ZERO
from billysync.shop.models import Customer
from billysync.store.tables import Shop
from billysync.sync.context import TransferContext
from billysync.sync.reasons import Reason
from billysync.sync.runtime import NotConfigured

TTL_SECONDS = 3600.0


@dataclass
class OrgReference:
    base_currency: str
    vat: VatBook  # the default ruleset, rates and country groups, matched by billy/vat.py
    account_currencies: dict[str, str]
    currency_rates: dict[str, Decimal]  # base-currency units per unit (Billy's exchangeRate)
    account_names: dict[str, str] = field(default_factory=dict)  # id → "5710 Bank"
    app_url: str | None = None  # the organization in Billy's web app (organization `appUrl`)
    loaded_at: float = field(default_factory=time.monotonic)

    def sale_vat(self, customer: Customer, *, oss: Mapping[str, OssRate] | None = None) -> SaleVat:
        """The VAT of each kind of line sold to `customer`; `oss` is the shop's OSS rates by
        country when it is registered for OSS and the sale is one OSS covers, else None."""
        book = replace(self.vat, oss_rates=oss) if oss is not None else self.vat
        try:
            return book.sale_vat(
                customer.country,
                customer.kind,
                has_eu_vat_number=bool(customer.eu_vat_number),
                oss=oss is not None,
            )
        except VatSetupError as exc:
            raise NotConfigured(str(exc)) from exc

    def account_currency(self, account_id: str) -> str:
        return self.account_currencies.get(account_id) or self.base_currency

    def cash_rate(
        self, subject_currency: str, subject_rate: Decimal | None, account_currency: str
    ) -> Decimal | None:
        """Units of the account's currency per unit of the invoice's (None when the same).

        `subject_rate` is the invoice's own exchangeRate against the base currency, which
        Billy fixed when it booked the invoice; the account's rate comes from /currencies.
        """
        if subject_currency == account_currency:
            return None
        to_base = subject_rate or self.currency_rates.get(subject_currency)
        if subject_currency == self.base_currency:
            to_base = Decimal(1)
        account_to_base = (
            Decimal(1)
            if account_currency == self.base_currency
            else self.currency_rates.get(account_currency)
        )
        if not to_base or not account_to_base:
            raise ValueError(
                f"Billy has no exchange rate for {subject_currency} or {account_currency}: "
                "choose a payment account in the order's currency or in the base currency"
            )
        return to_base / account_to_base


_cache: dict[int, tuple[object, OrgReference]] = {}
_lock = threading.Lock()


def forget(shop_id: int) -> None:
    """Drop a shop's cached data (its Billy key or organization changed)."""
    with _lock:
        _cache.pop(shop_id, None)


def reference_for(ctx: TransferContext) -> OrgReference:
    """The organization's data, read again when the shop's key or Billy address changed
    (in any process: the stored key's ciphertext is part of what the cache checks)."""
    shop = ctx.shop
    if shop is None:
        with ctx.rt.db.reading() as session:
            shop = session.get(Shop, ctx.shop_id)
    version = (shop.billy_key_secret, shop.billy_base_url) if shop else None
    with _lock:
        cached = _cache.get(ctx.shop_id)
    if (
        cached is not None
        and cached[0] == version
        and time.monotonic() - cached[1].loaded_at < TTL_SECONDS
    ):
        return cached[1]
    reference = load_reference(ctx)
    with _lock:
        _cache[ctx.shop_id] = (version, reference)
    return reference


def load_reference(ctx: TransferContext) -> OrgReference:
    client = ctx.client
    organization = client.organization.get()
    rulesets = client.sales_tax_rulesets.list(include_rules=True)
    base = organization.base_currency_id or "DKK"
    chart = client.accounts.list()
    accounts = {a.id: a.currency_id or base for a in chart}
    rates = {c.id: c.exchange_rate for c in client.currencies.list() if c.exchange_rate}
    vat = vat_book(
        rulesets,
        client.tax_rates.list(),
        client.country_groups.list(),
        organization.default_sales_tax_ruleset_id,
    )
    ctx.log("reference", Reason("log.reference"))
    return OrgReference(
        base_currency=base,
        vat=vat,
        account_currencies=accounts,
        currency_rates=rates,
        account_names={a.id: account_label(a) for a in chart},
        # `appUrl` is not one of the client model's named fields; it arrives as an extra.
        app_url=(organization.model_extra or {}).get("appUrl"),
    )


def account_label(account: Account) -> str:
    """An account as Billy's chart of accounts shows it: "5710 Bank"."""
    name = (account.name or "").strip()
    return f"{account.account_no} {name}" if account.account_no else name


def vat_book(
    rulesets: list[SalesTaxRuleset],
    tax_rates: list[TaxRate],
    country_groups: list[CountryGroup],
    default_ruleset_id: str | None,
) -> VatBook:
    """The organization's VAT setup as billy/vat.py reads it."""
    by_id = {ruleset.id: ruleset for ruleset in rulesets}
    default = by_id.get(default_ruleset_id or "")
    # Billy's predefined VAT-free ruleset is "Momsfrit" (docs/billy-api.md §3.4).
    exempt = next((r for r in rulesets if (r.name or "").strip().lower() == "momsfrit"), None)
    return VatBook(
        default_ruleset=ruleset_of(default) if default else None,
        rates={rate.id: rate.rate or ZERO for rate in tax_rates},
        groups={g.id: frozenset(g.member_country_ids) for g in country_groups},
        exempt_rate_id=exempt.fallback_tax_rate_id if exempt else None,
    )


def ruleset_of(ruleset: SalesTaxRuleset) -> Ruleset:
    rules = tuple(
        TaxRule(
            tax_rate_id=rule.tax_rate_id,
            priority=rule.priority or 0,
            country_id=rule.country_id,
            country_group_id=rule.country_group_id,
            contact_type=rule.contact_type,
        )
        for rule in ruleset.rules or []
    )
    return Ruleset(ruleset.id, ruleset.fallback_tax_rate_id, rules)
