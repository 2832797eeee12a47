"""`billysync reconcile` and `billysync backfill --dry-run` against the Billy emulator's server:
the --json shape, the exit codes, and errors that say what to fix."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from billysync.billy.client import BillyClient
from billysync.cli import app
from billysync.config import ProcessSettings
from billysync.emulators.billy.emulator import BillyEmulator
from billysync.emulators.billy.server import start_background_server
from billysync.sync import intake
from billysync.sync.runtime import Runtime
from tests.support.shop_builders import order

TOKEN = "cli-books-billy-token-0007"
NOVEMBER = ["--from", "2026-11-01", "--to", "2026-11-30"]


@pytest.fixture
def billy_url() -> Iterator[str]:
    emu = BillyEmulator()
    emu.add_organization(token=TOKEN, name="Bøger ApS")
    url, stop = start_background_server(emu)
    yield url + "/v2"
    stop()


def _shop(runner: CliRunner, url: str, tmp_path: Path) -> str:
    added = runner.invoke(app, ["shop", "add", "Butik B", "--json"])
    assert added.exit_code == 0, added.output
    shop_id = str(json.loads(added.stdout)["shop_id"])
    with BillyClient(TOKEN, base_url=url) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        product = client.products.create(
            {
                "name": "Fragt",
                "accountId": accounts[1115],
                "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
            }
        ).id
    settings = ["--billy-key", TOKEN, "--billy-url", url, "--sales-account", accounts[1110]]
    settings += ["--shipping-product", product, "--discount-product", product]
    settings += ["--trigger", "paid", "--no-post-payments"]
    saved = runner.invoke(app, ["shop", "set", shop_id, *settings])
    assert saved.exit_code == 0, saved.output
    rt = Runtime.from_settings(ProcessSettings(data_dir=tmp_path))
    o = order("1001")
    intake.submit(
        rt,
        intake.Event(
            shop_id=int(shop_id),
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


def _unboxed(output: str) -> str:
    """Typer's error box wraps its text: the words, without the frame."""
    return " ".join(output.replace("│", " ").split())


def test_reconcile_json_and_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, billy_url: str
) -> None:
    monkeypatch.setenv("BILLYSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BILLYSYNC_BILLY_KEY", TOKEN)
    runner = CliRunner()
    shop_id = _shop(runner, billy_url, tmp_path)

    found = runner.invoke(app, ["reconcile", shop_id, *NOVEMBER, "--json"])
    assert found.exit_code == 1, found.output
    document = json.loads(found.stdout)
    assert set(document) == {"shop", "from", "to", "checked", "findings"}
    assert (document["shop"], document["from"], document["to"]) == (
        int(shop_id),
        "2026-11-01",
        "2026-11-30",
    )
    assert document["checked"]["orders"] == 1 and document["checked"]["invoices"] == 0
    [finding] = document["findings"]
    assert finding["kind"] == "missing_invoice" and finding["order"] == "101001"
    assert (finding["expected"], finding["actual"], finding["billy_id"]) == ("338.90", None, None)
    assert finding["repair"] == "transfer"

    words = runner.invoke(app, ["reconcile", shop_id, *NOVEMBER])
    assert words.exit_code == 1 and "2026-11-01 – 2026-11-30: checked 1 orders" in words.output
    assert "missing_invoice" in words.output and "book it here" in words.output

    empty = runner.invoke(app, ["reconcile", shop_id, "--from", "2026-10-01", "--to", "2026-10-31"])
    assert empty.exit_code == 0 and "Billy matches the shop." in empty.output

    swapped = runner.invoke(
        app, ["reconcile", shop_id, "--from", "2026-11-30", "--to", "2026-11-01"]
    )
    assert swapped.exit_code == 2 and "swap the dates" in _unboxed(swapped.output)
    unsafe = runner.invoke(app, ["reconcile", shop_id, *NOVEMBER, "--repair", "amount_mismatch"])
    assert unsafe.exit_code == 2 and "never repaired automatically" in _unboxed(unsafe.output)
    assert TOKEN not in found.output + words.output + unsafe.output


def test_backfill_dry_run_prints_counts_totals_and_vat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, billy_url: str
) -> None:
    monkeypatch.setenv("BILLYSYNC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("BILLYSYNC_BILLY_KEY", TOKEN)
    runner = CliRunner()
    shop_id = _shop(runner, billy_url, tmp_path)

    dry = runner.invoke(app, ["backfill", shop_id, *NOVEMBER, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 orders to book: net 271.12, VAT 67.78, gross 338.90 DKK" in dry.output
    as_json = runner.invoke(app, ["backfill", shop_id, *NOVEMBER, "--dry-run", "--json"])
    assert json.loads(as_json.stdout)["orders"]["DKK"]["vat"] == "67.78"

    nobody = runner.invoke(app, ["backfill", "99", *NOVEMBER, "--dry-run"])
    assert nobody.exit_code == 2 and "no shop 99" in nobody.output
