"""Secrets are never rendered back: canaries planted in every secret field, every page grepped.

The Billy key, the Shoporama token and the webhook secret each get a unique canary value;
every page a merchant can open (and the API's documentation) is fetched and searched for the
whole canary and for any 8-character piece of it beyond the last four characters.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from test_pages import configure_shop

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.store import shops
from billysync.store.tables import Transfer
from billysync.sync.runtime import Runtime
from tests.support.web_helpers import add_shop

BILLY_KEY = "CANARYbillyKEY-9f8e7d6c5b4a-K3Y1"
SHOP_TOKEN = "CANARYshopTOKEN-1a2b3c4d5e6f-T0K2"
WEBHOOK_SECRET = "CANARYwebhookSECRET-0a9b8c7d-S3C3"


def _pieces(secret: str) -> list[str]:
    # Everything but the last four characters, in windows of eight.
    head = secret[:-4]
    return [head[i : i + 8] for i in range(len(head) - 7)]


def _pages(shop_id: int) -> list[str]:
    base = f"/shops/{shop_id}"
    return [
        "/shops",
        f"{base}/settings",
        f"{base}/check",
        f"{base}/orders",
        f"{base}/orders?state=failed",
        f"{base}/orders/o-1",
        f"{base}/failed",
        f"{base}/products",
        f"{base}/preview",
        f"{base}/preview?order=o-1",
        f"{base}/remove",
        f"{base}/token",
        "/openapi.json",
    ]


def test_no_page_ever_shows_a_secret(
    admin: tuple[TestClient, str], rt: Runtime, billy: BillyEmulator
) -> None:
    client, csrf = admin
    shop_id, _ = add_shop(client, csrf, "Canary shop", "shoporama")
    configure_shop(rt, billy, shop_id, key=BILLY_KEY)
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_shop_connection(
            shop,
            rt.box,
            base_url="https://www.shoporama.dk/REST",
            token=SHOP_TOKEN,
            webhook_secret=WEBHOOK_SECRET,
        )
        session.add(
            Transfer(
                shop_id=shop_id,
                kind="order",
                object_key="o-1",
                number="1",
                state="failed",
                reason="no contact",
            )
        )
    fetched = {url: client.get(url) for url in _pages(shop_id)}
    # A failed save and a one-click product also render the page: no secret there either.
    fetched["POST settings"] = client.post(
        f"/shops/{shop_id}/settings",
        data={"csrf_token": csrf, "trigger": "never", "lists_shown": "1"},
    )
    fetched["POST product"] = client.post(
        f"/shops/{shop_id}/settings/product", data={"csrf_token": csrf, "kind": "shipping"}
    )
    fetched["POST connection"] = client.post(
        f"/shops/{shop_id}/settings/connection",
        data={"csrf_token": csrf, "signature_header": "bad header"},
    )
    for url, answer in fetched.items():
        assert answer.status_code in (200, 400), (url, answer.status_code)
        for secret in (BILLY_KEY, SHOP_TOKEN, WEBHOOK_SECRET):
            for piece in _pieces(secret):
                assert piece not in answer.text, (url, piece)
            assert not re.search("CANARY", answer.text), url
    settings = fetched[f"/shops/{shop_id}/settings"].text
    # What may be shown: the last four characters, to recognise which one is saved.
    assert "K3Y1" in settings and "T0K2" in settings and "S3C3" in settings
