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
from tests.support.billy_setup import choose, make_choices

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
        return submit(self.rt, shop_id or self.shop_id, kind, obj)

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


def submit(rt: Runtime, shop_id: int, kind: str, obj: Order | Return | Product) -> int:
    """`obj` received as the JSON API receives it (deduplicated by its content); the event's
    id."""
    payload = obj.model_dump_json()
    received = service.submit(
        rt,
        service.Event(
            shop_id=shop_id,
            source=service.EventSource.API,
            name=f"{kind}.updated",
            object_type=kind,
            object_key=obj.key,
            dedupe_key=hashlib.sha256(payload.encode()).hexdigest(),
            payload=payload,
        ),
    )
    return received.event_id


def make_shop(
    rt: Runtime,
    emu: BillyEmulator,
    token: str,
    name: str,
    billy_url: str = "http://billy.test/v2",
) -> tuple[int, dict[int, str]]:
    """A new organization in `emu` and a shop set up on it, reaching Billy at `billy_url`
    (the emulator in this process by default, or its server); (shop id, accounts)."""
    emu.add_organization(token=token, name=f"{name} ApS")
    client = BillyClient(token, base_url="http://billy.test/v2", transport=emu.transport())
    choices = make_choices(client, shipping_account=1115)
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name=name)
        shops.set_billy_key(shop, token, rt.box)
        shop.billy_base_url = billy_url
        choose(shop, choices, payment_account=5710)
        shop.order_prefix = ""
        return shop.id, choices.accounts
