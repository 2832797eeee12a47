"""`ShoporamaEmulator`: a Danish webshop on Shoporama, in one object.

    shop = ShoporamaEmulator(seed=1, webhook_url="http://127.0.0.1:8000/hooks/…",
                             webhook_secret="s3cret")
    client_transport = shop.transport()          # in-process, for httpx2
    url, stop = shop.start_background_server()   # or over real HTTP
    shop.generate_order(kind="company", payment="invoice")
    shop.advance(50)                             # fifty steps of shop life

It serves the REST resources (`rest`), sends signed webhooks (`webhooks`) for what
happens in the shop (`activity`), and counts calls per token per day so a client's
budget meets a real 429. Time is simulated (it moves on with every event, from
2025-03-03) unless a `clock` is given. One lock guards the shop: the HTTP server's
threads, the webhook thread and the test may all touch it.
"""

from __future__ import annotations

import copy
import random
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import httpx2

from billysync.emulators.shoporama.activity import (
    PaymentKind,
    ShopActivity,
    ShopClock,
    ShopEvent,
)
from billysync.emulators.shoporama.people import BuyerKind
from billysync.emulators.shoporama.rest import Answer, RestApi
from billysync.emulators.shoporama.webhooks import DEFAULT_RETRY_DELAYS, Delivery, WebhookSender

Payload = dict[str, Any]
DEMO_TOKEN = "demo-token"


class ShoporamaEmulator:
    def __init__(
        self,
        seed: int = 0,
        token: str = DEMO_TOKEN,
        webhook_url: str | None = None,
        webhook_secret: str | None = None,
        signature_header: str = "X-Shoporama-Signature",
        currency: str = "DKK",
        *,
        daily_limit: int = 1000,
        clock: Callable[[], datetime] | None = None,
        webhook_retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
        webhook_drop_probability: float = 0.0,
        webhook_duplicate_probability: float = 0.0,
    ) -> None:
        self._lock = threading.RLock()
        self.clock = ShopClock(clock)
        self.webhooks = WebhookSender(
            url=webhook_url,
            secret=webhook_secret,
            signature_header=signature_header,
            rng=random.Random(f"webhooks-{seed}"),
            retry_delays=webhook_retry_delays,
            drop_probability=webhook_drop_probability,
            duplicate_probability=webhook_duplicate_probability,
        )
        self.shop = ShopActivity(
            seed=seed, currency=currency, clock=self.clock, on_event=self._deliver
        )
        self.rest = RestApi(self.shop, token=token, daily_limit=daily_limit, now=self.clock.now)

    # --- configuration ------------------------------------------------------------------
    @property
    def token(self) -> str:
        return self.rest.token

    @property
    def daily_limit(self) -> int:
        return self.rest.daily_limit

    @daily_limit.setter
    def daily_limit(self, value: int) -> None:
        self.rest.daily_limit = value

    @property
    def calls_today(self) -> int:
        with self._lock:
            return self.rest.calls_today()

    def reset_calls(self) -> None:
        with self._lock:
            self.rest.calls.clear()

    def set_webhook(self, url: str | None, secret: str | None = None) -> None:
        self.webhooks.url = url
        self.webhooks.secret = secret

    def now(self) -> datetime:
        return self.clock.now()

    # --- shop life ------------------------------------------------------------------------
    def generate_order(
        self,
        *,
        kind: BuyerKind | None = None,
        payment: PaymentKind | None = None,
        currency: str | None = None,
        voucher: bool | None = None,
        gift_card: bool | None = None,
        lines: int | None = None,
        variants: bool | None = None,
    ) -> Payload:
        """A new order; every argument left out is drawn at random (from the seed)."""
        with self._lock:
            return self.shop.generate_order(
                kind=kind,
                payment=payment,
                currency=currency,
                voucher=voucher,
                gift_card=gift_card,
                lines=lines,
                variants=variants,
            )

    def pay_order(self, order_id: int) -> Payload:
        with self._lock:
            return self.shop.pay_order(order_id)

    def ship_order(self, order_id: int) -> Payload:
        with self._lock:
            return self.shop.ship_order(order_id)

    def cancel_order(self, order_id: int) -> Payload:
        with self._lock:
            return self.shop.cancel_order(order_id)

    def create_return(
        self, order_id: int, *, full: bool | None = None, refund_shipping: bool | None = None
    ) -> Payload:
        with self._lock:
            return self.shop.create_return(order_id, full=full, refund_shipping=refund_shipping)

    def change_price(self, product_id: int | None = None) -> Payload:
        with self._lock:
            return self.shop.change_price(product_id)

    def add_variant(self, product_id: int | None = None) -> Payload:
        with self._lock:
            return self.shop.add_variant(product_id)

    def tick(self, *, new_orders: bool = True) -> list[ShopEvent]:
        """The next thing that happens in the shop, and the events it produced."""
        with self._lock:
            return self.shop.tick(new_orders=new_orders)

    def advance(self, steps: int = 1) -> list[ShopEvent]:
        events: list[ShopEvent] = []
        for _ in range(steps):
            events.extend(self.tick())
        return events

    # --- what tests look at ---------------------------------------------------------------
    def orders(self) -> list[Payload]:
        with self._lock:
            return [copy.deepcopy(self.shop.orders[k]) for k in sorted(self.shop.orders)]

    def returns(self) -> list[Payload]:
        with self._lock:
            return [copy.deepcopy(self.shop.returns[k]) for k in sorted(self.shop.returns)]

    def products(self) -> list[Payload]:
        with self._lock:
            return [copy.deepcopy(self.shop.products[k]) for k in sorted(self.shop.products)]

    def customers(self) -> list[Payload]:
        with self._lock:
            return [copy.deepcopy(self.shop.customers[k]) for k in sorted(self.shop.customers)]

    @property
    def events(self) -> list[ShopEvent]:
        with self._lock:
            return list(self.shop.log)

    # --- webhooks -------------------------------------------------------------------------
    @property
    def deliveries(self) -> list[Delivery]:
        return list(self.webhooks.deliveries)

    def drop_next_webhook(self, count: int = 1) -> None:
        self.webhooks.drop_next(count)

    def duplicate_next_webhook(self, count: int = 1) -> None:
        self.webhooks.duplicate_next(count)

    def wait_for_webhooks(self, timeout: float = 10.0) -> bool:
        return self.webhooks.wait_idle(timeout)

    def _deliver(self, event: ShopEvent) -> None:
        self.webhooks.send(event.name, event.object_id, event.data)

    # --- serving --------------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> Answer:
        with self._lock:
            return self.rest.handle(method, path, query, headers)

    def transport(self) -> httpx2.BaseTransport:
        """An httpx2 transport that answers in-process, as the server would."""
        return _Transport(self)

    def start_background_server(
        self, host: str = "127.0.0.1", port: int = 0
    ) -> tuple[str, Callable[[], None]]:
        """Serve over HTTP in a thread; (base URL ending in /REST, stop)."""
        from billysync.emulators.shoporama.server import start_background_server

        return start_background_server(self, host=host, port=port)

    def close(self) -> None:
        self.webhooks.close()


class _Transport(httpx2.BaseTransport):
    def __init__(self, emulator: ShoporamaEmulator) -> None:
        self._emulator = emulator

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        request.read()
        answer = self._emulator.handle(
            request.method,
            request.url.path,
            dict(request.url.params),
            dict(request.headers),
        )
        return httpx2.Response(answer.status, headers=answer.headers, content=answer.body)
