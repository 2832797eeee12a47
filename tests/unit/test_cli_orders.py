"""`billysync doctor | preview | retry | status`: single orders and the setup check.

Each ends with the exit code docs/cli.md promises and says what happened, in words or JSON,
and in Danish with BILLYSYNC_LANGUAGE=da; none prints a traceback.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.sync.runtime import Runtime
from billysync.web.api_examples import ORDER
from billysync.web.app import create_app
from tests.support.cli_helpers import BILLY_TOKEN, Billy, Run, added_shop, connected_shop, json_of


def _push_order(token: str, **changes: object) -> str:
    """Send the JSON API's example order (stored only: no engine runs in this process)."""
    order = {**ORDER["paid"]["value"], **changes}
    rt = Runtime.from_settings(ProcessSettings())
    with TestClient(create_app(rt), base_url="https://testserver") as api:
        answer = api.put(
            f"/api/v1/orders/{order['key']}",
            json=order,
            headers={"Authorization": f"Bearer {token}"},
        )
    rt.db.dispose()
    assert answer.status_code == 202, answer.text
    return str(order["key"])


def test_unknown_shop_order_and_kind_say_so_without_a_traceback(cli: Run) -> None:
    for args in (("doctor", 99), ("preview", 99, 1), ("retry", 99, "order", 1)):
        answer = cli(*args)
        assert answer.exit_code == 3, (args, answer.output)
        assert "There is no shop 99: see `billysync shop list`." in answer.stderr
        assert "Traceback" not in answer.output

    shop_id, _ = added_shop(cli)
    missing = cli("retry", shop_id, "order", 424242)
    assert missing.exit_code == 3
    assert f"Shop {shop_id} has no order 424242" in missing.stderr
    as_json = json_of(cli("status", shop_id, "order", 424242, "--json"))
    assert as_json["ok"] is False and as_json["exit_code"] == 3

    wrong_kind = cli("retry", shop_id, "invoice", 1)
    assert wrong_kind.exit_code == 2 and "order" in wrong_kind.output


def test_a_broken_database_is_an_error_in_words(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLYSYNC_DATABASE_URL", "postgresql://nobody:secret-pw@127.0.0.1:1/x")
    answer = cli("doctor", 1)
    assert answer.exit_code == 6
    assert "unexpected error (OperationalError)" in answer.stderr
    assert "Traceback" not in answer.output and "secret-pw" not in answer.output


def test_a_bad_process_setting_is_named(cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BILLYSYNC_PORT", "eighty")
    answer = cli("shop", "list")
    assert answer.exit_code == 2
    assert "BILLYSYNC_PORT in the environment is not valid" in answer.stderr
    assert "Traceback" not in answer.output


def test_a_failed_preview_exits_non_zero(cli: Run, billy: Billy) -> None:
    shop_id, token = added_shop(cli)
    assert cli("shop", "set", shop_id, "--billy-key", BILLY_TOKEN, "--billy-url", billy.url,
               "--json").exit_code == 0  # fmt: skip
    never_sent = cli("preview", shop_id, "no-such-order", "--json")
    assert never_sent.exit_code == 3
    assert "no-such-order" in json_of(never_sent)["error"]

    key = _push_order(token)
    unready = cli("preview", shop_id, key)
    assert unready.exit_code == 1
    assert "The preview could not be made" in unready.stderr and "not set up" in unready.stderr

    assert cli("shop", "create-products", shop_id).exit_code == 0
    ready = cli("shop", "set", shop_id, "--sales-account", "1110", "--no-post-payments")
    assert ready.exit_code == 0, ready.output
    shown = cli("preview", shop_id, key, "--json")
    assert shown.exit_code == 0, shown.output
    assert json_of(shown)["preview"]["invoice"]["totals"]["gross"] == "385.01"
    in_words = cli("preview", shop_id, key)
    assert in_words.exit_code == 0, in_words.output
    assert "Order 10234, total 385.01 DKK" in in_words.output
    assert "2 × T-shirt" in in_words.output and "total 385.01 DKK." in in_words.output

    wrong_total = _push_order(token, key="100299", number="10299", total="999.00")
    stopped = cli("preview", shop_id, wrong_total)
    assert stopped.exit_code == 1, stopped.output
    assert "The booking would stop here:" in stopped.stderr
    assert "999" in stopped.stderr


def test_retry_waits_for_the_outcome_and_exits_by_it(
    cli_any_db: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli = cli_any_db  # on SQLite and on PostgreSQL
    shop_id, token = added_shop(cli)
    assert cli("shop", "set", shop_id, "--billy-key", BILLY_TOKEN, "--billy-url", billy.url,
               "--json").exit_code == 0  # fmt: skip
    key = _push_order(token)
    waiting = cli("status", shop_id, "order", key, "--json")
    assert waiting.exit_code == 0 and json_of(waiting)["state"] == "received"

    # Not set up yet: the order fails, the retry says so and exits 1.
    failed = cli("retry", shop_id, "order", key)
    assert failed.exit_code == 1, failed.output
    assert "failed" in failed.stderr and "sales account" in failed.stderr
    assert f"billysync retry {shop_id} order {key}" in failed.stderr
    status = cli("status", shop_id, "order", key, "--json")
    assert status.exit_code == 1 and json_of(status)["state"] == "failed"

    assert cli("shop", "create-products", shop_id).exit_code == 0
    fixed = cli("shop", "set", shop_id, "--sales-account", "1110", "--post-payments",
                "--payment-account", "Bank")  # fmt: skip
    assert fixed.exit_code == 0, fixed.output

    booked = cli("retry", shop_id, "order", key, "--json")
    assert booked.exit_code == 0, booked.output
    outcome = json_of(booked)
    assert outcome["state"] in ("transferred", "paid") and outcome["invoice_no"]
    with_number = cli("status", shop_id, "order", outcome["number"] or key)
    assert with_number.exit_code == 0 and str(outcome["invoice_no"]) in with_number.output
    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    booked_already = cli("preview", shop_id, outcome["number"])
    assert booked_already.exit_code == 0, booked_already.output
    assert f"allerede i Billy som faktura {outcome['invoice_no']}" in booked_already.output
    assert "i alt 385,01 DKK" in booked_already.output  # Danish amounts


def test_a_retry_still_working_when_the_wait_ends_exits_4_and_can_be_finished(
    cli: Run, billy: Billy
) -> None:
    shop_id, token = added_shop(cli)
    assert cli("shop", "set", shop_id, "--billy-key", BILLY_TOKEN, "--billy-url", billy.url,
               "--json").exit_code == 0  # fmt: skip
    assert cli("shop", "create-products", shop_id).exit_code == 0
    assert cli("shop", "set", shop_id, "--sales-account", "1110", "--no-post-payments",
               "--json").exit_code == 0  # fmt: skip
    key = _push_order(token)
    # Billy answers 503 to every new contact: the order cannot finish while this lasts.
    billy.emulator.faults.add(kind="status", status=503, method="POST", path="/v2/contacts")

    unfinished = cli("retry", shop_id, "order", key, "--wait", 1, "--json")
    assert unfinished.exit_code == 4, unfinished.output
    data = json_of(unfinished)
    assert data["state"] == "received" and data["executor"]
    assert f"billysync recover --executor {data['executor']}" in data["error"]
    assert f"billysync status {shop_id} order {key}" in data["error"]

    billy.emulator.faults.clear()
    finished = cli("recover", "--executor", data["executor"])
    assert finished.exit_code == 0, finished.output
    status = cli("status", shop_id, "order", key, "--json")
    assert status.exit_code == 0 and json_of(status)["state"] == "transferred"


def test_retry_without_waiting_only_stores_the_request(cli: Run, billy: Billy) -> None:
    shop_id, token = added_shop(cli)
    key = _push_order(token)
    queued = cli("retry", shop_id, "order", key, "--wait", 0)
    assert queued.exit_code == 0, queued.output
    assert f"billysync status {shop_id} order {key}" in queued.output
    assert json_of(cli("status", shop_id, "order", key, "--json"))["state"] == "received"


def test_the_command_line_speaks_danish(
    cli: Run, billy: Billy, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop_id = connected_shop(cli, billy)
    monkeypatch.setenv("BILLYSYNC_LANGUAGE", "da")
    check = cli("doctor", shop_id)
    assert check.exit_code == 1
    assert "RET  Salgskonto: Vælg salgskontoen for produkter." in check.output
    assert "Gyldig for organisationen CLI ApS." in check.output
    refused = cli("shop", "set", shop_id, "--sales-account", "5710")
    assert "“5710” er ikke en indtægtskonto i Billy" in refused.stderr
    assert "Intet blev gemt." in refused.stderr
    assert "Der er ingen butik 99" in cli("doctor", 99).stderr
