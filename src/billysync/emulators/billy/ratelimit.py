"""A request-rate limit per access token, answering 429 with `Retry-After` when exceeded.

Billy's real limits are unknown (docs/billy-api.md §2.3, open question 8); the emulator's is a
token bucket: `per_second` requests per second sustained, bursts of up to one second's
worth (at least one request). `Retry-After` is whole seconds (HTTP's format), rounded up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class RateLimiter:
    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._per_second: float | None = None
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last time)
        self.rejected = 0

    @property
    def per_second(self) -> float | None:
        return self._per_second

    def set(self, per_second: float | None) -> None:
        if per_second is not None and per_second <= 0:
            raise ValueError("the rate limit must be above 0 requests per second (or None)")
        with self._lock:
            self._per_second = per_second
            self._buckets.clear()

    def wait_needed(self, key: str) -> float | None:
        """None when the request may go ahead (and take a token); else seconds to wait."""
        with self._lock:
            rate = self._per_second
            if rate is None:
                return None
            capacity = max(1.0, rate)
            now = self._clock()
            tokens, last = self._buckets.get(key, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return None
            self._buckets[key] = (tokens, now)
            self.rejected += 1
            return (1.0 - tokens) / rate
