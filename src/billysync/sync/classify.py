"""Failures are classified once, here, into what the engine does next.

- transient: retried by itself, durably, with backoff (network, 5xx, 429, unknown outcome,
  another attempt busy with the same record);
- configuration: the shop's settings or Billy key need a fix; stop, retry by command;
- data: this order cannot be booked as it is (validation, totals mismatch, bad payload);
  stop with the reason in words, retry by command after the fix;
- conflict: Billy already has the document; adopt it (handled inside the ensure steps,
  so reaching here means more than one candidate: a finding for a person to resolve).

An unexpected error caused by the order's content (an amount too large for a decimal or a
column, a date out of range, a text too long or with a NUL byte for the database) is data:
retrying cannot change the order, so it stops with the reason in words. A reason is shown
to the merchant and logged, so it never carries SQL, bound parameters or a stack trace:
database errors are described by their SQLSTATE class, never by their text.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, SQLAlchemyError, StatementError

from billysync.billy.errors import BillyError, ErrorKind, error_kind
from billysync.mapping.errors import MappingError
from billysync.shop.errors import ObjectGone, ShopError, ShopRefused, ShopUnavailable
from billysync.store.intents import IntentBusy
from billysync.sync.runtime import NotConfigured


@dataclass(frozen=True)
class Failure:
    kind: ErrorKind
    reason: str


class Finding(Exception):
    """Something a person must look at (e.g. two Billy invoices carry our marker)."""


def classify(exc: BaseException) -> Failure:
    if isinstance(exc, IntentBusy):
        return Failure("transient", str(exc))
    if isinstance(exc, NotConfigured):
        return Failure("configuration", str(exc))
    if isinstance(exc, BillyError):
        return Failure(error_kind(exc), str(exc))
    if isinstance(exc, ValidationError):
        fields = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return Failure("data", f"the shop's data cannot be used: {fields}")
    if isinstance(exc, Finding):
        return Failure("conflict", str(exc))
    if isinstance(exc, ShopRefused):
        return Failure("configuration", f"the shop refused our token: {exc}")
    if isinstance(exc, ShopUnavailable):
        return Failure("transient", f"the shop could not answer now: {exc}")
    # Mapping errors (TotalsMismatch, MissingProduct), a vanished object and the shop's
    # payload errors each say what to fix.
    if isinstance(exc, MappingError | ObjectGone | ShopError):
        return Failure("data", str(exc))
    if isinstance(exc, SQLAlchemyError):
        return _database_failure(exc)
    content = _content_failure(exc)
    if content is not None:
        return content
    return Failure("transient", f"unexpected error {type(exc).__name__}: {_short(str(exc))}")


# SQLSTATE codes (PostgreSQL, class 22 "data exception") that a value of the order causes.
_VALUE_ERRORS = {
    "22001": "a text of the order is longer than billysync can store (e.g. an order number "
    "or SKU); shorten it in the shop",
    "22003": "a number or amount of the order is out of range; correct it in the shop",
    "22007": "a date of the order cannot be read; correct it in the shop",
    "22008": "a date of the order is out of range; correct it in the shop",
    "22021": "a text of the order contains characters the database cannot store (such as a "
    "NUL byte); correct it in the shop",
    "22P05": "a text of the order contains characters the database cannot store (such as a "
    "NUL byte); correct it in the shop",
}
_VALUE_ERROR = "a value of the order cannot be stored (too long, out of range or not valid text)"
_NOT_STORED = "; then retry the order"


def _database_failure(exc: SQLAlchemyError) -> Failure:
    """A database error, by its type and SQLSTATE; its text (SQL, parameters) is never shown."""
    orig = exc.orig if isinstance(exc, StatementError) else None
    if isinstance(exc, DataError):
        code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if code is None and "NUL" in str(orig):  # psycopg refuses NUL bytes before sending
            code = "22021"
        return Failure("data", _VALUE_ERRORS.get(str(code), _VALUE_ERROR) + _NOT_STORED)
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError) and orig is not None:
        # A value the driver refused while binding it (e.g. SQLite's "int too large").
        content = _content_failure(orig)
        if content is not None:
            return content
    # Locked, disconnected, serialization failures: the database's moment, not the order.
    name = type(orig).__name__ if orig is not None else type(exc).__name__
    return Failure("transient", f"the database could not complete the work now ({name})")


def _content_failure(exc: BaseException) -> Failure | None:
    """An arithmetic or range error raised by a value of the order, or None."""
    if isinstance(exc, decimal.DecimalException | OverflowError):
        return Failure(
            "data",
            "an amount, number or date of the order is out of range "
            f"({type(exc).__name__}); correct it in the shop{_NOT_STORED}",
        )
    if isinstance(exc, ValueError) and "out of range" in str(exc):
        # datetime's own checks: "year 10000 is out of range", "date value out of range".
        return Failure(
            "data", f"a date of the order is out of range ({_short(str(exc))}){_NOT_STORED}"
        )
    return None


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
