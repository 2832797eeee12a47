"""How many HTTP calls this process made to Billy, and how many Billy answered with 429.

Every Billy client is built by `Runtime.billy_client_for_key`, which wraps its call observer
with `counting(...)`; `/metrics` reads `BILLY_CALLS.snapshot()`. The counts live in the
process that makes the calls (as Prometheus counters do): they start at 0 when it starts.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from billysync.billy.http import BillyCall

TOO_MANY_REQUESTS = 429


@dataclass(frozen=True)
class CallCounts:
    calls: int
    rate_limited: int


class CallCounter:
    """Thread-safe totals; workflows in several threads call Billy at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls = 0
        self._rate_limited = 0

    def count(self, call: BillyCall) -> None:
        with self._lock:
            self._calls += 1
            if call.status == TOO_MANY_REQUESTS:
                self._rate_limited += 1

    def snapshot(self) -> CallCounts:
        with self._lock:
            return CallCounts(self._calls, self._rate_limited)


BILLY_CALLS = CallCounter()


def counting(observer: Callable[..., None] | None) -> Callable[[BillyCall], None]:
    """The given observer (if any), after counting the call in `BILLY_CALLS`."""

    def observe(call: BillyCall) -> None:
        BILLY_CALLS.count(call)
        if observer is not None:
            observer(call)

    return observe
