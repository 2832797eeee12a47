"""`billysync reconcile` and `billysync backfill` against the Billy emulator's server: the
--json shapes, the documented exit codes, the words in English and Danish, and refusals that
say what to fix."""

from __future__ import annotations

from datetime import date

import pytest

from billysync.config import ProcessSettings
from billysync.sync import intake
from billysync.sync.runtime import Runtime
from tests.support.billy_tampering import set_fiscal_locking_date
from tests.support.cli_helpers import BILLY_TOKEN, Billy, Run, connected_shop, json_of
from tests.support.shop_builders import order

NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]
OCTOBER = ["--from", "2026-10-01", "--to", "2026-10-31"]


def _shop_with_an_order(cli: Run, billy: Billy) -> int:
    """A shop set up for Billy whose order 1001 (paid in November) was pushed, not booked."""
    shop_id = connected_shop(cli, billy)
    assert cli("shop", "create-products", shop_id).exit_code == 0
    settings = ["--sales-account", "1110", "--trigger", "paid", "--no-post-payments"]
    saved = cli("shop", "set", shop_id, *settings)
    assert saved.exit_code == 0, saved.output
    rt = Runtime.from_settings(ProcessSettings())
    o = order("1001")
    intake.submit(
        rt,
        intake.Event(
            shop_id=shop_id,
            source=intake.EventSource.API,
            name="order.updated",
            object_type="order",
            object_key=o.key,
            dedupe_key="push:1001",
            payload=o.model_dump_json(),
        ),
        start=False,
    )
    rt.db.dispose()
    return shop_id


def test_reconcile_json_words_and_exit_codes(
    cli: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = _shop_with_an_order(cli, billy)

    found = cli("reconcile", shop_id, *NOVEMBER, "--json")
    assert found.exit_code == 1, found.output
    document = json_of(found)
    assert set(document) == {"shop", "from", "to", "checked", "findings"}  # the shape
    assert (document["shop"], document["from"], document["to"]) == (
        shop_id,
        "2026-11-01",
        "2026-11-30",
    )
    assert document["checked"]["orders"] == 1 and document["checked"]["invoices"] == 0
    [finding] = document["findings"]
    assert finding["kind"] == "missing_invoice" and finding["order"] == "101001"
    assert (finding["expected"], finding["actual"], finding["billy_id"]) == ("338.90", None, None)
    assert finding["repair"] == "transfer"

    words = cli("reconcile", shop_id, *NOVEMBER)
    assert words.exit_code == 1
    assert "November 2026: checked 1 orders, 0 returns, 0 invoices" in words.stdout
    assert "November 2026: 1 orders, 1 findings." in words.stdout
    assert "Missing invoice (missing_invoice): order 101001" in words.stdout
    assert "shop 338.90" in words.stdout and "book it here" in words.stdout

    clean = cli("reconcile", shop_id, *OCTOBER)
    assert clean.exit_code == 0 and "October 2026: 0 orders, Billy matches." in clean.stdout

    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    dansk = cli("reconcile", shop_id, *NOVEMBER)
    assert dansk.exit_code == 1
    assert "November 2026: kontrolleret 1 ordrer, 0 returneringer" in dansk.stdout
    assert "Manglende faktura (missing_invoice): ordre 101001" in dansk.stdout
    assert "butik 338,90" in dansk.stdout and "bogfør den her" in dansk.stdout
    assert BILLY_TOKEN not in found.output + words.output + dansk.output


def test_reconcile_and_backfill_refuse_bad_input_with_what_to_fix(
    cli: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = _shop_with_an_order(cli, billy)

    swapped = cli("reconcile", shop_id, "--from", "2026-11-30", "--to", "2026-11-01")
    assert swapped.exit_code == 2 and "swap the dates" in swapped.stderr
    unreadable = cli("backfill", shop_id, "--from", "1/11/2026", "--to", "2026-11-30")
    assert unreadable.exit_code == 2 and "YYYY-MM-DD" in unreadable.stderr
    as_json = cli("reconcile", shop_id, "--from", "2026-11-30", "--to", "2026-11-01", "--json")
    assert as_json.exit_code == 2
    assert json_of(as_json)["ok"] is False and json_of(as_json)["exit_code"] == 2
    unsafe = cli("reconcile", shop_id, *NOVEMBER, "--repair", "amount_mismatch")
    assert unsafe.exit_code == 2 and "never repaired automatically" in unsafe.stderr
    unknown = cli("reconcile", shop_id, *NOVEMBER, "--repair", "everything")
    assert unknown.exit_code == 2
    assert "missing_credit_note, missing_invoice, missing_payment" in unknown.stderr
    for command in ("reconcile", "backfill"):
        nobody = cli(command, 99, *NOVEMBER)
        assert nobody.exit_code == 3 and "There is no shop 99" in nobody.stderr

    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    dansk = cli("reconcile", shop_id, "--from", "2026-11-30", "--to", "2026-11-01")
    assert dansk.exit_code == 2 and "byt om på datoerne" in dansk.stderr


def test_reconcile_repair_books_the_missing_invoice_and_comes_back_clean(
    cli: Run, billy: Billy
) -> None:
    shop_id = _shop_with_an_order(cli, billy)

    repaired = cli("reconcile", shop_id, *NOVEMBER, "--repair", "all", "--json")
    assert repaired.exit_code == 0, repaired.output
    document = json_of(repaired)
    assert document["findings"] == []  # what Billy holds after the repair
    assert [f["kind"] for f in document["repairs"]["requested"]] == ["missing_invoice"]
    ledger = billy.emulator.ledger(BILLY_TOKEN)
    assert [i["orderNo"] for i in ledger.invoices()] == ["101001"]
    assert cli("reconcile", shop_id, *NOVEMBER).exit_code == 0


def test_backfill_dry_run_then_the_run_in_words_and_json(
    cli: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = _shop_with_an_order(cli, billy)

    dry = cli("backfill", shop_id, *NOVEMBER, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "1 orders to book: net 271.12, VAT 67.78, total 338.90 DKK" in dry.stdout
    plan = cli("backfill", shop_id, *NOVEMBER, "--dry-run", "--json")
    assert json_of(plan)["ok"] is True and json_of(plan)["orders"]["DKK"]["vat"] == "67.78"
    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    dansk = cli("backfill", shop_id, *NOVEMBER, "--dry-run")
    assert "1 ordrer til bogføring: netto 271,12, moms 67,78, i alt 338,90 DKK" in dansk.stdout
    assert billy.emulator.ledger(BILLY_TOKEN).invoices() == []  # a dry run books nothing

    booked = cli("backfill", shop_id, *NOVEMBER, "--json")
    assert booked.exit_code == 0, booked.output
    outcome = json_of(booked)
    assert (outcome["ok"], outcome["state"], outcome["finished"], outcome["failed"]) == (
        True,
        "done",
        1,
        0,
    )
    assert [i["orderNo"] for i in billy.emulator.ledger(BILLY_TOKEN).invoices()] == ["101001"]
    again = cli("backfill", shop_id, *NOVEMBER)
    assert again.exit_code == 0 and "Overførsel: Færdig." in again.stdout
    assert len(billy.emulator.ledger(BILLY_TOKEN).invoices()) == 1  # nothing twice


def test_backfill_of_a_locked_period_or_organization_says_so(
    cli: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = _shop_with_an_order(cli, billy)
    set_fiscal_locking_date(billy.emulator, BILLY_TOKEN, date(2026, 11, 30))

    dry = cli("backfill", shop_id, *NOVEMBER, "--dry-run")
    assert dry.exit_code == 1, dry.output
    assert (
        "In a locked period: order 101001: The period is locked in Billy until 2026-11-30"
        in dry.stdout
    )
    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    dansk = cli("backfill", shop_id, *NOVEMBER, "--dry-run")
    assert "I en låst periode: ordre 101001: Perioden er låst i Billy til og med" in dansk.stdout

    billy.emulator.lock_organization(BILLY_TOKEN, "abonnementet er udløbet")
    locked = cli("backfill", shop_id, *NOVEMBER)
    assert locked.exit_code == 1
    assert "Billy har låst virksomheden (abonnementet er udløbet)" in locked.stderr
