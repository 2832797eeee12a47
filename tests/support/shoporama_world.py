"""The Shoporama connector's end-to-end world, and what Billy must hold when it is done.

`running_world` starts what `billysync serve --demo` starts (see demo.start_demo), but for a
test: the Billy emulator and the Shoporama emulator (each over its own HTTP server, or
in-process for the long budget run), a Shoporama shop connected to both, the engine in this
process, and billysync's web app under a real uvicorn that the shop's signed webhooks reach.

`ledger_problems` compares Billy's ledger (the emulator's own, not our database) with the
shop: the expectations are computed from the shop's payloads through
`billysync.shop.shoporama.mapper`, so they follow the fields module, not this file.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx2
import uvicorn

from billysync.billy.client import BillyClient
from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.emulators.billy.server import start_background_server as start_billy
from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.mapping.markers import contact_marker, order_marker, return_marker
from billysync.mapping.products import products_for
from billysync.mapping.settings import BillySettings
from billysync.money import round2
from billysync.shop.shoporama.mapper import (
    order_from_payload,
    product_from_payload,
    return_from_payload,
)
from billysync.store import inbox, polls, shops
from billysync.store.tables import ProductSyncState
from billysync.sync.engine import Engine, EngineOptions
from billysync.sync.runtime import AttemptBackoff, Runtime
from billysync.sync.settings import billy_settings
from billysync.web.app import create_app

BILLY_TOKEN = "e2e-billy-organization-0042"
SHOP_TOKEN = "e2e-shoporama-token-0042"
WEBHOOK_SECRET = "e2e-webhook-secret-0042"
PREFIX = "WEB-"
# Quick backoff, and attempts enough for the intent races of many orders at once.
FAST_RETRY = AttemptBackoff(attempts=14, first_delay=0.05, factor=2.0, max_delay=0.4)


def wait_until(
    check: Callable[[], bool],
    what: str | Callable[[], str],
    timeout: float = 60.0,
    progress: Callable[[], object] | None = None,
) -> None:
    """Poll `check` every 0.1 s; fail with `what` when it is still false at the deadline.

    With `progress`, the deadline is a stall limit instead: it starts again whenever what
    `progress` returns changes, so a busy machine that works slowly is waited for and only a
    run that stops moving fails.
    """
    deadline = time.monotonic() + timeout
    seen = progress() if progress else None
    while not check():
        if progress is not None and (now := progress()) != seen:
            seen, deadline = now, time.monotonic() + timeout
        if time.monotonic() > deadline:
            still = "nothing moved for" if progress else "after"
            said = what() if callable(what) else what
            raise AssertionError(f"{still} {timeout:.0f} s, still waiting for {said}")
        time.sleep(0.1)


class RecordingTransport(httpx2.BaseTransport):
    """Passes each request on to `inner` and keeps (method, path, status) of the exchange."""

    def __init__(self, inner: httpx2.BaseTransport) -> None:
        self.inner = inner
        self.exchanges: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        response = self.inner.handle_request(request)
        with self._lock:
            self.exchanges.append((request.method, request.url.path, response.status_code))
        return response

    def close(self) -> None:
        pass  # every client closes its transport; this one is shared, closed by the world

    def statuses(self) -> list[int]:
        with self._lock:
            return [status for _, _, status in self.exchanges]


@dataclass
class World:
    rt: Runtime
    engine: Engine
    billy: BillyEmulator
    billy_url: str  # Billy's API, ending in /v2
    shop: ShoporamaEmulator
    shop_id: int
    shop_calls: RecordingTransport  # every REST call billysync made to Shoporama
    app_url: str  # billysync's web app
    settings: BillySettings = field(init=False)

    def __post_init__(self) -> None:
        with self.rt.db.session() as session:
            shop = shops.get_shop(session, self.shop_id)
            assert shop is not None
            self.settings = billy_settings(shop)

    def ledger(self) -> Any:
        return self.billy.ledger(BILLY_TOKEN)

    def events_in_state(self, state: str) -> int:
        with self.rt.db.session() as session:
            return len(inbox.events_in_state(session, state, limit=100_000))

    def invoice_posts(self) -> int:
        """POSTs to /v2/invoices Billy answered (invoices and credit notes)."""
        return sum(
            1
            for entry in self.billy.journal.entries()
            if entry.method == "POST" and entry.path.rstrip("/").endswith("/v2/invoices")
        )

    def settle(self, timeout: float = 60.0) -> None:
        """Until every webhook is delivered, every stored event started and the engine idle.

        `timeout` is how long nothing may move (deliveries, stored events, finished
        transfers) before the wait fails, not a limit on the whole wait.
        """
        calm = 0

        def moved() -> tuple[int, int, int]:
            pending = sum(d.state == "pending" for d in self.shop.deliveries)
            return pending, self.events_in_state("new"), self.events_in_state("processed")

        def quiet() -> bool:
            nonlocal calm
            done = (
                self.shop.wait_for_webhooks(timeout=0.05)
                and self.events_in_state("new") == 0
                and self.engine.wait_idle(timeout=0.05)
            )
            calm = calm + 1 if done else 0
            return calm >= 3  # three looks in a row: nothing was in flight between them

        wait_until(
            quiet,
            lambda: (
                "webhooks delivered, stored events started and the engine idle "
                f"(pending deliveries: {moved()[0]}, new events: {moved()[1]})"
            ),
            timeout,
            progress=moved,
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_app(rt: Runtime) -> Iterator[str]:
    """billysync's web app under uvicorn on 127.0.0.1 at a free port, in a thread."""
    port = _free_port()
    config = uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="billysync-web", daemon=True)
    thread.start()
    wait_until(lambda: server.started or not thread.is_alive(), "uvicorn to start", 20)
    assert server.started, "uvicorn stopped while starting (is the port taken?)"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _configure_shop(rt: Runtime, billy_url: str, billy_transport: Any, shop_url: str) -> int:
    """The shop as the settings pages leave it (demo.start_demo does the same)."""
    with BillyClient(BILLY_TOKEN, base_url=billy_url, transport=billy_transport) as client:
        accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
        made = {
            number: client.products.create(
                {
                    "name": name,
                    "productNo": number,
                    "accountId": accounts[account],
                    "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
                }
            ).id
            for name, number, account in (("Fragt", "SHIPPING", 1115), ("Rabat", "DISCOUNT", 1110))
        }
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Nordisk Hjem (e2e)", platform="shoporama")
        shops.set_billy_key(shop, BILLY_TOKEN, rt.box)
        shop.billy_base_url = billy_url
        shop.billy_org_name = "Nordisk Hjem ApS"
        shop.sales_account_id = accounts[1110]
        shop.shipping_product_id = made["SHIPPING"]
        shop.discount_product_id = made["DISCOUNT"]
        shop.trigger = "paid"
        shop.post_payments = True
        shop.payment_account_id = accounts[5710]
        shop.order_prefix = PREFIX
        shops.set_shop_connection(
            shop, rt.box, base_url=shop_url, token=SHOP_TOKEN, webhook_secret=WEBHOOK_SECRET
        )
        return shop.id


def _first_passes_done(rt: Runtime, shop_id: int) -> bool:
    with rt.db.session() as session:
        state = session.get(ProductSyncState, shop_id)
        polled = polls.poll_cursor(session, shop_id)
        return bool(state and polled and state.last_pass_at)


@contextmanager
def running_world(tmp_path: Path, *, seed: int, in_process: bool = False) -> Iterator[World]:
    """Both emulators, the shop, the engine and the web app; stopped afterwards.

    The shop's webhooks always reach billysync's web app over HTTP. `in_process`: the
    engine reaches Billy and Shoporama through their in-process transports instead of
    their HTTP servers (for the long run, where sockets only add time).
    """
    stops: list[Callable[[], None]] = []
    billy = BillyEmulator(seed=seed)
    billy.add_organization(token=BILLY_TOKEN, name="Nordisk Hjem ApS")
    # Shoporama's clock is the real one: polls and product passes ask for what changed
    # since a moment in real time, as they would of the real Shoporama.
    shop = ShoporamaEmulator(
        seed=seed,
        token=SHOP_TOKEN,
        webhook_secret=WEBHOOK_SECRET,
        clock=lambda: datetime.now(UTC),
        webhook_retry_delays=(0.1, 0.3, 1.0),
    )
    stops.append(shop.close)
    if in_process:
        billy_url, billy_transport = "http://billy.test/v2", billy.transport()
        shop_url, shop_inner = "http://shoporama.test/REST", shop.transport()
    else:
        billy_root, stop_billy = start_billy(billy)
        stops.append(stop_billy)
        billy_url, billy_transport = billy_root + "/v2", None
        shop_url, stop_shop = shop.start_background_server()
        stops.append(stop_shop)
        shop_inner = httpx2.HTTPTransport()
        stops.append(shop_inner.close)
    shop_calls = RecordingTransport(shop_inner)
    process = ProcessSettings(data_dir=tmp_path, database_url=None, public_url=None)
    rt = Runtime.from_settings(
        process,
        billy_transport=billy_transport,
        shop_transport=shop_calls,
        retry=FAST_RETRY,
        billy_rate_per_second=1000.0,
    )
    rt.db.migrate()
    stops.append(rt.db.dispose)
    shop_id = _configure_shop(rt, billy_url, billy_transport, shop_url)
    engine = Engine(
        rt,
        EngineOptions(
            role="test",
            run_loops=True,
            dispatch_every=0.2,
            dispatch_grace=0.2,
            products_every=3600,
            poll_every=3600,
            polling_interval=0.05,
        ),
    ).start()
    try:
        # The schedule loop's first round (a product pass and a poll) runs a second after
        # the start; the shop has no orders until it is done, so it changes nothing.
        wait_until(lambda: _first_passes_done(rt, shop_id), "the first product pass and poll")
        assert engine.wait_idle(timeout=60), "the first product pass and poll did not finish"
        with serve_app(rt) as app_url:
            shop.set_webhook(f"{app_url}/hooks/shoporama/{shop_id}", WEBHOOK_SECRET)
            yield World(rt, engine, billy, billy_url, shop, shop_id, shop_calls, app_url)
            shop.set_webhook(None)
    finally:
        engine.stop()
        for stop in reversed(stops):
            stop()


# --- what Billy must hold -----------------------------------------------------------------


def money(value: Any) -> Decimal:
    return round2(Decimal(str(value)))


def ledger_problems(world: World) -> list[str]:
    """Every way Billy's ledger differs from the shop; an empty list when they agree."""
    problems: list[str] = []
    ledger = world.ledger()
    orders = {o.key: o for o in (order_from_payload(p) for p in world.shop.orders())}
    returns = [return_from_payload(p) for p in world.shop.returns()]
    returned = {r.order_key for r in returns}
    invoices = ledger.invoices_by_order_no()
    contacts: dict[str, list[dict[str, Any]]] = {}
    for contact in ledger.contacts():
        contacts.setdefault(contact.get("contactNo") or "", []).append(contact)
    invoice_of: dict[str, dict[str, Any]] = {}
    # Buyers who share a customer key (guests with one e-mail) but not their details are
    # test_one_email_two_institutions' finding; here they only need one contact.
    identities: dict[str, set[tuple[Any, ...]]] = {}
    for order in orders.values():
        identities.setdefault(order.customer.key, set()).add(_identity(order.customer))
    ambiguous = {key for key, seen in identities.items() if len(seen) > 1}

    for order in orders.values():
        name = f"order {order.number} ({order.currency}, total {order.total})"
        found = invoices.get(order_marker(PREFIX, order.number), [])
        # Paid (the trigger) makes an invoice; a return of an unpaid order makes one too,
        # as the credit note needs it.
        wanted = 1 if (order.is_paid and not order.cancelled) or order.key in returned else 0
        if len(found) != wanted:
            problems.append(f"{name}: {len(found)} invoices in Billy, expected {wanted}")
        if len(found) != 1:
            continue
        invoice = invoice_of[order.key] = found[0]
        if money(invoice["grossAmount"]) != order.total:
            problems.append(f"{name}: invoice grossAmount {invoice['grossAmount']}")
        if invoice["currencyId"] != order.currency or invoice["state"] != "approved":
            problems.append(f"{name}: invoice {invoice['currencyId']} {invoice['state']}")
        problems += contact_problems(
            name, order, invoice, contacts, details=order.customer.key not in ambiguous
        )
        payments = ledger.payments_for(invoice["id"])
        if not order.is_paid or order.total == 0:
            if payments:
                problems.append(f"{name}: {len(payments)} payments in Billy, but it is unpaid")
            continue
        if len(payments) != 1:
            problems.append(f"{name}: {len(payments)} payments in Billy, expected 1")
            continue
        expected = _in_dkk(order.total, invoice)
        if money(payments[0]["cashAmount"]) != expected:
            problems.append(f"{name}: payment {payments[0]['cashAmount']}, expected {expected}")

    paid_first = _paid_before_return(world)
    credit_notes = ledger.credit_notes()
    for ret in returns:
        name = f"return {ret.key} of order {ret.order_number} (amount {ret.amount})"
        marker = return_marker(PREFIX, ret.order_number, ret.key)
        notes = [cn for cn in credit_notes if cn.get("orderNo") == marker]
        if len(notes) != 1:
            problems.append(f"{name}: {len(notes)} credit notes in Billy, expected 1")
            continue
        note = notes[0]
        invoice = invoice_of.get(ret.order_key)
        if invoice is None or note["creditedInvoiceId"] != invoice["id"]:
            problems.append(f"{name}: credits {note['creditedInvoiceId']}, not the order's invoice")
        if money(note["grossAmount"]) != ret.amount or note["currencyId"] != ret.currency:
            problems.append(f"{name}: credit note {note['grossAmount']} {note['currencyId']}")
        refunds = ledger.payments_for(note["id"])
        # A refund is posted when the shop refunded and the order was paid when the return
        # was transferred: certain when it was paid before the return happened.
        if not ret.refunded and refunds:
            problems.append(f"{name}: not refunded in the shop, {len(refunds)} refunds in Billy")
        elif ret.refunded and paid_first[ret.key] and len(refunds) != 1:
            problems.append(f"{name}: refunded after payment, {len(refunds)} refunds in Billy")
        elif len(refunds) > 1:
            problems.append(f"{name}: {len(refunds)} refunds in Billy")
        elif refunds and money(refunds[0]["cashAmount"]) != _in_dkk(ret.amount, note):
            problems.append(f"{name}: refund {refunds[0]['cashAmount']}")

    problems += product_problems(world)
    return problems


def product_problems(world: World) -> list[str]:
    """Each item number of the shop once in Billy, at the shop's latest price."""
    problems: list[str] = []
    in_billy: dict[str, list[dict[str, Any]]] = {}
    for product in world.ledger().products():
        in_billy.setdefault(product.get("productNo") or "", []).append(product)
    expected: set[str] = {"SHIPPING", "DISCOUNT"}
    for payload in world.shop.products():
        for draft in products_for(product_from_payload(payload), world.settings):
            expected.add(draft.product_no)
            found = in_billy.get(draft.product_no, [])
            if len(found) != 1:
                problems.append(f"product {draft.product_no}: {len(found)} in Billy, expected 1")
                continue
            price = draft.prices[0]
            prices = [
                money(p["unitPrice"])
                for p in found[0]["prices"]
                if p["currencyId"] == price.currency_id
            ]
            if prices != [price.unit_price]:
                problems.append(
                    f"product {draft.product_no}: Billy's {price.currency_id} prices {prices}, "
                    f"the shop's price {price.unit_price}"
                )
    strangers = sorted(set(in_billy) - expected)
    if strangers:
        problems.append(f"products in Billy that the shop does not have: {strangers}")
    return problems


def contact_problems(
    name: str,
    order: Any,
    invoice: dict[str, Any],
    contacts: dict[str, list[dict[str, Any]]],
    *,
    details: bool = True,
) -> list[str]:
    """The invoice's contact is the buyer's one contact (with the buyer's details)."""
    customer = order.customer
    found = contacts.get(contact_marker(PREFIX, customer.key), [])
    if len(found) != 1:
        return [f"{name}: {len(found)} Billy contacts for customer {customer.key}, expected 1"]
    contact = found[0]
    problems = []
    if invoice["contactId"] != contact["id"]:
        problems.append(f"{name}: invoiced to another contact than customer {customer.key}")
    shown = (
        contact["type"],
        contact["countryId"],
        contact.get("registrationNo") or None,
        contact.get("ean") or None,
    )
    if details and shown != _identity(customer):
        problems.append(
            f"{name}: Billy contact (type, country, EU VAT no. or CVR, EAN) {shown}, "
            f"the buyer's {_identity(customer)}"
        )
    return problems


def _identity(customer: Any) -> tuple[Any, ...]:
    # A foreign company's EU VAT number is its registration number in Billy (docs/vat.md).
    return (customer.kind, customer.country, customer.eu_vat_number or customer.cvr, customer.ean)


def _in_dkk(amount: Decimal, document: dict[str, Any]) -> Decimal:
    """An amount of an invoice or credit note through the DKK payment account."""
    if document["currencyId"] == "DKK":
        return amount
    return round2(amount * Decimal(str(document["exchangeRate"])))


def _paid_before_return(world: World) -> dict[str, bool]:
    """Return key → whether its order's `paid` event came before the return's event."""
    paid: set[int] = set()
    result: dict[str, bool] = {}
    for event in world.shop.events:
        if event.name == "paid":
            paid.add(event.object_id)
        elif event.name == "new_return":
            result[str(event.object_id)] = event.data["order_id"] in paid
    return result
