"""Money: `Decimal` in code, integer øre at rest, floats only at the JSON boundary.

Every amount that enters billysync (a shop payload, a Billy response) goes through
`parse_money`, which reads the number's text, never its binary float value, so
`19.99` stays exactly 19.99. Rounding is half away from zero to two decimals, as
Billy's own totals code does for the positive amounts invoices carry.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0")


class MoneyError(ValueError):
    """A value that should be an amount of money is not one."""


def round2(amount: Decimal) -> Decimal:
    """Round to whole øre/cents, half away from zero (0.005 → 0.01, -0.005 → -0.01)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value: object) -> Decimal:
    """Read an amount from JSON or text without passing through binary floating point.

    A Python float (what `json.loads` gives) is converted through `repr`, which is the
    shortest text that reads back to the same float: 19.99 → "19.99", not 19.989999….
    """
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is a flag, not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        # Danish shops may write 1.234,50; a lone comma is a decimal comma.
        if "," in text and "." in text:
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise MoneyError(f"{value!r} is not an amount (expected a number like 149.95)") from exc
    else:
        raise MoneyError(f"{value!r} is not an amount (expected a number like 149.95)")
    if not result.is_finite():
        raise MoneyError(f"{value!r} is not a finite amount")
    return result


def to_ore(amount: Decimal) -> int:
    """Whole øre for storage; refuses to drop fractions of an øre silently."""
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise MoneyError(f"{amount} has fractions of an øre; round it before storing")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    """The amount stored as whole øre, as a two-decimal `Decimal`."""
    return (Decimal(ore) / 100).quantize(CENT)


def to_json_number(amount: Decimal) -> float | int:
    """The JSON boundary: Billy takes amounts as JSON numbers."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)
