"""A shop wired to the Billy emulator, for engine tests: push events, wait, read Billy's ledger."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from billysync.billy.client import BillyClient
from billysync.emulators.billy import BillyEmulator
from billysync.shop.models import Order, Product, Return
from billysync.store import shops
from billysync.sync import service
from billysync.sync.engine import Engine, dispatch_pending
from billysync.sync.runtime import Runtime

TOKEN = "shop-a-billy-token-0001"


@dataclass
class Harness:
    emu: BillyEmulator
    rt: Runtime
    engine: Engine
    shop_id: int
    token: str
    accounts: dict[int, str]

    def billy(self) -> BillyClient:
        return BillyClient(
            self.token, base_url="http://billy.test/v2", transport=self.emu.transport()
        )

    def push(self, kind: str, obj: Order | Return | Product, *, shop_id: int | None = None) -> int:
        payload = obj.model_dump_json()
        received = service.submit(
            self.rt,
            service.Event(
                shop_id=shop_id or self.shop_id,
                source=service.EventSource.API,
                name=f"{kind}.updated",
                object_type=kind,
                object_key=obj.key,
                dedupe_key=hashlib.sha256(payload.encode()).hexdigest(),
                payload=payload,
            ),
        )
        return received.event_id

    def settle(self) -> None:
        """Run until idle, doing the dispatcher's part (stored events nobody enqueued yet)."""
        for _ in range(20):
            assert self.engine.wait_idle(timeout=120), "the engine did not finish in 120 s"
            if dispatch_pending(self.rt, older_than=0) == 0:
                return
        raise AssertionError("events kept arriving: the engine never settled")

    def configure(self, shop_id: int | None = None, **fields: object) -> None:
        with self.rt.db.session() as session:
            shop = shops.get_shop(session, shop_id or self.shop_id)
            assert shop is not None
            for name, value in fields.items():
                setattr(shop, name, value)

    def transfer(self, shop_id: int | None = None, kind: str = "order", key: str = "") -> dict:
        from billysync.store import transfers

        with self.rt.db.session() as session:
            row = transfers.get_transfer(session, shop_id or self.shop_id, kind, key)
            assert row is not None, f"no transfer for {kind} {key}"
            return {
                c: getattr(row, c)
                for c in ("state", "reason", "error_kind", "invoice_no", "amount_ore", "invoice_id")
            }


def make_shop(rt: Runtime, emu: BillyEmulator, token: str, name: str) -> tuple[int, dict[int, str]]:
    emu.add_organization(token=token, name=f"{name} ApS")
    client = BillyClient(token, base_url="http://billy.test/v2", transport=emu.transport())
    accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
    shipping = client.products.create(
        {
            "name": "Fragt",
            "productNo": "SHIPPING",
            "accountId": accounts[1115],
            "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
        }
    )
    discount = client.products.create(
        {
            "name": "Rabat",
            "productNo": "DISCOUNT",
            "accountId": accounts[1110],
            "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
        }
    )
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name=name)
        shops.set_billy_key(shop, token, rt.box)
        shop.billy_base_url = "http://billy.test/v2"
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id = shipping.id
        shop.discount_product_id = discount.id
        shop.trigger = "paid"
        shop.post_payments = True
        shop.payment_account_id = accounts[5710]
        shop.order_prefix = ""
        return shop.id, accounts
