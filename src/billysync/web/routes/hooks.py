"""The Shoporama webhook receiver: verify, store, answer — never a Billy call in the request.

`POST /hooks/shoporama/{shop_id}`: the raw body (over 1 MiB is refused with 413 before it is
read, see limits.py) is checked against the shop's webhook secret with HMAC-SHA256 in
constant time. Unsigned or wrongly signed deliveries get 401 and one log line; nothing of
them is stored. A signed event about an order, a return or a product is stored in the inbox
(the engine re-reads the object from Shoporama before acting) and answered 202; the same
delivery again is answered 200 "duplicate"; any other event is acknowledged (202) and
ignored.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from billysync.shop.shoporama import webhooks
from billysync.store import shops
from billysync.sync import service
from billysync.web import guards

log = logging.getLogger(__name__)
router = APIRouter(tags=["Webhooks"])

WORK_OBJECTS = ("order", "return", "product")
REFUSED = {"detail": "The signature is missing or wrong for this webhook."}


def _signing_settings(request: Request, shop_id: int) -> tuple[str, str] | None:
    """(secret, header name) of a Shoporama shop with a webhook secret, else None."""
    rt = guards.runtime(request)
    with rt.db.session() as db_session:
        shop = shops.get_shop(db_session, shop_id)
        if shop is None or shop.platform != "shoporama":
            return None
        secret = shops.webhook_secret(shop, rt.box)
        return (secret, shop.signature_header) if secret else None


@router.post(
    "/hooks/shoporama/{shop_id}",
    summary="Receive a Shoporama webhook",
    description=(
        "Paste this address (with the shop's id) into Shoporama's webhook settings, and the "
        "webhook's secret into billysync's shop connection. Answers 202 when the event is "
        "stored, 200 for a delivery already received, 401 when the signature is missing or "
        "wrong, 413 for a body over 1 MiB."
    ),
    status_code=202,
    responses={
        200: {"description": "Already received (duplicate delivery)."},
        400: {"description": "Signed, but not a webhook body we can read."},
        401: {"description": "Unsigned, wrongly signed, or not a Shoporama shop here."},
        413: {"description": "Body over 1 MiB."},
    },
)
async def shoporama_webhook(request: Request, shop_id: int) -> JSONResponse:
    body = await request.body()
    signing = await run_in_threadpool(_signing_settings, request, shop_id)
    address = guards.client_address(request)
    if signing is None:
        log.warning(
            "webhook refused: shop %s has no Shoporama webhook secret (from %s)", shop_id, address
        )
        return JSONResponse(REFUSED, status_code=401)
    secret, header_name = signing
    signature = webhooks.signature_from_headers(request.headers, header_name)
    if not webhooks.verify_signature(body, signature, secret):
        why = "no signature" if not signature else "wrong signature"
        log.warning("webhook refused: %s for shop %s (from %s)", why, shop_id, address)
        return JSONResponse(REFUSED, status_code=401)
    try:
        event = webhooks.parse_event(body, dict(request.query_params))
    except webhooks.InvalidWebhook as exc:
        log.warning("webhook unreadable for shop %s: %s", shop_id, exc)
        return JSONResponse({"detail": str(exc)}, status_code=400)
    if event.object_type not in WORK_OBJECTS or not event.object_id:
        return JSONResponse({"status": "ignored", "event": event.name}, status_code=202)
    received = await run_in_threadpool(
        _receive, request, shop_id, event, body.decode("utf-8", errors="replace")
    )
    status = "accepted" if received.is_new else "duplicate"
    answer: dict[str, Any] = {"status": status, "event_id": received.event_id}
    return JSONResponse(answer, status_code=202 if received.is_new else 200)


def _receive(
    request: Request, shop_id: int, event: webhooks.WebhookEvent, payload: str
) -> service.Received:
    assert event.object_id is not None
    work = service.Event(
        shop_id,
        service.EventSource.WEBHOOK,
        event.name,
        event.object_type,
        event.object_id,  # bounded by parse_event: never cut
        event.dedupe_key,
        payload,
    )
    return service.submit(guards.runtime(request), work)
