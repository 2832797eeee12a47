"""Preview: what would be posted to Billy for one order, computed by the engine without writing
anything anywhere, and shown as the invoice and payment would look.

The merchant types the order number the shop shows (e.g. 10001); the shop's internal key
works too. An order already in Billy says so, with its invoice number and a link to it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from billysync.billy.errors import BillyError
from billysync.store.tables import Shop, Transfer
from billysync.sync import service
from billysync.sync.runtime import NotConfigured
from billysync.web import documents, guards, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

# States in which the order's invoice is in Billy already.
BOOKED_STATES = ("transferred", "paid", "credited")


def find_order(request: Request, shop_id: int, typed: str) -> Transfer | None:
    """The shop's order with this order number (what the merchant sees), else this key."""
    with guards.runtime(request).db.session() as db_session:
        for column in (Transfer.number, Transfer.object_key):
            found = db_session.scalars(
                select(Transfer)
                .where(Transfer.shop_id == shop_id, Transfer.kind == "order", column == typed)
                .order_by(Transfer.id.desc())
                .limit(1)
            ).first()
            if found is not None:
                db_session.expunge(found)
                return found
    return None


def _account_names(request: Request, shop: Shop) -> dict[str, str]:
    """The chart of accounts by id (one Billy call), to name the payment's account."""
    try:
        with guards.runtime(request).billy_client(shop) as client:
            return documents.account_names(client.accounts.list())
    except (BillyError, NotConfigured):
        log.warning("shop %s: the accounts could not be read for the preview", shop.id)
        return {}


def _problems(result: dict[str, Any]) -> list[str]:
    reasons, plain = result.get("problem_reasons") or [], result.get("problems") or []
    return list(reasons) if len(reasons) == len(plain) else list(plain)


@router.get("/shops/{shop_id}/preview")
def preview_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    typed = (request.query_params.get("order") or "").strip()[:100]
    context: dict[str, Any] = {"active": "preview", "shop": shop, "typed": typed}
    if typed:
        transfer = find_order(request, shop_id, typed)
        key = transfer.object_key if transfer is not None else typed
        result = service.preview_order(guards.runtime(request), shop_id, key)
        context["transfer"] = transfer
        context["booked"] = transfer is not None and (
            transfer.state in BOOKED_STATES or bool(transfer.invoice_no)
        )
        if result.get("error"):
            context["error"] = result.get("reason") or result["error"]  # stored: in their words
            context["unknown_order"] = transfer is None
        else:
            invoice, payment = documents.from_preview(result, _account_names(request, shop))
            order = result.get("order")
            context.update(
                invoice=invoice,
                payment=payment,
                # by code when each has one (the merchant's words), else billysync's English
                problems=_problems(result),
                vat_treatment=result.get("vat_treatment"),
                new_products=result.get("new_products") or [],
                number=order.get("number") if isinstance(order, dict) else typed,
            )
    return render.page(request, "preview.html", context)
