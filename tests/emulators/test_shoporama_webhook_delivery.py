"""The emulator delivers signed webhooks to a real local HTTP receiver, retrying failures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.shop.shoporama.webhooks import parse_event, signature_from_headers, verify_signature

SECRET = "whsec-test-51"
FAST = (0.01, 0.02, 0.05)  # retry delays short enough for a unit test


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook endpoint: records every POST, answers `failures` 500s first, then 200."""

    url: str = ""
    failures: int = 0
    always_fail: bool = False
    calls: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, received: Received) -> int:
        with self.lock:
            self.calls.append(received)
            if self.always_fail or self.failures > 0:
                self.failures -= 1
                return 500
            return 200

    @property
    def accepted(self) -> list[Received]:
        return [c for c in self.calls if c.path != "failed"]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = state.answer(Received(self.path, dict(self.headers.items()), body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/shoporama/1"
    yield state
    server.shutdown()
    server.server_close()


def emulator_for(receiver: Receiver, **kwargs: object) -> ShoporamaEmulator:
    return ShoporamaEmulator(
        seed=4,
        webhook_url=receiver.url,
        webhook_secret=SECRET,
        webhook_retry_delays=FAST,
        **kwargs,  # type: ignore[arg-type]
    )


def test_deliveries_are_signed_and_name_their_object(receiver: Receiver) -> None:
    shop = emulator_for(receiver)
    order = shop.generate_order(payment="card")
    assert shop.wait_for_webhooks()
    shop.close()
    assert len(receiver.calls) == 2
    for call in receiver.calls:
        signature = signature_from_headers(call.headers)
        assert verify_signature(call.body, signature, SECRET)
        assert not verify_signature(call.body, signature, "another secret")
        assert call.headers["Content-Type"] == "application/json"
        event = parse_event(call.body)
        assert (event.object_type, event.object_id) == ("order", str(order["order_id"]))
    assert [parse_event(c.body).name for c in receiver.calls] == ["order_created", "paid"]
    assert [d.state for d in shop.deliveries] == ["delivered", "delivered"]


def test_a_failed_delivery_is_retried(receiver: Receiver) -> None:
    receiver.failures = 2
    shop = emulator_for(receiver)
    shop.generate_order(payment="invoice", kind="company")  # one event: order_created
    assert shop.wait_for_webhooks()
    shop.close()
    (delivery,) = shop.deliveries
    assert [a.status for a in delivery.attempts] == [500, 500, 200]
    assert delivery.state == "delivered"
    assert len(receiver.calls) == 3
    assert len({c.body for c in receiver.calls}) == 1  # the same bytes each time
    assert len({parse_event(c.body).dedupe_key for c in receiver.calls}) == 1


def test_delivery_is_given_up_after_the_last_retry(receiver: Receiver) -> None:
    receiver.always_fail = True
    shop = emulator_for(receiver)
    shop.generate_order(payment="invoice", kind="company")
    assert shop.wait_for_webhooks()
    shop.close()
    (delivery,) = shop.deliveries
    assert delivery.state == "failed"
    assert len(delivery.attempts) == len(FAST) + 1 == len(receiver.calls)


def test_an_unreachable_receiver_counts_as_a_failure() -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    shop = ShoporamaEmulator(
        seed=4,
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_secret=SECRET,
        webhook_retry_delays=(0.01,),
    )
    shop.generate_order(payment="invoice", kind="company")
    assert shop.wait_for_webhooks()
    shop.close()
    (delivery,) = shop.deliveries
    assert delivery.state == "failed"
    assert [a.status for a in delivery.attempts] == [None, None]
    assert all(a.error for a in delivery.attempts)


def test_a_dropped_delivery_is_not_delivered(receiver: Receiver) -> None:
    shop = emulator_for(receiver)
    shop.drop_next_webhook()
    order = shop.generate_order(payment="card")  # order_created (dropped), then paid
    assert shop.wait_for_webhooks()
    shop.close()
    assert [(d.event, d.state) for d in shop.deliveries] == [
        ("order_created", "dropped"),
        ("paid", "delivered"),
    ]
    assert [parse_event(c.body).name for c in receiver.calls] == ["paid"]
    assert parse_event(receiver.calls[0].body).object_id == str(order["order_id"])


def test_every_delivery_can_be_dropped(receiver: Receiver) -> None:
    shop = emulator_for(receiver, webhook_drop_probability=1.0)
    shop.advance(10)
    assert shop.wait_for_webhooks()
    shop.close()
    assert shop.deliveries and {d.state for d in shop.deliveries} == {"dropped"}
    assert receiver.calls == []


def test_a_duplicate_delivery_has_the_same_dedupe_key(receiver: Receiver) -> None:
    shop = emulator_for(receiver)
    shop.duplicate_next_webhook()
    order = shop.generate_order(payment="invoice", kind="company")
    assert shop.wait_for_webhooks()
    shop.ship_order(order["order_id"])  # a later change of the same order
    assert shop.wait_for_webhooks()
    shop.close()
    keys = [parse_event(c.body).dedupe_key for c in receiver.calls]
    assert len(keys) == 3
    assert keys[0] == keys[1]  # the duplicate
    assert keys[2] != keys[0]  # the later change
    assert shop.deliveries[1].duplicate_of == shop.deliveries[0].number


def test_the_signature_header_name_is_configurable(receiver: Receiver) -> None:
    shop = emulator_for(receiver, signature_header="X-Webhook-Signature")
    shop.generate_order(payment="invoice", kind="company")
    assert shop.wait_for_webhooks()
    shop.close()
    (call,) = receiver.calls
    assert signature_from_headers(call.headers) is None
    assert verify_signature(
        call.body, signature_from_headers(call.headers, "x-webhook-signature"), SECRET
    )


def test_no_webhook_url_means_no_deliveries() -> None:
    shop = ShoporamaEmulator(seed=4)
    shop.advance(5)
    assert shop.wait_for_webhooks()
    assert shop.deliveries == [] and shop.events
