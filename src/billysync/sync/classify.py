"""Failures are classified once, here, into what the engine does next.

- transient: retried by itself, durably, with backoff (network, 5xx, 429, unknown outcome,
  another attempt busy with the same record);
- configuration: the shop's settings, its Billy key or something in Billy needs a fix (also
  when Billy refuses an account or product chosen in them, a VAT rate or a contact, or the
  period is locked); stop, retry by command;
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
import re
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, SQLAlchemyError, StatementError

from billysync.billy.errors import (
    BillyConfigurationError,
    BillyConflictError,
    BillyDataError,
    BillyError,
    BillyMethodNotAllowed,
    BillyNotFoundError,
    BillyOutcomeUnknown,
    BillyRateLimited,
    ErrorKind,
    error_kind,
)
from billysync.mapping.errors import MappingError
from billysync.shop.errors import (
    ObjectGone,
    ShopDataError,
    ShopError,
    ShopRefused,
    ShopUnavailable,
)
from billysync.shop.problems import FieldProblem, encode_problems, field_problems
from billysync.store.intents import IntentBusy
from billysync.sync.reasons import Place, Reason
from billysync.sync.runtime import NotConfigured


@dataclass(frozen=True)
class Failure:
    kind: ErrorKind
    reason: Reason


class Finding(Exception):
    """Something a person must look at (e.g. two Billy invoices carry our marker)."""

    def __init__(self, message: str, document: str = "") -> None:
        super().__init__(message)
        self.document = document


# Billy's resource path → the document it holds (for "Billy refused the invoice").
_DOCUMENTS = {
    "invoices": "invoice",
    "bankPayments": "payment",
    "contacts": "contact",
    "products": "product",
}
# Billy's fields that hold a billysync setting: a refusal there is fixed in the settings.
_SETTING_FIELDS = {
    "cashAccountId": "settings.payment_account",
    "depositAccountId": "settings.payment_account",
    "accountId": "settings.sales_account",
    "productId": "settings.product",
}
# Billy's fields that name a record in Billy: a refusal there is fixed in Billy.
_BILLY_FIELDS = {
    "taxRateId": "billy.vat_rate",
    "contactId": "billy.contact",
}
# Billy refusing a date in a closed period (its `fiscalLockingDate`): the fix is in Billy.
_PERIOD_LOCKED = re.compile(
    r"fiscal|locking ?date|locked period|period is (?:locked|closed)|"
    r"(?:date|period)\b.{0,40}\block|PERIOD_LOCKED|LOCKED_PERIOD",
    re.IGNORECASE | re.DOTALL,
)
# The day a locking-date refusal names (docs/billy-api.md open question 19).
_LOCKING_DATE = re.compile(r"locking ?date\D{0,20}(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
# Billy's words kept with a reason are cut at this length (a page shows them in a line).
_QUOTE_LIMIT = 300


def classify(exc: BaseException) -> Failure:
    failure = _classify(exc)
    if failure.kind == "data" and failure.reason.place in (Place.SETTINGS, Place.BILLY):
        # Fixed in our settings or in Billy, whatever Billy calls it: the merchant finds it
        # with the settings' failures ("fix them under Settings or in Billy") and retries it
        # with them, never under "correct the order in the shop".
        return Failure("configuration", failure.reason)
    return failure


def _classify(exc: BaseException) -> Failure:
    if isinstance(exc, IntentBusy):
        return Failure("transient", Reason("wait.busy"))
    if isinstance(exc, NotConfigured):
        return Failure("configuration", _not_configured(exc))
    if isinstance(exc, BillyError):
        return Failure(error_kind(exc), billy_reason(exc))
    if isinstance(exc, ValidationError):
        return Failure("data", _shop_invalid(field_problems(exc)))
    if isinstance(exc, ShopDataError) and exc.problems:
        return Failure("data", _shop_invalid(exc.problems))
    if isinstance(exc, Finding):
        return Failure("conflict", Reason("billy.duplicate", {"document": exc.document}))
    if isinstance(exc, ShopRefused):
        return Failure("configuration", Reason("settings.shop_token"))
    if isinstance(exc, ShopUnavailable):
        return Failure("transient", Reason("wait.shop_unavailable"))
    if isinstance(exc, ObjectGone):
        return Failure("data", Reason("shop.gone"))
    if isinstance(exc, MappingError) and exc.code:
        return Failure("data", Reason(exc.code, exc.params))
    if isinstance(exc, SQLAlchemyError):
        return _database_failure(exc)
    content = _content_failure(exc)
    if content is not None:
        return content
    # Other payload errors: the merchant's sentence, their own words kept as a detail.
    if isinstance(exc, ValueError | ShopError):
        return Failure("data", Reason("shop.other", _quoted(str(exc), "detail")))
    return Failure("transient", Reason("wait.unexpected", {"error": type(exc).__name__}))


def billy_reason(exc: BillyError) -> Reason:
    """A Billy failure, filed under where it is fixed: our settings, Billy, or the shop."""
    document = _document_of(exc.path)
    if isinstance(exc, BillyConfigurationError):
        if exc.status in (401, 403):
            return Reason("settings.billy_key")
        if exc.status is None or 300 <= exc.status < 400:
            return Reason("settings.billy_address")
        return Reason("billy.locked")
    if isinstance(exc, BillyRateLimited):
        return Reason("wait.billy_slow_down")
    if isinstance(exc, BillyOutcomeUnknown):
        return Reason("wait.billy_unconfirmed", {"document": document})
    if isinstance(exc, BillyMethodNotAllowed):
        return Reason("billy.unsupported")
    if isinstance(exc, BillyConflictError):
        return Reason("billy.duplicate", {"document": document})
    if isinstance(exc, BillyNotFoundError):
        if exc.error_code == "UNKNOWN_RESOURCE":
            return Reason("settings.billy_address")
        return Reason("billy.record_gone")
    if isinstance(exc, BillyDataError):
        return _refused_data(exc, document)
    return Reason("wait.billy_unavailable")


def _refused_data(exc: BillyDataError, document: str) -> Reason:
    """Billy's validation refusal, by the field it names: one of our settings, a record in
    Billy, a closed period, the customer's details, or else the order itself."""
    said = "; ".join(str(m) for m in exc.validation_errors) or exc.message
    texts = " ".join(
        [exc.error_code or "", exc.message, *(m.message for m in exc.validation_errors)]
    )
    if _PERIOD_LOCKED.search(texts):
        until = _LOCKING_DATE.search(texts)
        if until:  # the last locked day, where Billy names it (the emulator does, A29)
            params = {"document": document, "until": until.group(1), **_quoted(said)}
            return Reason("billy.period_locked_until", params)
        return Reason("billy.period_locked", {"document": document, **_quoted(said)})
    for message in exc.validation_errors:
        code = _SETTING_FIELDS.get(message.field or "")
        if code is not None:  # our setting, said in the merchant's words (Billy's: in logs)
            return Reason(code)
    for message in exc.validation_errors:
        code = _BILLY_FIELDS.get(message.field or "")
        if code is not None:
            return Reason(code, {"document": document, **_quoted(said)})
    if document == "contact":
        return Reason("shop.customer", _quoted(said))
    if document == "product":
        return Reason("shop.product_refused", _quoted(said))
    return Reason("shop.billy_refused", {"document": document, **_quoted(said)})


def _quoted(words: str, by: str = "billy") -> dict[str, str]:
    """Someone's own words as a reason's quote (never its sentence), shortened for a page."""
    words = " ".join(words.split())
    if len(words) > _QUOTE_LIMIT:
        words = words[: _QUOTE_LIMIT - 1].rstrip() + "…"
    return {"quote": words, "quote_by": by} if words else {}


def _document_of(path: str | None) -> str:
    resource = (path or "").strip("/").split("/", 1)[0].split("?", 1)[0]
    return _DOCUMENTS.get(resource, "document")


def _not_configured(exc: NotConfigured) -> Reason:
    return Reason("settings.incomplete", {"setting": ",".join(exc.missing) or "billy_key"})


def _shop_invalid(found: list[FieldProblem]) -> Reason:
    """The canonical model's refusals: in English, and by code for the merchant's language."""
    problems = "; ".join(f"{p.field}: {p.problem}" if p.field else p.problem for p in found)
    return Reason("shop.invalid", {"problems": problems, "problem_list": encode_problems(found)})


# SQLSTATE codes (PostgreSQL, class 22 "data exception") that a value of the order causes.
_VALUE_ERRORS = {
    "22001": "shop.value_too_long",
    "22003": "shop.value_out_of_range",
    "22007": "shop.date_unreadable",
    "22008": "shop.value_out_of_range",
    "22021": "shop.value_bad_characters",
    "22P05": "shop.value_bad_characters",
}


def _database_failure(exc: SQLAlchemyError) -> Failure:
    """A database error, by its type and SQLSTATE; its text (SQL, parameters) is never shown."""
    orig = exc.orig if isinstance(exc, StatementError) else None
    if isinstance(exc, DataError):
        code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        if code is None and "NUL" in str(orig):  # psycopg refuses NUL bytes before sending
            code = "22021"
        return Failure("data", Reason(_VALUE_ERRORS.get(str(code), "shop.value_unstorable")))
    if isinstance(exc, StatementError) and not isinstance(exc, DBAPIError) and orig is not None:
        # A value the driver refused while binding it (e.g. SQLite's "int too large").
        content = _content_failure(orig)
        if content is not None:
            return content
    # Locked, disconnected, serialization failures: the database's moment, not the order.
    name = type(orig).__name__ if orig is not None else type(exc).__name__
    return Failure("transient", Reason("wait.database", {"error": name}))


def _content_failure(exc: BaseException) -> Failure | None:
    """An arithmetic or range error raised by a value of the order, or None."""
    if isinstance(exc, decimal.DecimalException | OverflowError):
        return Failure("data", Reason("shop.value_out_of_range"))
    ours = isinstance(exc, MappingError | ShopError)  # these say what to fix themselves
    if isinstance(exc, ValueError) and not ours and "out of range" in str(exc):
        # datetime's own checks: "year 10000 is out of range", "date value out of range".
        return Failure("data", Reason("shop.value_out_of_range"))
    return None
