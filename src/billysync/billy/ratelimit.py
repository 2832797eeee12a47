"""Client-side throttling per Billy organization: a small thread-safe token bucket.

Billy publishes no rate limit (docs/billy-api.md §2.3), so billysync keeps its own pace: one
bucket per organization, shared by every client and thread that speaks for it, so many workers
together stay under the rate instead of each hammering Billy until it answers 429.

The client calls `acquire()` before every HTTP attempt. A 429 with Retry-After calls
`pause(seconds)`, which holds back every caller of the same bucket, not just the one that hit it.
The clock and sleep are injectable so tests never wait on wall time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable


@runtime_checkable
class RateLimiter(Protocol):
    """What the client needs from a limiter: block until one request may go out."""

    def acquire(self) -> None: ...


class TokenBucket:
    """`rate_per_second` requests on average, at most `burst` back to back.

    Each caller reserves its token under the lock (the balance may go below zero, which is a
    queue of reservations) and then sleeps outside the lock until its turn, so waiting threads
    are served in order and never hold each other up longer than the rate requires.
    """

    def __init__(
        self,
        rate_per_second: float,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be above 0 (requests per second)")
        if burst < 1:
            raise ValueError("burst must be at least 1 request")
        self.rate = float(rate_per_second)
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()
        self._paused_until = self._updated

    def _refill(self, now: float) -> None:
        # Tokens only accrue outside a pause; a pause also resets the balance to empty.
        start = max(self._updated, self._paused_until)
        if now > start:
            self._tokens = min(float(self.burst), self._tokens + (now - start) * self.rate)
        self._updated = max(self._updated, now)

    def reserve(self) -> float:
        """Take one token; return how many seconds the caller must wait before using it."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._tokens -= 1.0
            wait = max(0.0, self._paused_until - now)
            if self._tokens < 0:
                wait += -self._tokens / self.rate
            return wait

    def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)

    def try_acquire(self) -> bool:
        """Take a token only if one is free right now."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            if now < self._paused_until or self._tokens < 1.0:
                return False
            self._tokens -= 1.0
            return True

    def pause(self, seconds: float) -> None:
        """Hold every caller back for `seconds` (Billy answered 429 with Retry-After)."""
        with self._lock:
            now = self._clock()
            self._refill(now)
            self._paused_until = max(self._paused_until, now + seconds)
            self._tokens = min(self._tokens, 0.0)

    def __repr__(self) -> str:
        return f"TokenBucket(rate_per_second={self.rate:g}, burst={self.burst})"
