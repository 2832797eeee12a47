"""Reading a JSON API body strictly, and saying where it is wrong in words.

FastAPI reads bodies with `json.loads`, which keeps the last of two equal keys (an order
with "total" twice would be booked with whichever came last), accepts `NaN` and
`Infinity`, and reports bad JSON as a character offset. `StrictJsonRoute` (FastAPI's
documented custom route class) parses the body here first: duplicate keys, non-JSON
numbers, text that is not UTF-8 and bad JSON are refused with 422 before the model sees
them, with "line 1, column 16" and what to fix; nothing is stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from billysync.shop.problems import FieldProblem
from billysync.web import api_problems

# json's own messages → plain words (the position is added as "line L, column C").
_JSON_FIXES = {
    "Expecting value": "a value is missing or is not JSON (text goes in double quotes)",
    "Expecting ',' delimiter": "a comma is missing between two values",
    "Expecting ':' delimiter": "a colon is missing after a key",
    "Expecting property name enclosed in double quotes": (
        "a key must be in double quotes (and there is no comma before a closing brace)"
    ),
    "Unterminated string starting at": "a text is not closed with a double quote",
    "Invalid control character at": "a text holds a control character (write a line break as \\n)",
    "Invalid \\escape": "a backslash escape is not valid JSON",
    "Extra data": "there is more after the end of the JSON value",
}


class BodyRefused(Exception):
    """The body cannot be read as one JSON value; `problems` says where and why."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.problem}" for p in problems))
        self.problems = problems


class _Duplicated(dict[str, Any]):
    """An object in which some key appeared more than once."""

    duplicates: list[str]


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    duplicates = []
    for key, value in pairs:
        if key in result:
            duplicates.append(key)
        result[key] = value
    if not duplicates:
        return result
    marked = _Duplicated(result)
    marked.duplicates = duplicates
    return marked


def _no_constant(name: str) -> Any:
    raise BodyRefused([FieldProblem("", f"{name} is not a JSON number; send a number or null")])


def _duplicate_problems(value: Any) -> list[FieldProblem]:
    """Where duplicate keys were found, as dotted paths (lines.0.quantity)."""
    found: list[FieldProblem] = []
    stack: list[tuple[str, Any]] = [("", value)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, _Duplicated):
            for key in node.duplicates:
                where = f"{path}.{key}" if path else key
                found.append(FieldProblem(where, "appears twice in one object; send it once"))
        if isinstance(node, dict):
            stack.extend((f"{path}.{k}" if path else k, v) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((f"{path}.{i}" if path else str(i), v) for i, v in enumerate(node))
    return sorted(found, key=lambda problem: problem.field)


def parse(body: bytes) -> Any:
    """The body as one JSON value, or `BodyRefused` saying where it is wrong."""
    if not body.strip():
        raise BodyRefused([FieldProblem("", "the body is empty; send the record as JSON")])
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        problem = f"byte {exc.start + 1} is not UTF-8 text; send JSON encoded as UTF-8"
        raise BodyRefused([FieldProblem("", problem)]) from None
    try:
        value = json.loads(text, object_pairs_hook=_object, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        fix = _JSON_FIXES.get(exc.msg, exc.msg)
        problem = f"not valid JSON at line {exc.lineno}, column {exc.colno}: {fix}"
        raise BodyRefused([FieldProblem("", problem)]) from None
    except RecursionError:
        raise BodyRefused([FieldProblem("", "the JSON is nested too deeply")]) from None
    except ValueError:  # an integer with thousands of digits
        problem = "a number has too many digits; send amounts such as 149.95"
        raise BodyRefused([FieldProblem("", problem)]) from None
    duplicates = _duplicate_problems(value)
    if duplicates:
        raise BodyRefused(duplicates)
    return value


def _is_json(request: Request) -> bool:
    """FastAPI's own rule: no content type, or a JSON one, means the body is JSON."""
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";", 1)[0].strip().lower()
    return not media or media == "application/json" or media.endswith("+json")


class StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """An API route whose JSON body is read by `parse` (refusals answered 422)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            strict = StrictJsonRequest(request.scope, request.receive)
            if request.method in ("POST", "PUT", "PATCH") and _is_json(request):
                try:
                    await strict.json()
                except BodyRefused as refused:
                    return api_problems.problems_response(refused.problems)
            return await handler(strict)

        return strict_handler
