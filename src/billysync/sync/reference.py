"""A Billy organization's reference data, read once per process and shop and cached.

The VAT rate Billy will put on a line follows from the product's sales tax ruleset and the
contact's country and type (docs/billy-api.md §3.4); we need it to predict Billy's totals before
sending. Account currencies decide whether a payment needs an exchange rate.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from billysync.money import ZERO
from billysync.store.tables import Shop
from billysync.sync.context import TransferContext

TTL_SECONDS = 3600.0
# Billy's country groups are read from its rules; EU membership is the one we need to know.
EU = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)


@dataclass
class OrgReference:
    base_currency: str
    default_ruleset_id: str | None
    rules: list[Any]
    rates: dict[str, Decimal]
    fallback_rate_id: str | None
    group_members: dict[str, frozenset[str]]
    account_currencies: dict[str, str]
    currency_rates: dict[str, Decimal]  # base-currency units per unit (Billy's exchangeRate)
    loaded_at: float = field(default_factory=time.monotonic)

    def vat_rate(self, country: str, contact_type: str) -> Decimal:
        """The rate Billy's default ruleset applies to this contact (fraction, 0.25 = 25 %)."""
        candidates = []
        for rule in self.rules:
            if self.default_ruleset_id and _get(rule, "ruleset_id") not in (
                None,
                self.default_ruleset_id,
            ):
                continue
            rule_country = _get(rule, "country_id")
            group = _get(rule, "country_group_id")
            if rule_country and rule_country != country:
                continue
            if group and country not in self.group_members.get(group, frozenset()):
                continue
            rule_type = _get(rule, "contact_type")
            if rule_type and rule_type != contact_type:
                continue
            candidates.append(rule)
        if candidates:
            best = min(candidates, key=lambda r: _get(r, "priority") or 0)
            return self.rates.get(_get(best, "tax_rate_id") or "", ZERO)
        if self.fallback_rate_id:
            return self.rates.get(self.fallback_rate_id, ZERO)
        return Decimal("0.25") if country == "DK" else ZERO

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


def _get(record: Any, name: str) -> Any:
    # Rules come from the Billy client as typed records (billy.models.SalesTaxRule).
    return getattr(record, name, None)


_cache: dict[int, tuple[object, OrgReference]] = {}
_lock = threading.Lock()


def forget(shop_id: int) -> None:
    """Drop a shop's cached data (its Billy key or organization changed)."""
    with _lock:
        _cache.pop(shop_id, None)


def reference_for(ctx: TransferContext) -> OrgReference:
    """The organization's data, read again when the shop's key or Billy address changed
    (in any process: the stored key's ciphertext is part of what the cache checks)."""
    with ctx.rt.db.session() as session:
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
    default_id = organization.default_sales_tax_ruleset_id
    rules: list[Any] = []
    fallback = None
    for ruleset in rulesets:
        if ruleset.id == default_id:
            rules = list(ruleset.rules or [])
            fallback = ruleset.fallback_tax_rate_id
    tax_rates = {rate.id: rate.rate or ZERO for rate in client.tax_rates.list()}
    groups = {"EU": EU}
    base = organization.base_currency_id or "DKK"
    accounts = {a.id: a.currency_id or base for a in client.accounts.list()}
    rates = {c.id: c.exchange_rate for c in client.currencies.list() if c.exchange_rate}
    ctx.log("reference", "read the Billy organization's VAT rules and accounts")
    return OrgReference(
        base_currency=base,
        default_ruleset_id=default_id,
        rules=rules,
        rates=tax_rates,
        fallback_rate_id=fallback,
        group_members=groups,
        account_currencies=accounts,
        currency_rates=rates,
    )
