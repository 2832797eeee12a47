"""Billy's adaptive, shared rate budget, checked on an injected clock (no wall time)."""

from __future__ import annotations

import heapq
import itertools
import math
import random
import threading

import pytest

from billysync.billy.ratelimit import (
    AdaptiveLimiter,
    Budget,
    Lease,
    MemoryBudgets,
    Pace,
    RateLimiter,
    SharedLimiter,
    Slot,
    reject,
    take,
)
from billysync.emulators.billy.ratelimit import RateLimiter as EmulatedBillyLimit


class FakeClock:
    """A clock that only moves when someone sleeps on it (or the test moves it)."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limiter(clock: FakeClock, store: MemoryBudgets, pace: Pace, key: str = "org") -> SharedLimiter:
    return SharedLimiter(store, key, pace, clock=clock, sleep=clock.sleep)


# -- the rules ------------------------------------------------------------------------------


def test_a_fresh_budget_lends_its_burst_then_queues_one_interval_apart() -> None:
    pace = Pace(ceiling=8)  # burst: a quarter second = 2 tokens
    budget, lease = take(Budget.fresh(pace, 0.0), pace, 0.0, need=5)
    assert [lease.slot(i) for i in range(lease.count)] == pytest.approx(
        [0.0, 0.0, 0.125, 0.25, 0.375]
    )
    assert budget.tokens == pytest.approx(-3)
    # The next lease queues behind the first one.
    _, later = take(budget, pace, 0.0, need=1)
    assert later.slot(0) == pytest.approx(0.5)


def test_free_tokens_are_lent_beyond_the_need_only_while_they_are_free() -> None:
    pace = Pace(ceiling=100)  # burst 25 tokens
    budget, lease = take(Budget.fresh(pace, 0.0), pace, 0.0, need=1, most=10)
    assert lease.count == 10  # Billy's limit is far: one lease covers ten calls
    budget, _ = take(budget, pace, 0.0, need=15)
    _, scarce = take(budget, pace, 0.0, need=2, most=10)
    assert scarce.count == 2  # nothing free: take only what the callers need


def test_idle_time_refills_up_to_the_burst_only() -> None:
    pace = Pace(ceiling=4)
    budget, _ = take(Budget.fresh(pace, 0.0), pace, 0.0, need=1)
    budget, lease = take(budget, pace, 600.0, need=3)
    assert lease.free_before == pytest.approx(1.0)  # burst: max(1, 4 × 0.25)
    assert [lease.slot(i) for i in range(3)] == pytest.approx([0.0, 0.25, 0.5])


def test_a_429_pauses_for_retry_after_and_tokens_come_only_after_it() -> None:
    pace = Pace(ceiling=10)
    budget = reject(Budget.fresh(pace, 0.0), pace, 0.0, retry_after=3.0)
    assert budget.paused_until == 3.0 and budget.rejections == 1
    _, lease = take(budget, pace, 1.0, need=2)
    # Two seconds left of the pause, then one interval per token at the lowered rate.
    interval = 1 / budget.rate
    assert [lease.slot(0), lease.slot(1)] == pytest.approx([2 + interval, 2 + 2 * interval])


def test_a_429_without_retry_after_pauses_one_second() -> None:
    pace = Pace(ceiling=10)
    assert reject(Budget.fresh(pace, 5.0), pace, 5.0, None).paused_until == 6.0


def test_the_rate_falls_hard_at_first_then_gently_once_near_billys_limit() -> None:
    pace = Pace(ceiling=100)
    budget = reject(Budget.fresh(pace, 0.0), pace, 0.0, retry_after=1.0)
    assert budget.rate == pytest.approx(70)  # the first 429: far above the limit
    budget = reject(budget, pace, 3.0, retry_after=1.0)
    assert budget.rate == pytest.approx(49)  # another within 5 s: still far above
    budget = reject(budget, pace, 30.0, retry_after=1.0)
    assert budget.rate == pytest.approx(44.1)  # a rare 429: near the limit, 10 % down


def test_429s_during_the_pause_are_counted_but_lower_the_rate_once() -> None:
    pace = Pace(ceiling=100)
    budget = reject(Budget.fresh(pace, 0.0), pace, 0.0, retry_after=2.0)
    again = reject(budget, pace, 0.5, retry_after=2.0, calls=3)
    assert again.rate == budget.rate and again.paused_until == budget.paused_until
    assert (again.rejections, again.calls) == (2, 3)


def test_the_rate_climbs_back_with_use_and_never_above_the_ceiling() -> None:
    pace = Pace(ceiling=20)
    budget = Budget(rate=10, tokens=0, updated_at=0.0, rejections=1)  # after a 429
    # Ten seconds' worth of calls at 10/s: each second's worth adds 0.3 %.
    now = 0.0
    for _ in range(100):
        now += 0.1
        budget, _ = take(budget, pace, now, need=1)
    assert 10.25 < budget.rate < 10.35
    # An idle hour earns nothing: the rate climbs with use, not with time.
    budget, _ = take(budget, pace, now + 3600, need=1)
    assert budget.rate < 10.4
    for _ in range(100_000):
        now += 0.01
        budget, _ = take(budget, pace, now, need=1)
    assert budget.rate == 20


def test_a_lowered_ceiling_applies_at_once() -> None:
    budget = Budget.fresh(Pace(ceiling=50), 0.0)
    _, lease = take(budget, Pace(ceiling=5), 0.0, need=1)
    assert lease.interval == pytest.approx(1 / 5)


def test_a_raised_ceiling_applies_at_once_until_billy_refuses_a_call() -> None:
    budget, _ = take(Budget.fresh(Pace(ceiling=5), 0.0), Pace(ceiling=5), 0.0, need=1)
    _, lease = take(budget, Pace(ceiling=50), 1.0, need=1)
    assert lease.interval == pytest.approx(1 / 50)
    # Once Billy answered 429, the learned rate stands and climbs back by use.
    refused = reject(budget, Pace(ceiling=5), 1.0, retry_after=0)
    _, lease = take(refused, Pace(ceiling=50), 2.0, need=1)
    assert lease.interval == pytest.approx(1 / 3.5)


def test_bad_paces_are_refused() -> None:
    with pytest.raises(ValueError, match="above 0"):
        Pace(ceiling=0)


# -- one process's limiter -------------------------------------------------------------------


def test_callers_are_paced_at_the_rate() -> None:
    clock = FakeClock()
    lim = limiter(clock, MemoryBudgets(clock), Pace(ceiling=4))
    start = clock.now
    times = []
    for _ in range(9):
        lim.acquire()
        times.append(clock.now - start)
    assert times[0] == 0.0
    assert times[-1] == pytest.approx(2.0)  # 9 calls at 4/s after a burst of one
    assert 1 + 4 * times[-1] >= 9


def test_threads_get_distinct_slots() -> None:
    # The clock stands still, so every reservation after the burst must queue behind the others:
    # with a lost update two threads would get the same wait.
    clock = FakeClock()
    lim = SharedLimiter(MemoryBudgets(clock), "org", Pace(ceiling=4), clock=clock)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            wait = lim.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == pytest.approx([0.0] + [k / 4 for k in range(1, 200)])


def test_two_limiters_over_one_store_share_one_budget() -> None:
    clock = FakeClock()
    store = MemoryBudgets(clock)
    first = limiter(clock, store, Pace(ceiling=10))
    second = limiter(clock, store, Pace(ceiling=10))
    waits = [lim.reserve() for _ in range(10) for lim in (first, second)]
    # Twenty calls from two processes: 10/s together, not 10/s each.
    assert max(waits) == pytest.approx(1.75, abs=0.15)
    assert store.budgets["org"].tokens < -15


def test_a_429_in_one_process_pauses_the_other() -> None:
    clock = FakeClock()
    store = MemoryBudgets(clock)
    first = limiter(clock, store, Pace(ceiling=10))
    second = limiter(clock, store, Pace(ceiling=10))
    first.acquire()
    first.rejected(retry_after=4.0)
    clock.now += 1.0  # the other's leased tokens lapse; its next lease sees the pause
    assert second.reserve() >= 3.0
    assert isinstance(first, AdaptiveLimiter) and isinstance(first, RateLimiter)


def test_a_pause_heard_through_a_lease_voids_the_slots_given_before() -> None:
    clock = FakeClock()
    store = MemoryBudgets(clock)
    first = limiter(clock, store, Pace(ceiling=4))
    second = limiter(clock, store, Pace(ceiling=4))
    early = second.reserve_slot()
    queued = second.reserve_slot()  # its turn is later: this caller sleeps meanwhile
    assert queued.wait > 0 and second.still_good(early)
    first.rejected(retry_after=3.0)  # another process is answered 429
    later = second.reserve_slot()  # the next lease tells the second process of the pause
    assert later.wait >= 3.0
    assert not second.still_good(queued)  # woken, it reserves again instead of sending
    assert second.still_good(later)


def test_a_caller_that_slept_through_a_429_waits_out_the_pause() -> None:
    clock = FakeClock()
    store = MemoryBudgets(clock)
    lim = limiter(clock, store, Pace(ceiling=2, lease_seconds=2.0))
    lim.acquire()

    def sleep_and_hear_a_429(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.slept) == 1:  # another thread's call was answered 429 meanwhile
            lim.rejected(retry_after=5.0)

    lim._sleep = sleep_and_hear_a_429
    before = clock.now
    lim.acquire()
    assert clock.now - before >= 5.0


class RecordingStore(MemoryBudgets):
    def __init__(self, clock: FakeClock) -> None:
        super().__init__(clock)
        self.leases: list[tuple[int, int, int]] = []  # (need, most, granted)

    def lease(self, key: str, pace: Pace, need: int, most: int, calls: int) -> Lease:
        lease = super().lease(key, pace, need, most, calls)
        self.leases.append((need, most, lease.count))
        return lease


def test_a_lease_asks_for_what_the_callers_used_lately() -> None:
    clock = FakeClock()
    store = RecordingStore(clock)
    lim = limiter(clock, store, Pace(ceiling=40))  # 10 tokens a quarter second at most
    for _ in range(60):
        lim.acquire()
    # At 40/s nothing is free after the first burst: each lease is what a quarter second used.
    needs = [need for need, _, _ in store.leases]
    assert needs[0] == 1 and max(needs) == 10
    assert all(granted == need for need, _, granted in store.leases[2:])
    assert len(store.leases) < 15  # not one per call
    clock.now += 60
    store.leases.clear()
    lim.acquire()  # a quiet moment later: one call needs one token (more if free)
    assert store.leases == [(1, 10, 10)]


# -- against a Billy that limits -------------------------------------------------------------


@pytest.mark.parametrize("limit", [10.0, 40.0])
@pytest.mark.parametrize("processes", [1, 3])
def test_the_pace_finds_billys_limit_with_few_429s(limit: float, processes: int) -> None:
    """Five simulated minutes against the emulator's own limiter (R requests/s, bursts of one
    second, Retry-After rounded up), the shop's ceiling set twice too high: `processes`
    processes of four callers each, answers after 3-20 ms, a read answered 429 tried again
    after Retry-After (as BillyHttp does). Events in time order on one injected clock."""
    clock = FakeClock()
    billy = EmulatedBillyLimit(clock)
    billy.set(limit)
    store = MemoryBudgets(clock)
    limiters = [limiter(clock, store, Pace(ceiling=2 * limit)) for _ in range(processes)]
    rng = random.Random(7)
    start = clock.now
    # (time, order, process, what the caller does next, its slot)
    events: list[tuple[float, int, int, str, Slot | None]] = []
    order = itertools.count()
    for process in range(processes):
        for _ in range(4):
            heapq.heappush(
                events, (start + rng.uniform(0, 0.01), next(order), process, "reserve", None)
            )
    ok = rejected = 0
    while events:
        at, _, process, step, slot = heapq.heappop(events)
        if at - start > 300:
            break
        clock.now = at
        lim = limiters[process]
        if step == "reserve":
            slot = lim.reserve_slot()
            heapq.heappush(events, (at + slot.wait, next(order), process, "send", slot))
            continue
        assert slot is not None
        if not lim.still_good(slot):
            heapq.heappush(events, (at, next(order), process, "reserve", None))
            continue
        answered = at + rng.uniform(0.003, 0.02)
        wait = billy.wait_needed("token")
        if wait is None:
            ok += 1
        else:
            rejected += 1
            retry_after = float(max(1, math.ceil(wait)))
            lim.rejected(retry_after)
            answered += retry_after + rng.uniform(0, 0.5)
        heapq.heappush(events, (answered, next(order), process, "reserve", None))
    assert ok / 300 >= 0.9 * limit
    assert rejected / (ok + rejected) < 0.01
