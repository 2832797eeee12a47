"""Products: the background sync's last pass (when, how many synced, unchanged, failed, the
last error), every product with its Billy state, last change and any failure (searchable,
paged), and "Sync now"."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.store.tables import ProductSyncState
from billysync.sync import service
from billysync.web import guards, render
from billysync.web.product_list import product_page

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


@router.get("/shops/{shop_id}/products")
def products_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    search = (request.query_params.get("q") or "").strip()[:100]
    text = request.query_params.get("page") or "1"
    number = int(text) if text.isdigit() and len(text) < 7 else 1
    with guards.runtime(request).db.session() as db_session:
        state = db_session.get(ProductSyncState, shop_id)
        if state is not None:
            db_session.expunge(state)
        page = product_page(db_session, shop_id, search, number)
    context = {"active": "products", "shop": shop, "state": state, "page": page, "q": search}
    headers = request.headers
    if headers.get("HX-Request") == "true" and headers.get("HX-Target") == "products":
        return render.page(request, "_products_table.html", context)
    return render.page(request, "products.html", context)


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
