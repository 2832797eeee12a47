"""Billy's error envelope, and the exception the emulator raises to answer with one.

Billy answers every failure with the same shape (docs/billy-api.md §2.1, fixtures `error_*.json`):

    {"meta": {"statusCode": 404, "success": false},
     "errorCode": "RECORD_NOT_FOUND", "errorMessage": "…", "helpUrl": "…",
     "validationErrors": {"invoice": {"message": "…", "attributes": {"invoiceNo": "…"}}}}

`validationErrors` is keyed by the record's `_clientId` when the client sent one, otherwise
by the record's root name (`invoice`); embedded lines without a `_clientId` are keyed
`invoice.lines[0]`, … (an emulator choice: Billy's key for them is docs/billy-api.md
open question 13).
"""

from __future__ import annotations

from typing import Any

HELP_URL = "https://www.billy.dk/support/"


class ApiError(Exception):
    """An answer other than 200, in Billy's envelope."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        validation_errors: dict[str, dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        error_time: str | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.validation_errors = validation_errors
        self.headers = headers or {}
        self.error_time = error_time

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "meta": {"statusCode": self.status, "success": False},
            "errorCode": self.code,
            "errorMessage": self.message,
            "helpUrl": HELP_URL,
        }
        if self.error_time is not None:
            body["errorTime"] = self.error_time
        if self.validation_errors:
            body["validationErrors"] = self.validation_errors
        return body


def not_found(singular: str, record_id: str) -> ApiError:
    return ApiError(
        404, "RECORD_NOT_FOUND", f"No `{singular}` record with id `{record_id}` was found."
    )


def unknown_resource(path: str) -> ApiError:
    return ApiError(404, "UNKNOWN_RESOURCE", f"Unknown resource `{path}`.")


def method_not_allowed(method: str, path: str) -> ApiError:
    return ApiError(405, "METHOD_NOT_ALLOWED", f"The method {method} is not allowed on `{path}`.")


def invalid_body(message: str) -> ApiError:
    return ApiError(400, "INVALID_REQUEST_BODY", message)


def invalid_parameter(message: str) -> ApiError:
    return ApiError(400, "INVALID_PARAMETER", message)


class Invalid:
    """Collects validation errors of one request, then raises them all at once.

    Billy validates a whole document (a record and its embedded children) and answers
    400 INVALID_RECORD with every error it found (see docs/billy-emulator.md on 400 vs 422).
    """

    def __init__(self) -> None:
        self.errors: dict[str, dict[str, Any]] = {}

    def field(self, record_key: str, field: str, message: str) -> None:
        entry = self.errors.setdefault(record_key, {})
        attributes = entry.setdefault("attributes", {})
        attributes.setdefault(field, message)
        entry["message"] = _summary(entry)

    def record(self, record_key: str, message: str) -> None:
        entry = self.errors.setdefault(record_key, {})
        entry["_record"] = message
        entry["message"] = _summary(entry)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def to_error(self) -> ApiError:
        cleaned = {
            key: {k: v for k, v in entry.items() if k != "_record"}
            for key, entry in self.errors.items()
        }
        return ApiError(400, "INVALID_RECORD", "Invalid record", validation_errors=cleaned)

    def raise_if_any(self) -> None:
        if self.errors:
            raise self.to_error()


def _summary(entry: dict[str, Any]) -> str:
    parts: list[str] = []
    if "_record" in entry:
        parts.append(str(entry["_record"]))
    for field, message in entry.get("attributes", {}).items():
        parts.append(f"{field}: {message}")
    return " ".join(parts)


def record_error(record_key: str, message: str) -> ApiError:
    """400 INVALID_RECORD with one record-level message, like Billy's missing-lines error."""
    invalid = Invalid()
    invalid.record(record_key, message)
    return invalid.to_error()


def field_error(record_key: str, field: str, message: str) -> ApiError:
    """400 INVALID_RECORD with one field error."""
    invalid = Invalid()
    invalid.field(record_key, field, message)
    return invalid.to_error()
