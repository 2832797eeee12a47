"""What is wrong with a shop's data, in plain words: pydantic's errors as "field: what to fix".

The canonical models' own checks (bounds.py, models.py) raise a `Problem`: a code with its
parameters; pydantic's built-in checks are named by pydantic's error type. Either way a
problem has a code of `PROBLEM_TEXTS`, whose English is here and whose Danish is the pages'
catalogue (web/texts_problems.py, `problem.<code>`), so a refused order reads in the
merchant's language on the pages and in English in the JSON API. Both doors of the edge,
the JSON API and the Shoporama mapping, describe a refused payload through `field_problems`,
so the same mistake reads the same everywhere.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

_DATE_TIME = "send a date and time such as 2025-03-04T14:05:49+01:00"
_DATE = "send a date such as 2025-03-04"
_OBJECT = "send a JSON object {…}"
_LIST = "send a JSON list […]"

# code → English; the codes of pydantic's error types are pydantic's own names.
PROBLEM_TEXTS: Mapping[str, str] = {
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
    "unknown": "is not a value billysync can use here; see the examples in the API documentation",
    # the canonical models' own checks (bounds.py, models.py)
    "control_character": "contains the control character U+{char}; remove it",
    "control_nul": "contains the control character U+0000; remove it (PostgreSQL cannot store NUL)",
    "country": "{value} is not an ISO 3166 country code; send two letters such as DK, SE or DE",
    "currency": "{value} is not an ISO 4217 currency code; send three letters such as DKK or EUR",
    "amount_negative": (
        "must be 0 or more (got {value}); money taken off is a positive discount or gift card, "
        "money paid back is a return"
    ),
    "amount_too_large": "is larger than {limit}; check the amount (got {value})",
    "quantity_not_positive": "must be more than 0 (got {value})",
    "quantity_too_large": "is larger than {limit}; check the quantity (got {value})",
    "line_too_large": "quantity × unit_price is {value}, more than {limit}; check the amounts",
    "order_too_large": "the lines and shipping is {value}, more than {limit}; check the amounts",
    "date_out_of_range": "{day} is outside the years {first}–{last}; check the date",
    "no_lines": "give at least one line",
    "too_many_lines": (
        "has {count} lines; billysync books at most {limit} on one Billy document: check what "
        "the shop sent"
    ),
    "fee_too_large": "fee must be less than the amount paid",
    "return_empty": "a return needs at least one line or refunded shipping",
}


class Problem(ValueError):
    """A canonical model's own check failed: a code of `PROBLEM_TEXTS` and its parameters."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        super().__init__(PROBLEM_TEXTS[code].format(**self.params))


@dataclass(frozen=True)
class FieldProblem:
    field: str  # where in the payload, e.g. "lines.0.quantity"; "" for the whole payload
    problem: str  # what is wrong and what to send instead (English)
    code: str = "unknown"  # the problem's code, for the merchant's language
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)


def code_of(error: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """One pydantic error's problem code and its parameters."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        raised = context.get("error")
        if isinstance(raised, Problem):
            return raised.code, dict(raised.params)
        return "unknown", {}
    if kind not in PROBLEM_TEXTS:
        return "unknown", {}
    return kind, {str(name): str(value) for name, value in context.items()}


def problem_of(error: Mapping[str, Any]) -> str:
    """One pydantic error as a sentence that says what to fix."""
    kind = str(error.get("type", ""))
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("msg", ""))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    code, params = code_of(error)
    return text_of(code, params)


def text_of(code: str, params: Mapping[str, str]) -> str:
    """A problem code's English text (a missing parameter leaves the sentence before it)."""
    text = PROBLEM_TEXTS.get(code, PROBLEM_TEXTS["unknown"])
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text.split(" {", 1)[0]


def field_of(error: Mapping[str, Any]) -> str:
    """The error's place as dotted text; a money field's validator names itself, not a field."""
    parts = [str(part) for part in error.get("loc", ()) if part != "body"]
    return ".".join(part for part in parts if not part.startswith("function-"))


def field_problems(errors: Sequence[Mapping[str, Any]] | ValidationError) -> list[FieldProblem]:
    if isinstance(errors, ValidationError):
        errors = errors.errors()
    found = []
    for error in errors:
        code, params = code_of(error)
        found.append(FieldProblem(field_of(error), problem_of(error), code, params))
    return found


def encode_problems(found: Sequence[FieldProblem]) -> str:
    """The problems as a reason keeps them: field, code and parameters, as JSON."""
    return json.dumps(
        [{"field": p.field, "code": p.code, "params": dict(p.params)} for p in found],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_problems(stored: str) -> list[FieldProblem]:
    """`encode_problems` read back; nothing for a text that is not such a list."""
    try:
        raw = json.loads(stored)
    except ValueError:
        return []
    found = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        code = str(item.get("code") or "unknown")
        raw_params = item.get("params")
        params = (
            {str(k): str(v) for k, v in raw_params.items()}
            if isinstance(raw_params, Mapping)
            else {}
        )
        code = code if code in PROBLEM_TEXTS else "unknown"
        found.append(
            FieldProblem(str(item.get("field") or ""), text_of(code, params), code, params)
        )
    return found
