"""What is wrong with a shop's data, in plain words: pydantic's errors as "field: what to fix".

The canonical models' own checks (bounds.py, models.py) already speak in sentences that say
what to send instead; pydantic's built-in checks speak pydantic ("Input should be a valid
decimal"). Both doors of the edge, the JSON API and the Shoporama mapping, describe a
refused payload through `field_problems`, so the same mistake reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

_DATE_TIME = "send a date and time such as 2025-03-04T14:05:49+01:00"
_DATE = "send a date such as 2025-03-04"
_OBJECT = "send a JSON object {…}"
_LIST = "send a JSON list […]"

# pydantic's error type → what to do about it ({…} from the error's context).
_FIXES: Mapping[str, str] = {
    "missing": "add it: it is required",
    "extra_forbidden": "remove it: there is no such field",
    "string_too_short": "give a value: it must not be empty",
    "string_too_long": "shorten it to at most {max_length} characters",
    "too_short": "give at least {min_length}",
    "too_long": "send at most {max_length}",
    "string_type": "send text in quotes",
    "int_type": "send a whole number",
    "int_parsing": "send a whole number",
    "string_unicode": "send valid text: it holds a broken \\ud800-\\udfff escape",
    "bool_type": "send true or false",
    "bool_parsing": "send true or false",
    "datetime_type": _DATE_TIME,
    "datetime_parsing": _DATE_TIME,
    "datetime_from_date_parsing": _DATE_TIME,
    "datetime_object_invalid": _DATE_TIME,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE + " (no time of day)",
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "dict_type": _OBJECT,
    "tuple_type": _LIST,
    "list_type": _LIST,
    "iterable_type": _LIST,
    "literal_error": "send one of {expected}",
    "enum": "send one of {expected}",
}
_UNKNOWN = "is not a value billysync can use here; see the examples in the API documentation"


@dataclass(frozen=True)
class FieldProblem:
    field: str  # where in the payload, e.g. "lines.0.quantity"; "" for the whole payload
    problem: str  # what is wrong and what to send instead


def problem_of(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence that says what to fix."""
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    fix = _FIXES.get(kind)
    if fix is None:
        return _UNKNOWN
    context = error.get("ctx") or {}
    try:
        return fix.format(**context)
    except (KeyError, IndexError):
        return fix.split(" {", 1)[0]


def field_of(error: Mapping[str, Any]) -> str:
    """The error's place as dotted text; a money field's validator names itself, not a field."""
    parts = [str(part) for part in error.get("loc", ()) if part != "body"]
    return ".".join(part for part in parts if not part.startswith("function-"))


def field_problems(errors: Sequence[Mapping[str, Any]] | ValidationError) -> list[FieldProblem]:
    if isinstance(errors, ValidationError):
        errors = errors.errors()
    return [FieldProblem(field_of(error), problem_of(error)) for error in errors]
