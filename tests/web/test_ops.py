"""`/healthz` for a load balancer, `/metrics` for Prometheus, and HSTS on https."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.store import billy_budgets, shops, transfers
from billysync.store.db import Database
from billysync.store.tables import InboxEvent, utcnow
from billysync.sync.billy_calls import BILLY_CALLS
from billysync.sync.runtime import Runtime
from billysync.web.app import create_app
from tests.support.web_helpers import (
    PUBLIC_URL,
    add_shop,
    client_for,
    log_in,
    make_runtime,
    set_password,
)

TOKEN = "metrics-token-for-the-tests-0123456789"
WEBHOOK_SECRET = "whsec-metrics-secret"
SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?P<labels>\{[^}]*\})? (?P<value>[0-9.e+-]+)$")


def _samples(text: str) -> dict[str, float]:
    """`name{labels}` → value, for every sample line; fails on a line that is neither."""
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("# HELP ") or line.startswith("# TYPE "):
            continue
        match = SAMPLE.match(line)
        assert match, f"not Prometheus text: {line!r}"
        samples[match["name"] + (match["labels"] or "")] = float(match["value"])
    return samples


@pytest.fixture
def metered(database_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, Runtime]]:
    settings = ProcessSettings(
        data_dir=tmp_path, database_url=database_url, public_url=PUBLIC_URL, metrics_token=TOKEN
    )
    rt = Runtime.from_settings(settings)
    rt.db.migrate()
    set_password(rt)
    with TestClient(create_app(rt), base_url="https://testserver") as client:
        yield client, rt
    rt.db.dispose()


def test_healthz_answers_while_the_database_does(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    with client_for(rt) as client:
        answer = client.get("/healthz")
        assert answer.status_code == 200 and answer.json() == {"ok": True}
        assert client.head("/healthz").status_code == 200
        # The database goes away (a port nobody listens on): the balancer must hear it.
        rt.db = Database("postgresql://billysync@127.0.0.1:1/gone")
        down = client.get("/healthz")
        assert down.status_code == 503 and down.json() == {"ok": False}
        assert client.head("/healthz").status_code == 503
        assert "127.0.0.1" not in down.text and "billysync@" not in down.text
    rt.db.dispose()


def test_metrics_are_off_without_a_token_and_need_the_token(
    metered: tuple[TestClient, Runtime], tmp_path: Path
) -> None:
    client, rt = metered
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    ok = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.headers["content-type"].startswith("text/plain")
    # A logged-in admin session is no key to the metrics either.
    log_in(client)
    assert client.get("/metrics").status_code == 401
    # The settings never show it (a settings object in a log or a traceback).
    assert TOKEN not in repr(rt.process) and TOKEN not in str(rt.process.model_dump())
    with pytest.raises(ValueError, match="at least 24 characters"):
        ProcessSettings(metrics_token="short")
    unset = make_runtime(tmp_path / "other")
    with client_for(unset) as without:
        answer = without.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert answer.status_code == 404 and "BILLYSYNC_METRICS_TOKEN" in answer.text
    unset.db.dispose()


def test_metrics_count_the_work_and_show_no_secret(metered: tuple[TestClient, Runtime]) -> None:
    client, rt = metered
    csrf = log_in(client)
    shop_id, api_token = add_shop(client, csrf, "Hemmelig Butik", "shoporama")
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_shop_connection(shop, rt.box, webhook_secret=WEBHOOK_SECRET)
    for order_id in (1, 2):
        body = json.dumps({"event": "paid", "data": {"order_id": order_id}}).encode()
        signature = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        hook = client.post(
            f"/hooks/shoporama/{shop_id}",
            content=body,
            headers={"X-Shoporama-Signature": signature},
        )
        assert hook.status_code == 202
    with rt.db.session() as session:
        # One event waited 90 seconds, one was worked already.
        first, second = session.query(InboxEvent).order_by(InboxEvent.id).all()
        first.received_at = utcnow() - timedelta(seconds=90)
        second.state = "processed"
        for key, state in (("1", "failed"), ("2", "paid"), ("3", "paid")):
            transfers.ensure_transfer(session, shop_id, "order", key).state = state

    answer = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    samples = _samples(answer.text)
    assert samples[f'billysync_events_received_total{{shop="{shop_id}",source="webhook"}}'] == 2
    assert samples[f'billysync_transfers{{shop="{shop_id}",kind="order",state="paid"}}'] == 2
    assert samples[f'billysync_transfers{{shop="{shop_id}",kind="order",state="failed"}}'] == 1
    assert samples["billysync_queue_depth"] == 1
    assert 90 <= samples["billysync_queue_oldest_age_seconds"] < 3600
    assert "billysync_billy_calls_total" in samples
    assert "billysync_billy_rate_limited_total" in samples
    assert samples["billysync_billy_all_calls_total"] == 0  # no process called Billy yet
    assert samples["billysync_billy_all_rate_limited_total"] == 0
    for secret in (TOKEN, api_token, WEBHOOK_SECRET, "Hemmelig Butik"):
        assert secret not in answer.text


def test_billy_calls_and_429s_are_counted_where_clients_are_built(tmp_path: Path) -> None:
    answers = iter(
        [
            httpx2.Response(429, headers={"Retry-After": "0"}, json={"errorMessage": "slow"}),
            httpx2.Response(200, json={"organization": {"id": "org1", "name": "Org"}}),
        ]
    )
    rt = make_runtime(
        tmp_path, billy_transport=httpx2.MockTransport(lambda _request: next(answers))
    )
    seen: list[object] = []
    before = BILLY_CALLS.snapshot()
    with rt.billy_client_for_key("a-billy-key", call_observer=seen.append) as billy:
        billy.organization.get()
    after = BILLY_CALLS.snapshot()
    assert after.calls - before.calls == 2 and after.rate_limited - before.rate_limited == 1
    assert len(seen) == 2  # the caller's own observer still sees every call
    # Every process's 429s are in the shared budget at once, with the calls made before them
    # (the one after is reported with the next lease).
    with rt.db.session() as session:
        assert billy_budgets.totals(session) == billy_budgets.BudgetTotals(calls=1, rejections=1)
    rt.db.dispose()


def test_hsts_only_when_the_public_url_is_https(tmp_path: Path) -> None:
    rt = make_runtime(tmp_path)
    with client_for(rt) as client:
        for url in ("/login", "/healthz", "/api/v1/orders/x"):
            assert client.get(url).headers["strict-transport-security"] == "max-age=31536000"
    rt.process.public_url = "http://127.0.0.1:8000"
    with TestClient(create_app(rt)) as plain:
        assert "strict-transport-security" not in plain.get("/login").headers
    rt.db.dispose()
