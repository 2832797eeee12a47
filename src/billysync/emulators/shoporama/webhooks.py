"""Webhook delivery as Shoporama describes it: signed, queued, retried, logged.

Each event becomes a POST of `{"event": <name>, "webshop_id": 1, "data": <the object>}`
(envelope INFERRED: Shoporama's text stops before it) with `Content-Type:
application/json` and the HMAC-SHA256 of the raw body, hex, in the signature header.
A background thread sends them; a failed delivery (transport error or non-2xx) is tried
again after each of `retry_delays` seconds, then given up. Failures do not hold up the
queue, so a retried event may arrive after a later one, as with any real queue.

For tests: `drop_next()` (or a drop probability) loses a delivery on purpose, and
`duplicate_next()` (or a probability) sends the same bytes twice. Every delivery, sent
or not, is in `deliveries` with its attempts.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import json
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx2

DeliveryState = Literal["pending", "delivered", "failed", "dropped"]
DEFAULT_RETRY_DELAYS = (0.05, 0.2, 0.5, 1.0, 2.0)


@dataclass
class Attempt:
    status: int | None  # the receiver's status, None when it could not be reached
    error: str | None = None


@dataclass
class Delivery:
    number: int
    event: str
    object_id: int
    body: bytes
    signature: str | None
    state: DeliveryState = "pending"
    duplicate_of: int | None = None
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def payload(self) -> dict[str, Any]:
        decoded: dict[str, Any] = json.loads(self.body)
        return decoded


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSender:
    def __init__(
        self,
        *,
        url: str | None,
        secret: str | None,
        signature_header: str,
        rng: random.Random,
        retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS,
        drop_probability: float = 0.0,
        duplicate_probability: float = 0.0,
    ) -> None:
        self.url = url
        self.secret = secret
        self.signature_header = signature_header
        self.retry_delays = retry_delays
        self.drop_probability = drop_probability
        self.duplicate_probability = duplicate_probability
        self.deliveries: list[Delivery] = []
        self._rng = rng  # a separate stream: faults must not change the shop's activity
        self._drop_next = 0
        self._duplicate_next = 0
        self._queue: list[tuple[float, int, Delivery]] = []
        self._busy = 0
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._stopped = False
        self._http = httpx2.Client(timeout=5, headers={"User-Agent": "Shoporama-Webhook/emulator"})

    def drop_next(self, count: int = 1) -> None:
        with self._cond:
            self._drop_next += count

    def duplicate_next(self, count: int = 1) -> None:
        with self._cond:
            self._duplicate_next += count

    def send(self, event: str, object_id: int, data: dict[str, Any]) -> None:
        """Queue one event (nothing happens when no webhook URL is set)."""
        if not self.url:
            return
        body = json.dumps({"event": event, "webshop_id": 1, "data": data}).encode()
        signature = sign(body, self.secret) if self.secret else None
        with self._cond:
            delivery = self._new(event, object_id, body, signature)
            if self._drop_next or self._rng.random() < self.drop_probability:
                self._drop_next = max(0, self._drop_next - 1)
                delivery.state = "dropped"
                return
            self._enqueue(delivery)
            if self._duplicate_next or self._rng.random() < self.duplicate_probability:
                self._duplicate_next = max(0, self._duplicate_next - 1)
                twin = self._new(event, object_id, body, signature)
                twin.duplicate_of = delivery.number
                self._enqueue(twin)
            self._start()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery is delivered or given up; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._http.close()

    # --- inside --------------------------------------------------------------------------
    def _new(self, event: str, object_id: int, body: bytes, signature: str | None) -> Delivery:
        delivery = Delivery(len(self.deliveries) + 1, event, object_id, body, signature)
        self.deliveries.append(delivery)
        return delivery

    def _enqueue(self, delivery: Delivery, delay: float = 0.0) -> None:
        heapq.heappush(self._queue, (time.monotonic() + delay, delivery.number, delivery))
        self._cond.notify_all()

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._run, name="shoporama-webhooks", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and (
                    not self._queue or self._queue[0][0] > time.monotonic()
                ):
                    wait = self._queue[0][0] - time.monotonic() if self._queue else None
                    self._cond.wait(wait)
                if self._stopped:
                    return
                _, _, delivery = heapq.heappop(self._queue)
                self._busy += 1
            attempt = self._post(delivery)
            with self._cond:
                delivery.attempts.append(attempt)
                ok = attempt.status is not None and 200 <= attempt.status < 300
                if ok:
                    delivery.state = "delivered"
                elif len(delivery.attempts) <= len(self.retry_delays):
                    self._enqueue(delivery, self.retry_delays[len(delivery.attempts) - 1])
                else:
                    delivery.state = "failed"
                self._busy -= 1
                self._cond.notify_all()

    def _post(self, delivery: Delivery) -> Attempt:
        assert self.url is not None
        headers = {"Content-Type": "application/json"}
        if delivery.signature is not None:
            headers[self.signature_header] = delivery.signature
        try:
            response = self._http.post(self.url, content=delivery.body, headers=headers)
        except httpx2.HTTPError as exc:
            return Attempt(None, f"{type(exc).__name__}: {exc}")
        return Attempt(response.status_code)
