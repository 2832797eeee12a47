"""The Shoporama connector end to end: the shop's signed webhooks reach billysync's web app
over HTTP, the engine books what they announce in Billy, and Billy's own ledger then
matches the shop — also when a webhook is lost, when one arrives twice, and over a day of
500 orders within Shoporama's 1,000 calls.

The world (tests/support/shoporama_world.py) is what `billysync serve --demo` runs: both
emulators on real sockets, uvicorn on a free port, the engine in this process (the 500-order
day reaches the emulators in-process; its webhooks still come over HTTP). The last three
tests are findings: each fails until the bug its docstring names is fixed. The 500-order
day fails on its last check too (our persisted call count) until the first of them is.
"""

from __future__ import annotations

import collections
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx2
import pytest

from billysync.config import ProcessSettings
from billysync.demo import DEMO_BILLY_TOKEN, start_demo
from billysync.shop.models import Order, Return
from billysync.shop.shoporama.budget import CallBudget
from billysync.shop.shoporama.mapper import order_from_payload, return_from_payload
from billysync.store import shops, transfers
from billysync.sync import service
from billysync.sync.adapters import shoporama as shoporama_source
from billysync.sync.adapters.shoporama import budget_for, calls_today
from billysync.sync.adapters.shoporama_poll import poll_shop
from billysync.sync.products import sync_shop_products
from billysync.sync.runtime import Runtime
from tests.support.shoporama_world import (
    PREFIX,
    SHOP_TOKEN,
    World,
    contact_problems,
    ledger_problems,
    money,
    product_problems,
    running_world,
)

PAID_LATER = ("invoice", "ean")  # Shoporama's payment gateways of orders paid by hand


def _stopped(world: World) -> list[str]:
    """Orders and returns the engine gave up on, with its reasons (for failure messages)."""
    with world.rt.db.session() as session:
        rows = transfers.list_transfers(session, world.shop_id, state="failed", limit=1000)
        return [f"{r.kind} {r.object_key}: {r.reason}" for r in rows]


def _assert_ledger_matches(world: World) -> None:
    problems = ledger_problems(world)
    assert not problems, "Billy differs from the shop:\n" + "\n".join(
        [*problems[:40], "(engine stopped:)", *_stopped(world)[:20]]
    )


def _figures(world: World) -> dict[str, int]:
    ledger = world.ledger()
    return {
        "orders": len(world.shop.orders()),
        "returns": len(world.shop.returns()),
        "invoices": len(ledger.invoices()),
        "credit_notes": len(ledger.credit_notes()),
        "payments": len(ledger.bank_payments()),
        "shoporama_calls": world.shop.calls_today,
        "webhooks": len(world.shop.deliveries),
    }


def _status(world: World, order_id: int) -> str:
    return str(next(o["status"] for o in world.shop.orders() if o["order_id"] == order_id))


def _whole_or_part(ret: Return, order: Order) -> str:
    returned = sum(line.quantity for line in ret.lines)
    bought = sum(line.quantity for line in order.lines)
    return "full return" if returned == bought else "partial return"


def _pick_product(world: World, *, variants: bool) -> int:
    return next(
        p["product_id"] for p in world.shop.products() if bool(p["stock_settings"]) == variants
    )


def test_a_realistic_shop_through_webhooks_is_booked_in_billy_as_the_shop_has_it(
    tmp_path: Path,
) -> None:
    with running_world(tmp_path, seed=7) as world:
        shop = world.shop
        # The kinds of order a Danish shop sees and what happens to them, each at least
        # once, then a stretch of random shop life on top.
        card = shop.generate_order(kind="person", payment="card", lines=3, variants=True)
        company = shop.generate_order(kind="company", payment="invoice", lines=2)
        ean = shop.generate_order(kind="ean", payment="ean", voucher=True)
        abroad = shop.generate_order(kind="abroad", payment="card", lines=2, variants=True)
        shop.generate_order(kind="person", payment="card", voucher=True, gift_card=False)
        gift = shop.generate_order(kind="person", payment="mobilepay", gift_card=True)
        shop.generate_order(kind="company", payment="card", voucher=True, gift_card=True)
        never_paid = shop.generate_order(kind="person", payment="invoice")
        withdrawn = shop.generate_order(kind="person", payment="invoice")
        returned_unpaid = shop.generate_order(kind="company", payment="invoice", lines=2)
        shop.cancel_order(withdrawn["order_id"])
        for order in (company, ean):
            shop.pay_order(order["order_id"])
        for order in (card, company, abroad, gift, returned_unpaid, never_paid):
            if _status(world, order["order_id"]) == "new":
                shop.ship_order(order["order_id"])
        shop.create_return(card["order_id"], full=False)
        shop.create_return(company["order_id"], full=True, refund_shipping=True)
        shop.create_return(abroad["order_id"], full=True)
        shop.create_return(returned_unpaid["order_id"], full=False)
        shop.change_price(_pick_product(world, variants=False))
        shop.change_price(_pick_product(world, variants=True))
        shop.add_variant()
        shop.advance(60)

        world.settle()
        service.sync_products(world.rt, world.shop_id)
        world.settle()

        orders = [order_from_payload(p) for p in shop.orders()]
        returns = [return_from_payload(p) for p in shop.returns()]
        by_key = {o.key: o for o in orders}
        mix = collections.Counter(
            [o.customer.kind for o in orders]
            + ["EUR" for o in orders if o.currency == "EUR"]
            + ["CVR" for o in orders if o.customer.cvr]
            + ["EAN" for o in orders if o.customer.ean]
            + ["voucher" for o in orders if o.discounts]
            + ["gift card" for o in orders if o.gift_cards]
            + ["variant" for o in orders if any(line.variant for line in o.lines)]
            + ["several lines" for o in orders if len(o.lines) > 1]
            + ["unpaid" for o in orders if not o.is_paid]
            + ["cancelled" for o in orders if o.cancelled]
            + ["paid later" for o in orders if o.payment and o.payment.method in PAID_LATER]
            + ["shipped" for o in orders if o.shipped_at]
            + [_whole_or_part(r, by_key[r.order_key]) for r in returns]
        )
        print(f"\nshop mix: {dict(mix)}")
        wanted = {"person", "company", "EUR", "CVR", "EAN", "voucher", "gift card", "variant"}
        wanted |= {"several lines", "unpaid", "cancelled", "paid later", "shipped"}
        wanted |= {"full return", "partial return"}
        assert wanted <= set(mix), f"the mix lacks {wanted - set(mix)}"
        assert all(d.state == "delivered" for d in shop.deliveries), "a webhook was not delivered"
        assert not _stopped(world), f"the engine gave up: {_stopped(world)}"
        _assert_ledger_matches(world)
        figures = _figures(world)
        print(f"realistic shop: {figures}")
        assert figures["invoices"] > 0 and figures["credit_notes"] >= 4

        # The comparison sees what Billy lacks: a price change whose webhook is lost.
        changed = shop.products()[0]
        shop.drop_next_webhook()
        shop.change_price(changed["product_id"])
        assert any(changed["own_id"] in p for p in product_problems(world))


def test_a_lost_webhook_is_recovered_by_the_next_poll_and_nothing_is_booked_twice(
    tmp_path: Path,
) -> None:
    with running_world(tmp_path, seed=11) as world:
        shop = world.shop
        later = shop.generate_order(kind="company", payment="invoice")
        world.settle()
        shop.drop_next_webhook()  # the `paid` event of an invoice order is lost
        shop.pay_order(later["order_id"])
        shop.drop_next_webhook(2)  # a card order's `order_created` and `paid` are lost
        unseen = shop.generate_order(kind="person", payment="card")
        control = shop.generate_order(kind="person", payment="card")
        world.settle()

        dropped = [d for d in shop.deliveries if d.state == "dropped"]
        assert [(d.event, d.object_id) for d in dropped] == [
            ("paid", later["order_id"]),
            ("order_created", unseen["order_id"]),
            ("paid", unseen["order_id"]),
        ]
        booked = world.ledger().invoices_by_order_no()
        numbers = {f"{PREFIX}{o['webshop_order_id']}" for o in (later, unseen, control)}
        assert set(booked) & numbers == {f"{PREFIX}{control['webshop_order_id']}"}

        first = poll_shop(world.rt, world.shop_id)
        assert "stopped" not in first and "skipped" not in first, first
        assert first["stored"] == 2, f"the poll should store the two lost orders: {first}"
        world.settle()  # the dispatcher starts what the poll stored
        _assert_ledger_matches(world)

        # Everything is in place now: a second poll and late events change nothing.
        second = poll_shop(world.rt, world.shop_id)
        assert second["stored"] == 0, second
        shop.ship_order(later["order_id"])
        shop.ship_order(unseen["order_id"])
        world.settle()
        _assert_ledger_matches(world)
        ledger = world.ledger()
        assert len(ledger.invoices()) == 3
        assert len(ledger.bank_payments()) == 3
        assert world.invoice_posts() == 3, "Billy was asked to create an invoice twice"
        print(f"\nlost webhooks: poll passes {first} then {second}; {_figures(world)}")


def test_a_delivery_that_arrives_twice_is_answered_duplicate_and_changes_nothing(
    tmp_path: Path,
) -> None:
    with running_world(tmp_path, seed=13) as world:
        shop = world.shop
        shop.duplicate_next_webhook(2)  # `order_created` and `paid`, each twice
        card = shop.generate_order(kind="person", payment="card", lines=2)
        later = shop.generate_order(kind="company", payment="invoice")
        world.settle()
        shop.duplicate_next_webhook()
        shop.pay_order(later["order_id"])
        shop.ship_order(card["order_id"])
        world.settle()
        shop.duplicate_next_webhook()
        shop.create_return(card["order_id"], full=True)
        shop.duplicate_next_webhook()
        shop.change_price(_pick_product(world, variants=False))
        world.settle()

        twins = [d for d in shop.deliveries if d.duplicate_of is not None]
        assert sorted(d.event for d in twins) == [
            "new_return",
            "order_created",
            "paid",
            "paid",
            "product",
        ]
        by_number = {d.number: d for d in shop.deliveries}
        for twin in twins:
            first = by_number[twin.duplicate_of or 0]
            assert twin.body == first.body
            assert [a.status for a in first.attempts] == [202], f"{first.event}: {first.attempts}"
            assert [a.status for a in twin.attempts] == [200], f"{twin.event}: {twin.attempts}"
        originals = [d for d in shop.deliveries if d.duplicate_of is None]
        assert _stored_events(world) == len(originals), "a duplicate was stored as an event"
        _assert_ledger_matches(world)

        # The same bytes once more, as Shoporama's retry would send them: "duplicate", and
        # neither our inbox nor Billy sees anything new.
        journal_before = len(world.billy.journal)
        stored_before = _stored_events(world)
        with httpx2.Client(base_url=world.app_url) as client:
            for twin in twins:
                answer = client.post(
                    f"/hooks/shoporama/{world.shop_id}",
                    content=twin.body,
                    headers={
                        "Content-Type": "application/json",
                        "X-Shoporama-Signature": twin.signature or "",
                    },
                )
                assert answer.status_code == 200, answer.text
                assert answer.json()["status"] == "duplicate"
        world.settle()
        assert _stored_events(world) == stored_before
        assert len(world.billy.journal) == journal_before, "a duplicate reached Billy"
        ledger = world.ledger()
        assert len(ledger.invoices()) == 2 and len(ledger.credit_notes()) == 1
        assert len([p for p in ledger.bank_payments() if p["cashSide"] == "debit"]) == 2
        assert world.invoice_posts() == 3  # two invoices and one credit note, each once
        _assert_ledger_matches(world)


def _stored_events(world: World) -> int:
    return sum(world.events_in_state(s) for s in ("new", "processed", "ignored", "failed"))


# A hang guard only: `settle` fails first when nothing moves for its stall limit, and a
# loaded machine may need several times the idle run's 75 s.
@pytest.mark.timeout(1800)
def test_a_day_of_500_orders_stays_within_shoporamas_1000_calls(tmp_path: Path) -> None:
    started = time.monotonic()
    with running_world(tmp_path, seed=17, in_process=True) as world:
        shop = world.shop
        shop.daily_limit = 1000
        first_day = datetime.now(UTC).date()
        # The day's orders in five rounds; after each, most open invoices get paid, some
        # parcels leave and a few come back (faster than wall-clock: the shop's events
        # queue up in its webhook sender as they would on a busy day).
        for _ in range(5):
            fresh = [shop.generate_order() for _ in range(100)]
            for order in fresh[::12]:
                if not _payload(world, order["order_id"])["paid"]:
                    continue
                shop.ship_order(order["order_id"])
            unpaid = [o for o in shop.orders() if not o["paid"] and o["status"] == "new"]
            for order in unpaid[: len(unpaid) * 9 // 10]:
                shop.pay_order(order["order_id"])
            shipped = [o for o in fresh if _payload(world, o["order_id"])["status"] == "shipped"]
            for order in shipped[:3]:
                shop.create_return(order["order_id"])
            shop.change_price()
        world.settle(timeout=240)
        polled = poll_shop(world.rt, world.shop_id)
        world.settle(timeout=60)

        days = {first_day, datetime.now(UTC).date()}
        theirs = sum(shop.rest.calls.get((SHOP_TOKEN, day), 0) for day in days)
        ours = sum(calls_today(world.rt, world.shop_id, day) for day in days)
        figures = _figures(world)
        print(
            f"\n500 orders: Shoporama counted {theirs} calls, billysync persisted {ours}; "
            f"{figures['invoices']} invoices, {figures['credit_notes']} credit notes, "
            f"{figures['payments']} payments from {figures['webhooks']} webhooks; "
            f"poll {polled}; {time.monotonic() - started:.1f} s"
        )
        print(f"Shoporama calls by kind: {_calls_by_kind(world)}")
        print(f"webhooks by event: {dict(collections.Counter(d.event for d in shop.deliveries))}")
        assert len(shop.orders()) == 500
        assert 429 not in world.shop_calls.statuses(), "Shoporama answered 429"
        assert theirs <= 1000, f"{theirs} calls to Shoporama in a day of 500 orders"
        assert "stopped" not in polled and "skipped" not in polled, polled
        _assert_ledger_matches(world)
        assert ours == theirs, f"billysync counted {ours} calls, Shoporama {theirs}"


def _payload(world: World, order_id: int) -> dict[str, Any]:
    return next(o for o in world.shop.orders() if o["order_id"] == order_id)


def _calls_by_kind(world: World) -> dict[str, int]:
    """GET /REST/order/7 → "order/{id}"; GET /REST/order?… → "order (list)"."""
    kinds: collections.Counter[str] = collections.Counter()
    for _method, path, _status in world.shop_calls.exchanges:
        parts = path.strip("/").split("/")[1:]
        kinds[f"{parts[0]}/{{id}}" if len(parts) > 1 else f"{parts[0]} (list)"] += 1
    return dict(kinds)


def _spend_one(budget: CallBudget, together: threading.Barrier, errors: list[str]) -> None:
    together.wait()
    try:
        budget.spend(1)
    except Exception as exc:  # the failure is the finding; the test reports it
        errors.append(type(exc).__name__)


def test_one_email_two_institutions_each_invoice_carries_its_buyers_ean(
    tmp_path: Path,
) -> None:
    """Two public institutions order as guests with the same e-mail address.

    Fails today: a guest's customer key is the e-mail (shoporama/customers.py,
    customer_from_order), and transfer.ensure_contact binds one Billy contact per key
    without comparing it with the order's buyer, so the second institution's invoice is
    booked on the first one's contact, with the first one's name, CVR and EAN.
    """
    with running_world(tmp_path, seed=40, in_process=True) as world:
        shop = world.shop
        first_by_email: dict[str, dict[str, Any]] = {}
        pair: list[dict[str, Any]] = []
        for _ in range(100):  # the emulator's civil servants share a mail domain
            order = shop.generate_order(kind="ean", payment="ean", lines=1)
            if order["customer_id"] is not None:
                continue  # an account holder: keyed by the account, not the e-mail
            earlier = first_by_email.setdefault(str(order["email"]).lower(), order)
            if earlier["ean_number"] != order["ean_number"]:
                pair = [earlier, order]
                break
        assert pair, "no two institutions shared an e-mail in 100 orders"
        for order in pair:
            shop.pay_order(order["order_id"])
        world.settle()

        ledger = world.ledger()
        contacts: dict[str, list[dict[str, Any]]] = {}
        for contact in ledger.contacts():
            contacts.setdefault(contact.get("contactNo") or "", []).append(contact)
        invoices = ledger.invoices_by_order_no()
        problems: list[str] = []
        for payload in pair:
            booked = order_from_payload(payload)
            found = invoices.get(f"{PREFIX}{booked.number}", [])
            assert len(found) == 1, f"order {booked.number}: {len(found)} invoices"
            problems += contact_problems(f"order {booked.number}", booked, found[0], contacts)
        assert not problems, "\n".join(problems)


def test_concurrent_calls_are_counted_once_each(tmp_path: Path) -> None:
    """The persisted daily count is what was spent, also when workers spend at the same time.

    Fails today: shoporama_source._persistent_budget's `save` inserts the day's row after
    a check (two first calls both insert: IntegrityError) and computes its increment from
    a `saved` figure no lock guards (two saves both add the same calls).
    """
    rt = Runtime.from_settings(ProcessSettings(data_dir=tmp_path))
    rt.db.migrate()
    workers, problems = 8, []
    try:
        for round_ in range(5):
            with rt.db.session() as session:
                made, _ = shops.create_shop(session, name=f"Shop {round_}", platform="shoporama")
                shop_id = made.id
            shoporama_source._budgets.pop(shop_id, None)  # a cached one is another test's
            with rt.db.session() as session:
                shop = shops.get_shop(session, shop_id)
                assert shop is not None
                budget = budget_for(rt, shop)
            together = threading.Barrier(workers)
            errors: list[str] = []

            threads = [
                threading.Thread(target=_spend_one, args=(budget, together, errors))
                for _ in range(workers)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            persisted = calls_today(rt, shop_id, datetime.now(UTC).date())
            if errors or persisted != workers:
                problems.append(f"{workers} calls at once: persisted {persisted}, errors {errors}")
    finally:
        rt.db.dispose()
    assert not problems, "\n".join(problems)


def test_a_price_changed_in_the_demo_shop_reaches_billy(tmp_path: Path) -> None:
    """The demo's product passes see the demo shop's changes.

    Fails today: demo.start_demo builds its ShoporamaEmulator without `clock=`, so the
    demo shop lives in simulated time from 2025-03-03 while billysync asks for what changed
    since its last pass in real time (products.py, polling.py: `last_modified` ≥ real time
    − 5 min). After the first pass the demo's price changes, and lost webhooks, are never
    listed.
    """
    rt = Runtime.from_settings(ProcessSettings(data_dir=tmp_path), billy_rate_per_second=1e3)
    rt.db.migrate()
    demo = start_demo(rt, public_url="http://127.0.0.1:9")  # no webhooks: passes only
    try:
        demo.shoporama.set_webhook(None)
        shoporama_source._budgets.pop(demo.shop_id, None)  # a cached one is another test's
        first = sync_shop_products(rt, demo.shop_id, owner="test")
        assert first["created"] > 0 and first["error"] is None, first
        product = demo.shoporama.products()[0]
        changed = demo.shoporama.change_price(product["product_id"])
        assert changed["price"] != product["price"]
        second = sync_shop_products(rt, demo.shop_id, owner="test")
        assert second["error"] is None, second
        billy = httpx2.Client(base_url=demo.billy_url, headers={"X-Access-Token": DEMO_BILLY_TOKEN})
        with billy:
            found = billy.get("/products", params={"productNo": product["own_id"]}).json()
            [billy_product] = found["products"]
            prices = billy.get("/productPrices", params={"productId": billy_product["id"]})
        in_billy = [money(p["unitPrice"]) for p in prices.json()["productPrices"]]
        assert in_billy == [money(changed["price"])], (
            f"the demo shop's {product['own_id']} costs {changed['price']} since "
            f"{changed['last_modified']} (shop time), Billy still has {in_billy}; "
            f"the second product pass saw {second}"
        )
    finally:
        demo.stop()
        rt.db.dispose()
