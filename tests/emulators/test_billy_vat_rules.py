"""The emulated Billy's VAT rule resolution: EU, export, OSS rulesets and explicit line rates.

Each case is checked on what the emulator stores (line rate, line tax, invoice totals),
with the expected figures worked out by hand in the test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx2
import pytest

from billysync.emulators.billy import BillyEmulator

TOKEN = "test-token-vat-rules-0001"


def dec(value: Any) -> Decimal:
    return Decimal(str(value))


class Books:
    def __init__(self) -> None:
        self.emu = BillyEmulator(seed=5)
        self.emu.add_organization(TOKEN)
        self.api = httpx2.Client(
            transport=self.emu.transport(),
            base_url="https://api.billysbilling.com/v2",
            headers={"X-Access-Token": TOKEN},
        )
        self.product = self.post("products", {"name": "Vare"})["products"][0]["id"]
        self.rates = {r["id"]: r for r in self.api.get("/taxRates").json()["taxRates"]}

    def post(self, plural: str, record: dict[str, Any], singular: str | None = None) -> Any:
        answer = self.api.post(f"/{plural}", json={singular or plural[:-1]: record})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def contact(self, country: str, kind: str) -> str:
        return str(
            self.post(
                "contacts", {"name": f"{kind} {country}", "countryId": country, "type": kind}
            )["contacts"][0]["id"]
        )

    def invoice(
        self, contact: str, lines: list[dict[str, Any]], tax_mode: str = "excl"
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        for line in lines:
            line.setdefault("productId", self.product)
        body = self.post(
            "invoices",
            {
                "contactId": contact,
                "entryDate": "2026-11-02",
                "currencyId": "DKK",
                "taxMode": tax_mode,
                "state": "approved",
                "lines": lines,
            },
        )
        return body["invoices"][0], sorted(body["invoiceLines"], key=lambda ln: ln["priority"])

    def rate_named(self, prefix: str) -> dict[str, Any]:
        return next(r for r in self.rates.values() if r["name"].startswith(prefix))


@pytest.fixture
def books() -> Books:
    return Books()


@pytest.mark.parametrize(
    ("country", "kind", "rate_name", "tax"),
    [
        ("DK", "company", "Salgsmoms", "25.00"),
        ("DE", "company", "EU-salg af varer", "0.00"),  # reverse charge by the ruleset
        ("DE", "person", "Salgsmoms", "25.00"),
        ("US", "person", "Eksport", "0.00"),  # export, also for consumers
        ("NO", "company", "Eksport", "0.00"),
    ],
)
def test_default_ruleset_by_country_and_type(
    books: Books, country: str, kind: str, rate_name: str, tax: str
) -> None:
    invoice, (line,) = books.invoice(books.contact(country, kind), [{"unitPrice": 100}])
    assert books.rates[line["taxRateId"]]["name"].startswith(rate_name)
    assert dec(line["tax"]) == Decimal(tax)
    assert dec(invoice["grossAmount"]) == 100 + Decimal(tax)


def test_export_with_prices_excluding_vat_books_no_vat(books: Books) -> None:
    invoice, lines = books.invoice(
        books.contact("US", "person"), [{"unitPrice": 199.96}, {"unitPrice": 49}], "excl"
    )
    assert [dec(line["tax"]) for line in lines] == [Decimal("0.00")] * 2
    assert dec(invoice["amount"]) == Decimal("248.96")
    assert dec(invoice["grossAmount"]) == Decimal("248.96")


def test_an_explicit_line_rate_overrides_the_ruleset(books: Books) -> None:
    """An EU company without a VAT number: the ruleset says reverse charge, the line 25 %."""
    danish = books.rate_named("Salgsmoms")
    invoice, (named, derived) = books.invoice(
        books.contact("DE", "company"),
        [{"unitPrice": 100, "taxRateId": danish["id"]}, {"unitPrice": 40}],
    )
    assert named["taxRateId"] == danish["id"]
    assert dec(named["tax"]) == Decimal("25.00")
    assert books.rates[derived["taxRateId"]]["name"].startswith("EU-salg")
    assert dec(derived["tax"]) == Decimal("0.00")
    assert dec(invoice["tax"]) == Decimal("25.00")
    assert dec(invoice["grossAmount"]) == Decimal("165.00")


def test_an_unknown_explicit_rate_is_refused(books: Books) -> None:
    answer = books.api.post(
        "/invoices",
        json={
            "invoice": {
                "contactId": books.contact("DK", "person"),
                "entryDate": "2026-11-02",
                "currencyId": "DKK",
                "lines": [{"productId": books.product, "unitPrice": 1, "taxRateId": "nope"}],
            }
        },
    )
    assert answer.status_code == 400
    assert "taxRateId" in answer.text


def test_an_oss_ruleset_created_through_the_api_picks_the_destination_rate(books: Books) -> None:
    created = [
        books.post("taxRates", {"name": f"OSS {c}", "rate": rate, "appliesToSales": True})
        for c, rate in (("DE", 0.19), ("FR", 0.2))
    ]
    de_id, fr_id = (body["taxRates"][0]["id"] for body in created)
    reverse = books.rate_named("EU-salg af varer")["id"]
    danish = books.rate_named("Salgsmoms")["id"]
    body = books.post(
        "salesTaxRulesets",
        {
            "name": "OSS",
            "fallbackTaxRateId": danish,
            "rules": [
                {"countryGroupId": "EU", "contactType": "company", "taxRateId": reverse},
                {"countryId": "DE", "contactType": "person", "taxRateId": de_id},
                {"countryId": "FR", "contactType": "person", "taxRateId": fr_id},
            ],
        },
        singular="salesTaxRuleset",
    )
    ruleset = body["salesTaxRulesets"][0]
    assert [r["priority"] for r in body["salesTaxRules"]] == [1, 2, 3]
    oss_product = books.post("products", {"name": "OSS-vare", "salesTaxRulesetId": ruleset["id"]})
    product_id = oss_product["products"][0]["id"]
    for country, kind, tax in (
        ("DE", "person", "19.00"),
        ("FR", "person", "20.00"),
        ("DE", "company", "0.00"),
        ("DK", "person", "25.00"),  # no rule: the fallback
    ):
        _, (line,) = books.invoice(
            books.contact(country, kind), [{"productId": product_id, "unitPrice": 100}]
        )
        assert dec(line["tax"]) == Decimal(tax), (country, kind)
    listed = books.api.get(
        f"/salesTaxRulesets/{ruleset['id']}", params={"include": "salesTaxRuleset.rules:embed"}
    ).json()["salesTaxRuleset"]
    assert [r["taxRateId"] for r in listed["rules"]] == [reverse, de_id, fr_id]


def test_tax_rates_and_rules_refuse_what_billy_cannot_book(books: Books) -> None:
    bad_rate = books.api.post("/taxRates", json={"taxRate": {"name": "x", "rate": 25}})
    assert bad_rate.status_code == 400 and "fraction" in bad_rate.text
    purchase = books.rate_named("Købsmoms")["id"]
    bad_rule = books.api.post(
        "/salesTaxRulesets",
        json={"salesTaxRuleset": {"name": "y", "rules": [{"taxRateId": purchase}]}},
    )
    assert bad_rule.status_code == 400
    assert "countryId" in bad_rule.text and "not a rate for sales" in bad_rule.text
    assert (
        books.api.put(f"/taxRates/{purchase}", json={"taxRate": {"rate": 0.1}}).status_code == 405
    )
