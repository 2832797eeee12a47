"""VAT in one place: how Billy picks a line's rate, and which rate a Danish shop must book.

Pure, like totals.py: no I/O. The Billy emulator uses it to decide what Billy stores, and the
mapping side uses it to predict that before anything is sent, so the two cannot disagree.

Billy's side (docs/billy-api.md §3.4): a line's rate comes from its product's sales-tax
ruleset. The ruleset's rules are tried by priority against the invoice contact's country,
country group and type (company/person); the first that matches names the tax rate, and
when none does the ruleset's fallback rate applies.

The bookkeeper's side (docs/vat.md, with the legal basis of each decision):

- a customer in Denmark pays Danish VAT, 25 %;
- a company in another EU country WITH an EU VAT number buys without VAT (reverse charge,
  Billy's "EU-salg af varer");
- a company in another EU country WITHOUT one, and every EU consumer, pays Danish VAT, or the
  destination country's VAT when the shop is registered for OSS;
- anyone outside the EU buys without VAT (export), whether the shop's prices include VAT or not.

A Billy ruleset only sees country and contact type, so it cannot tell an EU company with a
VAT number from one without; where the ruleset gives another rate than the law asks for,
the line names its tax rate explicitly (`taxRateId`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal

ContactType = Literal["company", "person"]

DANISH_RATE = Decimal("0.25")
HOME_COUNTRY = "DK"

# The 27 member states (ISO 3166 alpha-2; Greece is GR here, EL only in VIES).
EU_MEMBERS: frozenset[str] = frozenset(
    {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"}
    | {"IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
)


# --- Billy's rule matching ------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRule:
    """One rule of a ruleset; an empty condition matches everyone."""

    tax_rate_id: str | None
    priority: int = 0
    country_id: str | None = None
    country_group_id: str | None = None
    contact_type: str | None = None


@dataclass(frozen=True)
class Ruleset:
    id: str
    fallback_tax_rate_id: str | None
    rules: tuple[TaxRule, ...] = ()


def resolve_tax_rate_id(
    ruleset: Ruleset,
    country: str,
    contact_type: str,
    groups: Mapping[str, Iterable[str]],
) -> str | None:
    """The tax rate Billy puts on a line of a product with `ruleset`, sold to this contact.

    `groups` maps a country group id to its member countries (Billy's /countryGroups).
    None means the line carries no rate (no VAT).
    """
    for rule in sorted(ruleset.rules, key=lambda r: r.priority):
        if _matches(rule, country, contact_type, groups):
            return rule.tax_rate_id
    return ruleset.fallback_tax_rate_id


def _matches(
    rule: TaxRule, country: str, contact_type: str, groups: Mapping[str, Iterable[str]]
) -> bool:
    if rule.country_id and rule.country_id != country:
        return False
    if rule.country_group_id and country not in groups.get(rule.country_group_id, ()):
        return False
    return not rule.contact_type or rule.contact_type == contact_type


# --- the bookkeeper's rule ------------------------------------------------------------------


class VatTreatment(StrEnum):
    """Why a sale carries the VAT it does; docs/vat.md gives the legal basis of each."""

    DOMESTIC = "domestic"  # Danish customer: 25 %
    EU_DANISH_VAT = "eu_danish_vat"  # EU consumer or company without VAT number, no OSS: 25 %
    REVERSE_CHARGE = "reverse_charge"  # EU company with an EU VAT number: 0 %
    OSS = "oss"  # EU consumer, shop registered for OSS: the destination's rate
    EXPORT = "export"  # outside the EU: 0 %


def treatment_for(
    country: str, contact_type: ContactType, *, has_eu_vat_number: bool, oss: bool
) -> VatTreatment:
    """The VAT treatment of a sale of goods shipped from Denmark to this customer."""
    if country == HOME_COUNTRY:
        return VatTreatment.DOMESTIC
    if country not in EU_MEMBERS:
        return VatTreatment.EXPORT
    if contact_type == "company" and has_eu_vat_number:
        return VatTreatment.REVERSE_CHARGE
    return VatTreatment.OSS if oss else VatTreatment.EU_DANISH_VAT


# --- what a line carries --------------------------------------------------------------------


class VatSetupError(ValueError):
    """Billy's VAT setup cannot book this sale as the law asks; the message says what to add."""


@dataclass(frozen=True)
class LineVat:
    """The rate a line is booked at, and the tax rate id to send when the ruleset cannot
    express it (None: Billy's ruleset gives this rate by itself)."""

    rate: Decimal
    tax_rate_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.rate, Decimal) or not (0 <= self.rate < 1):
            raise ValueError(f"a VAT rate is a Decimal fraction like 0.25, not {self.rate!r}")


@dataclass(frozen=True)
class SaleVat:
    """The VAT of one sale: goods, shipping and discount codes share `goods` (shipping is
    part of the supply, a discount lowers the VAT base); a gift card is a means of payment
    and carries none (`gift_card`)."""

    treatment: VatTreatment
    goods: LineVat
    gift_card: LineVat | None = None  # None: Billy has no VAT-free rate to book one with

    def gift_card_vat(self) -> LineVat:
        if self.gift_card is None:
            raise VatSetupError(
                "Billy has no VAT-free sales rate (the 'Momsfrit' ruleset) for a gift-card "
                "line; create one in Billy, or book gift cards as payments in the settings"
            )
        return self.gift_card

    @classmethod
    def flat(cls, rate: Decimal) -> SaleVat:
        """Every line at `rate` as the ruleset gives it, gift cards without VAT (tests)."""
        treatment = VatTreatment.DOMESTIC if rate else VatTreatment.EXPORT
        return cls(treatment, LineVat(rate), LineVat(Decimal(0)))


# --- planning a sale against an organization's VAT setup --------------------------------------


@dataclass(frozen=True)
class OssRate:
    """The shop's Billy tax rate for one EU country's standard VAT (sync/oss.py makes it)."""

    tax_rate_id: str
    rate: Decimal


@dataclass(frozen=True)
class VatBook:
    """What billysync knows of an organization's VAT setup, read from Billy.

    `default_ruleset` decides lines whose product has no ruleset of its own (billysync's
    products use the default); `exempt_rate_id` is a sales rate without VAT that reports
    nothing (the "Momsfrit" ruleset's); `oss_rates` are the shop's OSS rates by country.
    """

    default_ruleset: Ruleset | None
    rates: Mapping[str, Decimal]
    groups: Mapping[str, frozenset[str]]
    exempt_rate_id: str | None = None
    oss_rates: Mapping[str, OssRate] | None = None

    def resolve(self, country: str, contact_type: str) -> str | None:
        if self.default_ruleset is None:
            return None
        return resolve_tax_rate_id(self.default_ruleset, country, contact_type, self.groups)

    def rate(self, tax_rate_id: str | None) -> Decimal:
        return self.rates.get(tax_rate_id, Decimal(0)) if tax_rate_id else Decimal(0)

    def sale_vat(
        self,
        country: str,
        contact_type: ContactType,
        *,
        has_eu_vat_number: bool,
        oss: bool,
    ) -> SaleVat:
        """The VAT of every kind of line of a sale to this customer; explicit rates where the
        default ruleset gives another rate than `treatment_for` asks for."""
        treatment = treatment_for(
            country, contact_type, has_eu_vat_number=has_eu_vat_number, oss=oss
        )
        resolved = self.resolve(country, contact_type)
        return SaleVat(treatment, self._goods(treatment, country, resolved), self._gift(resolved))

    def _goods(self, treatment: VatTreatment, country: str, resolved: str | None) -> LineVat:
        if treatment in (VatTreatment.DOMESTIC, VatTreatment.EU_DANISH_VAT):
            if self.rate(resolved) == DANISH_RATE:
                return LineVat(DANISH_RATE)
            danish = self.resolve(HOME_COUNTRY, "person")
            if self.rate(danish) != DANISH_RATE:
                raise VatSetupError(
                    "Billy's default VAT ruleset gives no 25 % rate for Denmark; add a rule "
                    "for DK with Danish sales VAT (Salgsmoms 25 %) in Billy"
                )
            return LineVat(DANISH_RATE, danish)
        if treatment is VatTreatment.OSS:
            oss_rate = (self.oss_rates or {}).get(country)
            if oss_rate is None:
                raise VatSetupError(
                    f"billysync has no OSS VAT rate for {country}; add it to mapping/oss_rates.py"
                )
            explicit = None if oss_rate.tax_rate_id == resolved else oss_rate.tax_rate_id
            return LineVat(oss_rate.rate, explicit)
        # reverse charge and export: no VAT; the ruleset's own 0 % rate reports it right.
        if resolved is not None and self.rate(resolved) == 0:
            return LineVat(Decimal(0))
        what = "EU companies" if treatment is VatTreatment.REVERSE_CHARGE else "exports"
        raise VatSetupError(
            f"Billy's default VAT ruleset charges VAT on {what}; add a rule with a 0 % rate "
            "for them in Billy (EU-salg af varer for EU companies, Eksport outside the EU)"
        )

    def _gift(self, resolved: str | None) -> LineVat | None:
        if self.exempt_rate_id is None:
            return None
        same = self.exempt_rate_id == resolved
        return LineVat(Decimal(0), None if same else self.exempt_rate_id)
