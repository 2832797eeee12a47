"""Shoporama's daily call budget: 1,000 calls per token per day unless Shoporama raised it.

One `CallBudget` counts the calls of one token per UTC day. It keeps a reserve: polling,
backfill and other calls that can wait (`essential=False`) stop at 90 % of the limit, so
the calls that cannot wait (re-reading the order a webhook announced) still have room,
and nothing passes the limit itself. When Shoporama answers 429 before our count says
so, `mark_exhausted()` believes Shoporama for the rest of the day.

The count lives in memory; `load(day)` and `save(day, calls)` let the service keep it in
its database (table `shop_call_counts`) so restarts and other processes see it. `load` is
asked once per day (and on `refresh()`), `save` after every change. The clock is
injectable so day rollover can be tested.

    budget = CallBudget(daily_limit=1000)
    if budget.may_spend(3):            # a poll needs about three calls
        ...
    budget.warning  # "Shoporama calls today: 912 of 1000; polling paused until midnight UTC"
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from billysync.shop.shoporama.errors import BudgetExhausted

DEFAULT_DAILY_LIMIT = 1000
DEFAULT_RESERVE = 0.10  # the last 10 % are kept for essential calls
DEFAULT_WARN_AT = 0.75  # say so in the admin from 75 % on


def utc_now() -> datetime:
    return datetime.now(UTC)


class CallBudget:
    """Calls made today with one Shoporama token, and whether more may be made."""

    def __init__(
        self,
        daily_limit: int = DEFAULT_DAILY_LIMIT,
        *,
        reserve: float = DEFAULT_RESERVE,
        warn_at: float = DEFAULT_WARN_AT,
        clock: Callable[[], datetime] = utc_now,
        load: Callable[[date], int | None] | None = None,
        save: Callable[[date, int], None] | None = None,
    ) -> None:
        if daily_limit < 1:
            raise ValueError("daily_limit must be at least 1 (Shoporama's default is 1000)")
        if not 0 <= reserve < 1:
            raise ValueError("reserve is a fraction of the limit, from 0 up to (not incl.) 1")
        self.daily_limit = daily_limit
        self.reserve = reserve
        self.warn_at = warn_at
        self._clock = clock
        self._load = load
        self._save = save
        self._lock = threading.Lock()
        self._day: date | None = None
        self._used = 0
        self._exhausted = False  # Shoporama said 429 today

    # --- the numbers -------------------------------------------------------------------
    @property
    def today(self) -> date:
        moment = self._clock()
        if moment.tzinfo is None:
            raise ValueError("the budget's clock must give aware datetimes (UTC)")
        return moment.astimezone(UTC).date()

    @property
    def used(self) -> int:
        with self._lock:
            self._roll()
            return self._used

    @property
    def remaining(self) -> int:
        with self._lock:
            self._roll()
            return 0 if self._exhausted else max(0, self.daily_limit - self._used)

    @property
    def non_essential_limit(self) -> int:
        """Where calls that can wait stop: 900 of 1000 with the default 10 % reserve."""
        return int(self.daily_limit * (1 - self.reserve))

    @property
    def resets_at(self) -> datetime:
        """Midnight UTC after today, when the count starts again."""
        return datetime.combine(self.today + timedelta(days=1), time(), tzinfo=UTC)

    # --- asking and spending -----------------------------------------------------------
    def may_spend(self, calls: int = 1, *, essential: bool = False) -> bool:
        """Whether `calls` more calls fit today. Polling asks before it starts a round."""
        with self._lock:
            self._roll()
            return self._fits(calls, essential)

    def spend(self, calls: int = 1, *, essential: bool = True) -> None:
        """Count `calls` calls about to be made, or raise `BudgetExhausted` and count nothing."""
        with self._lock:
            self._roll()
            if not self._fits(calls, essential):
                raise BudgetExhausted(self._refusal(essential), resets_at=self.resets_at)
            self._used += calls
            day, used = self._day, self._used
        if self._save is not None and day is not None:
            self._save(day, used)

    def mark_exhausted(self) -> None:
        """Shoporama answered 429: no more calls with this token until midnight UTC."""
        with self._lock:
            self._roll()
            self._exhausted = True
            self._used = max(self._used, self.daily_limit)
            day, used = self._day, self._used
        if self._save is not None and day is not None:
            self._save(day, used)

    def refresh(self) -> None:
        """Read today's count again through `load` (another process may have spent calls)."""
        with self._lock:
            self._day = None
            self._roll()

    # --- what the merchant reads -------------------------------------------------------
    @property
    def warning(self) -> str | None:
        """A sentence for the admin when the budget is nearly or fully spent, else None."""
        with self._lock:
            self._roll()
            used = self._used
            exhausted = self._exhausted or used >= self.daily_limit
        head = f"Shoporama calls today: {used} of {self.daily_limit}"
        if exhausted:
            return f"{head}; all calls paused until midnight UTC"
        if used >= self.non_essential_limit:
            return f"{head}; polling paused until midnight UTC"
        if used >= int(self.daily_limit * self.warn_at):
            return f"{head}; polling pauses at {self.non_essential_limit}"
        return None

    # --- inside --------------------------------------------------------------------------
    def _fits(self, calls: int, essential: bool) -> bool:
        if calls < 0:
            raise ValueError("calls must be 0 or more")
        if self._exhausted:
            return False
        ceiling = self.daily_limit if essential else self.non_essential_limit
        return self._used + calls <= ceiling

    def _refusal(self, essential: bool) -> str:
        if self._exhausted or self._used >= self.daily_limit:
            return (
                f"Shoporama's daily call budget is used up ({self._used} of "
                f"{self.daily_limit}); calls resume at midnight UTC. Ask Shoporama to raise "
                "the limit if this happens often."
            )
        kind = "essential calls" if essential else "calls that can wait (polling, backfill)"
        ceiling = self.daily_limit if essential else self.non_essential_limit
        return (
            f"Shoporama calls today: {self._used} of {self.daily_limit}; {kind} stop at "
            f"{ceiling} until midnight UTC, to keep the rest for webhooks."
        )

    def _roll(self) -> None:
        """Start a fresh count when the UTC day changed (or load it the first time)."""
        today = self.today
        if self._day == today:
            return
        self._day = today
        self._exhausted = False
        loaded = self._load(today) if self._load is not None else None
        self._used = int(loaded or 0)
        if self._used >= self.daily_limit:
            self._exhausted = True
