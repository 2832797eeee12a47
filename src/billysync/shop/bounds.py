"""The edge's bounds: what a value from a shop may be before billysync stores or sends it.

Every shop adapter (the JSON API, the Shoporama mapping) produces the canonical models of
`models.py`, and their fields use the types defined here, so every door refuses the same
values with the same words, before anything is stored and long before Billy is called: bad
input is refused at the door or stops with a reason, never retried (docs/invariants.md I6).

Where each limit comes from:
- lengths: the columns the values land in (`store/tables.py`; a test checks they agree);
- amounts: 10^12 in the order's currency is 10^14 øre, which fits the 64-bit øre columns
  and is carried exactly to the øre by the JSON doubles Billy takes (docs/billy-api.md §1.2:
  money is a JSON float; 2^53 ≈ 9·10^15);
- dates: 2000–2099, so that every date converts to any time zone and Billy's dates, and a
  typing error such as year 9999 is refused instead of booked;
- currencies and countries: the ISO 4217 and ISO 3166-1 lists (`iso_codes.py`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from billysync.money import parse_money
from billysync.shop import iso_codes
from billysync.shop.problems import Problem

# --- limits --------------------------------------------------------------------------------
MAX_KEY = 100  # inbox_events.object_key, transfers.object_key
# transfers.number holds 100, but a credit note's marker is prefix (20) + number + "-R" +
# return key (100) and must fit bindings.marker (200): 64 leaves room.
MAX_ORDER_NUMBER = 64
MAX_CUSTOMER_KEY = 200  # bindings.local_key (the contact's binding)
MAX_ITEM_NUMBER = 100  # bindings.local_key and Billy's productNo (the product's marker)
MAX_CODE = 100  # discount and gift-card codes, payment methods
MAX_TEXT = 255  # names, addresses, e-mail: one line on a Billy document
MAX_SHORT = 32  # zip codes, phone numbers, CVR/VAT and EAN numbers
MAX_LINES = 1000  # lines on one order or return

MAX_AMOUNT = Decimal(10) ** 12
MAX_QUANTITY = Decimal(10) ** 6
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


# --- text ----------------------------------------------------------------------------------
# The text types bound length and characters; a required field adds `min_length=1` itself,
# so an optional one may still be sent empty.
def one_line(value: str) -> str:
    """An identifier or a name: no control characters at all (NUL, tab, line breaks, …).

    (Broken UTF-16 escapes such as "\\ud800" never get here: pydantic refuses them.)
    """
    for char in value:
        if unicodedata.category(char) == "Cc":
            if char == "\x00":
                raise Problem("control_nul")
            raise Problem("control_character", char=f"{ord(char):04X}")
    return value


def _free_text(value: str) -> str:
    """A text that may span lines, but holds no NUL or other control characters."""
    one_line(value.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return value


Key = Annotated[str, StringConstraints(max_length=MAX_KEY), AfterValidator(one_line)]
OrderNumber = Annotated[
    str, StringConstraints(max_length=MAX_ORDER_NUMBER), AfterValidator(one_line)
]
CustomerKey = Annotated[
    str, StringConstraints(max_length=MAX_CUSTOMER_KEY), AfterValidator(one_line)
]
ItemNumber = Annotated[str, StringConstraints(max_length=MAX_ITEM_NUMBER), AfterValidator(one_line)]
Code = Annotated[str, StringConstraints(max_length=MAX_CODE), AfterValidator(one_line)]
Name = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(one_line)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT), AfterValidator(_free_text)]
Short = Annotated[str, StringConstraints(max_length=MAX_SHORT), AfterValidator(one_line)]


# --- codes ---------------------------------------------------------------------------------
def _country(value: str) -> str:
    code = value.strip().upper()
    if not iso_codes.is_country(code):
        raise Problem("country", value=repr(value))
    return code


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not iso_codes.is_currency(code):
        raise Problem("currency", value=repr(value))
    return code


CountryCode = Annotated[str, AfterValidator(_country)]
CurrencyCode = Annotated[str, AfterValidator(_currency)]


# --- money and quantities ------------------------------------------------------------------
def _amount(value: Decimal) -> Decimal:
    if value < 0:
        raise Problem("amount_negative", value=value)
    if value > MAX_AMOUNT:
        raise Problem("amount_too_large", limit=f"{MAX_AMOUNT:,}", value=_shown(value))
    return value


def _quantity(value: Decimal) -> Decimal:
    if value <= 0:
        raise Problem("quantity_not_positive", value=value)
    if value > MAX_QUANTITY:
        raise Problem("quantity_too_large", limit=f"{MAX_QUANTITY:,}", value=_shown(value))
    return value


# An amount of money in the order's currency: 0 or more, at most MAX_AMOUNT.
Amount = Annotated[Decimal, BeforeValidator(parse_money), AfterValidator(_amount)]
# How many: more than 0, at most MAX_QUANTITY.
Quantity = Annotated[Decimal, BeforeValidator(parse_money), AfterValidator(_quantity)]


def within_amount_limit(total: Decimal, code: str) -> None:
    """Sums must fit as well as their parts (`line_too_large`: a line's quantity × price,
    `order_too_large`: an order's lines and shipping)."""
    if total > MAX_AMOUNT:
        raise Problem(code, value=_shown(total), limit=f"{MAX_AMOUNT:,}")


def _shown(amount: Decimal) -> str:
    """An amount as a person reads it; 1e308 stays short."""
    return f"{amount:,f}" if amount.adjusted() < 16 else f"{amount:.3e}"


# --- dates ---------------------------------------------------------------------------------
def _in_range(day: date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise Problem(
            "date_out_of_range", day=day.isoformat(), first=EARLIEST.year, last=LATEST.year
        )


def _day(value: date) -> date:
    _in_range(value)
    return value


def _moment(value: datetime) -> datetime:
    _in_range(value.date())
    return value


Day = Annotated[date, AfterValidator(_day)]
Moment = Annotated[datetime, AfterValidator(_moment)]


# --- lines ---------------------------------------------------------------------------------
def capped_lines(lines: object, *, required: bool) -> object:
    """Refuse an empty or over-long list of lines before each line is validated."""
    if not isinstance(lines, list | tuple):
        return lines  # pydantic says "send a list"
    if required and not lines:
        raise Problem("no_lines")
    if len(lines) > MAX_LINES:
        raise Problem("too_many_lines", count=f"{len(lines):,}", limit=f"{MAX_LINES:,}")
    return lines
