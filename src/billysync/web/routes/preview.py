"""Preview: what would be posted to Billy for one order (contact, lines with VAT, totals,
payment), computed by the engine without writing anything anywhere."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.sync import service
from billysync.web import guards, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


@router.get("/shops/{shop_id}/preview")
def preview_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    order_key = (request.query_params.get("order") or "").strip()[:100]
    result: dict[str, Any] | None = None
    if order_key:
        result = service.preview_order(guards.runtime(request), shop_id, order_key)
    return render.page(
        request,
        "preview.html",
        {"active": "preview", "shop": shop, "order_key": order_key, "result": result},
    )
