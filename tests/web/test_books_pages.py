"""The reconciliation and history pages, and the overview's line about the latest (nightly)
reconciliation, in English and Danish: results, findings in a period Billy has locked, and a
locked organization, each said in the merchant's language."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.shop.models import Order
from billysync.sync import intake, reconcile
from billysync.sync.classify import classify
from billysync.sync.runtime import NotConfigured, Runtime
from billysync.sync.shop_period import Period
from tests.support.pages_world import KEY, ORDER, configure_shop
from tests.support.web_helpers import add_shop, seen

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))


def _shop_with_an_order(rt: Runtime, billy: BillyEmulator, client: TestClient, csrf: str) -> int:
    """A JSON API shop set up for Billy; order 1001 (paid 4 March 2025) pushed, not booked."""
    shop_id, _ = add_shop(client, csrf, platform="generic")
    configure_shop(rt, billy, shop_id)
    sold = Order.model_validate(ORDER)
    intake.submit(
        rt,
        intake.Event(
            shop_id=shop_id,
            source=intake.EventSource.API,
            name="order.updated",
            object_type="order",
            object_key=sold.key,
            dedupe_key="push:A-1",
            payload=sold.model_dump_json(),
        ),
        start=False,
    )
    return shop_id


def _danish(client: TestClient, csrf: str) -> None:
    client.post("/language", data={"lang": "da", "back": "/", "csrf_token": csrf})


def test_the_overview_shows_the_nightly_result_in_both_languages(
    rt: Runtime, billy: BillyEmulator, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    shop_id = _shop_with_an_order(rt, billy, client, csrf)
    overview = f"/shops/{shop_id}/orders"
    assert "Not reconciled yet" in seen(client.get(overview))

    matched = reconcile.Reconciliation(shop_id, "Butik A", MARCH, checked={"orders": 412})
    reconcile.save(rt, matched, "nightly")
    assert "March 2025: 412 orders, Billy matches." in seen(client.get(overview))

    reconcile.save(rt, reconcile.reconcile(rt, shop_id, MARCH), "nightly")  # no invoice yet
    assert "March 2025: 1 orders, 1 findings." in seen(client.get(overview))

    failed = classify(NotConfigured(["billy_key"])).reason.encode()
    reconcile.save_failure(rt, shop_id, MARCH, "nightly", failed)
    english = seen(client.get(overview))
    assert "March 2025 could not be reconciled: The shop is not set up" in english
    assert '{"code"' not in english  # the stored reason, said in words
    _danish(client, csrf)
    dansk = seen(client.get(overview))
    assert "Marts 2025 kunne ikke afstemmes: Butikken er ikke sat op endnu" in dansk
    reconcile.save(rt, matched, "nightly")
    assert "Marts 2025: 412 ordrer, Billy stemmer." in seen(client.get(overview))


def test_a_finding_in_a_locked_period_names_the_date_and_offers_no_booking(
    rt: Runtime, billy: BillyEmulator, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    shop_id = _shop_with_an_order(rt, billy, client, csrf)
    billy.set_fiscal_locking_date(KEY, date(2025, 3, 31))

    answer = client.post(
        f"/shops/{shop_id}/reconcile",
        data={"first": "2025-03-01", "last": "2025-03-31", "csrf_token": csrf},
    )
    english = seen(answer)
    assert "Missing invoice" in english
    assert "The period is locked in Billy until 2025-03-31: unlock it in Billy" in english
    assert 'id="repair-all"' not in english and "Book it</button>" not in english
    _danish(client, csrf)
    dansk = seen(client.get(f"/shops/{shop_id}/reconcile"))
    assert "Perioden er låst i Billy til og med 2025-03-31: lås den op i Billy" in dansk


def test_the_dry_run_says_why_in_the_merchants_language(
    rt: Runtime, billy: BillyEmulator, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    shop_id = _shop_with_an_order(rt, billy, client, csrf)
    billy.set_fiscal_locking_date(KEY, date(2025, 3, 31))
    dry_run = f"/shops/{shop_id}/backfill?from=2025-03-01&to=2025-03-31&dry=1"

    english = seen(client.get(dry_run))
    assert "In a locked period" in english
    assert "The period is locked in Billy until 2025-03-31 (that day included)" in english
    _danish(client, csrf)
    dansk = seen(client.get(dry_run))
    assert "I en låst periode" in dansk
    assert "Perioden er låst i Billy til og med 2025-03-31, og fakturaen er dateret" in dansk

    billy.lock_organization(KEY, "unpaid subscription")
    locked = seen(client.get(dry_run))
    assert "Billy har låst virksomheden: få det løst i Billy" in locked
    assert "resolve it in Billy" not in locked


def test_a_repair_or_backfill_that_cannot_start_says_why_in_danish(
    rt: Runtime, billy: BillyEmulator, admin: tuple[TestClient, str]
) -> None:
    client, csrf = admin
    shop_id = _shop_with_an_order(rt, billy, client, csrf)
    march = {"first": "2025-03-01", "last": "2025-03-31", "csrf_token": csrf}
    client.post(f"/shops/{shop_id}/reconcile", data=march)
    _danish(client, csrf)
    with rt.db.session() as session:  # the key is removed after the reconciliation
        from billysync.store import shops

        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shop.billy_key_secret = None

    repaired = seen(client.post(f"/shops/{shop_id}/reconcile/repair", data={"csrf_token": csrf}))
    assert "Butikken er ikke sat op endnu: vælg Billy API-nøglen" in repaired
    started = seen(client.post(f"/shops/{shop_id}/backfill", data=march))
    assert "Butikken er ikke sat op endnu: vælg Billy API-nøglen" in started
