"""The setup check: every finding as a pass/fail line with what to fix.

Reading only: it asks Billy (through the engine's `service.setup_check`) and changes nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.sync import service
from billysync.web import guards, i18n, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


@router.get("/shops/{shop_id}/check")
def setup_check(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    checks = service.setup_check(guards.runtime(request), shop_id)
    failing = sum(1 for check in checks if not check.ok)
    lang = render.language(request)
    return render.page(
        request,
        "checks.html",
        {
            "active": "check",
            "shop": shop,
            "checks": checks,
            "failing": failing,
            "check_params": lambda check: check_params(check, lang),
        },
    )


def check_params(check: service.Check, lang: str) -> dict[str, str]:
    """A finding's parameters with Billy's own codes in words (e.g. the numbering mode)."""
    params = dict(check.params)
    mode = params.get("mode")
    if mode is not None:
        key = f"billy.invoice_no_mode.{mode}"
        params["mode"] = i18n.translate(lang, key) if key in i18n.MESSAGES else mode
    return params
