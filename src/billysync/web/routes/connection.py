"""Settings → Shop connection: Shoporama's REST address and token, the webhook secret and
the signature header, shown with the webhook address to paste into Shoporama.

Secrets left empty keep their saved value; saved secrets are shown by their last four
characters only. A changed REST address needs the token again, so a saved token is never
sent anywhere it was not entered for.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.store import shops
from billysync.sync import shop_setup
from billysync.web import guards, render
from billysync.web.routes.settings import SettingsView, form_from_shop, read_lists

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

# The page's catalogue keys for the shared rules' codes (shop_setup.connection_problems).
TEXT_KEYS = {"url_invalid": "settings.url_invalid"}


@router.post("/shops/{shop_id}/settings/connection", dependencies=[guards.CsrfChecked])
async def save_connection(request: Request, shop_id: int) -> Response:
    rt = guards.runtime(request)
    shop = guards.load_shop(request, shop_id)
    raw = await request.form()
    form = {
        name: str(raw.get(name) or "").strip()
        for name in ("shop_base_url", "shop_token", "webhook_secret", "signature_header")
    }
    base_url = form["shop_base_url"].rstrip("/")
    header = form["signature_header"] or "X-Shoporama-Signature"
    problems = shop_setup.connection_problems(
        base_url=base_url,
        stored_base_url=shop.shop_base_url,
        new_token=bool(form["shop_token"]),
        has_stored_token=bool(shop.shop_token_secret),
        signature_header=header,
    )
    errors: dict[str, tuple[str, dict[str, Any]]] = {
        p.field: (TEXT_KEYS.get(p.code, f"connection.{p.code}"), p.params) for p in problems
    }
    if errors:
        choices, lists_error = read_lists(request, shop)
        view = SettingsView(shop, choices, lists_error, form_from_shop(shop, choices))
        context = view.context(request) | {
            "connection_errors": errors,
            "connection_form": {"shop_base_url": base_url, "signature_header": header},
            "general_error": "settings.fix_below",
        }
        return render.page(request, "settings.html", context, status_code=400)
    with rt.db.session() as db_session:
        row = guards.shop_or_404(db_session, shop_id)
        shops.set_shop_connection(
            row,
            rt.box,
            base_url=base_url or None,
            token=form["shop_token"] or None,
            webhook_secret=form["webhook_secret"] or None,
            signature_header=header,
        )
        if not base_url:
            row.shop_base_url = None
    render.flash(request, "connection.saved")
    return render.redirect(f"/shops/{shop_id}/settings#connection")
