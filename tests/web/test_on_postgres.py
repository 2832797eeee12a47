"""The web side on real PostgreSQL (distributed mode): the same queries as on SQLite.

Receiving through the JSON API and a webhook, the overview's date and state filters, and a
document chain, on a fresh PostgreSQL database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from billysync.config import ProcessSettings
from billysync.store import shops, transfers
from billysync.store.tables import InboxEvent
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import PUBLIC_URL, add_shop, client_for, log_in, seen, set_password

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_admin(postgres_url: str, tmp_path: Path) -> Iterator[tuple[TestClient, str, Runtime]]:
    process = ProcessSettings(data_dir=tmp_path, database_url=postgres_url, public_url=PUBLIC_URL)
    rt = Runtime.from_settings(process)
    rt.db.migrate()
    set_password(rt)
    with client_for(rt) as client:
        yield client, log_in(client), rt
    rt.db.dispose()


def test_receiving_and_the_overview_on_postgres(pg_admin: tuple[TestClient, str, Runtime]) -> None:
    client, csrf, rt = pg_admin
    shop_id, token = add_shop(client, csrf, "PG-butik", "shoporama")
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_shop_connection(shop, rt.box, webhook_secret="pg-secret")
    order = {
        "key": "PG-1",
        "number": "3001",
        "created_at": "2025-03-04T14:05:49+01:00",
        "customer": {"key": "c", "name": "Ane"},
        "lines": [{"item_number": "X", "name": "X", "quantity": 1, "unit_price": 10}],
        "total": 10,
    }
    auth = {"Authorization": f"Bearer {token}"}
    assert client.put("/api/v1/orders/PG-1", json=order, headers=auth).status_code == 202
    assert client.put("/api/v1/orders/PG-1", json=order, headers=auth).status_code == 200
    body = json.dumps({"event": "paid", "data": {"order_id": 77}}).encode()
    signature = hmac.new(b"pg-secret", body, hashlib.sha256).hexdigest()
    hook = client.post(
        f"/hooks/shoporama/{shop_id}", content=body, headers={"X-Shoporama-Signature": signature}
    )
    assert hook.status_code == 202
    with rt.db.session() as session:
        assert session.query(InboxEvent).count() == 2
        row = transfers.ensure_transfer(session, shop_id, "order", "PG-1")  # the push made it
        row.number, row.state, row.amount_ore, row.currency = "3001", "paid", 1000, "DKK"
        row.order_date = datetime(2025, 3, 4, 13, 5, tzinfo=UTC)
    in_range = seen(
        client.get(
            f"/shops/{shop_id}/orders",
            params={"since": "2025-03-04", "until": "2025-03-04", "state": "paid", "q": "300"},
        )
    )
    assert "3001" in in_range.split('id="orders"')[1] and "10.00 DKK" in in_range
    before = seen(client.get(f"/shops/{shop_id}/orders", params={"until": "2025-03-03"}))
    assert "3001" not in before.split('id="orders"')[1]
    assert "3001" in seen(client.get(f"/shops/{shop_id}/orders/PG-1"))
