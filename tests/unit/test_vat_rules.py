"""billy/vat.py and the OSS rate table: the rules, checked case by case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from billysync.billy.vat import (
    EU_MEMBERS,
    LineVat,
    OssRate,
    Ruleset,
    TaxRule,
    VatBook,
    VatSetupError,
    VatTreatment,
    resolve_tax_rate_id,
    treatment_for,
)
from billysync.mapping.oss_rates import (
    OSS_START,
    STANDARD_RATES,
    percent_text,
    rates_on,
    standard_rate,
)
from billysync.shop.vat_numbers import is_foreign_vat_number

D = Decimal
GROUPS = {"EU": EU_MEMBERS, "WORLD": frozenset({"US", "NO", "DE", "DK", "FR"})}
DEFAULT = Ruleset(
    "rs",
    "dk25",
    (
        TaxRule("dk25", 1, country_id="DK"),
        TaxRule("eu0", 2, country_group_id="EU", contact_type="company"),
        TaxRule("dk25", 3, country_group_id="EU", contact_type="person"),
        TaxRule("exp0", 4, country_group_id="WORLD"),
    ),
)
RATES = {"dk25": D("0.25"), "eu0": D("0"), "exp0": D("0"), "free": D("0")}
BOOK = VatBook(DEFAULT, RATES, GROUPS, exempt_rate_id="free")


@pytest.mark.parametrize(
    ("country", "kind", "vat_number", "oss", "expected"),
    [
        ("DK", "person", False, True, VatTreatment.DOMESTIC),
        ("DK", "company", True, False, VatTreatment.DOMESTIC),
        ("DE", "company", True, False, VatTreatment.REVERSE_CHARGE),
        ("DE", "company", True, True, VatTreatment.REVERSE_CHARGE),
        ("DE", "company", False, False, VatTreatment.EU_DANISH_VAT),
        ("DE", "company", False, True, VatTreatment.OSS),
        ("DE", "person", False, False, VatTreatment.EU_DANISH_VAT),
        ("DE", "person", False, True, VatTreatment.OSS),
        ("US", "person", False, True, VatTreatment.EXPORT),
        ("NO", "company", True, False, VatTreatment.EXPORT),
        ("GL", "person", False, False, VatTreatment.EXPORT),
    ],
)
def test_treatment(
    country: str, kind: str, vat_number: bool, oss: bool, expected: VatTreatment
) -> None:
    got = treatment_for(country, kind, has_eu_vat_number=vat_number, oss=oss)  # type: ignore[arg-type]
    assert got is expected


def test_rules_match_by_priority_then_fall_back() -> None:
    assert resolve_tax_rate_id(DEFAULT, "DE", "company", GROUPS) == "eu0"
    assert resolve_tax_rate_id(DEFAULT, "DE", "person", GROUPS) == "dk25"
    assert resolve_tax_rate_id(DEFAULT, "US", "person", GROUPS) == "exp0"
    assert resolve_tax_rate_id(DEFAULT, "JP", "person", GROUPS) == "dk25"  # no rule: fallback
    reordered = Ruleset("r", None, (TaxRule("b", 2), TaxRule("a", 1, country_id="DK")))
    assert resolve_tax_rate_id(reordered, "DK", "person", GROUPS) == "a"
    assert resolve_tax_rate_id(reordered, "SE", "person", GROUPS) == "b"


def test_explicit_rates_only_where_the_ruleset_differs() -> None:
    def sale(country: str, kind: str, vat_number: bool = False, **kw: object) -> tuple:
        vat = BOOK.sale_vat(country, kind, has_eu_vat_number=vat_number, oss=False)  # type: ignore[arg-type]
        return vat.treatment, vat.goods, vat.gift_card

    assert sale("DK", "person") == (
        VatTreatment.DOMESTIC,
        LineVat(D("0.25")),
        LineVat(D(0), "free"),
    )
    assert sale("DE", "company", True)[1] == LineVat(D(0))
    # The ruleset reverse-charges every EU company: without a VAT number the line names 25 %.
    assert sale("DE", "company")[1] == LineVat(D("0.25"), "dk25")
    assert sale("US", "person")[1] == LineVat(D(0))


def test_oss_lines_name_the_destination_rate() -> None:
    book = VatBook(DEFAULT, RATES, GROUPS, "free", {"FR": OssRate("fr20", D("0.20"))})
    vat = book.sale_vat("FR", "person", has_eu_vat_number=False, oss=True)
    assert (vat.treatment, vat.goods) == (VatTreatment.OSS, LineVat(D("0.20"), "fr20"))
    with pytest.raises(VatSetupError, match="OSS VAT rate for SE"):
        book.sale_vat("SE", "person", has_eu_vat_number=False, oss=True)


def test_a_ruleset_that_cannot_express_the_law_is_a_setup_error() -> None:
    taxing_exports = VatBook(Ruleset("x", "dk25"), RATES, GROUPS)
    with pytest.raises(VatSetupError, match="exports"):
        taxing_exports.sale_vat("US", "person", has_eu_vat_number=False, oss=False)
    no_danish = VatBook(Ruleset("y", "exp0"), RATES, GROUPS)
    with pytest.raises(VatSetupError, match="25 %"):
        no_danish.sale_vat("DK", "person", has_eu_vat_number=False, oss=False)
    no_exempt = VatBook(DEFAULT, RATES, GROUPS).sale_vat(
        "DK", "person", has_eu_vat_number=False, oss=False
    )
    with pytest.raises(VatSetupError, match="Momsfrit"):
        no_exempt.gift_card_vat()


def test_a_rate_is_a_fraction() -> None:
    with pytest.raises(ValueError, match="fraction"):
        LineVat(D("25"))


def test_the_oss_table_covers_the_other_26_member_states() -> None:
    assert set(STANDARD_RATES) == EU_MEMBERS - {"DK"}
    for country, history in STANDARD_RATES.items():
        assert history[0].valid_from == OSS_START, country
        assert [h.valid_from for h in history] == sorted({h.valid_from for h in history})
        assert all(D("0.15") <= h.rate <= D("0.27") for h in history), country


def test_rates_hold_from_their_date() -> None:
    assert standard_rate("EE", date(2025, 6, 30)).rate == D("0.22")  # type: ignore[union-attr]
    assert standard_rate("EE", date(2025, 7, 1)).rate == D("0.24")  # type: ignore[union-attr]
    assert standard_rate("FI", date(2024, 9, 1)).rate == D("0.255")  # type: ignore[union-attr]
    assert standard_rate("RO", date(2025, 7, 31)).rate == D("0.19")  # type: ignore[union-attr]
    assert standard_rate("DE", date(2021, 6, 30)) is None  # before OSS
    today = rates_on(date(2026, 11, 20))
    assert (today["SK"].rate, today["LU"].rate, today["HU"].rate) == (
        D("0.23"),
        D("0.17"),
        D("0.27"),
    )
    assert today["FI"].percent == "25.5" and today["DE"].percent == "19"
    assert [percent_text(D(r)) for r in ("0", "0.20", "0.255", "1")] == ["0", "20", "25.5", "100"]


@pytest.mark.parametrize(
    ("value", "country", "foreign"),
    [
        ("DE123456789", "DE", True),
        ("de 123 456 789", "DE", True),
        ("EL094259216", "GR", True),
        ("123456789", "DE", False),
        ("FR12345678901", "DE", False),
        ("DK12345678", "DK", False),
        ("DE", "DE", False),
        (None, "DE", False),
    ],
)
def test_a_foreign_vat_number_by_its_prefix(value: str | None, country: str, foreign: bool) -> None:
    assert is_foreign_vat_number(value, country) is foreign
