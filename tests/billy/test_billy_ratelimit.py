"""TokenBucket: the pace per Billy organization, checked on an injected clock (no wall time)."""

from __future__ import annotations

import threading

import pytest

from billysync.billy.ratelimit import RateLimiter, TokenBucket


class FakeClock:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_burst_goes_at_once_then_the_rate_holds() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate_per_second=2, burst=3, clock=clock, sleep=clock.sleep)
    start = clock.now
    times = []
    for _ in range(9):
        bucket.acquire()
        times.append(clock.now - start)
    assert times[:3] == [0.0, 0.0, 0.0]
    # After the burst, one request every 1/rate seconds.
    assert times[3:] == pytest.approx([0.5, 1.0, 1.5, 2.0, 2.5, 3.0])
    # Over any run: at most burst + rate × elapsed requests.
    assert 3 + 2 * times[-1] >= 9


def test_idle_time_refills_up_to_the_burst_only() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate_per_second=1, burst=2, clock=clock, sleep=clock.sleep)
    bucket.acquire()
    bucket.acquire()
    clock.now += 60  # a long quiet minute earns no more than `burst`
    assert [bucket.reserve() for _ in range(3)] == pytest.approx([0.0, 0.0, 1.0])


def test_try_acquire_never_waits() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate_per_second=1, burst=1, clock=clock, sleep=clock.sleep)
    assert bucket.try_acquire() is True
    assert bucket.try_acquire() is False
    clock.now += 1.0
    assert bucket.try_acquire() is True
    assert clock.slept == []


def test_pause_holds_everyone_back() -> None:
    clock = FakeClock()
    bucket = TokenBucket(rate_per_second=10, burst=10, clock=clock, sleep=clock.sleep)
    bucket.pause(5)
    assert bucket.try_acquire() is False
    assert bucket.reserve() == pytest.approx(5.1)
    clock.now += 6
    assert bucket.try_acquire() is True


def test_threads_get_distinct_slots() -> None:
    # The clock stands still, so every reservation after the burst must queue behind the others:
    # with a lost update two threads would get the same wait.
    clock = FakeClock()
    bucket = TokenBucket(rate_per_second=4, burst=2, clock=clock, sleep=lambda s: None)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(25):
            wait = bucket.reserve()
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = [0.0, 0.0] + [k / 4 for k in range(1, 199)]
    assert sorted(waits) == pytest.approx(expected)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="rate_per_second"):
        TokenBucket(0)
    with pytest.raises(ValueError, match="burst"):
        TokenBucket(1, burst=0)


def test_token_bucket_is_a_rate_limiter() -> None:
    assert isinstance(TokenBucket(1), RateLimiter)
    assert repr(TokenBucket(2.5, burst=3)) == "TokenBucket(rate_per_second=2.5, burst=3)"
