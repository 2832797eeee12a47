"""Webhooks that arrive out of order or replay an older payload (docs/invariants.md §2).

The fault run (test_faults.py) keeps each order's own payloads in the order the shop sent
them; here they are turned around on purpose, one case per test, with no Billy faults, and
the invariants are checked in the Billy emulator's ledger as everywhere else.

Each case once broke an invariant: an older payload stepping an invoiced order back to
waiting, an older payload hiding a payment, a return arriving before its order.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from billysync.emulators.billy import BillyEmulator
from billysync.sync.engine import Engine, dispatch_pending
from tests.support.invariants import check_ledger, check_transfers
from tests.support.shop_builders import giving_back, line, order
from tests.support.sync_harness import TOKEN, Harness, make_shop
from tests.support.workload import ShopOrder, Workload


def harness(engine_for: Callable[..., Engine], tmp_path: Path, *, launch: bool = True) -> Harness:
    emu = BillyEmulator()
    engine = engine_for(f"sqlite:///{tmp_path / 'billysync.db'}", emu, launch=launch)
    shop_id, accounts = make_shop(engine.rt, emu, TOKEN, "Butik R")
    return Harness(emu, engine.rt, engine, shop_id, TOKEN, accounts)


def violations(h: Harness, workload: Workload) -> list[str]:
    return check_ledger(h.emu, h.token, workload, "") + check_transfers(h.rt, h.shop_id, workload)


def test_replay_of_an_older_identical_payload_changes_nothing(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    h = harness(engine_for, tmp_path)
    unpaid, paid = order("1", paid=False), order("1", paid=True)
    for payload in (unpaid, paid, unpaid, paid, unpaid):  # replays are deduplicated
        h.push("order", payload)
        h.settle()
    problems = violations(h, Workload([ShopOrder([unpaid, paid])]))
    assert not problems, "\n".join(problems)


def test_older_unpaid_payload_after_the_invoice_leaves_the_order_paid(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    h = harness(engine_for, tmp_path)
    paid = order("2", paid=True)
    h.push("order", paid)
    h.settle()
    assert h.transfer(key="2")["state"] == "paid"
    h.push("order", order("2", paid=False))  # sent before, arrives after
    h.settle()
    problems = violations(h, Workload([ShopOrder([paid])]))
    assert not problems, "\n".join(problems)


def test_paid_and_older_unpaid_payload_stored_together_still_invoice(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    # Both arrive before any worker looks (as stored by a web-only process), paid first.
    h = harness(engine_for, tmp_path, launch=False)
    paid = order("3", paid=True)
    h.push("order", paid)
    h.push("order", order("3", paid=False))
    h.engine.start()
    dispatch_pending(h.rt, older_than=0)
    h.settle()
    problems = violations(h, Workload([ShopOrder([paid])]))
    assert not problems, "\n".join(problems)


def test_return_delivered_before_its_order_is_credited_once_the_order_arrives(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    h = harness(engine_for, tmp_path)
    paid = order("4", lines=(line("MUG-1", "Krus", "2", "89.00"),))
    ret = giving_back(paid, "R4", {"MUG-1": "1"})
    h.push("return", ret)
    h.settle()
    h.push("order", paid)
    h.settle()
    problems = violations(h, Workload([ShopOrder([paid], [ret])]))
    assert not problems, "\n".join(problems)
