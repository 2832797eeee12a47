"""The JSON API for any shop: push orders, returns and products; read an order's state.

Authenticated by the shop's API token (`Authorization: Bearer <token>`), which also decides
the shop: a token never reaches another shop's data. The body is the canonical model of
`billysync.shop.models`, read strictly (`strict_json`: no duplicate keys, no NaN); a body
that does not validate is answered 422 naming each bad field and what to fix, and nothing
is stored. A valid one is stored in the inbox under the SHA-256 of its canonical JSON (the
same content twice is stored once) and answered 202; the work happens in the background,
never in the request. Reading an order shows its state and reason, and whether the newest
version pushed has been worked yet and whether it differs from what Billy holds.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from billysync.money import from_ore
from billysync.shop.bounds import Key
from billysync.shop.models import Order, Product, Return
from billysync.shop.problems import FieldProblem
from billysync.store import inbox, shops, transfers
from billysync.store.tables import as_utc
from billysync.sync import service
from billysync.web import api_examples, api_problems, guards
from billysync.web.strict_json import StrictJsonRoute

router = APIRouter(prefix="/api/v1", tags=["JSON API"], route_class=StrictJsonRoute)
# The record's key in the URL: bounded like the body's key (shop/bounds.py).
UrlKey = Annotated[Key, Path(min_length=1, description="the record's key; equals the body's key")]

UNAUTHORIZED = {"WWW-Authenticate": "Bearer"}


class Accepted(BaseModel):
    status: Literal["accepted", "duplicate"] = Field(
        description="accepted: stored now; duplicate: the same content was received before"
    )
    event_id: int = Field(description="the inbox event that holds it")
    object_type: Literal["order", "return", "product"]
    object_key: str


class LatestPush(BaseModel):
    event_id: int = Field(description="the inbox event that holds the newest version received")
    received_at: datetime = Field(description="when it was received (UTC)")
    status: str = Field(
        description="new | queued: not worked yet; processed: worked; failed: see reason; "
        "ignored: nothing to do"
    )


class TransferState(BaseModel):
    key: str
    kind: Literal["order", "return"]
    number: str
    state: str = Field(
        description="received | waiting | transferred | paid | credited | failed | skipped"
    )
    reason: str | None = Field(description="why it failed or was skipped, or what changed")
    error_kind: str | None = Field(description="configuration | data | conflict | transient")
    billy_invoice_no: str | None
    amount: str | None = Field(description="the invoice's gross amount, e.g. '1249.00'")
    currency: str | None
    versions_received: int = Field(
        description="how many different versions of the record were received: the change counter"
    )
    latest_push: LatestPush | None = Field(
        description="the newest version received and whether it has been worked yet"
    )
    changed_after_invoicing: bool = Field(
        description="the newest version read differs from what was invoiced in Billy "
        "(Billy is not changed: the reason says what to do)"
    )
    attempts: int = Field(description="attempts made for the newest work")
    updated_at: datetime = Field(description="when the state last changed (UTC)")


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


def _key_mismatch(path_key: str, body_key: str) -> JSONResponse:
    problem = f"must be {path_key!r}, the key in the URL (it was {body_key!r})"
    return api_problems.problems_response([FieldProblem("key", problem)])


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
    422: {
        "model": api_problems.ValidationProblem,
        "description": "Nothing stored: each bad field (or the body's bad JSON) and its fix.",
    },
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
    key: UrlKey,
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
    key: UrlKey,
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
    key: UrlKey,
    shop_id: ShopId,
    product: Annotated[Product, Body(openapi_examples=api_examples.PRODUCT)],
) -> JSONResponse:
    if product.key != key:
        return _key_mismatch(key, product.key)
    return _store(request, shop_id, "product", key, product)


# --- reading ----------------------------------------------------------------------------

READ_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No valid API token."},
    404: {"description": "Not received."},
    422: {
        "model": api_problems.ValidationProblem,
        "description": "The key in the URL is not valid.",
    },
}


def _state(request: Request, shop_id: int, kind: str, key: str) -> TransferState:
    with guards.runtime(request).db.session() as db_session:
        row = transfers.get_transfer(db_session, shop_id, kind, key)
        if row is None:
            raise HTTPException(404, f"No {kind} {key!r} has been received for this shop.")
        count, newest = inbox.pushes_of(db_session, shop_id, kind, key)
        latest = None
        if newest is not None:
            latest = LatestPush(
                event_id=newest.id, received_at=as_utc(newest.received_at), status=newest.state
            )
        invoiced = row.transferred_hash
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
            versions_received=count,
            latest_push=latest,
            changed_after_invoicing=invoiced is not None and row.snapshot_hash != invoiced,
            attempts=row.attempts,
            updated_at=as_utc(row.updated_at),
        )


@router.get(
    "/orders/{key}",
    summary="An order's transfer state",
    description="Where the order is on its way into Billy, with the Billy invoice number.",
    response_model=TransferState,
    responses=READ_RESPONSES,
)
def get_order(request: Request, key: UrlKey, shop_id: ShopId) -> TransferState:
    return _state(request, shop_id, "order", key)


@router.get(
    "/returns/{key}",
    summary="A return's transfer state",
    description="Where the return is on its way into Billy, with the credit note's number.",
    response_model=TransferState,
    responses=READ_RESPONSES,
)
def get_return(request: Request, key: UrlKey, shop_id: ShopId) -> TransferState:
    return _state(request, shop_id, "return", key)
