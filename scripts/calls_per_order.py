"""Billy calls per paid order (docs/invariants.md §4), counted in the Billy emulator's journal.

    .venv/bin/python -m scripts.calls_per_order   # from the repository's root

Runs the real engine (DBOS on SQLite in a temporary directory) against the in-process Billy
emulator, payment posting on. First a warm-up: the shop's products are synced (a second,
unchanged pass must cost nothing) and one order reads the organization's reference data
(VAT rules, accounts, currencies), which the engine keeps for the process. Then orders with
1, 5 and 20 lines, each for a new customer and for a returning one, and a table of the calls
each cost. Targets: ≤ 3 for a new customer, ≤ 2 for a returning one, whatever the number of
lines. tests/reliability/test_calls_per_order.py asserts them from `measure()`.
"""

from __future__ import annotations

import hashlib
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from billysync.config import ProcessSettings
from billysync.emulators.billy import BillyEmulator
from billysync.shop.models import Order, Product
from billysync.sync import reference, service
from billysync.sync.engine import Engine, EngineOptions
from billysync.sync.runtime import AttemptBackoff, Runtime
from tests.support.shop_builders import line, order, person
from tests.support.sync_harness import TOKEN, make_shop

LINE_COUNTS = (1, 5, 20)
TARGETS = {"new customer": 3, "returning customer": 2}
# What reference.load_reference reads once per process and shop.
REFERENCE_PATHS = frozenset(
    {"/v2/organization", "/v2/salesTaxRulesets", "/v2/taxRates", "/v2/accounts", "/v2/currencies"}
)
CATALOGUE = [(f"ITEM-{n:02d}", f"Vare {n}", Decimal("10.00") + n) for n in range(1, 21)]


@dataclass
class Measurement:
    """Billy calls ("METHOD /path") per phase and per measured order."""

    product_sync: list[str] = field(default_factory=list)
    unchanged_product_pass: list[str] = field(default_factory=list)
    warm_up_order: list[str] = field(default_factory=list)
    orders: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    invoices: int = 0
    payments: int = 0

    @property
    def reference_reads(self) -> list[str]:
        return [c for c in self.warm_up_order if c.split(" ", 1)[1] in REFERENCE_PATHS]


class Shop:
    """The engine, a shop and the emulator, with a journal mark around each step."""

    def __init__(self, data_dir: Path) -> None:
        self.emu = BillyEmulator()
        process = ProcessSettings(
            data_dir=data_dir,
            database_url=f"sqlite:///{data_dir / 'billysync.db'}",
            secret_key_file=data_dir / "secret.key",
        )
        self.rt = Runtime.from_settings(
            process,
            billy_transport=self.emu.transport(),
            retry=AttemptBackoff(first_delay=0.05),
            billy_rate_per_second=100_000.0,
        )
        options = EngineOptions(role="calls", run_loops=False, polling_interval=0.05)
        self.engine = Engine(self.rt, options).start()
        self.shop_id, _ = make_shop(self.rt, self.emu, TOKEN, "Calls shop")
        reference.forget(self.shop_id)  # count the one-time reads, even in a reused process

    def calls_of(self, step: object) -> list[str]:
        """The Billy calls made while `step()` runs and the engine settles."""
        mark = self.emu.journal.entries()[-1].seq if len(self.emu.journal) else 0
        step()  # type: ignore[operator]
        if not self.engine.wait_idle(timeout=120):
            raise RuntimeError("the engine did not settle within 120 s")
        return [f"{e.method} {e.path}" for e in self.emu.journal.entries(since=mark)]

    def push(self, kind: str, obj: Order | Product) -> None:
        payload = obj.model_dump_json()
        service.submit(
            self.rt,
            service.Event(
                shop_id=self.shop_id,
                source=service.EventSource.API,
                name=f"{kind}.put",
                object_type=kind,
                object_key=obj.key,
                dedupe_key=hashlib.sha256(payload.encode()).hexdigest(),
                payload=payload,
            ),
        )

    def close(self) -> None:
        self.engine.stop()
        self.rt.db.dispose()
        reference.forget(self.shop_id)


def paid_order(key: str, customer: str, lines: int) -> Order:
    return order(
        key,
        customer=person(customer, name=f"Kunde {customer}"),
        lines=tuple(
            line(item, name, str(1 + n % 3), str(price))
            for n, (item, name, price) in enumerate(CATALOGUE[:lines])
        ),
    )


def measure(data_dir: Path) -> Measurement:
    shop = Shop(data_dir)
    result = Measurement()
    try:
        products = [Product(key=i, item_number=i, name=n, price=p) for i, n, p in CATALOGUE]

        def push_products() -> None:
            for product in products:
                shop.push("product", product)
            service.sync_products(shop.rt, shop.shop_id)

        result.product_sync = shop.calls_of(push_products)
        result.unchanged_product_pass = shop.calls_of(
            lambda: service.sync_products(shop.rt, shop.shop_id)
        )
        result.warm_up_order = shop.calls_of(
            lambda: shop.push("order", paid_order("900", "warm-up", 1))
        )
        for lines in LINE_COUNTS:
            key = f"{lines}00"
            customer = f"cust-{lines}"
            result.orders["new customer", lines] = shop.calls_of(
                lambda k=key, c=customer, n=lines: shop.push("order", paid_order(k, c, n))
            )
            result.orders["returning customer", lines] = shop.calls_of(
                lambda k=key, c=customer, n=lines: shop.push("order", paid_order(k + "1", c, n))
            )
        ledger = shop.emu.ledger(TOKEN)
        result.invoices = len(ledger.invoices())
        result.payments = sum(not p["isVoided"] for p in ledger.bank_payments())
    finally:
        shop.close()
    return result


def table(result: Measurement) -> str:
    width = 20
    rows = [
        "Billy calls per paid order, payment posting on (in-process Billy emulator)",
        f"{'':{width}}"
        + "".join(f"{f'{n} line' + 's' * (n > 1):>10}" for n in LINE_COUNTS)
        + f"{'target':>10}",
    ]
    for who, target in TARGETS.items():
        counts = "".join(f"{len(result.orders[who, n]):>10}" for n in LINE_COUNTS)
        rows.append(f"{who:{width}}{counts}{f'≤ {target}':>10}")
    for who in TARGETS:
        kinds = Counter(result.orders[who, LINE_COUNTS[-1]])
        rows.append(f"  {who}: " + ", ".join(f"{c} × {k}" for k, c in sorted(kinds.items())))
    reads = result.reference_reads
    rows += [
        "",
        f"one-time, per process and shop: {len(reads)} reference reads "
        f"({', '.join(sorted(set(reads)))})",
        f"warm-up order (new customer, 1 line): {len(result.warm_up_order)} calls, "
        f"{len(reads)} of them the reference reads",
        f"product sync of {len(CATALOGUE)} new products: {len(result.product_sync)} calls; "
        f"a pass with nothing changed: {len(result.unchanged_product_pass)} calls (target 0)",
        f"Billy holds {result.invoices} invoices and {result.payments} payments",
    ]
    return "\n".join(rows)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        result = measure(Path(tmp))
    print(table(result))
    over = [
        f"{who}, {n} lines: {len(result.orders[who, n])} calls"
        for who, target in TARGETS.items()
        for n in LINE_COUNTS
        if len(result.orders[who, n]) > target
    ]
    if over:
        print("over target: " + "; ".join(over))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
