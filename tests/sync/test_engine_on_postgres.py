"""The same engine on real PostgreSQL (DBOS's system tables in the same database)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from billysync.money import parse_money
from tests.support.shop_builders import giving_back, line, order, person
from tests.support.sync_harness import Harness

pytestmark = pytest.mark.postgres


def test_orders_returns_and_faults_on_postgres(
    harness_for: Callable[..., Harness], postgres_url: str
) -> None:
    h = harness_for(postgres_url)
    h.emu.faults.add(method="POST", path="/v2/invoices", kind="commit_then_drop", times=1)
    first = order("1", customer=person("same"), lines=(line("MUG-1", "Krus", "2", "89.00"),))
    second = order("2", customer=person("same"))
    for _ in range(2):
        h.push("order", first)
        h.push("order", second)
    h.push("return", giving_back(first, "R1", {"MUG-1": "1"}))
    h.settle()

    ledger = h.emu.ledger(h.token)
    by_order = ledger.invoices_by_order_no()
    assert {no: len(found) for no, found in by_order.items()} == {"101": 1, "102": 1}
    assert parse_money(by_order["101"][0]["grossAmount"]) == first.total
    assert len(ledger.contacts()) == 1
    assert len([p for p in ledger.bank_payments() if p["cashSide"] == "debit"]) == 2
    [credit] = ledger.credit_notes()
    assert credit["creditedInvoiceId"] == by_order["101"][0]["id"]
    assert parse_money(credit["grossAmount"]) == Decimal("89.00")
    assert h.transfer(key="1")["state"] == "paid"
    assert h.transfer(kind="return", key="R1")["state"] == "credited"
