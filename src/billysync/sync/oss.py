"""OSS in Billy: the destination countries' VAT rates and a ruleset, made once, then used.

A shop registered for the EU One Stop Shop (a setting, off by default) charges an EU consumer
the VAT of the country the goods go to (docs/vat.md). Billy has no OSS rates of its own
(docs/billy-api.md §7), so before the first such sale billysync creates, through the API:

- one sales tax rate per EU country, "OSS DE 19 %" with abbreviation `OSS-DE-19`: the
  abbreviation is the marker it is found by, and a changed rate (Estonia 22 → 24 %) is a new
  rate with a new marker, so invoices already booked keep theirs;
- one ruleset "OSS – moms i modtagerlandet" whose rules give EU consumers their country's
  rate, EU companies the reverse-charge rate, Denmark Danish VAT and the rest of the world the
  export rate (its abbreviation `OSS-<hash of its rules>` is its marker; rules cannot change,
  so new rates mean a new ruleset). A merchant may make it the products' ruleset in Billy.

Each is an ensure (exporter.py): bound once, never created twice. Lines of an OSS sale name
the rate explicitly (billy/vat.py) while the products keep Billy's default ruleset.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date

from billysync.billy.models import SalesTaxRuleset, TaxRate
from billysync.billy.vat import HOME_COUNTRY, OssRate, VatTreatment, treatment_for
from billysync.mapping.oss_rates import StandardRate, rates_on
from billysync.mapping.settings import BillySettings
from billysync.money import to_json_number
from billysync.shop.models import Customer, Order
from billysync.store import bindings
from billysync.sync.exporter import TransferContext, ensure
from billysync.sync.reference import reference_for
from billysync.sync.runtime import NotConfigured

RATE_KIND = "oss_tax_rate"
RULESET_KIND = "oss_ruleset"
RULESET_NAME = "OSS – moms i modtagerlandet"


def applies_to(customer: Customer) -> bool:
    """Whether a sale to `customer` is one OSS covers (an EU consumer outside Denmark)."""
    treatment = treatment_for(
        customer.country,
        customer.kind,
        has_eu_vat_number=bool(customer.eu_vat_number),
        oss=True,
    )
    return treatment is VatTreatment.OSS


def rate_marker(rate: StandardRate) -> str:
    return f"OSS-{rate.country}-{rate.percent}"


def ensure_oss_rates(ctx: TransferContext, on: date) -> dict[str, OssRate]:
    """The shop's OSS rate in Billy for every EU country on `on`, created where missing,
    and the OSS ruleset that uses them."""
    wanted = rates_on(on)
    with ctx.rt.db.session() as session:
        bound = {
            row.local_key: row.billy_id
            for row in bindings.bindings_of_kind(session, ctx.shop_id, RATE_KIND)
        }
    if all(rate_marker(rate) in bound for rate in wanted.values()):
        # The usual case: made before. The ruleset's ensure is one local read.
        done = {c: OssRate(bound[rate_marker(r)], r.rate) for c, r in wanted.items()}
        _ensure_ruleset(ctx, done)
        return done
    client = ctx.client
    listed: list[TaxRate] = []

    def existing(marker: str) -> list[TaxRate]:
        if not listed:
            listed.extend(client.tax_rates.list())
        return [r for r in listed if r.abbreviation == marker]

    found: dict[str, OssRate] = {}
    for country, rate in sorted(wanted.items()):
        marker = rate_marker(rate)
        exported = ensure(
            ctx,
            kind=RATE_KIND,
            local_key=marker,
            marker=marker,
            lookup=lambda marker=marker: existing(marker),  # type: ignore[misc]
            create=_rate_creator(ctx, rate, marker),
            describe=lambda r: (r.id, {}),
            always_lookup=True,
        )
        found[country] = OssRate(exported.billy_id, rate.rate)
    _ensure_ruleset(ctx, found)
    return found


def known_oss_rates(
    ctx: TransferContext, settings: BillySettings, order: Order
) -> dict[str, OssRate] | None:
    """For a preview (which writes nothing): the OSS rates as bound, or as they would be."""
    if not settings.oss or not applies_to(order.customer):
        return None
    on = (order.paid_at or order.created_at).date()
    with ctx.rt.db.session() as session:
        bound = {
            row.local_key: row.billy_id
            for row in bindings.bindings_of_kind(session, ctx.shop_id, RATE_KIND)
        }
    return {
        country: OssRate(bound.get(rate_marker(rate), f"(new {rate_marker(rate)})"), rate.rate)
        for country, rate in rates_on(on).items()
    }


def _rate_creator(ctx: TransferContext, rate: StandardRate, marker: str) -> Callable[[], TaxRate]:
    def create() -> TaxRate:
        return ctx.client.tax_rates.create(
            {
                "name": f"OSS {rate.country} {rate.percent} %",
                "abbreviation": marker,
                "description": (
                    f"Moms i {rate.country} ved fjernsalg via OSS, fra {rate.valid_from} "
                    f"/ {rate.country} VAT on OSS distance sales from {rate.valid_from}"
                ),
                "rate": to_json_number(rate.rate),
                "appliesToSales": True,
                "appliesToPurchases": False,
            }
        )

    return create


def _ensure_ruleset(ctx: TransferContext, oss_rates: dict[str, OssRate]) -> str:
    ref = reference_for(ctx)
    danish = ref.vat.resolve(HOME_COUNTRY, "person")
    reverse = ref.vat.resolve("DE", "company")
    export = ref.vat.resolve("US", "person")
    if not (danish and reverse and export) or ref.vat.rate(reverse) or ref.vat.rate(export):
        raise NotConfigured(
            "Billy's default VAT ruleset must give Danish VAT in Denmark, 0 % to EU companies "
            "and 0 % outside the EU before billysync can build the OSS ruleset from it"
        )
    rules: list[dict[str, object]] = [{"countryId": HOME_COUNTRY, "taxRateId": danish}]
    for country, rate in sorted(oss_rates.items()):
        rules.append({"countryId": country, "contactType": "person", "taxRateId": rate.tax_rate_id})
        rules.append({"countryId": country, "contactType": "company", "taxRateId": reverse})
    digest = hashlib.sha256(repr(rules).encode()).hexdigest()[:8]
    marker = f"OSS-{digest}"
    client = ctx.client

    def create() -> SalesTaxRuleset:
        return client.sales_tax_rulesets.create(
            {
                "name": f"{RULESET_NAME} ({digest})",
                "abbreviation": marker,
                "description": "Oprettet af billysync / created by billysync",
                "fallbackTaxRateId": export,
                "rules": rules,
            }
        )

    exported = ensure(
        ctx,
        kind=RULESET_KIND,
        local_key=marker,
        marker=marker,
        lookup=lambda: [
            r
            for r in client.sales_tax_rulesets.list(include_rules=False)
            if r.abbreviation == marker
        ],
        create=create,
        describe=lambda r: (r.id, {}),
        always_lookup=True,
    )
    return exported.billy_id
