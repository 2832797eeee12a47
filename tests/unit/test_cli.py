"""The command line as an operator uses it: shops, settings, the setup check, a preview."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from billysync.billy.client import BillyClient
from billysync.cli import app
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.server import start_background_server

TOKEN = "cli-test-billy-token-77"


@pytest.fixture
def billy_url() -> Iterator[tuple[str, BillyEmulator]]:
    emu = BillyEmulator()
    emu.add_organization(token=TOKEN, name="CLI ApS")
    url, stop = start_background_server(emu)
    yield url + "/v2", emu
    stop()


def test_shop_settings_doctor_and_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, billy_url: tuple[str, BillyEmulator]
) -> None:
    url, _ = billy_url
    monkeypatch.setenv("BILLYSYNC_DATA_DIR", str(tmp_path))
    runner = CliRunner()

    added = runner.invoke(app, ["shop", "add", "Butik CLI"])
    assert added.exit_code == 0, added.output
    shop_id = re.search(r"shop (\d+) added", added.output).group(1)  # type: ignore[union-attr]
    assert "bs_" in added.output  # the API token, shown once

    monkeypatch.setenv("BILLYSYNC_BILLY_KEY", TOKEN)
    assert runner.invoke(app, ["shop", "set", shop_id, "--billy-url", url]).exit_code == 0
    unready = runner.invoke(app, ["doctor", shop_id])
    assert unready.exit_code == 1
    assert "FIX  Sales account" in unready.output and "CLI ApS" in unready.output

    with BillyClient(TOKEN, base_url=url) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list()}
        product = client.products.create(
            {
                "name": "Fragt",
                "accountId": accounts[1115],
                "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
            }
        )
    settings = [
        "--sales-account",
        accounts[1110],
        "--shipping-product",
        product.id,
        "--discount-product",
        product.id,
        "--trigger",
        "shipped",
        "--post-payments",
        "--payment-account",
        accounts[5710],
        "--prefix",
        "CLI-",
    ]
    assert runner.invoke(app, ["shop", "set", shop_id, *settings]).exit_code == 0
    ready = runner.invoke(app, ["doctor", shop_id])
    assert ready.exit_code == 0, ready.output
    assert "FIX" not in ready.output and "5710 Bank" in ready.output

    listed = runner.invoke(app, ["shop", "list"])
    assert "Butik CLI" in listed.output and "trigger=shipped" in listed.output
    assert TOKEN not in listed.output and TOKEN not in ready.output

    preview = runner.invoke(app, ["preview", shop_id, "no-such-order"])
    assert preview.exit_code == 0
    assert "no-such-order" in json.loads(preview.output)["error"]

    wrong = runner.invoke(app, ["shop", "set", shop_id, "--trigger", "sometimes"])
    assert wrong.exit_code != 0 and "paid" in wrong.output
