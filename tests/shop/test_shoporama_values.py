"""Lenient reading of Shoporama's loosely typed values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from billysync.shop.shoporama import values as V


@pytest.mark.parametrize("raw", [158266, "158266", " 158266 ", 158266.0])
def test_ids_as_ints_or_strings_are_the_same_id(raw: object) -> None:
    assert V.identifier(raw) == "158266"


@pytest.mark.parametrize("raw", [None, "", "0", 0, "  "])
def test_empty_ids_are_none(raw: object) -> None:
    assert V.identifier(raw) is None


@pytest.mark.parametrize("raw", [True, 1.5, [1], {"id": 1}])
def test_things_that_are_not_ids_are_refused(raw: object) -> None:
    with pytest.raises(V.BadValue):
        V.identifier(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1, True), ("1", True), (True, True), ("true", True), (" yes ", True),
     (0, False), ("0", False), (None, False), ("", False), (False, False)],
)  # fmt: skip
def test_flags_in_every_costume(raw: object, expected: bool) -> None:
    assert V.flag(raw) is expected


@pytest.mark.parametrize("raw", [2, "maybe", -1, [1]])
def test_unknown_flags_are_refused(raw: object) -> None:
    with pytest.raises(V.BadValue):
        V.flag(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(159.95, "159.95"), ("159.95", "159.95"), ("159,95", "159.95"), ("1.234,50", "1234.50"),
     (264, "264"), (0.1, "0.1"), ("-26.4", "-26.4")],
)  # fmt: skip
def test_money_as_numbers_or_text(raw: object, expected: str) -> None:
    assert V.money(raw) == Decimal(expected)


def test_money_empty_is_none_and_nonsense_is_refused() -> None:
    assert V.money(None) is None
    assert V.money(" ") is None
    for raw in ("12x", True, [1], "nan"):
        with pytest.raises(V.BadValue):
            V.money(raw)


def test_zone_less_times_are_danish_local_time() -> None:
    summer = V.timestamp("2025-07-24 18:46:27")
    winter = V.timestamp("2025-01-10 10:00:00")
    assert summer is not None and winter is not None
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.astimezone(UTC) == datetime(2025, 7, 24, 16, 46, 27, tzinfo=UTC)


def test_other_time_forms() -> None:
    assert V.timestamp("2025-07-24T16:46:27Z") == datetime(2025, 7, 24, 16, 46, 27, tzinfo=UTC)
    unix = V.timestamp(1_700_000_000)
    assert unix == datetime.fromtimestamp(1_700_000_000, tz=UTC)
    assert V.timestamp("0000-00-00 00:00:00") is None
    assert V.timestamp(None) is None and V.timestamp("") is None
    with pytest.raises(V.BadValue):
        V.timestamp("yesterday")


def test_filter_times_are_written_in_danish_local_time() -> None:
    assert V.shop_local_text(datetime(2025, 1, 10, 9, 0, tzinfo=UTC)) == "2025-01-10T10:00:00"
    assert V.shop_local_text(datetime(2025, 7, 1, 12, 30)) == "2025-07-01T12:30:00"  # naive: local
    assert V.shop_local_text(date(2025, 7, 1)) == "2025-07-01T00:00:00"


def test_text_trims_and_empties_to_none() -> None:
    assert V.text("  Hansen ApS ") == "Hansen ApS"
    assert V.text("") is None and V.text(None) is None
    assert V.text(8000) == "8000"
    with pytest.raises(V.BadValue):
        V.text({"a": 1})
