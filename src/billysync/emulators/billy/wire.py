"""The JSON boundary: request bodies in, Billy-shaped documents out.

Inside the emulator every amount is a `Decimal` (request numbers are parsed from their
text, never through binary floats); only here are they turned into JSON numbers. Keys
starting with `_` are the emulator's bookkeeping and never leave it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from billysync.money import to_json_number

from .errors import invalid_body

Record = dict[str, Any]

NOT_AN_OBJECT = "Request body should consist of a JSON document with an object as root."
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def decode_body(raw: bytes) -> dict[str, Any]:
    """The request document; Billy refuses anything but a JSON object (400 INVALID_REQUEST_BODY)."""
    try:
        document = json.loads(raw.decode("utf-8"), parse_float=Decimal) if raw else None
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_body(NOT_AN_OBJECT) from exc
    if not isinstance(document, dict):
        raise invalid_body(NOT_AN_OBJECT)
    return document


def encode(document: Any) -> bytes:
    return json.dumps(plain(document), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def plain(value: Any) -> Any:
    """A copy fit for JSON: Decimals as numbers, bookkeeping keys dropped."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return to_json_number(value)
    return value


def as_decimal(value: Any) -> Decimal | None:
    """A number from a request (JSON number or numeric text), or None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            return None
    else:
        return None
    return result if result.is_finite() else None


def as_date(value: Any) -> str | None:
    """A `YYYY-MM-DD` date as Billy stores it, or None when the text is not one."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return value


def timestamp(moment: datetime) -> str:
    """Billy's zone-less datetimes: `2016-12-23T08:16:46`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S")
