"""Totals and VAT as Billy computes them, checked to the øre.

The expected figures are computed here independently (plain Decimal arithmetic, not
billysync.billy.totals), including a hypothesis property over random invoices.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from billysync.emulators.billy import BillyEmulator

TOKEN = "test-token-totals-000001"
CENT = Decimal("0.01")


def r2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def dec(value: Any) -> Decimal:
    """A JSON number from the emulator, read exactly as written."""
    return Decimal(str(value))


class Shop:
    """An emulated organization with a few contacts and products."""

    def __init__(self) -> None:
        self.emu = BillyEmulator(seed=11)
        self.emu.add_organization(TOKEN)
        self.api = httpx2.Client(
            transport=self.emu.transport(),
            base_url="https://api.billysbilling.com/v2",
            headers={"X-Access-Token": TOKEN},
        )
        self.contacts = {
            key: self.post("contacts", {"name": key, "countryId": country, "type": kind})["id"]
            for key, country, kind in [
                ("dk", "DK", "person"),
                ("de-company", "DE", "company"),
                ("de-person", "DE", "person"),
                ("us", "US", "person"),
                ("no-company", "NO", "company"),
            ]
        }
        rulesets = self.api.get("/salesTaxRulesets").json()["salesTaxRulesets"]
        exempt = next(r["id"] for r in rulesets if r["name"] == "Momsfrit")
        self.product = self.post("products", {"name": "Vare"})["id"]
        self.exempt_product = self.post(
            "products", {"name": "Gavekort", "salesTaxRulesetId": exempt}
        )["id"]
        self.rates = {r["id"]: r for r in self.api.get("/taxRates").json()["taxRates"]}

    def post(self, plural: str, record: dict[str, Any]) -> dict[str, Any]:
        singular = plural[:-1]
        answer = self.api.post(f"/{plural}", json={singular: record})
        assert answer.status_code == 200, answer.text
        return dict(answer.json()[plural][0])

    def invoice(
        self,
        lines: list[dict[str, Any]],
        *,
        tax_mode: str = "incl",
        contact: str = "dk",
        **extra: Any,
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        for line in lines:
            line.setdefault("productId", self.product)
        answer = self.api.post(
            "/invoices",
            json={
                "invoice": {
                    "contactId": self.contacts[contact],
                    "entryDate": "2026-03-01",
                    "currencyId": "DKK",
                    "taxMode": tax_mode,
                    "lines": lines,
                    **extra,
                }
            },
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()
        return body["invoices"][0], body["invoiceLines"]


@pytest.fixture(scope="module")
def shop() -> Shop:
    return Shop()


def totals(invoice: dict[str, Any]) -> tuple[Decimal, Decimal, Decimal]:
    return dec(invoice["amount"]), dec(invoice["tax"]), dec(invoice["grossAmount"])


def test_seven_and_a_half_times_19_99_incl(shop: Shop) -> None:
    invoice, [line] = shop.invoice([{"quantity": 7.5, "unitPrice": 19.99}], tax_mode="incl")
    assert dec(line["amount"]) == Decimal("149.93")
    assert dec(line["tax"]) == Decimal("29.99")
    assert totals(invoice) == (Decimal("119.94"), Decimal("29.99"), Decimal("149.93"))
    assert dec(invoice["balance"]) == Decimal("149.93")


def test_seven_and_a_half_times_19_99_excl(shop: Shop) -> None:
    invoice, [line] = shop.invoice([{"quantity": 7.5, "unitPrice": 19.99}], tax_mode="excl")
    assert dec(line["amount"]) == Decimal("149.93")
    assert totals(invoice) == (Decimal("149.93"), Decimal("37.48"), Decimal("187.41"))


def test_vat_is_summed_unrounded_then_rounded_once(shop: Shop) -> None:
    # each line's VAT is 0.206 (0.21 rounded); three give 0.618 → 0.62, not 0.63
    invoice, lines = shop.invoice([{"unitPrice": 1.03} for _ in range(3)], tax_mode="incl")
    assert [dec(line["tax"]) for line in lines] == [Decimal("0.21")] * 3
    assert totals(invoice) == (Decimal("2.47"), Decimal("0.62"), Decimal("3.09"))


def test_discounts(shop: Shop) -> None:
    invoice, lines = shop.invoice(
        [
            {"quantity": 2, "unitPrice": 100, "discountMode": "percent", "discountValue": 10},
            {"quantity": 1, "unitPrice": 80, "discountMode": "cash", "discountValue": 15.5},
            {"quantity": 1, "unitPrice": -25, "description": "Rabatkode"},
        ],
        tax_mode="excl",
    )
    assert [dec(line["amount"]) for line in lines] == [
        Decimal("180"),
        Decimal("64.50"),
        Decimal("-25"),
    ]
    assert totals(invoice) == (Decimal("219.50"), Decimal("54.88"), Decimal("274.38"))


def test_percent_discount_must_be_a_percentage(shop: Shop) -> None:
    answer = shop.api.post(
        "/invoices",
        json={
            "invoice": {
                "contactId": shop.contacts["dk"],
                "entryDate": "2026-03-01",
                "currencyId": "DKK",
                "lines": [
                    {
                        "productId": shop.product,
                        "unitPrice": 10,
                        "discountMode": "percent",
                        "discountValue": 250,
                    }
                ],
            }
        },
    )
    assert answer.status_code == 400
    assert "discountValue" in answer.json()["validationErrors"]["invoice.lines[0]"]["attributes"]


@pytest.mark.parametrize(
    ("contact", "rate"),
    [("dk", "0.25"), ("de-company", "0"), ("de-person", "0.25"), ("us", "0"), ("no-company", "0")],
)
def test_vat_rate_follows_the_contact_country_and_type(shop: Shop, contact: str, rate: str) -> None:
    invoice, [line] = shop.invoice([{"unitPrice": 100}], tax_mode="excl", contact=contact)
    assert dec(shop.rates[line["taxRateId"]]["rate"]) == Decimal(rate)
    assert dec(invoice["tax"]) == r2(100 * Decimal(rate))
    assert dec(invoice["grossAmount"]) == r2(100 * (1 + Decimal(rate)))


def test_eu_company_gets_the_reverse_charge_rate(shop: Shop) -> None:
    _, [line] = shop.invoice([{"unitPrice": 100}], contact="de-company")
    _, [export] = shop.invoice([{"unitPrice": 100}], contact="us")
    assert line["taxRateId"] != export["taxRateId"]
    assert shop.rates[line["taxRateId"]]["name"].startswith("EU")


def test_a_vat_exempt_product_has_no_vat_in_denmark(shop: Shop) -> None:
    invoice, [line] = shop.invoice([{"unitPrice": 500, "productId": shop.exempt_product}])
    assert dec(line["tax"]) == 0
    assert totals(invoice) == (Decimal("500"), Decimal("0"), Decimal("500"))


def test_exchange_rate(shop: Shop) -> None:
    eur, _ = shop.invoice([{"unitPrice": 10}], currencyId="EUR")
    assert dec(eur["exchangeRate"]) == Decimal("7.4604")
    given_rate, _ = shop.invoice([{"unitPrice": 10}], currencyId="EUR", exchangeRate=7.5)
    assert dec(given_rate["exchangeRate"]) == Decimal("7.5")
    dkk, _ = shop.invoice([{"unitPrice": 10}], exchangeRate=2)
    assert dkk["exchangeRate"] == 1


def expected(lines: list[dict[str, Any]], rate: Decimal, tax_mode: str) -> dict[str, Any]:
    """Billy's algorithm (docs/billy-api.md §5), written out independently."""
    amounts, exact_taxes = [], []
    for line in lines:
        amount = r2(dec(line["quantity"]) * dec(line["unitPrice"]))
        if line.get("discountMode") == "percent":
            amount -= r2(amount * dec(line["discountValue"]) / 100)
        elif line.get("discountMode") == "cash":
            amount -= r2(dec(line["discountValue"]))
        amounts.append(amount)
        exact_taxes.append(amount * rate if tax_mode == "excl" else amount * rate / (1 + rate))
    tax = r2(sum(exact_taxes, Decimal(0)))
    total = sum(amounts, Decimal(0))
    net, gross = (total, total + tax) if tax_mode == "excl" else (total - tax, total)
    return {
        "amounts": amounts,
        "line_taxes": [r2(t) for t in exact_taxes],
        "amount": net,
        "tax": tax,
        "gross": gross,
    }


money = st.decimals(min_value=Decimal("-500"), max_value=Decimal("5000"), places=2).filter(
    lambda d: d != 0
)
quantities = st.decimals(min_value=Decimal("0.25"), max_value=Decimal("40"), places=2)
discounts = st.one_of(
    st.just({}),
    st.integers(min_value=0, max_value=100).map(
        lambda v: {"discountMode": "percent", "discountValue": v}
    ),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("50"), places=2).map(
        lambda v: {"discountMode": "cash", "discountValue": float(v)}
    ),
)
line_strategy = st.builds(
    lambda q, p, d: {"quantity": float(q), "unitPrice": float(p), **d}, quantities, money, discounts
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(line_strategy, min_size=1, max_size=6),
    tax_mode=st.sampled_from(["incl", "excl"]),
    contact=st.sampled_from(["dk", "us"]),
)
def test_totals_match_an_independent_decimal_computation(
    shop: Shop, lines: list[dict[str, Any]], tax_mode: str, contact: str
) -> None:
    rate = Decimal("0.25") if contact == "dk" else Decimal("0")
    want = expected(lines, rate, tax_mode)
    invoice, got_lines = shop.invoice(
        [dict(line) for line in lines], tax_mode=tax_mode, contact=contact
    )
    assert [dec(line["amount"]) for line in got_lines] == want["amounts"]
    assert [dec(line["tax"]) for line in got_lines] == want["line_taxes"]
    assert totals(invoice) == (want["amount"], want["tax"], want["gross"])
    for value in (invoice["amount"], invoice["tax"], invoice["grossAmount"]):
        assert dec(value) == r2(dec(value))  # at most two decimals on the wire
