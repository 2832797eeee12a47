"""One Billy HTTP call, done right: auth, envelope, timeouts, throttling, retries, errors.

`BillyHttp.request` is the only place that touches httpx2. Per attempt it waits for the rate
limiter (and tells it of a 429, see ratelimit.py), sends, tells the call observer (`BillyCall`:
method, path, status, duration, error) and maps the answer to a `BillyError` (see errors.py).

Retries are for calls that are safe to repeat, i.e. reads (GET): network faults, timeouts,
408, 429 (honouring Retry-After) and 5xx, with jittered exponential backoff and a bounded number
of attempts. A write (POST/PUT/PATCH/DELETE) is never repeated here: if it may have reached
Billy and the answer is lost, the caller gets `BillyOutcomeUnknown` and must look the record up
by its marker first; if it surely did not reach Billy (connection refused, connect timeout,
429), the caller gets a plain `BillyTransientError` and may try again later.

The access token goes out in the `X-Access-Token` header of each request and nowhere else: it
is scrubbed from every text the client builds (errors, logs, observer records).
"""

from __future__ import annotations

import functools
import json
import logging
import random
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx2

from billysync.billy.errors import (
    BILLY_API_URL,
    BillyConfigurationError,
    BillyError,
    BillyOutcomeUnknown,
    BillyRateLimited,
    BillyTransientError,
    error_for_response,
)
from billysync.billy.ratelimit import AdaptiveLimiter, RateLimiter
from billysync.money import to_json_number

log = logging.getLogger("billysync.billy")

DEFAULT_BASE_URL = BILLY_API_URL
MAX_PAGE_SIZE = 1000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class BillyCall:
    """One HTTP attempt, as the engine's audit log records it (no token, no body)."""

    method: str
    path: str
    status: int | None
    duration_ms: float
    error: str | None
    attempt: int = 1
    query: str = ""


CallObserver = Callable[[BillyCall], None]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a safe call is repeated.

    Attempt n (1-based) that failed waits a random time in [cap/2, cap] with
    cap = min(max_backoff, backoff * 2**(n-1)) ("equal jitter": spread out, never zero).
    A 429 waits Billy's Retry-After instead, unless it is longer than `max_retry_after`, in
    which case the error goes to the caller, whose durable retry can wait that long.
    """

    max_retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        cap = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return cap / 2 + rng.uniform(0, cap / 2)


def _json_default(value: object) -> Any:
    # Payloads come from the mapping layer, which works in Decimal and dates.
    if isinstance(value, Decimal):
        return to_json_number(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be sent to Billy as JSON")


def _query_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(to_json_number(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's CA bundle), built once: building one reads and
    parses the whole bundle, 10–20 ms of CPU, which per client was a fifth of an order's."""
    return httpx2.create_ssl_context()


class _SharedPool(httpx2.BaseTransport):
    """One connection pool for every Billy client of the process.

    A client is made per attempt (it carries one shop's token and rate budget); with a pool
    each, every attempt opened a new connection, and to Billy a new TLS handshake. Closing
    a client leaves the pool open. The pool is an httpx client used only for its transports,
    so the environment's proxies (HTTPS_PROXY, NO_PROXY) apply as they would to any client;
    its cookies are never used (each Billy client keeps its own).
    """

    def __init__(self) -> None:
        self._pool = httpx2.Client(verify=_tls_context(), follow_redirects=False)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        # httpx's own choice of transport for a URL (direct, or through a proxy).
        return self._pool._transport_for_url(request.url).handle_request(request)

    def close(self) -> None:
        """Kept open: the next client uses it."""


@functools.cache
def _shared_pool() -> _SharedPool:
    return _SharedPool()


class BillyHttp:
    """The transport half of `BillyClient`; resources call `request` and `iter_records`."""

    def __init__(
        self,
        access_token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx2.BaseTransport | None = None,
        timeout: float | httpx2.Timeout = 30.0,
        connect_timeout: float | None = None,
        retry: RetryPolicy | None = None,
        rate_limiter: RateLimiter | None = None,
        call_observer: CallObserver | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        accept_language: str | None = "en_US",
        page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        if not access_token or not access_token.strip():
            raise BillyConfigurationError(
                message="no Billy access token given: create one in Billy under "
                "Settings → Access tokens and save it in billysync's settings"
            )
        self._token = access_token.strip()
        self.base_url = base_url.rstrip("/")
        if isinstance(timeout, httpx2.Timeout):
            timeouts = timeout
        else:
            timeouts = httpx2.Timeout(timeout, connect=connect_timeout or min(timeout, 10.0))
        self.retry = retry or RetryPolicy()
        self.rate_limiter = rate_limiter
        self.call_observer = call_observer
        self._sleep = sleep
        self._rng = rng or random.Random()  # jitter, not secrecy
        self.page_size = max(1, min(page_size, MAX_PAGE_SIZE))
        headers = {"Accept": "application/json", "User-Agent": "billysync"}
        if accept_language:
            headers["Accept-Language"] = accept_language
        self._client = httpx2.Client(
            base_url=self.base_url + "/",
            transport=transport or _shared_pool(),
            timeout=timeouts,
            headers=headers,
            follow_redirects=False,
        )

    # -- secrets ---------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """The text with the access token blotted out (Billy might echo it one day)."""
        if len(self._token) >= 4 and self._token in text:
            return text.replace(self._token, "***")
        return text

    def _scrub_json(self, value: object) -> object:
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, dict):
            return {self.scrub(str(k)): self._scrub_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._scrub_json(v) for v in value]
        return value

    @property
    def masked_token(self) -> str:
        return "****" + self._token[-4:] if len(self._token) >= 16 else "****"

    # -- one call --------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Send one call (retrying it only if it is safe) and return Billy's JSON answer."""
        method = method.upper()
        path = "/" + path.lstrip("/")
        safe = method in SAFE_METHODS
        query = {k: _query_value(v) for k, v in (params or {}).items() if v is not None}
        content = None
        headers = {"X-Access-Token": self._token}
        if body is not None:
            content = json.dumps(body, default=_json_default).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        attempt = 0
        while True:
            attempt += 1
            if self.rate_limiter is not None:
                self.rate_limiter.acquire()
            started = time.perf_counter()
            try:
                response = self._client.request(
                    method, path.lstrip("/"), params=query, content=content, headers=headers
                )
                result = self._read(response, method, path, safe)
            except httpx2.HTTPError as exc:
                error: BillyError = self._transport_error(exc, method, path, safe)
                status = None
            except BillyError as exc:
                error, status = exc, exc.status
            else:
                self._observe(method, path, response.status_code, started, None, attempt, query)
                return result
            self._observe(method, path, status, started, error, attempt, query)
            wait = self._retry_wait(error, safe, attempt)
            if wait is None:
                # `from None`: the httpx2 exception holds the request, headers and all.
                raise error from None
            log.info(
                "Billy %s %s failed (%s); retry %d of %d in %.2fs",
                method,
                path,
                error.status or type(error).__name__,
                attempt,
                self.retry.max_retries,
                wait,
            )
            self._sleep(wait)

    def _read(
        self, response: httpx2.Response, method: str, path: str, safe: bool
    ) -> dict[str, Any]:
        try:
            body: object = response.json()
        except ValueError:
            body = None
        if response.is_success:
            if isinstance(body, dict):
                return body
            # A write that answered 2xx was done, but we cannot see what Billy saved.
            kind = BillyTransientError if safe else BillyOutcomeUnknown
            raise kind(
                status=response.status_code,
                message="Billy's answer was not a JSON object",
                method=method,
                path=path,
            )
        return_error = error_for_response(
            status=response.status_code,
            body=self._scrub_json(body),
            method=method,
            path=path,
            retry_after=response.headers.get("Retry-After"),
            safe=safe,
        )
        if isinstance(return_error, BillyRateLimited) and isinstance(
            self.rate_limiter, AdaptiveLimiter
        ):
            # Every process sending to this organization slows down and waits, not just us.
            self.rate_limiter.rejected(return_error.retry_after)
        raise return_error

    def _transport_error(
        self, exc: httpx2.HTTPError, method: str, path: str, safe: bool
    ) -> BillyError:
        reason = self.scrub(f"{type(exc).__name__}: {exc}".rstrip(": "))
        common: dict[str, Any] = {"message": reason, "method": method, "path": path}
        if isinstance(exc, httpx2.UnsupportedProtocol | httpx2.InvalidURL):
            common["message"] = f"the Billy base URL {self.base_url!r} is not usable ({reason})"
            return BillyConfigurationError(**common)
        # Nothing left this machine: refused, unresolvable, no connection within the timeout.
        if isinstance(exc, httpx2.ConnectError | httpx2.ConnectTimeout | httpx2.PoolTimeout):
            return BillyTransientError(**common)
        if safe:
            return BillyTransientError(**common)
        # Read/write timeouts, dropped connections, protocol errors after sending: unknown.
        return BillyOutcomeUnknown(**common)

    def _retry_wait(self, error: BillyError, safe: bool, attempt: int) -> float | None:
        if not safe or not isinstance(error, BillyTransientError):
            return None
        if attempt > self.retry.max_retries:
            return None
        if isinstance(error, BillyRateLimited) and error.retry_after is not None:
            if error.retry_after > self.retry.max_retry_after:
                return None
            # Retry-After is a floor; a little jitter keeps many workers from waking at once.
            return error.retry_after + self._rng.uniform(0, min(1.0, self.retry.backoff))
        return self.retry.delay(attempt, self._rng)

    def _observe(
        self,
        method: str,
        path: str,
        status: int | None,
        started: float,
        error: BillyError | None,
        attempt: int,
        query: Mapping[str, str],
    ) -> None:
        duration_ms = (time.perf_counter() - started) * 1000
        text = self.scrub(str(error)) if error is not None else None
        log.debug("Billy %s %s → %s in %.0f ms", method, path, status, duration_ms)
        if self.call_observer is None:
            return
        call = BillyCall(
            method=method,
            path=path,
            status=status,
            duration_ms=duration_ms,
            error=text,
            attempt=attempt,
            query=self.scrub(str(httpx2.QueryParams(query))),
        )
        try:
            self.call_observer(call)
        except Exception:
            # The call itself succeeded or failed on its own; a broken audit hook must not
            # turn a saved invoice into an error that makes the engine write it again.
            log.exception("the Billy call observer failed on %s %s", method, path)

    # -- lists -----------------------------------------------------------------------------

    def iter_records(
        self, path: str, plural: str, params: Mapping[str, object] | None = None
    ) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        """Every record of a list, page by page (`page`, `pageSize` ≤ 1000) until
        `meta.paging.pageCount`; yields (record, the page's whole answer)."""
        page = 1
        seen: set[str] = set()
        while True:
            answer = self.request(
                "GET", path, params={**(params or {}), "page": page, "pageSize": self.page_size}
            )
            records = answer.get(plural)
            if not isinstance(records, list):
                raise BillyTransientError(
                    status=200,
                    message=f"Billy's answer has no {plural!r} list",
                    method="GET",
                    path=path,
                )
            for record in records:
                # Records can shift between pages while new ones are added; report each once.
                key = record.get("id") if isinstance(record, dict) else None
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                yield record, answer
            paging = (answer.get("meta") or {}).get("paging") or {}
            page_count = int(paging.get("pageCount") or 1)
            if page >= page_count or not records:
                return
            page += 1

    def close(self) -> None:
        self._client.close()
