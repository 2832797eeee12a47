"""A payload reader that turns every doubt into an `UnmappablePayload` naming the field.

The mapper reads Shoporama payloads through a `FieldReader`, which knows what it is
reading ("order 10234", "order 10234, line 2") and so can say, in one sentence a merchant
can act on, which field was missing or wrong and what Shoporama sent instead.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, NoReturn, TypeVar

from pydantic import ValidationError

from billysync.shop.problems import field_of, field_problems, problem_of
from billysync.shop.shoporama import values as V
from billysync.shop.shoporama.errors import UnmappablePayload

T = TypeVar("T")
_SHOWN = 160  # characters of a sent value shown in a reason


def shown(value: object) -> str:
    """A short, readable rendering of what Shoporama sent."""
    try:
        rendered = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        rendered = repr(value)
    return rendered if len(rendered) <= _SHOWN else rendered[: _SHOWN - 1] + "…"


class FieldReader:
    """Reads fields of one payload; `label` says what the payload is, for error texts."""

    def __init__(self, payload: Mapping[str, Any], label: str) -> None:
        if not isinstance(payload, Mapping):
            raise UnmappablePayload(f"{label}: expected a JSON object, got {shown(payload)}")
        self.payload = payload
        self.label = label

    def has(self, field: str) -> bool:
        return self.payload.get(field) not in (None, "")

    def fail(self, field: str | None, problem: str) -> NoReturn:
        raise UnmappablePayload(f"{self.label}: {problem}", field)

    def missing(self, field: str) -> NoReturn:
        keys = ", ".join(sorted(self.payload)) or "nothing"
        self.fail(
            field,
            f"field {field} is missing; Shoporama sent: {keys if len(keys) < 400 else keys[:399]}",
        )

    def _read(self, field: str, reader: Callable[[object], T], expected: str) -> T:
        raw = self.payload.get(field)
        try:
            return reader(raw)
        except V.BadValue:
            self.fail(field, f"field {field} is not {expected}; Shoporama sent: {shown(raw)}")

    def text(self, field: str) -> str | None:
        return self._read(field, V.text, "text")

    def identifier(self, field: str) -> str | None:
        return self._read(field, V.identifier, "an id")

    def flag(self, field: str) -> bool:
        return self._read(field, V.flag, "a 0/1 flag")

    def money(self, field: str) -> Decimal | None:
        return self._read(field, V.money, "an amount such as 149.95")

    def time(self, field: str) -> datetime | None:
        return self._read(field, V.timestamp, "a time such as 2025-03-04 14:05:49")

    def required_identifier(self, field: str) -> str:
        value = self.identifier(field)
        if value is None:
            self.missing(field)
        return value

    def required_money(self, field: str) -> Decimal:
        value = self.money(field)
        if value is None:
            self.missing(field)
        return value

    def first_text(self, *fields: str) -> str | None:
        for field in fields:
            value = self.text(field)
            if value is not None:
                return value
        return None

    def first_time(self, *fields: str) -> datetime | None:
        for field in fields:
            value = self.time(field)
            if value is not None:
                return value
        return None

    def objects(self, field: str) -> list[Mapping[str, Any]]:
        """A list of JSON objects (null or missing is an empty list)."""
        raw = self.payload.get(field)
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
            self.fail(
                field, f"field {field} is not a list of objects; Shoporama sent: {shown(raw)}"
            )
        return list(raw)


def build(label: str, model: type[Any], **data: Any) -> Any:
    """A canonical model; a validation error becomes an `UnmappablePayload` naming the field."""
    try:
        return model(**data)
    except ValidationError as exc:
        # The canonical models' words (problems.py), with what Shoporama sent when the
        # sentence does not already show it.
        first = exc.errors()[0]
        field = field_of(first)
        sent = "" if first["type"] == "value_error" else f"; Shoporama sent {shown(first['input'])}"
        raise UnmappablePayload(
            f"{label}: {field or 'the payload'}: {problem_of(first)}{sent}",
            field or None,
            problems=field_problems([first]),
        ) from None
