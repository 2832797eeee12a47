"""Settings → VAT (OSS registration, how gift cards are booked) and the quarterly OSS report.

The VAT choices are a form of their own on the settings page, saved apart from the Billy
key and accounts. The OSS report is read from Billy each time it is shown (sync/oss_report.py)
and can be downloaded as CSV for the OSS return.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.billy.errors import BillyError
from billysync.sync import billy_choices, oss_report, reference
from billysync.sync.billy_choices import Choices
from billysync.sync.oss_report import Quarter
from billysync.sync.runtime import NotConfigured
from billysync.web import guards, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


@router.post("/shops/{shop_id}/settings/vat", dependencies=[guards.CsrfChecked])
async def save_vat_settings(request: Request, shop_id: int) -> Response:
    rt = guards.runtime(request)
    shop = guards.load_shop(request, shop_id)
    form = await request.form()
    oss = form.get("oss_registered") == "on"
    booking = "payment" if form.get("gift_card_booking") == "payment" else "line"
    account = str(form.get("gift_card_account_id") or "").strip() or None
    back = render.redirect(f"/shops/{shop_id}/settings#vat")
    if booking == "payment":
        problem = None
        if not shop.post_payments:
            problem = "vat.need_posting"
        elif not account:
            problem = "vat.need_account"
        elif account == shop.payment_account_id:
            problem = "vat.same_account"
        else:
            try:
                with rt.billy_client(shop) as client:
                    choices = billy_choices.read_choices(client)
            except (BillyError, NotConfigured):
                choices = None
            if choices is None or not Choices.has(choices.payment_accounts, account):
                problem = "vat.unknown_account"
        if problem:
            render.flash(request, problem, "error")
            return back
    with rt.db.session() as session:
        row = guards.shop_or_404(session, shop_id)
        row.oss_registered = oss
        row.gift_card_booking = booking
        row.gift_card_account_id = account if booking == "payment" else None
    reference.forget(shop_id)
    render.flash(request, "vat.saved")
    return back


def _quarter(request: Request) -> Quarter | None:
    raw = request.query_params.get("quarter")
    if not raw:
        return Quarter.containing(datetime.now(render.LOCAL_TIME).date())
    try:
        return oss_report.parse_quarter(raw[:20])
    except ValueError:
        return None


@router.get("/shops/{shop_id}/oss")
def oss_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    quarter = _quarter(request)
    context: dict[str, object] = {"active": "oss", "shop": shop, "quarter": quarter}
    if quarter is None:
        context["error"] = ("oss.bad_quarter", {})
        return render.page(request, "oss.html", context, status_code=400)
    try:
        context["rows"] = oss_report.shop_quarter_report(guards.runtime(request), shop_id, quarter)
    except (BillyError, NotConfigured) as exc:
        context["error"] = ("oss.failed", {"reason": _reason(exc)})
    return render.page(request, "oss.html", context)


def _reason(exc: BillyError | NotConfigured) -> str:
    return billy_choices.refusal_reason(exc) if isinstance(exc, BillyError) else str(exc)


@router.get("/shops/{shop_id}/oss.csv")
def oss_csv(request: Request, shop_id: int) -> Response:
    guards.load_shop(request, shop_id)
    quarter = _quarter(request)
    if quarter is None:
        return Response("Choose a quarter as e.g. 2026-Q4.\n", status_code=400)
    try:
        rows = oss_report.shop_quarter_report(guards.runtime(request), shop_id, quarter)
    except (BillyError, NotConfigured) as exc:
        return Response(f"Billy could not be read: {_reason(exc)}\n", status_code=502)
    return Response(
        oss_report.to_csv(rows, quarter),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="oss-{quarter.label}.csv"'},
    )
