"""`BillyEmulator`: a stateful stand-in for Billy's API v2, one organization per token.

    emu = BillyEmulator(seed=1)
    emu.add_organization("token-of-shop-1")
    client = httpx2.Client(transport=emu.transport(),
                          base_url="https://api.billysbilling.com/v2",
                          headers={"X-Access-Token": "token-of-shop-1"})

The same emulator can be served over real sockets (server.py). Every request passes, in
order: the control API (`/_emulator/...`, never faulted, never journalled), the rate limit
(429), the fault rules (faults.py), then Billy's API (api.py) under one lock, so the
threaded server's concurrent requests see consistent state. The journal records each one.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from .api import Api
from .chart import found_organization
from .errors import ApiError
from .exchange import Request, Response
from .faults import BEFORE, COMMIT_THEN, FaultEngine, FaultRule
from .ids import IdFactory
from .journal import Journal, mask_token
from .organization import ORG_TABLES, Organization, Settings
from .ratelimit import RateLimiter
from .wire import encode

if TYPE_CHECKING:
    import httpx2

    from .ledger import Ledger

JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}
GATEWAY_PAGE = b"<html><body><h1>%d %s</h1></body></html>"


class BillyEmulator:
    def __init__(
        self,
        *,
        seed: int = 0,
        honour_undocumented_filters: bool = True,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] | None = None,
        hang_cap: float = 0.25,
    ) -> None:
        """`hang_cap`: how long an in-process hang waits at most before its ReadTimeout."""
        self._seed = seed
        self._clock = clock
        self._sleep = sleep
        self._started = clock()
        self.hang_cap = hang_cap
        self._settings = Settings(
            now=now or (lambda: datetime.now(UTC).replace(tzinfo=None)),
            honour_undocumented_filters=honour_undocumented_filters,
        )
        self._lock = threading.RLock()
        self._organizations: dict[str, Organization] = {}
        self.faults = FaultEngine(seed)
        self.journal = Journal()
        self._limiter = RateLimiter(clock)
        self._api = Api(self._organizations.get, self._anonymous, self._settings.now)

    # -- organizations ---------------------------------------------------------------

    def add_organization(self, token: str, name: str = "Demo ApS") -> str:
        """A new Danish company reached with `token`; returns its organization id."""
        if not token:
            raise ValueError("an access token must not be empty")
        with self._lock:
            if token in self._organizations:
                raise ValueError("that token already has an organization")
            number = len(self._organizations) + 1
            org = Organization(
                id=IdFactory(f"{self._seed}:org:{number}").new(),
                token=token,
                name=name,
                ids=IdFactory(f"{self._seed}:records:{number}"),
                settings=self._settings,
            )
            found_organization(org)
            self._organizations[token] = org
            return org.id

    def organization_id(self, token: str) -> str:
        return self._org(token).id

    def lock_organization(self, token: str, reason: str = "locked by the emulator") -> None:
        """Billy locks a company (e.g. unpaid subscription): reads work, writes get 403."""
        with self._lock:
            record = self._org(token).record
            record.update(isLocked=True, lockedCode="locked", lockedReason=reason)

    def unlock_organization(self, token: str) -> None:
        with self._lock:
            self._org(token).record.update(isLocked=False, lockedCode=None, lockedReason="")

    def set_fiscal_locking_date(self, token: str, day: date | None) -> None:
        """The accountant locks the books up to `day` (None: nothing is locked); see periods.py."""
        with self._lock:
            self._org(token).record["fiscalLockingDate"] = day.isoformat() if day else None

    def token_for(self, organization_id: str) -> str | None:
        with self._lock:
            for token, org in self._organizations.items():
                if org.id == organization_id:
                    return token
        return None

    def _org(self, token: str) -> Organization:
        org = self._organizations.get(token)
        if org is None:
            raise KeyError("no organization has that token; call add_organization first")
        return org

    def _anonymous(self) -> Organization:
        return Organization(
            id="",
            token="",
            name="",
            ids=IdFactory("anonymous"),
            settings=self._settings,
            tables={n: {} for n in ORG_TABLES},
        )

    # -- for tests -------------------------------------------------------------------

    def transport(self) -> httpx2.BaseTransport:
        from .transport import EmulatorTransport

        return EmulatorTransport(self)

    def ledger(self, token: str) -> Ledger:
        from .ledger import Ledger

        return Ledger(self, self._org(token))

    def set_rate_limit(self, per_second: float | None) -> None:
        self._limiter.set(per_second)

    @property
    def rate_limit(self) -> float | None:
        return self._limiter.per_second

    @property
    def rate_limited(self) -> int:
        """How many requests the rate limit refused."""
        return self._limiter.rejected

    def reset(self) -> None:
        """Fresh organizations for the same tokens (same ids), no faults, empty journal."""
        with self._lock:
            registered = [(token, org.name) for token, org in self._organizations.items()]
            self._organizations.clear()
            for token, name in registered:
                self.add_organization(token, name)
            self.faults.reset()
            self.journal.clear()
            self._limiter.set(None)

    def snapshot(self) -> dict[str, Any]:
        """All state as JSON-able data (tokens masked; bookkeeping keys start with `_`)."""
        from .ledger import dump

        with self._lock:
            return {
                "organizations": [
                    {
                        "id": org.id,
                        "token": mask_token(org.token),
                        "organization": dump(org.record),
                        "records": {
                            name: dump(list(table.values())) for name, table in org.tables.items()
                        },
                    }
                    for org in self._organizations.values()
                ],
                "faults": {"rules": self.faults.rules(), "counts": self.faults.counts()},
                "rateLimit": self._limiter.per_second,
                "journalEntries": len(self.journal),
            }

    def read(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` under the state lock (the Ledger reads through this)."""
        with self._lock:
            return fn()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds)

    # -- the one entry point of both transports --------------------------------------

    def handle(self, request: Request) -> Response:
        if request.path == "/_emulator" or request.path.startswith("/_emulator/"):
            from .control import handle_control

            return handle_control(self, request)
        started = self._clock()
        response = self._answer(request)
        self._journal(request, response, started)
        return response

    def _answer(self, request: Request) -> Response:
        wait = self._limiter.wait_needed(request.token or "")
        if wait is not None:
            return _error_response(
                ApiError(
                    429,
                    "TOO_MANY_REQUESTS",
                    "Too many requests; slow down and retry later.",
                    headers={"Retry-After": str(max(1, math.ceil(wait)))},
                )
            )
        rule = self.faults.pick(request.method, request.path)
        if rule is not None and rule.kind in BEFORE:
            return _fault_before(rule)
        if rule is not None and rule.kind == "latency":
            self.sleep(rule.delay or 0)
        with self._lock:
            answer = self._api.answer(
                request.method, request.path, request.params(), request.token, request.body
            )
        response = Response(
            answer.status, encode(answer.document), {**JSON_HEADERS, **answer.headers}
        )
        if rule is not None and rule.kind in COMMIT_THEN:
            return _fault_after(rule, response)
        if rule is not None:
            response.fault = rule.kind
        return response

    def _journal(self, request: Request, response: Response, started: float) -> None:
        org = self._organizations.get(request.token or "")
        self.journal.record(
            at=round(started - self._started, 6),
            method=request.method,
            path=request.path,
            query=request.query_string,
            status=response.status if response.action == "answer" else None,
            request_bytes=len(request.body),
            response_bytes=len(response.body) if response.action == "answer" else 0,
            organization_id=org.id if org else None,
            token=mask_token(request.token),
            fault=response.fault,
            committed_status=response.committed_status,
            duration_ms=round((self._clock() - started) * 1000, 3),
        )


def _error_response(error: ApiError) -> Response:
    return Response(error.status, encode(error.body()), {**JSON_HEADERS, **error.headers})


def _fault_before(rule: FaultRule) -> Response:
    if rule.kind == "drop":
        return Response(0, action="drop", fault=rule.kind)
    if rule.kind == "hang":
        return Response(0, action="hang", hang_seconds=rule.delay or 0, fault=rule.kind)
    response = _fault_status(rule)
    return response


def _fault_status(rule: FaultRule) -> Response:
    status = rule.status or 503
    headers = {} if rule.retry_after is None else {"Retry-After": _seconds(rule.retry_after)}
    if status == 429:
        error = ApiError(
            429,
            "TOO_MANY_REQUESTS",
            "Too many requests; slow down and retry later.",
            headers=headers,
        )
        response = _error_response(error)
    elif status == 500:
        error = ApiError(
            500,
            "INTERNAL_ERROR",
            "We're sorry. An internal server error occurred. Support has been notified.",
            headers=headers,
        )
        response = _error_response(error)
    else:
        # 502/503/504 come from the load balancer in front of Billy: HTML, not Billy's JSON.
        reason = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}
        page = GATEWAY_PAGE % (status, reason.get(status, "Server Error").encode())
        response = Response(status, page, {"Content-Type": "text/html", **headers})
    response.fault = rule.kind
    return response


def _fault_after(rule: FaultRule, committed: Response) -> Response:
    if rule.kind == "commit_then_drop":
        failed = Response(0, action="drop")
    elif rule.kind == "commit_then_hang":
        failed = Response(0, action="hang", hang_seconds=rule.delay or 0)
    else:
        failed = _fault_status(rule)
    failed.fault = rule.kind
    failed.committed_status = committed.status
    return failed


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
