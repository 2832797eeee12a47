"""VAT by customer and country, gift cards and OSS, end to end through the engine.

Every figure is checked in the Billy emulator's ledger against amounts worked out by hand in
the comments (Billy's rule: line VAT unrounded, the invoice's VAT rounded once), on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from billysync.money import parse_money
from billysync.shop.models import Customer, GiftCard, Order
from billysync.sync import oss_report
from billysync.sync.oss_report import Quarter
from tests.support.shop_builders import SHIPPED_AT, giving_back, line, order, person
from tests.support.sync_harness import Harness


@pytest.fixture
def h(harness_for: Callable[..., Harness], database_url: str) -> Harness:
    return harness_for(database_url)


def money(value: object) -> Decimal:
    return parse_money(value)


def the_invoice(h: Harness, number: str) -> dict:
    [found] = [
        i
        for i in h.emu.ledger(h.token).invoices()
        if i["type"] == "invoice" and i["orderNo"] == number
    ]
    return found


def rate_names(h: Harness, invoice: dict) -> list[str]:
    by_id = {r.id: r for r in h.billy().tax_rates.list()}
    return [str(by_id[ln["taxRateId"]].name) for ln in invoice["lines"]]


def abroad(country: str, **extra: object) -> Customer:
    return person(f"cust-{country}", country=country, street="Hauptstraße 1", **extra)


def net_priced(o: Order) -> Order:
    """The same order from a shop whose prices exclude VAT (the total then has no VAT)."""
    return o.model_copy(update={"prices_include_vat": False})


def test_eu_company_with_vat_number_is_reverse_charged(h: Harness) -> None:
    buyer = abroad("DE", company_name="Müller GmbH", eu_vat_number="DE123456789")
    h.push("order", net_priced(order("7001", customer=buyer)))
    h.settle()
    invoice = the_invoice(h, "107001")
    # 2 × 149.95 + shipping 39.00 = 338.90 net; reverse charge: no VAT.
    assert money(invoice["amount"]) == Decimal("338.90")
    assert money(invoice["tax"]) == 0
    assert money(invoice["grossAmount"]) == Decimal("338.90")
    assert set(rate_names(h, invoice)) == {"EU-salg af varer"}
    [contact] = h.emu.ledger(h.token).contacts()
    assert (contact["type"], contact["registrationNo"]) == ("company", "DE123456789")


def test_eu_company_without_vat_number_pays_danish_vat(h: Harness) -> None:
    """Billy's ruleset would reverse-charge every EU company; the lines name 25 % instead."""
    buyer = abroad("DE", company_name="Müller GmbH")
    h.push("order", order("7002", customer=buyer))
    h.settle()
    invoice = the_invoice(h, "107002")
    # Prices incl. VAT: 338.90 × 0.25 / 1.25 = 67.78 VAT, 271.12 net.
    assert money(invoice["grossAmount"]) == Decimal("338.90")
    assert money(invoice["tax"]) == Decimal("67.78")
    assert money(invoice["amount"]) == Decimal("271.12")
    assert [money(ln["tax"]) for ln in invoice["lines"]] == [Decimal("59.98"), Decimal("7.80")]
    assert set(rate_names(h, invoice)) == {"Salgsmoms 25%"}
    assert h.transfer(key="7002")["state"] == "paid"


def test_a_credit_note_repeats_the_explicit_rate_of_its_invoice(h: Harness) -> None:
    o = order("7012", customer=abroad("DE", company_name="Müller GmbH"))
    h.push("order", o)
    h.push("return", giving_back(o, "R-7012", {"TS-RED-M": "1"}))
    h.settle()
    [credit] = list(h.emu.ledger(h.token).credit_notes())
    # One T-shirt back, 149.95 incl. 25 %: VAT 149.95 × 0.2 = 29.99, net 119.96.
    assert money(credit["grossAmount"]) == Decimal("149.95")
    assert money(credit["tax"]) == Decimal("29.99")
    assert set(rate_names(h, credit)) == {"Salgsmoms 25%"}


@pytest.mark.parametrize("prices_include_vat", [True, False])
def test_consumer_outside_the_eu_is_export_without_vat(
    h: Harness, prices_include_vat: bool
) -> None:
    """The known bug: with net prices billysync predicted 25 % and stopped."""
    o = order("7003", customer=abroad("US"))
    h.push("order", o.model_copy(update={"prices_include_vat": prices_include_vat}))
    h.settle()
    assert h.transfer(key="7003")["state"] == "paid"
    invoice = the_invoice(h, "107003")
    assert money(invoice["tax"]) == 0
    assert money(invoice["amount"]) == money(invoice["grossAmount"]) == Decimal("338.90")
    assert set(rate_names(h, invoice)) == {"Eksport"}
    [payment] = [p for p in h.emu.ledger(h.token).bank_payments()]
    assert money(payment["cashAmount"]) == Decimal("338.90")


def test_a_gift_card_line_carries_no_vat(h: Harness) -> None:
    o = order("7004", gift_cards=(GiftCard(code="GC-778899", amount=Decimal("100.00")),))
    h.push("order", o)
    h.settle()
    invoice = the_invoice(h, "107004")
    # Goods 299.90 + shipping 39.00 = 338.90 incl. VAT → VAT 67.78 stays whole;
    # the gift card −100.00 has no VAT, so the customer pays 238.90 and net is 171.12.
    assert money(invoice["grossAmount"]) == o.total == Decimal("238.90")
    assert money(invoice["tax"]) == Decimal("67.78")
    assert money(invoice["amount"]) == Decimal("171.12")
    card = next(ln for ln in invoice["lines"] if money(ln["unitPrice"]) < 0)
    assert money(card["unitPrice"]) == Decimal("-100.00") and money(card["tax"]) == 0
    assert rate_names(h, invoice)[-1] == "Momsfrit salg"


def test_a_gift_card_as_a_payment_from_the_gift_card_account(h: Harness) -> None:
    h.configure(gift_card_booking="payment", gift_card_account_id=h.accounts[5730])
    o = order("7005", gift_cards=(GiftCard(code="GC-1", amount=Decimal("100.00")),))
    h.push("order", o)
    h.settle()
    invoice = the_invoice(h, "107005")
    # No gift-card line: the invoice is the goods at full price, 338.90 with 67.78 VAT.
    assert len(invoice["lines"]) == 2
    assert money(invoice["grossAmount"]) == Decimal("338.90")
    assert money(invoice["tax"]) == Decimal("67.78")
    paid = {
        p["cashAccountId"]: money(p["cashAmount"]) for p in h.emu.ledger(h.token).bank_payments()
    }
    assert paid == {h.accounts[5730]: Decimal("100.00"), h.accounts[5710]: Decimal("238.90")}
    assert invoice["isPaid"] is True and money(invoice["balance"]) == 0
    # The order changes in the shop (shipped now); nothing is booked twice.
    h.push("order", o.model_copy(update={"shipped_at": SHIPPED_AT}))
    h.settle()
    assert len(list(h.emu.ledger(h.token).bank_payments())) == 2


def test_without_oss_an_eu_consumer_pays_danish_vat(h: Harness) -> None:
    h.push("order", order("7006", customer=abroad("FR")))
    h.settle()
    invoice = the_invoice(h, "107006")
    assert money(invoice["tax"]) == Decimal("67.78")
    assert not [r for r in h.billy().tax_rates.list() if (r.abbreviation or "").startswith("OSS")]


def test_oss_books_destination_vat_and_reports_it_per_country(h: Harness) -> None:
    h.configure(oss_registered=True)
    orders = {
        "DE": order("7101", customer=abroad("DE")),
        "FR": order("7102", customer=abroad("FR")),
        "SE": order(
            "7103",
            customer=abroad("SE"),
            lines=(line("MUG-1", "Krus", "3", "89.00"),),
            shipping=None,
        ),
        "DK": order("7104"),
    }
    for o in orders.values():
        h.push("order", o)
    h.settle()
    # Incl. VAT, Billy's VAT = gross × r / (1 + r), rounded once:
    #   DE 19 %: 338.90 × 19/119 = 54.110… → 54.11, net 284.79
    #   FR 20 %: 338.90 × 20/120 = 56.483… → 56.48, net 282.42
    #   SE 25 %: 267.00 × 25/125 = 53.40,           net 213.60
    #   DK stays Danish: 67.78
    # Per line (shown rounded; the invoice sums them unrounded):
    #   DE: 299.90 × 19/119 = 47.883 → 47.88, shipping 39.00 × 19/119 = 6.227 → 6.23
    #   FR: 299.90 / 6 = 49.983 → 49.98, shipping 39.00 / 6 = 6.50
    #   SE: 267.00 / 5 = 53.40
    expected = {
        "DE": ("107101", "54.11", "284.79", "OSS DE 19 %", ["47.88", "6.23"]),
        "FR": ("107102", "56.48", "282.42", "OSS FR 20 %", ["49.98", "6.50"]),
        "SE": ("107103", "53.40", "213.60", "OSS SE 25 %", ["53.40"]),
    }
    for number, vat, net, rate_name, line_vat in expected.values():
        invoice = the_invoice(h, number)
        assert (money(invoice["tax"]), money(invoice["amount"])) == (Decimal(vat), Decimal(net))
        assert [money(ln["tax"]) for ln in invoice["lines"]] == [Decimal(v) for v in line_vat]
        assert set(rate_names(h, invoice)) == {rate_name}
    assert money(the_invoice(h, "107104")["tax"]) == Decimal("67.78")

    # The rates and the ruleset exist once, however many orders used them.
    h.push("order", order("7105", customer=abroad("DE")))
    h.settle()
    oss_rates = [r for r in h.billy().tax_rates.list() if (r.abbreviation or "").startswith("OSS")]
    assert len(oss_rates) == 26 == len({r.abbreviation for r in oss_rates})
    rulesets = [
        r for r in h.billy().sales_tax_rulesets.list() if (r.abbreviation or "").startswith("OSS")
    ]
    assert len(rulesets) == 1

    with h.billy() as client:
        rows = oss_report.quarter_report(h.rt, h.shop_id, client, Quarter(2026, 4))
    got = {(r.country, r.currency): (r.rate, r.net, r.vat, r.documents) for r in rows}
    assert got == {
        # DE twice: 2 × 284.79 and 2 × 54.11
        ("DE", "DKK"): (Decimal("0.19"), Decimal("569.58"), Decimal("108.22"), 2),
        ("FR", "DKK"): (Decimal("0.2"), Decimal("282.42"), Decimal("56.48"), 1),
        ("SE", "DKK"): (Decimal("0.25"), Decimal("213.60"), Decimal("53.40"), 1),
    }
    assert oss_report.quarter_report(h.rt, h.shop_id, h.billy(), Quarter(2026, 3)) == []
    csv_text = oss_report.to_csv(rows, Quarter(2026, 4))
    assert "2026-Q4;DE;19;DKK;569,58;108,22;2" in csv_text.splitlines()
