"""Failed work: every stopped order and return with its reason in words, grouped by the kind
of fix it needs; "Retry" per item and "Retry all of this kind" once the cause is fixed.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from billysync.store import transfers
from billysync.sync import service
from billysync.web import guards, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

ERROR_KINDS = ("configuration", "data", "conflict", "transient")
# Rows shown per kind of fix: "Retry all of this kind" reaches the rest, and a page of a few
# hundred rows stays quick however many orders stopped.
SHOWN_PER_KIND = 100


@router.get("/shops/{shop_id}/failed")
def failed_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    with guards.runtime(request).db.session() as db_session:
        found = transfers.failed_by_kind(db_session, shop_id, ERROR_KINDS, SHOWN_PER_KIND)
    groups = [(kind, *found[kind]) for kind in (*ERROR_KINDS, "other") if kind in found]
    return render.page(request, "failed.html", {"active": "failed", "shop": shop, "groups": groups})


@router.post("/shops/{shop_id}/failed/retry", dependencies=[guards.CsrfChecked])
def retry_one(
    request: Request, shop_id: int, kind: str = Form(""), key: str = Form("")
) -> Response:
    guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    with rt.db.session() as db_session:
        if (
            kind not in ("order", "return")
            or transfers.get_transfer(db_session, shop_id, kind, key) is None
        ):
            raise HTTPException(status_code=404, detail="No such order in this shop.")
    try:
        service.retry(rt, shop_id, kind, key)
    except Exception as exc:  # the engine's own failure: shown, not a 500
        return _not_started(request, shop_id, exc)
    render.flash(request, "failed.retried", key=key)
    return render.redirect(f"/shops/{shop_id}/failed")


def _not_started(request: Request, shop_id: int, exc: Exception) -> Response:
    log.exception("shop %s: the retry could not be started", shop_id)
    render.flash(request, "error.not_started", "error", reason=str(exc)[:300])
    return render.redirect(f"/shops/{shop_id}/failed")


@router.post("/shops/{shop_id}/failed/retry-all", dependencies=[guards.CsrfChecked])
def retry_all(request: Request, shop_id: int, error_kind: str = Form("")) -> Response:
    guards.load_shop(request, shop_id)
    if error_kind not in (*ERROR_KINDS, "all"):
        raise HTTPException(status_code=400, detail="Unknown kind of failure.")
    chosen = None if error_kind == "all" else error_kind
    try:
        count = service.retry_all(guards.runtime(request), shop_id, chosen)
    except Exception as exc:  # the engine's own failure: shown, not a 500
        return _not_started(request, shop_id, exc)
    if count == 0:
        render.flash(request, "failed.retried_none")
    elif count == 1:
        render.flash(request, "failed.retried_one")
    else:
        render.flash(request, "failed.retried_all", count=count)
    return render.redirect(f"/shops/{shop_id}/failed")
