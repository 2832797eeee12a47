"""Billy's rate limit: one adaptive budget per Billy organization, shared by every process.

Billy publishes no rate limit (docs/billy-api.md §2.3), so billysync keeps its own pace and
learns Billy's from its answers:

- **One budget per organization** (`Budget`): a token bucket whose state lives where every
  process can reach it (the database, see `sync/billy_budget.py`; `MemoryBudgets` within one
  process). A process does not ask it per call: it *leases* a small batch of tokens (as many
  as its callers used in the last quarter second, more if they are free) and spends them
  locally, so the shared row is written a few times a second, not once per call.
- **Adaptive** (`Pace`): the rate starts at the shop's ceiling (requests per second). A 429
  lowers it (multiplicative decrease, by 10 %; by 30 % on the organization's first 429 and
  on one that follows another within 5 s) and pauses every process for Billy's `Retry-After`. Each
  second's worth of calls that go out raises it by 0.3 % (additive in effect near the
  limit) back toward the ceiling, so it settles just under Billy's limit with a 429 about
  every 35 seconds instead of one call in ten (scripts/bench_billy_budget.py measures it).
- `take` and `reject` are the rules, as pure functions of the state and a clock reading, so
  the database store and the in-memory one cannot disagree and tests need no wall time.

`SharedLimiter` is what `BillyHttp` holds: `acquire()` before every HTTP attempt, and
`rejected(retry_after)` after a 429.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

# A shop's ceiling when it has none (docs/billy-api.md §2.3), and the most it may say.
DEFAULT_REQUESTS_PER_SECOND = 20.0
MAX_REQUESTS_PER_SECOND = 1000.0


@runtime_checkable
class RateLimiter(Protocol):
    """What the client needs from a limiter: block until one request may go out."""

    def acquire(self) -> None: ...


@runtime_checkable
class AdaptiveLimiter(RateLimiter, Protocol):
    """A limiter that learns from Billy's 429 answers."""

    def rejected(self, retry_after: float | None) -> None: ...


@dataclass(frozen=True)
class Pace:
    """How one organization's budget behaves; `ceiling` is the shop's setting (requests/s)."""

    ceiling: float = DEFAULT_REQUESTS_PER_SECOND
    # The bucket holds at most this many seconds of tokens: a short burst after a quiet spell.
    # A leased token not used within this time lapses (it would add to a later burst).
    burst_seconds: float = 0.25
    # A lease covers at most this many seconds of tokens.
    lease_seconds: float = 0.25
    # Each second's worth of calls raises the rate by this fraction (back toward the ceiling).
    increase: float = 0.003
    # A 429 multiplies the rate by `decrease`; by `hard_decrease` on the budget's first 429 or
    # when the previous one was less than `hard_within` seconds before: the rate is still far
    # above Billy's limit (a ceiling set too high), so find it in a few steps.
    decrease: float = 0.9
    hard_decrease: float = 0.7
    hard_within: float = 5.0
    floor: float = 0.2
    # A 429 without Retry-After pauses this long.
    default_pause: float = 1.0

    def __post_init__(self) -> None:
        if not self.ceiling > 0:
            raise ValueError(f"the Billy request rate must be above 0, not {self.ceiling:g}")

    def burst(self, rate: float) -> float:
        return max(1.0, rate * self.burst_seconds)

    def batch(self, rate: float) -> int:
        return max(1, math.ceil(rate * self.lease_seconds))


@dataclass(frozen=True)
class Budget:
    """The shared state of one organization's budget. Times are wall-clock seconds (epoch):
    every process on the machine, or synchronized machines, reads the same clock."""

    rate: float
    tokens: float
    updated_at: float
    paused_until: float = 0.0
    last_rejection_at: float = 0.0
    # Totals for /metrics: calls reported by the processes, and 429s.
    calls: int = 0
    rejections: int = 0

    @classmethod
    def fresh(cls, pace: Pace, now: float) -> Budget:
        return cls(rate=pace.ceiling, tokens=pace.burst(pace.ceiling), updated_at=now)


@dataclass(frozen=True)
class Lease:
    """`count` tokens taken at clock reading `at`: token i may be used `slot(i)` seconds
    after `at` (a negative balance is a queue: those tokens come one `interval` apart)."""

    count: int
    at: float
    free_before: float
    interval: float
    not_before: float

    def slot(self, index: int) -> float:
        # During a pause tokens accrue only from its end, so the queue starts there.
        queue = max(0.0, (index + 1 - self.free_before) * self.interval)
        return max(0.0, self.not_before - self.at) + queue


def _refilled(budget: Budget, pace: Pace, now: float) -> Budget:
    # The rate follows the ceiling down at once when the merchant lowers it, and up at once
    # while Billy has never refused a call; after a 429 it climbs back by use (`take`).
    rate = pace.ceiling if budget.rejections == 0 else min(budget.rate, pace.ceiling)
    start = max(budget.updated_at, budget.paused_until)
    tokens = budget.tokens
    if now > start:
        tokens = min(pace.burst(rate), tokens + (now - start) * rate)
    return replace(budget, rate=rate, tokens=tokens, updated_at=max(budget.updated_at, now))


def take(
    budget: Budget, pace: Pace, now: float, need: int, most: int | None = None, calls: int = 0
) -> tuple[Budget, Lease]:
    """Lease `need` tokens at `now`, and up to `most` if they are free right now.

    The extra free tokens spare the next calls a lease while Billy's limit is far away (one
    short transaction covers many calls); when the rate is the bottleneck none are free, so
    a process takes only what its callers need and leaves the rest to the others. `calls`
    are the calls made since the last report (for /metrics).
    """
    budget = _refilled(budget, pace, now)
    count = max(need, min(most or need, math.floor(budget.tokens)))
    lease = Lease(
        count=count,
        at=now,
        free_before=budget.tokens,
        interval=1.0 / budget.rate,
        not_before=budget.paused_until,
    )
    # Additive increase: each second's worth of tokens used earns `increase` of the rate.
    used_seconds = count / budget.rate
    climbed = min(pace.ceiling, budget.rate * (1.0 + pace.increase * used_seconds))
    return (
        replace(
            budget,
            rate=climbed,
            tokens=budget.tokens - count,
            calls=budget.calls + calls,
        ),
        lease,
    )


def reject(
    budget: Budget, pace: Pace, now: float, retry_after: float | None, calls: int = 0
) -> Budget:
    """Billy answered 429 at `now`: pause everyone and lower the rate.

    429s that arrive during the pause are answers to calls sent before it (one overload,
    many answers): they are counted, but lower the rate only once.
    """
    budget = _refilled(budget, pace, now)
    rejections = budget.rejections + 1
    if now < budget.paused_until:
        return replace(budget, rejections=rejections, calls=budget.calls + calls)
    far_above = budget.rejections == 0 or now - budget.last_rejection_at < pace.hard_within
    factor = pace.hard_decrease if far_above else pace.decrease
    pause = pace.default_pause if retry_after is None else max(0.0, retry_after)
    return replace(
        budget,
        rate=max(pace.floor, budget.rate * factor),
        # Start again from an empty bucket: no burst right after the pause.
        tokens=min(budget.tokens, 0.0),
        paused_until=now + pause,
        last_rejection_at=now,
        rejections=rejections,
        calls=budget.calls + calls,
    )


class BudgetStore(Protocol):
    """Where the budgets of all organizations live; each method is one short transaction."""

    def lease(self, key: str, pace: Pace, need: int, most: int, calls: int) -> Lease: ...

    def reject(self, key: str, pace: Pace, retry_after: float | None, calls: int) -> None: ...


class MemoryBudgets:
    """Budgets in this process only (tests, and a client built without a database)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self.budgets: dict[str, Budget] = {}

    def _get(self, key: str, pace: Pace, now: float) -> Budget:
        return self.budgets.get(key) or Budget.fresh(pace, now)

    def lease(self, key: str, pace: Pace, need: int, most: int, calls: int) -> Lease:
        with self._lock:
            now = self._clock()
            budget, lease = take(self._get(key, pace, now), pace, now, need, most, calls)
            self.budgets[key] = budget
            return lease

    def reject(self, key: str, pace: Pace, retry_after: float | None, calls: int) -> None:
        with self._lock:
            now = self._clock()
            self.budgets[key] = reject(self._get(key, pace, now), pace, now, retry_after, calls)


@dataclass(frozen=True)
class Slot:
    """A caller's turn: wait `wait` seconds, then go unless a pause began meanwhile."""

    wait: float
    pauses_seen: int


class SharedLimiter:
    """One process's door to one organization's shared budget.

    Callers reserve their slot under the lock (leasing a new batch when the last is spent)
    and sleep outside it, so threads are served in order. A caller that slept through a 429
    reserves again: its slot was given before the pause. The lease size follows local
    demand: the calls of the last `lease_seconds`, so a quiet process does not hold tokens
    that a busy one could use.
    """

    def __init__(
        self,
        store: BudgetStore,
        key: str,
        pace: Pace | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.store = store
        self.key = key
        self.pace = pace or Pace()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._slots: deque[float] = deque()  # local clock times of leased tokens
        self._recent: deque[float] = deque()  # local clock times of recent acquires
        self._unreported = 0
        # Pauses this process has heard of (its own 429s, or another's through a lease): a
        # caller checks it on waking, since its slot was given before the pause.
        self._pauses = 0
        self._pause_end = 0.0
        self._rate = self.pace.ceiling

    def reserve(self) -> float:
        """Take one token; return how many seconds the caller must wait before using it."""
        return self.reserve_slot().wait

    def reserve_slot(self) -> Slot:
        """Take one token: the wait before it may be used, and what `still_good` checks."""
        with self._lock:
            now = self._clock()
            self._forget_before(now)
            self._recent.append(now)
            if not self._slots:
                self._lease()
                now = self._clock()  # the lease may have waited for the database's lock
            self._unreported += 1
            return Slot(max(0.0, self._slots.popleft() - now), self._pauses)

    def still_good(self, slot: Slot) -> bool:
        """False when a pause began after the slot was given (the caller must reserve again)."""
        with self._lock:
            if self._pauses == slot.pauses_seen:
                return True
            self._unreported -= 1  # the slot is not used
            return False

    def acquire(self) -> None:
        slot = self.reserve_slot()
        while slot.wait > 0:
            self._sleep(slot.wait)
            if self.still_good(slot):
                return
            slot = self.reserve_slot()

    def rejected(self, retry_after: float | None) -> None:
        """Billy answered 429: tell every process, and drop this process's leased tokens."""
        with self._lock:
            calls, self._unreported = self._unreported, 0
            self._slots.clear()
            self._pauses += 1
        self.store.reject(self.key, self.pace, retry_after, calls)

    def _forget_before(self, now: float) -> None:
        # A token not used within the burst window lapses (it would make a burst later).
        while self._slots and self._slots[0] < now - self.pace.burst_seconds:
            self._slots.popleft()
        while self._recent and self._recent[0] < now - self.pace.lease_seconds:
            self._recent.popleft()

    def _lease(self) -> None:
        most = self.pace.batch(self._rate)
        need = min(len(self._recent), most)
        calls, self._unreported = self._unreported, 0
        lease = self.store.lease(self.key, self.pace, need, most, calls)
        # The slots count from when the store answered: its clock was read inside the lease's
        # transaction, after any wait for the lock, so a slow lease does not make them stale.
        answered = self._clock()
        if lease.not_before > lease.at and lease.not_before != self._pause_end:
            # Another process was answered 429: the slots this process gave out before are
            # void, so its sleeping callers do not send into the pause.
            self._pause_end = lease.not_before
            self._pauses += 1
        self._rate = 1.0 / lease.interval
        self._slots.extend(answered + lease.slot(i) for i in range(lease.count))

    def __repr__(self) -> str:
        return f"SharedLimiter(key={self.key[:8]}…, ceiling={self.pace.ceiling:g}/s)"
