"""Lenient readers for Shoporama's loosely typed values.

Live responses mix types freely (docs/shoporama-api.md §1.8): ids as ints or strings, flags as
`0`/`1` or `"0"`/`"1"`, money as numbers, timestamps as `"YYYY-MM-DD HH:MM:SS"` with no zone. Each
reader accepts every form seen (and the obvious neighbours) and raises `BadValue` for
anything else, so the mapper can name the field instead of guessing.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from billysync.localtime import DANISH_TIME
from billysync.money import MoneyError, parse_money
from billysync.shop.errors import ShopDataError

# Shoporama is a Danish platform; its zone-less timestamps are read as Danish local time.
SHOP_TIMEZONE = DANISH_TIME

_TRUE = frozenset({"1", "true", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "no", "n", "off", ""})
# MySQL's "no date" value, which PHP back ends sometimes send instead of null.
_ZERO_DATES = frozenset({"0000-00-00 00:00:00", "0000-00-00"})


class BadValue(ShopDataError):
    """A value of the wrong kind; the message says what was expected."""


def text(value: object) -> str | None:
    """A trimmed string, or None for null/empty. Numbers become their text."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        return str(value)
    if not isinstance(value, str):
        raise BadValue(f"expected text, got {type(value).__name__}")
    stripped = value.strip()
    return stripped or None


def identifier(value: object) -> str | None:
    """An id as text ("158266" and 158266 are the same id); None for null, "" and 0."""
    if isinstance(value, bool):
        raise BadValue("expected an id, got a true/false flag")
    if isinstance(value, float):
        if not value.is_integer():
            raise BadValue(f"expected a whole-number id, got {value!r}")
        value = int(value)
    if isinstance(value, int):
        return None if value == 0 else str(value)
    result = text(value)
    if result is None or result == "0":
        return None
    return result


def flag(value: object) -> bool:
    """A 0/1 flag in any of its costumes; null means no."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise BadValue(f"expected a 0/1 flag, got {value!r}")


def money(value: object) -> Decimal | None:
    """An amount from a JSON number or text (decimal comma accepted); None for null/empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_money(value)
    except MoneyError as exc:
        raise BadValue(str(exc)) from exc


def timestamp(value: object) -> datetime | None:
    """An aware datetime. Zone-less text is Danish local time; ints are Unix seconds."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=UTC).astimezone(SHOP_TIMEZONE)
        except (OverflowError, ValueError, OSError) as exc:  # NaN, or beyond year 9999
            raise BadValue(f"expected a time like 2025-03-04 14:05:49, got {value!r}") from exc
    if not isinstance(value, str):
        raise BadValue(f"expected a time like 2025-03-04 14:05:49, got {value!r}")
    raw = value.strip()
    if not raw or raw in _ZERO_DATES:
        return None
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise BadValue(f"expected a time like 2025-03-04 14:05:49, got {value!r}") from exc
    try:
        if parsed.tzinfo is None:
            return parsed.replace(tzinfo=SHOP_TIMEZONE)
        return parsed.astimezone(SHOP_TIMEZONE)
    except OverflowError as exc:  # 9999-12-31 23:00-05:00 has no Danish time
        raise BadValue(f"expected a time like 2025-03-04 14:05:49, got {value!r}") from exc


def shop_local_text(moment: datetime | date) -> str:
    """A moment as Shoporama writes it in query filters: `YYYY-MM-DDTHH:MM:SS`, Danish time.

    A naive datetime is taken to be Danish local time already.
    """
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is not None:
        moment = moment.astimezone(SHOP_TIMEZONE).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
