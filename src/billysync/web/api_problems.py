"""The JSON API's 422 answer: "nothing was stored", then each bad field and what to fix.

Validation errors of the canonical models (and of path parameters) are put in words by
`billysync.shop.problems`, the same words the Shoporama mapping uses; the body's own
syntax problems come from `strict_json`. Both are answered through `problems_response`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from billysync.shop import problems


class FieldProblem(BaseModel):
    field: str = Field(description="where in the body, e.g. lines.0.quantity; empty: the body")
    problem: str = Field(description="what is wrong, and what to send instead")


class ValidationProblem(BaseModel):
    detail: str
    errors: list[FieldProblem]


def problems_response(found: Sequence[problems.FieldProblem]) -> JSONResponse:
    listing = "; ".join(f"{p.field or 'the body'}: {p.problem}" for p in found)
    body = ValidationProblem(
        detail=f"Nothing was stored. Fix these fields and send it again: {listing}",
        errors=[FieldProblem(field=p.field, problem=p.problem) for p in found],
    )
    return JSONResponse(body.model_dump(), status_code=422)


def validation_error_response(errors: Sequence[Mapping[str, Any]]) -> JSONResponse:
    """FastAPI's `RequestValidationError` (body or path) as our 422."""
    found = []
    for error in errors:
        field = problems.field_of(error)
        if error.get("loc", ())[:1] == ("path",):
            field = "url: " + field.removeprefix("path.")
        found.append(problems.FieldProblem(field, problems.problem_of(error)))
    return problems_response(found)
