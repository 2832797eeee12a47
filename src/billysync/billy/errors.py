"""What a failed Billy call means, and what to do about it.

Every failure the client raises is a `BillyError`; its subclass says what happens next:

    BillyError                     status, error_code, message, method, path, validation_errors
    ├── BillyConfigurationError    401/403, locked organization, bad base URL
    │                              → fix the key or settings; retrying will not help
    ├── BillyTransientError        nothing was changed in Billy → retry later
    │   ├── BillyRateLimited       429; `retry_after` seconds (from Retry-After) if Billy sent it
    │   └── BillyOutcomeUnknown    a write may have reached Billy and its answer is lost
    │                              → look the record up by its marker before any new attempt
    ├── BillyDataError             400/422 validation → fix the data; per-field messages
    │   ├── BillyConflictError     a duplicate marker (invoiceNo, contactNo, productNo) → adopt
    │   └── BillyMethodNotAllowed  405: we asked for something Billy does not offer (a bug)
    └── BillyNotFoundError         404 RECORD_NOT_FOUND / UNKNOWN_RESOURCE

`error_kind(exc)` folds the tree into the engine's four kinds (configuration, transient, data,
conflict). `error_for_response(...)` turns one HTTP answer into the right error.

No text here ever contains the access token: the client scrubs Billy's texts before building
errors, and the errors carry no request headers.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal

# The engine's four kinds of failure (what it does next); declared here, once.
ErrorKind = Literal["configuration", "transient", "data", "conflict"]

# Billy's API address (docs/billy-api.md §1.1); the one place it is written.
BILLY_API_URL = "https://api.billysbilling.com/v2"

# Fields that carry our deterministic markers; a uniqueness complaint on one is a conflict.
MARKER_FIELDS = ("invoiceNo", "contactNo", "productNo", "orderNo")
_MARKER_WORDS = re.compile(
    r"\b(?:invoice|contact|customer|product|order)(?:No\b| ?no\b\.?| ?number\b)",
    re.IGNORECASE,
)
_DUPLICATE_PHRASES = re.compile(
    r"not unique|must be unique|has to be unique|unique|already (?:been )?(?:used|exists?|taken|"
    r"in use|assigned)|already|exists|duplicate|in use",
    re.IGNORECASE,
)
_LOCKED_ORGANIZATION = re.compile(
    r"organi[sz]ation\b.{0,60}\blocked\b|\blocked\b.{0,60}\borgani[sz]ation|"
    r"company\b.{0,60}\blocked\b",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class FieldMessage:
    """One of Billy's validation messages: the record key it was filed under (the root name
    such as `invoice`, or a client id), the field (None for a message about the whole record)
    and Billy's words."""

    record: str
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.record}.{self.field}" if self.field else self.record
        return f"{where}: {self.message}"


class BillyError(Exception):
    """A Billy call failed. Subclasses say what to do next (`next_step`)."""

    next_step: ClassVar[str] = "See the message; retry once the cause is fixed."
    summary: ClassVar[str] = "Billy call failed"

    def __init__(
        self,
        status: int | None = None,
        error_code: str | None = None,
        message: str = "",
        method: str | None = None,
        path: str | None = None,
        validation_errors: Sequence[FieldMessage] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code
        self.message = message
        self.method = method
        self.path = path
        self.validation_errors: list[FieldMessage] = list(validation_errors)

    @property
    def field_messages(self) -> list[str]:
        """Billy's validation messages as lines a merchant can read."""
        return [str(m) for m in self.validation_errors]

    def _call(self) -> str:
        parts = []
        if self.method or self.path:
            parts.append(f"{self.method or '?'} {self.path or '?'}")
        answer = " ".join(str(p) for p in (self.status, self.error_code) if p is not None)
        if answer:
            parts.append(answer)
        return f" ({', '.join(parts)})" if parts else ""

    def __str__(self) -> str:
        detail = "; ".join(self.field_messages) or self.message
        text = f"{self.summary}{self._call()}"
        if detail:
            text += f": {detail.rstrip().rstrip('.')}"
        return f"{text}. {self.next_step}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status={self.status!r}, error_code={self.error_code!r}, "
            f"method={self.method!r}, path={self.path!r}, message={self.message!r})"
        )


class BillyConfigurationError(BillyError):
    summary = "Billy refused the access key or the organization"
    next_step = (
        "Fix the Billy API key or the organization in Billy (Settings → Access tokens, "
        "subscription), then retry by hand; automatic retries will not help."
    )


class BillyTransientError(BillyError):
    summary = "Billy could not be reached or answered with a temporary error"
    next_step = "Nothing was changed in Billy; retry later."


class BillyRateLimited(BillyTransientError):
    summary = "Billy asked us to slow down (rate limit)"

    def __init__(self, *args: Any, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after = retry_after

    @property
    def next_step(self) -> str:  # type: ignore[override]
        if self.retry_after is not None:
            return f"Nothing was changed in Billy; retry after {self.retry_after:g} seconds."
        return "Nothing was changed in Billy; retry later, more slowly."


class BillyOutcomeUnknown(BillyTransientError):
    summary = "Billy may or may not have saved this write; its answer was lost"
    next_step = (
        "Do not repeat the call blindly: look the record up in Billy by its marker "
        "(orderNo, invoiceNo, contactNo or productNo) first, adopt it if it is there, and "
        "create it only if it is not."
    )


class BillyDataError(BillyError):
    summary = "Billy rejected the data"
    next_step = "Fix the fields named above (in the shop or in billysync's settings), then retry."


class BillyConflictError(BillyDataError):
    summary = "Billy already has a record with this marker"
    next_step = (
        "Look the existing record up by its marker and adopt it instead of creating another."
    )


class BillyMethodNotAllowed(BillyDataError):
    summary = "Billy does not allow this method on this resource"
    next_step = "This is a bug in billysync's Billy client: report it; retrying will not help."


class BillyNotFoundError(BillyError):
    summary = "Billy has no such record or resource"
    next_step = (
        "Check that the record still exists in Billy (it may have been deleted there) and "
        "that the Billy base URL is right; then retry."
    )


def error_kind(exc: BillyError) -> ErrorKind:
    """The engine's four kinds: what it does next with this failure."""
    if isinstance(exc, BillyConflictError):
        return "conflict"
    if isinstance(exc, BillyConfigurationError):
        return "configuration"
    if isinstance(exc, BillyTransientError):
        return "transient"
    if isinstance(exc, BillyNotFoundError):
        # An unknown route means the base URL (a setting) is wrong; a missing record is data.
        return "configuration" if exc.error_code == "UNKNOWN_RESOURCE" else "data"
    if isinstance(exc, BillyDataError):
        return "data"
    # A bare BillyError is an answer we could not read: another try may well work.
    return "transient"


def parse_validation_errors(raw: object) -> list[FieldMessage]:
    """Billy's `validationErrors`: {record key: {"message": …, "attributes": {field: …}}}."""
    if not isinstance(raw, Mapping):
        return []
    found: list[FieldMessage] = []
    for record, value in raw.items():
        if isinstance(value, str):
            found.append(FieldMessage(str(record), None, value))
            continue
        if not isinstance(value, Mapping):
            continue
        message = value.get("message")
        if message:
            found.append(FieldMessage(str(record), None, _text(message)))
        attributes = value.get("attributes")
        if isinstance(attributes, Mapping):
            for field, text in attributes.items():
                found.append(FieldMessage(str(record), str(field), _text(text)))
    return found


def _text(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and "message" in value:
        return _text(value["message"])
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return str(value)


def is_duplicate_marker(messages: Sequence[FieldMessage], error_message: str = "") -> bool:
    """A validation failure that says one of our markers is already used."""
    for m in messages:
        if m.field in MARKER_FIELDS and _DUPLICATE_PHRASES.search(m.message):
            return True
    texts = [m.message for m in messages if m.field is None] + [error_message]
    return any(_MARKER_WORDS.search(t) and _DUPLICATE_PHRASES.search(t) for t in texts)


def is_locked_organization(error_code: str | None, message: str) -> bool:
    code = (error_code or "").upper()
    if "LOCKED" in code and ("ORG" in code or code in {"LOCKED", "ACCOUNT_LOCKED"}):
        return True
    return bool(_LOCKED_ORGANIZATION.search(message))


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_for_response(
    *,
    status: int,
    body: object,
    method: str,
    path: str,
    retry_after: str | None = None,
    safe: bool,
) -> BillyError:
    """The error one non-2xx Billy answer stands for.

    `safe` says whether the call can be repeated without effect (a GET): a 5xx on a write
    may come after Billy saved the record, so it is an unknown outcome, never "transient".
    """
    envelope = body if isinstance(body, Mapping) else {}
    code = envelope.get("errorCode")
    error_code = str(code) if code is not None else None
    message = str(envelope.get("errorMessage") or "")
    fields = parse_validation_errors(envelope.get("validationErrors"))
    common: dict[str, Any] = {
        "status": status,
        "error_code": error_code,
        "message": message or f"HTTP {status}",
        "method": method,
        "path": path,
        "validation_errors": fields,
    }
    locked_text = " ".join([message, *(m.message for m in fields)])
    if status in (401, 403) or (status < 500 and is_locked_organization(error_code, locked_text)):
        return BillyConfigurationError(**common)
    if status == 429:
        return BillyRateLimited(**common, retry_after=parse_retry_after(retry_after))
    if status >= 500:
        return BillyTransientError(**common) if safe else BillyOutcomeUnknown(**common)
    if status == 408:
        # Billy gave up waiting for our request body: nothing was processed.
        return BillyTransientError(**common)
    if status == 404:
        return BillyNotFoundError(**common)
    if status == 405:
        return BillyMethodNotAllowed(**common)
    if status == 409 or is_duplicate_marker(fields, message):
        return BillyConflictError(**common)
    if 300 <= status < 400:
        common["message"] = (
            f"HTTP {status} redirect: the Billy base URL is probably wrong (use {BILLY_API_URL})"
        )
        return BillyConfigurationError(**common)
    return BillyDataError(**common)
