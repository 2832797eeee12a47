"""The embedded service (`billysync serve`) and its first-minute demo.

Embedded means one process: the web, the workers and the schedules over one SQLite file.
With no Billy key configured (or `--demo`), it also starts the built-in Billy and
Shoporama emulators on local ports and sets up a demo shop connected to both, with a few
orders arriving per minute, so a new user sees orders flow with no account anywhere.

The demo's Billy lives in memory: each start begins a fresh demo shop (the previous demo
shop and its history are removed; real shops are never touched).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from billysync.billy.client import BillyClient
from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.server import start_background_server as start_billy
from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.emulators.shoporama.server import start_background_server as start_shoporama
from billysync.mapping.markers import DISCOUNT_PRODUCT_NO, SHIPPING_PRODUCT_NO
from billysync.store import shops
from billysync.sync.runtime import Runtime

DEMO_BILLY_TOKEN = "demo-billy-organization"  # the emulator's, not a real Billy key
DEMO_SHOP_TOKEN = "demo-shoporama-token"
ORDERS_PER_MINUTE = 4.0


@dataclass
class DemoWorld:
    """The emulators and the demo shop, and how to stop them."""

    shop_id: int
    billy_url: str
    shoporama_url: str
    shoporama: ShoporamaEmulator
    _stops: list[Any] = field(default_factory=list)
    _halt: threading.Event = field(default_factory=threading.Event)

    def start_activity(self, orders_per_minute: float = ORDERS_PER_MINUTE) -> None:
        """New orders, payments, shipments and returns in the shop, in wall-clock time."""

        def run() -> None:
            pause = 60.0 / orders_per_minute
            self.shoporama.generate_order()
            self.shoporama.tick(new_orders=False)
            while not self._halt.wait(pause):
                self.shoporama.tick()

        thread = threading.Thread(target=run, name="demo-shop-activity", daemon=True)
        thread.start()

    def stop(self) -> None:
        self._halt.set()
        for stop in reversed(self._stops):
            stop()


def _marker(process: ProcessSettings) -> Path:
    return process.data_dir / "demo-shop-id"


def wants_demo(rt: Runtime, demo: bool | None) -> bool:
    if demo is not None:
        return demo
    if rt.process.demo is not None:
        return rt.process.demo
    demo_id = _read_marker(rt.process)
    with rt.db.session() as session:
        real = [s for s in shops.list_shops(session) if s.id != demo_id and s.billy_key_secret]
    return not real


def _read_marker(process: ProcessSettings) -> int | None:
    path = _marker(process)
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def start_demo(rt: Runtime, *, public_url: str) -> DemoWorld:
    """Start both emulators and set up a fresh demo shop that talks to them."""
    old = _read_marker(rt.process)
    if old is not None:
        with rt.db.session() as session:
            shop = shops.get_shop(session, old)
            if shop is not None:
                shops.delete_shop(session, shop)

    billy = BillyEmulator()
    billy.add_organization(token=DEMO_BILLY_TOKEN, name="Demo Webshop ApS")
    billy_root, stop_billy = start_billy(billy)
    billy_url = billy_root + "/v2"

    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Demo shop (Shoporama)", platform="shoporama")
        shop_id = shop.id
    _marker(rt.process).parent.mkdir(parents=True, exist_ok=True)
    _marker(rt.process).write_text(str(shop_id))

    webhook_secret = secrets.token_hex(16)
    shoporama = ShoporamaEmulator(
        seed=shop_id,
        token=DEMO_SHOP_TOKEN,
        webhook_url=f"{public_url}/hooks/shoporama/{shop_id}",
        webhook_secret=webhook_secret,
        clock=lambda: datetime.now(UTC),  # the demo shop lives in real time
    )
    shop_root, stop_shop = start_shoporama(shoporama)

    with BillyClient(DEMO_BILLY_TOKEN, base_url=billy_url) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
        shipping = client.products.create(_special("Fragt", SHIPPING_PRODUCT_NO, accounts[1115]))
        discount = client.products.create(_special("Rabat", DISCOUNT_PRODUCT_NO, accounts[1110]))
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        shops.set_billy_key(shop, DEMO_BILLY_TOKEN, rt.box)
        shop.billy_base_url = billy_url
        shop.billy_org_name = "Demo Webshop ApS"
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id = shipping.id
        shop.discount_product_id = discount.id
        shop.trigger = "paid"
        shop.post_payments = True
        shop.payment_account_id = accounts[5710]
        shop.order_prefix = "DEMO-"
        shops.set_shop_connection(
            shop,
            rt.box,
            base_url=shop_root,
            token=DEMO_SHOP_TOKEN,
            webhook_secret=webhook_secret,
        )
    world = DemoWorld(shop_id, billy_url, shop_root, shoporama)
    world._stops += [stop_billy, stop_shop, shoporama.close]
    return world


def _special(name: str, number: str, account_id: str) -> dict[str, Any]:
    return {
        "name": name,
        "productNo": number,
        "accountId": account_id,
        "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
    }


def run_embedded(*, host: str | None, port: int | None, demo: bool | None) -> None:
    """`billysync serve`: everything in one process until Ctrl-C."""
    from billysync.stopping import exit_now, interrupt_on_sigterm
    from billysync.sync.engine import Engine, options_from_settings
    from billysync.web import serving
    from billysync.web.app import create_app

    process = ProcessSettings()
    host = host or process.host
    port = port or process.port
    rt = Runtime.from_settings(process)
    rt.db.migrate()
    public_url = process.public_url or f"http://{host}:{port}"
    world = start_demo(rt, public_url=public_url) if wants_demo(rt, demo) else None
    # On PostgreSQL, workers and other serve processes may share the work: take part in the
    # heartbeats, so a dead one's work is taken over (docs: README, distributed mode).
    takeover = process.takeover_after_seconds if process.is_postgres else None
    options = options_from_settings(process, "embedded", takeover_after=takeover)
    engine = Engine(rt, options).start()
    app = create_app(rt)
    print(f"\nbillysync is running: open {public_url}/", flush=True)
    if process.admin_password:
        print("Log in with the admin password from BILLYSYNC_ADMIN_PASSWORD.", flush=True)
    else:
        print(
            "The first visit asks you to choose the admin password, with the setup code "
            "printed above (once, while no password exists).",
            flush=True,
        )
    if world is not None:
        print(
            f"Demo: shop {world.shop_id} is connected to the built-in Billy ({world.billy_url}) "
            f"and Shoporama ({world.shoporama_url}) emulators; orders arrive every few seconds.",
            flush=True,
        )
        world.start_activity()
    print("Stop with Ctrl-C.\n", flush=True)
    interrupt_on_sigterm()  # so that the engine's graceful stop below runs on SIGTERM too
    try:
        server = serving.uvicorn_server(
            app, host, port, timeout_graceful_shutdown=max(1, int(process.stop_grace_seconds))
        )
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        # The web is closed first (no new orders come in), then running work finishes.
        print("Stopping: running work may finish …", flush=True)
        engine.stop()
        if world is not None:
            world.stop()
        print("Stopped.", flush=True)
    exit_now()
