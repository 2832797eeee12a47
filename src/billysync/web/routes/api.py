"""The JSON API for any shop: push orders, returns and products; read an order's state.

Authenticated by the shop's API token (`Authorization: Bearer <token>`), which also decides
the shop: a token never reaches another shop's data. The body is the canonical model of
`billysync.shop.models`; a body that does not validate is answered 422 naming each bad field
and what to fix, and nothing is stored. A valid one is stored in the inbox under the SHA-256
of its canonical JSON (the same content twice is stored once) and answered 202; the work
happens in the background, never in the request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from billysync.money import from_ore
from billysync.shop.models import Order, Product, Return
from billysync.store import shops, transfers
from billysync.sync import service
from billysync.web import api_examples, guards

router = APIRouter(prefix="/api/v1", tags=["JSON API"])

UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


class Accepted(BaseModel):
    status: Literal["accepted", "duplicate"] = Field(
        description="accepted: stored now; duplicate: the same content was received before"
    )
    event_id: int = Field(description="the inbox event that holds it")
    object_type: Literal["order", "return", "product"]
    object_key: str


class FieldProblem(BaseModel):
    field: str = Field(description="where in the body, e.g. lines.0.quantity")
    problem: str = Field(description="what is wrong, and what to send instead")


class ValidationProblem(BaseModel):
    detail: str
    errors: list[FieldProblem]


class TransferState(BaseModel):
    key: str
    kind: Literal["order", "return"]
    number: str
    state: str = Field(
        description="received | waiting | transferred | paid | credited | failed | skipped"
    )
    reason: str | None = Field(description="why it failed or was skipped, in words")
    error_kind: str | None = Field(description="configuration | data | conflict | transient")
    billy_invoice_no: str | None
    amount: str | None = Field(description="the invoice's gross amount, e.g. '1249.00'")
    currency: str | None
    updated_at: datetime


# --- authentication and errors ----------------------------------------------------------


def api_shop_id(request: Request) -> int:
    """The shop whose API token is in `Authorization: Bearer …`, or 401."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401, "Send the shop's API token as 'Authorization: Bearer <token>'.", UNAUTHORIZED
        )
    with guards.runtime(request).db.session() as db_session:
        shop = shops.shop_by_api_token(db_session, token.strip())
        if shop is None:
            raise HTTPException(
                401, "This API token is not valid (it may have been renewed).", UNAUTHORIZED
            )
        return shop.id


ShopId = Annotated[int, Depends(api_shop_id)]

_FIXES = {
    "missing": "add it: it is required",
    "extra_forbidden": "remove it: there is no such field",
    "string_too_short": "give a value: it must not be empty",
    "too_short": "give at least one",
    "model_attributes_type": "send a JSON object",
    "dict_type": "send a JSON object",
    "json_invalid": "send valid JSON",
}


def problems_of(errors: Sequence[Any]) -> list[FieldProblem]:
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part != "body"]
        # A money field's BeforeValidator names itself in the location; it is not a field.
        loc = [part for part in loc if not part.startswith("function-")]
        message = str(error.get("msg", "is not valid"))
        message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        fix = _FIXES.get(str(error.get("type", "")), message)
        found.append(FieldProblem(field=".".join(loc) or "(the body)", problem=fix))
    return found


def validation_error_response(errors: Sequence[Any]) -> JSONResponse:
    problems = problems_of(errors)
    listing = "; ".join(f"{p.field}: {p.problem}" for p in problems)
    body = ValidationProblem(
        detail=f"Nothing was stored. Fix these fields and send it again: {listing}",
        errors=problems,
    )
    return JSONResponse(body.model_dump(), status_code=422)


def _key_mismatch(path_key: str, body_key: str) -> JSONResponse:
    return validation_error_response(
        [
            {
                "loc": ("body", "key"),
                "msg": f"must be {path_key!r}, the key in the URL (it was {body_key!r})",
            }
        ]
    )


# --- receiving --------------------------------------------------------------------------


def _store(
    request: Request, shop_id: int, object_type: str, key: str, model: BaseModel
) -> JSONResponse:
    canonical = model.model_dump_json()
    digest = hashlib.sha256(canonical.encode()).hexdigest()
    event = service.Event(
        shop_id, service.EventSource.API, f"{object_type}.put", object_type, key, digest, canonical
    )
    received = service.submit(guards.runtime(request), event)
    is_new = received.is_new
    answer = Accepted(
        status="accepted" if is_new else "duplicate",
        event_id=received.event_id,
        object_type=object_type,
        object_key=key,
    )
    return JSONResponse(answer.model_dump(), status_code=202 if is_new else 200)


RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Accepted, "description": "The same content was received before: stored once."},
    202: {"model": Accepted, "description": "Stored; transferred to Billy in the background."},
    401: {"description": "No valid API token."},
    413: {"description": "Body over 1 MiB."},
    422: {"model": ValidationProblem, "description": "Nothing stored: each bad field and its fix."},
}


@router.put(
    "/orders/{key}",
    summary="Send an order (new or changed)",
    description=(
        "Send the order as the shop has it now, each time it changes (created, paid, shipped, "
        "cancelled). It becomes a Billy invoice when the shop's trigger is met (paid or "
        "shipped), with its payment posted if the shop posts payments. Prices are gross "
        "(including VAT) when `prices_include_vat` is true. `key` must equal the URL's key."
    ),
    status_code=202,
    responses=RESPONSES,
    response_model=Accepted,
)
def put_order(
    request: Request,
    key: str,
    shop_id: ShopId,
    order: Annotated[Order, Body(openapi_examples=api_examples.ORDER)],
) -> JSONResponse:
    if order.key != key:
        return _key_mismatch(key, order.key)
    return _store(request, shop_id, "order", key, order)


@router.put(
    "/returns/{key}",
    summary="Send a return or credit note",
    description=(
        "A return or credit note on an order sent before: it becomes a Billy credit note on "
        "that order's invoice, and the refund is posted if the shop posts payments. "
        "`key` must equal the URL's key."
    ),
    status_code=202,
    responses=RESPONSES,
    response_model=Accepted,
)
def put_return(
    request: Request,
    key: str,
    shop_id: ShopId,
    ret: Annotated[Return, Body(openapi_examples=api_examples.RETURN)],
) -> JSONResponse:
    if ret.key != key:
        return _key_mismatch(key, ret.key)
    return _store(request, shop_id, "return", key, ret)


@router.put(
    "/products/{key}",
    summary="Send a product (new or changed)",
    description=(
        "Kept in Billy as a product per item number (each variant with its own item number "
        "is its own product); unchanged content costs no Billy call. `key` must equal the "
        "URL's key."
    ),
    status_code=202,
    responses=RESPONSES,
    response_model=Accepted,
)
def put_product(
    request: Request,
    key: str,
    shop_id: ShopId,
    product: Annotated[Product, Body(openapi_examples=api_examples.PRODUCT)],
) -> JSONResponse:
    if product.key != key:
        return _key_mismatch(key, product.key)
    return _store(request, shop_id, "product", key, product)


# --- reading ----------------------------------------------------------------------------


def _state(request: Request, shop_id: int, kind: str, key: str) -> TransferState:
    with guards.runtime(request).db.session() as db_session:
        row = transfers.get_transfer(db_session, shop_id, kind, key)
        if row is None:
            raise HTTPException(404, f"No {kind} {key!r} has been received for this shop.")
        return TransferState(
            key=row.object_key,
            kind=row.kind,
            number=row.number,
            state=row.state,
            reason=row.reason,
            error_kind=row.error_kind,
            billy_invoice_no=row.invoice_no,
            amount=str(from_ore(row.amount_ore)) if row.amount_ore is not None else None,
            currency=row.currency,
            updated_at=row.updated_at,
        )


@router.get(
    "/orders/{key}",
    summary="An order's transfer state",
    description="Where the order is on its way into Billy, with the Billy invoice number.",
    response_model=TransferState,
    responses={401: {"description": "No valid API token."}, 404: {"description": "Not received."}},
)
def get_order(request: Request, key: str, shop_id: ShopId) -> TransferState:
    return _state(request, shop_id, "order", key)


@router.get(
    "/returns/{key}",
    summary="A return's transfer state",
    description="Where the return is on its way into Billy, with the credit note's number.",
    response_model=TransferState,
    responses={401: {"description": "No valid API token."}, 404: {"description": "Not received."}},
)
def get_return(request: Request, key: str, shop_id: ShopId) -> TransferState:
    return _state(request, shop_id, "return", key)
