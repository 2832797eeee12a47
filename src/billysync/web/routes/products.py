"""Products: the background sync's last pass (when, how many synced, unchanged, failed, the
last error), how many products are bound in Billy, and "Sync now"."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.store import bindings
from billysync.store.tables import ProductSyncState
from billysync.sync import service
from billysync.web import guards, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


@router.get("/shops/{shop_id}/products")
def products_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    with guards.runtime(request).db.session() as db_session:
        state = db_session.get(ProductSyncState, shop_id)
        if state is not None:
            db_session.expunge(state)
        bound = len(bindings.bindings_of_kind(db_session, shop_id, "product"))
    return render.page(
        request,
        "products.html",
        {"active": "products", "shop": shop, "state": state, "bound": bound},
    )


@router.post("/shops/{shop_id}/products/sync", dependencies=[guards.CsrfChecked])
def sync_now(request: Request, shop_id: int) -> Response:
    guards.load_shop(request, shop_id)
    try:
        service.sync_products(guards.runtime(request), shop_id)
    except Exception as exc:  # the engine's own failure: shown, not a 500
        log.exception("shop %s: the product pass could not be started", shop_id)
        render.flash(request, "error.not_started", "error", reason=str(exc)[:300])
        return render.redirect(f"/shops/{shop_id}/products")
    render.flash(request, "products.started")
    return render.redirect(f"/shops/{shop_id}/products")
