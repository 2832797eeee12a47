"""Shoporama's daily call budget: counting, reserve, warning, hard stop, rollover, 429."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.shop.shoporama import BudgetExhausted, CallBudget, ShoporamaClient
from billysync.shop.shoporama.errors import ShoporamaRateLimited


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2025, 3, 4, 22, 30, tzinfo=UTC))


def spent(budget: CallBudget, calls: int) -> CallBudget:
    for _ in range(calls):
        budget.spend(1, essential=True)
    return budget


def test_counts_calls_of_the_day(clock: Clock) -> None:
    budget = CallBudget(clock=clock)
    spent(budget, 3)
    budget.spend(2, essential=False)
    assert budget.used == 5
    assert budget.remaining == budget.daily_limit - 5
    assert budget.daily_limit == 1000  # Shoporama's default


def test_calls_that_can_wait_stop_at_the_reserve(clock: Clock) -> None:
    budget = spent(CallBudget(daily_limit=100, clock=clock), 89)
    assert budget.non_essential_limit == 90
    assert budget.may_spend(1)
    assert not budget.may_spend(2)  # a poll of two calls would cross 90
    budget.spend(1, essential=False)
    assert not budget.may_spend(1)
    with pytest.raises(BudgetExhausted) as caught:
        budget.spend(1, essential=False)
    assert budget.used == 90  # a refused call is not counted
    assert "90" in str(caught.value) and "midnight UTC" in str(caught.value)
    assert budget.may_spend(1, essential=True)  # the reserve is for webhooks' re-reads


def test_hard_stop_at_the_limit(clock: Clock) -> None:
    budget = spent(CallBudget(daily_limit=20, clock=clock), 20)
    assert not budget.may_spend(1, essential=True)
    with pytest.raises(BudgetExhausted) as caught:
        budget.spend()
    assert caught.value.resets_at == datetime(2025, 3, 5, tzinfo=UTC)
    assert budget.used == 20


def test_warning_grows_as_the_budget_is_spent(clock: Clock) -> None:
    budget = CallBudget(clock=clock)
    spent(budget, 749)
    assert budget.warning is None
    spent(budget, 1)
    assert budget.warning == "Shoporama calls today: 750 of 1000; polling pauses at 900"
    spent(budget, 162)
    assert budget.warning == "Shoporama calls today: 912 of 1000; polling paused until midnight UTC"
    spent(budget, 88)
    assert budget.warning == (
        "Shoporama calls today: 1000 of 1000; all calls paused until midnight UTC"
    )


def test_the_count_starts_again_at_midnight_utc(clock: Clock) -> None:
    budget = spent(CallBudget(daily_limit=10, clock=clock), 10)
    assert budget.remaining == 0
    clock.moment += timedelta(hours=1, minutes=45)  # 00:15 UTC: a new UTC day
    assert budget.today == date(2025, 3, 5)
    assert budget.used == 0
    assert budget.may_spend(1)
    assert budget.warning is None


def test_danish_midnight_is_not_the_reset(clock: Clock) -> None:
    clock.moment = datetime(2025, 3, 4, 22, 59, tzinfo=UTC)  # 23:59 in Copenhagen
    budget = spent(CallBudget(daily_limit=10, clock=clock), 4)
    clock.moment = datetime(2025, 3, 4, 23, 30, tzinfo=UTC)  # 00:30 in Copenhagen, same UTC day
    assert budget.used == 4


def test_the_count_can_live_in_a_database(clock: Clock) -> None:
    stored: dict[date, int] = {}
    saves: list[tuple[date, int]] = []

    def save(day: date, calls: int) -> None:
        saves.append((day, calls))
        stored[day] = calls

    first = CallBudget(clock=clock, load=stored.get, save=save)
    spent(first, 7)
    assert saves[-1] == (date(2025, 3, 4), 7)
    second = CallBudget(clock=clock, load=stored.get, save=save)  # after a restart
    assert second.used == 7
    spent(first, 2)
    second.refresh()  # another process spent calls
    assert second.used == 9


def test_a_429_from_shoporama_ends_the_day(clock: Clock) -> None:
    budget = spent(CallBudget(clock=clock), 3)
    budget.mark_exhausted()
    assert budget.remaining == 0
    assert not budget.may_spend(1, essential=True)
    assert budget.warning is not None and "all calls paused" in budget.warning
    clock.moment += timedelta(days=1)
    assert budget.may_spend(1)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        CallBudget(daily_limit=0)
    with pytest.raises(ValueError):
        CallBudget(reserve=1.0)
    naive = CallBudget(clock=lambda: datetime(2025, 3, 4, 12, 0))
    with pytest.raises(ValueError, match="aware"):
        naive.may_spend()


# --- against the emulator's real limit ----------------------------------------------------
def test_the_emulators_429_stops_the_client_for_the_day() -> None:
    shop = ShoporamaEmulator(seed=1, daily_limit=5)
    budget = CallBudget(daily_limit=1000)  # the shop's limit is lower than we were told
    with ShoporamaClient(shop.token, transport=shop.transport(), budget=budget) as client:
        for _ in range(5):
            client.list_products()
        with pytest.raises(ShoporamaRateLimited):
            client.list_products()
        assert shop.calls_today == 6
        with pytest.raises(BudgetExhausted):
            client.get_product(196401)
    assert shop.calls_today == 6  # the refused call never reached Shoporama


def test_a_budget_matching_the_limit_never_meets_a_429() -> None:
    shop = ShoporamaEmulator(seed=1, daily_limit=10)
    budget = CallBudget(daily_limit=10)
    with ShoporamaClient(shop.token, transport=shop.transport(), budget=budget) as client:
        for _ in range(9):  # polling: stops at 90 % = 9 calls
            client.list_orders()
        with pytest.raises(BudgetExhausted):
            client.list_orders()
        client.get_product(196401)  # the reserved tenth call, for an essential re-read
        with pytest.raises(BudgetExhausted):
            client.get_product(196401)
    assert shop.calls_today == 10
