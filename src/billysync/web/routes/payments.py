"""Settings → payments: an account per payment method, the fee account, invoice e-mail.

A form of its own on the settings page (like the VAT card), saved apart from the Billy key
and accounts; the rules are the command line's (`sync/shop_setup.payment_extra_problems`).
The rows show the methods already given an account plus a few empty ones to add more.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.billy.errors import BillyError
from billysync.mapping.settings import method_key
from billysync.sync import billy_choices, reference, shop_setup
from billysync.sync.runtime import NotConfigured
from billysync.web import guards, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

NEW_ROWS = 2  # empty method rows shown below the saved ones
MAX_METHODS = 20


@router.post("/shops/{shop_id}/settings/payments", dependencies=[guards.CsrfChecked])
async def save_payment_settings(request: Request, shop_id: int) -> Response:
    rt = guards.runtime(request)
    shop = guards.load_shop(request, shop_id)
    form = await request.form()
    methods = [str(m).strip()[:100] for m in form.getlist("method")][:MAX_METHODS]
    accounts = [str(a).strip() for a in form.getlist("method_account")][:MAX_METHODS]
    chosen = {
        method_key(method): account
        for method, account in zip(methods, accounts, strict=False)
        if method_key(method) and account
    }
    fee_account = str(form.get("fee_account_id") or "").strip() or None
    back = render.redirect(f"/shops/{shop_id}/settings#payments")
    if chosen or fee_account:
        try:
            with rt.billy_client(shop) as client:
                choices = billy_choices.read_choices(client)
        except (BillyError, NotConfigured):
            render.flash(request, "payments.need_lists", "error")
            return back
        problems = shop_setup.payment_extra_problems(chosen, fee_account, choices)
        if problems:
            render.flash(request, f"payments.{problems[0].code}", "error")
            return back
    with rt.db.session() as session:
        row = guards.shop_or_404(session, shop_id)
        row.payment_method_accounts = json.dumps(chosen, sort_keys=True) if chosen else None
        row.fee_account_id = fee_account
        row.email_invoices = form.get("email_invoices") == "on"
    reference.forget(shop_id)
    render.flash(request, "payments.saved")
    return back


def method_rows(saved: str | None) -> list[tuple[str, str]]:
    """(method, account id) rows for the form: the saved ones, then empty ones to fill in."""
    rows = sorted(json.loads(saved or "{}").items())
    return [*rows, *([("", "")] * NEW_ROWS)]
