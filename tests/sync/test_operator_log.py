"""Operators see each failure and retry once, as a structured line, with no secret in it.

The shop's Billy key is a canary: a key Billy does not know (401, a configuration failure)
and a Billy that answers 503 five times (HTTP retries, then a transient retry of the
transfer). The rendered log (JSON, as a worker writes it to stderr) names the shop, the
order and the Billy call, and never contains the canary.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator

import pytest

from billysync import logs
from billysync.store import shops
from tests.support.shop_builders import order
from tests.support.sync_harness import Harness

CANARY = "canary-billy-key-7f3a9c-DO-NOT-LOG"


@pytest.fixture
def rendered() -> Iterator[io.StringIO]:
    """The JSON log lines this process writes while the test runs."""
    sink = io.StringIO()
    logs.configure(json=True, stream=sink)
    yield sink
    logs.configure()


def test_lines_go_to_stderr_as_it_is_when_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run in-process (the CLI's tests, a test runner) swaps stderr between lines:
    a line after the first stream was closed goes to the new one instead of failing."""
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    logs.configure(json=True)
    logs.get_logger("test").info("first.line")
    first.close()
    monkeypatch.setattr(sys, "stderr", second)
    logs.get_logger("test").info("second.line")
    assert [json.loads(line)["event"] for line in second.getvalue().splitlines()] == ["second.line"]
    monkeypatch.undo()
    logs.configure()


def events(sink: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in sink.getvalue().splitlines() if line.startswith("{")]


def test_a_refused_billy_key_is_logged_once_with_shop_order_and_call_but_not_the_key(
    harness: Harness, rendered: io.StringIO
) -> None:
    h = harness
    with h.rt.db.session() as session:
        shop = shops.get_shop(session, h.shop_id)
        assert shop is not None
        shops.set_billy_key(shop, CANARY, h.rt.box)
    h.push("order", order("1"))
    h.settle()

    assert CANARY not in rendered.getvalue()
    failed = [e for e in events(rendered) if e["event"] == "transfer.failed"]
    assert len(failed) == 1, rendered.getvalue()
    [line] = failed
    assert (line["shop"], line["order"], line["error_kind"]) == (h.shop_id, "1", "configuration")
    assert line["billy_status"] == 401 and str(line["billy_call"]).startswith("GET /")
    assert line["level"] == "error" and line["timestamp"]
    assert h.transfer(key="1")["state"] == "failed"


def test_five_503s_are_logged_once_each_and_the_transfer_retry_once(
    harness: Harness, rendered: io.StringIO
) -> None:
    h = harness
    h.emu.faults.add(method="POST", path="/v2/invoices", kind="status", status=503, times=5)
    h.push("order", order("1"))
    h.settle()

    assert CANARY not in rendered.getvalue() and h.token not in rendered.getvalue()
    lines = events(rendered)
    calls = [e for e in lines if e["event"] == "billy.call_failed"]
    assert [(e["billy_call"], e["billy_status"]) for e in calls] == [("POST /invoices", 503)] * 5, (
        rendered.getvalue()
    )
    assert all((e["shop"], e["order"]) == (h.shop_id, "1") for e in calls)
    retries = [e for e in lines if e["event"] == "transfer.retry"]
    attempts = [e["attempt"] for e in retries]
    assert retries and attempts == sorted(set(attempts)), "one line per attempt"
    assert all(e["error_kind"] == "transient" and e["order"] == "1" for e in retries)
    assert not [e for e in lines if e["event"] == "transfer.failed"]
    assert h.transfer(key="1")["state"] == "paid"


def test_a_field_named_like_a_secret_is_blanked(rendered: io.StringIO) -> None:
    logs.get_logger("test").warning("shop.saved", shop=1, billy_key=CANARY, api_token=CANARY)
    [line] = events(rendered)
    assert CANARY not in rendered.getvalue()
    assert line["billy_key"] == logs.REDACTED and line["shop"] == 1
