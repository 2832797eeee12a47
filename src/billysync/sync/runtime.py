"""The runtime: what the engine's workflows need to reach the outside world.

DBOS workflows are module-level functions that must be replayable from their arguments
(shop id, order key), so the things they use — the database, the secret box, how to build
a Billy client or a shop source for a shop — live in one process-wide `Runtime` set up by
`configure()`. Tests hand it in-process emulator transports; the service uses real HTTP.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx2

from billysync.billy.client import DEFAULT_BASE_URL, BillyClient
from billysync.billy.ratelimit import DEFAULT_REQUESTS_PER_SECOND, Pace, SharedLimiter
from billysync.config import ProcessSettings
from billysync.store import shops, transfers
from billysync.store.db import Database
from billysync.store.secrets import SecretBox
from billysync.store.tables import Shop
from billysync.sync import billy_calls
from billysync.sync.billy_budget import DatabaseBudgets


class NotConfigured(RuntimeError):
    """The shop lacks a setting the engine needs; the message says which, and `missing`
    names them by code (billy_key, sales_account, shipping_product, discount_product,
    payment_account, shop_connection) so the merchant reads them in their language."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


def connections_needed(worker_concurrency: int) -> int:
    """Database connections one process keeps for its own tables (PostgreSQL), and as many
    for DBOS's: one per workflow it runs at once, and a few for its loops (dispatcher,
    schedule, heartbeat) and web requests, which hold theirs for milliseconds. Sized to the
    work, not generously: workers and web processes share PostgreSQL's max_connections
    (100 by default)."""
    return worker_concurrency + 4


@dataclass
class AttemptBackoff:
    """How often a transfer workflow attempts again after a transient failure, and the durable
    pause between attempts (each HTTP call's own quick retries are billy.http.RetryPolicy)."""

    attempts: int = 8
    first_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 300.0

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * self.factor ** (attempt - 1), self.max_delay)


@dataclass
class Runtime:
    process: ProcessSettings
    db: Database
    box: SecretBox
    # Tests and the embedded demo route Billy/shop calls to in-process emulators.
    billy_transport: httpx2.BaseTransport | None = None
    shop_transport: httpx2.BaseTransport | None = None
    # The Billy ceiling (requests/s) of a shop that has none of its own.
    billy_rate_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    retry: AttemptBackoff = field(default_factory=AttemptBackoff)
    billy_timeout: float = 30.0
    _limiters: dict[str, SharedLimiter] = field(default_factory=dict)
    _budgets: DatabaseBudgets | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Each shop's row as this process last read it (`attempt_start`), detached.
    _shops: dict[int, Shop] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, process: ProcessSettings, **overrides: object) -> Runtime:
        db = Database(
            process.resolved_database_url,
            connections=connections_needed(process.worker_concurrency),
        )
        box = SecretBox.from_key_file(process.resolved_secret_key_file)
        return cls(process=process, db=db, box=box, **overrides)  # type: ignore[arg-type]

    def attempt_start(
        self, shop_id: int, kind: str, key: str
    ) -> tuple[Shop, transfers.AttemptView] | None:
        """The shop and the transfer an attempt works on, in one read: the shop's settings
        are read again only when their version moved (a change in any process). None when
        the shop is gone."""
        with self.db.reading() as session:
            view = transfers.attempt_view(session, shop_id, kind, key)
            if view is None:
                with self._lock:
                    self._shops.pop(shop_id, None)
                return None
            with self._lock:
                shop = self._shops.get(shop_id)
            if shop is None or shop.settings_version != view.settings_version:
                shop = shops.get_shop(session, shop_id)
                if shop is None:
                    return None
        with self._lock:
            self._shops[shop_id] = shop
        return shop, view

    def billy_limiter(self, budget_key: str, requests_per_second: float | None) -> SharedLimiter:
        """This process's limiter for one Billy organization's shared budget; a changed
        ceiling (the shop's setting) applies from the next lease on."""
        pace = Pace(ceiling=requests_per_second or self.billy_rate_per_second)
        with self._lock:
            if self._budgets is None:
                self._budgets = DatabaseBudgets(self.db)
            limiter = self._limiters.get(budget_key)
            if limiter is None:
                limiter = SharedLimiter(self._budgets, budget_key, pace)
                self._limiters[budget_key] = limiter
            elif limiter.pace != pace:
                limiter.pace = pace
            return limiter

    def billy_client_for_key(
        self,
        key: str,
        base_url: str | None = None,
        call_observer: Callable[..., None] | None = None,
        *,
        organization_id: str | None = None,
        requests_per_second: float | None = None,
    ) -> BillyClient:
        """A client for the access token `key`; its calls count against the budget of
        `organization_id` when known (shops that share an organization share Billy's
        limit), else against the token's own."""
        if organization_id:
            budget_key = f"org:{organization_id}"
        else:
            budget_key = "token:" + hashlib.sha256(key.encode()).hexdigest()[:32]
        return BillyClient(
            key,
            base_url=base_url or self.process.billy_base_url or DEFAULT_BASE_URL,
            transport=self.billy_transport,
            timeout=self.billy_timeout,
            rate_limiter=self.billy_limiter(budget_key, requests_per_second),
            call_observer=billy_calls.counting(call_observer),  # for /metrics
        )

    def billy_client(
        self, shop: Shop, call_observer: Callable[..., None] | None = None
    ) -> BillyClient:
        key = shops.billy_key(shop, self.box)
        if not key:
            raise NotConfigured(
                f"shop {shop.name!r} has no Billy API key: "
                "add it under Settings → Financial system",
                ("billy_key",),
            )
        return self.billy_client_for_key(
            key,
            shop.billy_base_url,
            call_observer,
            organization_id=shop.billy_org_id,
            requests_per_second=shop.billy_requests_per_second,
        )


_current: Runtime | None = None


def configure(runtime: Runtime) -> Runtime:
    global _current
    _current = runtime
    return runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("billysync's runtime is not configured: call sync.runtime.configure()")
    return _current
