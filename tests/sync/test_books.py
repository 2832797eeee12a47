"""What a bookkeeper checks in Billy's ledger: returns within the invoice, a state that never
contradicts Billy, contacts kept current. On real SQLite and real PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest

from billysync.money import parse_money
from billysync.shop.models import Customer, GiftCard, Return, ReturnLine, Shipping
from billysync.sync import reasons
from tests.support.shop_builders import giving_back, line, order, person
from tests.support.sync_harness import Harness

GIFT = GiftCard(code="GC-4455", amount=Decimal("50.00"))


@pytest.fixture
def books(harness_for: Callable[..., Harness], database_url: str) -> Harness:
    return harness_for(database_url)


def credit_notes(h: Harness) -> list[dict]:
    return list(h.emu.ledger(h.token).credit_notes())


def invoices(h: Harness) -> list[dict]:
    return [i for i in h.emu.ledger(h.token).invoices() if i["type"] == "invoice"]


def live_payments(h: Harness) -> list[dict]:
    return [p for p in h.emu.ledger(h.token).bank_payments() if not p.get("isVoided")]


def refunds(h: Harness) -> list[dict]:
    return [p for p in live_payments(h) if p["cashSide"] == "credit"]


def test_a_second_return_of_a_fully_returned_item_is_refused(books: Harness) -> None:
    h = books
    o = order("7001", lines=(line("MUG-1", "Krus", "2", "89.00"),))
    h.push("order", o)
    h.push("return", giving_back(o, "R1", {"MUG-1": "2"}, shipping=True))
    h.settle()
    assert h.transfer(kind="return", key="R1")["state"] == "credited"

    h.push("return", giving_back(o, "R2", {"MUG-1": "1"}))
    h.settle()
    refused = h.transfer(kind="return", key="R2")
    assert refused["state"] == "failed" and refused["error_kind"] == "data"
    assert "1 × MUG-1 returned, 0 left to credit" in refused["reason"]
    # Billy holds one credit note and one refund, together exactly the invoice.
    [credit] = credit_notes(h)
    assert parse_money(credit["grossAmount"]) == o.total
    [refund] = refunds(h)
    assert parse_money(refund["cashAmount"]) == o.total


def test_partial_returns_credit_up_to_the_invoice_and_no_further(books: Harness) -> None:
    h = books
    o = order(
        "7101",
        lines=(line("MUG-1", "Krus", "3", "89.00"),),
        shipping=Shipping(method="GLS", price=Decimal("39.00")),
    )
    h.push("order", o)
    h.push("return", giving_back(o, "R1", {"MUG-1": "1"}, shipping=True))
    h.settle()
    h.push("return", giving_back(o, "R2", {"MUG-1": "2"}))
    h.settle()
    assert h.transfer(kind="return", key="R2")["state"] == "credited"
    # The shipping was refunded by R1 already: a second refund of it is refused.
    again = giving_back(o, "R3", {}, shipping=True)
    h.push("return", again)
    h.settle()
    refused = h.transfer(kind="return", key="R3")
    assert refused["state"] == "failed"
    assert "shipping 39.00 DKK refunded, 0.00 DKK left to credit" in refused["reason"]
    credited = sum(parse_money(c["grossAmount"]) for c in credit_notes(h))
    assert credited == o.total == Decimal("306.00")


def test_a_return_at_a_higher_price_than_invoiced_is_refused(books: Harness) -> None:
    h = books
    o = order("7201", lines=(line("MUG-1", "Krus", "2", "89.00"),))
    h.push("order", o)
    dearer = Return(
        key="R1",
        order_key=o.key,
        order_number=o.number,
        date=o.created_at.date(),
        lines=(
            ReturnLine(
                item_number="MUG-1", name="Krus", quantity=Decimal(2), unit_price=Decimal(99)
            ),
        ),
        amount=Decimal("198.00"),
    )
    h.push("return", dearer)
    h.settle()
    refused = h.transfer(kind="return", key="R1")
    assert refused["state"] == "failed"
    assert "MUG-1 for 198.00 DKK, 178.00 DKK left to credit" in refused["reason"]
    assert credit_notes(h) == [] and refunds(h) == []


def test_an_order_changed_after_payment_keeps_what_billy_holds(books: Harness) -> None:
    h = books
    h.push("order", order("9301"))
    h.settle()
    assert h.transfer(key="9301")["state"] == "paid"
    h.push("order", order("9301", lines=(line("MUG-1", "Krus", "5", "89.00"),)))
    h.settle()
    row = h.transfer(key="9301")
    # Billy holds the invoice and its payment: the state says so, and no advice books twice.
    assert row["state"] == "paid" and row["error_kind"] is None
    said = reasons.english(row["reason"]) or ""
    assert "Changed in the shop after it was invoiced" in said and "its payment" in said
    assert "register the payment" not in said
    assert len(invoices(h)) == 1 and len(live_payments(h)) == 1


def test_a_returning_customer_who_moved_gets_the_contact_updated(books: Harness) -> None:
    h = books
    h.push("order", order("9401", customer=person("same")))
    h.settle()
    moved: Customer = person("same", street="Nørregade 7", zipcode="1165", city="København K")
    h.push("order", order("9402", customer=moved))
    h.settle()
    [contact] = h.emu.ledger(h.token).contacts()
    assert (contact["street"], contact["zipcodeText"], contact["cityText"]) == (
        "Nørregade 7",
        "1165",
        "København K",
    )
    assert len(invoices(h)) == 2
    # Unchanged the next time: no further contact call.
    before = _contact_writes(h)
    h.push("order", order("9403", customer=moved))
    h.settle()
    assert _contact_writes(h) == before


def _contact_writes(h: Harness) -> int:
    return sum(
        1
        for e in h.emu.journal.entries()
        if e.method in ("POST", "PUT") and e.path.startswith("/v2/contacts")
    )


def test_each_payment_method_posts_to_its_own_account_with_the_fee(books: Harness) -> None:
    h = books
    clearing = h.accounts[5730]
    h.configure(payment_method_accounts=json.dumps({"MobilePay": clearing}))
    base = order("9501")
    assert base.payment is not None
    by_mobilepay = base.model_copy(
        update={
            "payment": base.payment.model_copy(
                update={"method": "mobilepay", "fee": Decimal("2.50")}
            )
        }
    )
    h.push("order", by_mobilepay)
    h.push("order", order("9502"))  # paid by card: no account of its own
    h.settle()
    paid = {p["cashAccountId"]: p for p in live_payments(h)}
    assert set(paid) == {clearing, h.accounts[5710]}
    mobile = paid[clearing]
    assert parse_money(mobile["cashAmount"]) == by_mobilepay.total - Decimal("2.50")
    assert parse_money(mobile["feeAmount"]) == Decimal("2.50")
    # Cash and fee settle the invoice in full.
    assert all(i["isPaid"] and parse_money(i["balance"]) == 0 for i in invoices(h))
    # A refund goes back the way the money came.
    h.push("return", giving_back(by_mobilepay, "R1", {"TS-RED-M": "1"}))
    h.settle()
    [refund] = refunds(h)
    assert refund["cashAccountId"] == clearing


def test_invoice_emailed_once_in_the_customers_language(books: Harness) -> None:
    h = books
    h.configure(email_invoices=True)
    h.emu.faults.add(
        method="POST", path="/v2/invoices/*/emails", kind="commit_then_status", status=503, times=1
    )
    h.push("order", order("9601"))
    h.push("order", order("9602", customer=person("abroad", country="DE", email="k@example.de")))
    h.settle()
    emails = h.emu.ledger(h.token).emails()
    assert len(emails) == 2  # one each, although Billy's first answer was lost
    subjects = sorted(e["emailSubject"] for e in emails)
    assert subjects[0].startswith("Faktura ") and subjects[1].startswith("Invoice ")
    assert h.transfer(key="9601")["state"] == "paid"


def test_no_invoice_email_unless_asked(books: Harness) -> None:
    h = books
    h.push("order", order("9701"))
    h.settle()
    assert h.emu.ledger(h.token).emails() == []


def test_goods_paid_partly_by_gift_card_can_be_credited_in_full(books: Harness) -> None:
    h = books
    # A gift card paid for part of the order; it took no money off the sale.
    o = order("7301", lines=(line("MUG-1", "Krus", "2", "89.00"),), gift_cards=(GIFT,))
    h.push("order", o)
    h.push("return", giving_back(o, "R1", {"MUG-1": "2"}, shipping=True))
    h.settle()
    assert h.transfer(kind="return", key="R1")["state"] == "credited"
    [credit] = credit_notes(h)
    assert parse_money(credit["grossAmount"]) == o.total + GIFT.amount == Decimal("217.00")
