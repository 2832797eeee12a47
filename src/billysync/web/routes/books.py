"""Reconciliation and backfill pages: does Billy match the shop, and bring history over.

Reconciliation: the latest result (from this page, the nightly run or the command line),
each finding with what to do; the safe ones (a missing invoice, payment or credit note) are
booked with one click through the normal workflow. Backfill: a dry run of a period, then the
run itself with its progress (htmx refreshes the progress card while it runs).
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from billysync.sync import backfill, backfill_run, reconcile, repairs
from billysync.sync.classify import classify
from billysync.sync.shop_period import Period
from billysync.web import guards, i18n, render
from billysync.web.texts_books import finding_text, period_label
from billysync.web.texts_reasons import render_stored

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])


def _period(first: str | None, last: str | None) -> Period | None:
    try:
        return Period.parse(first or "", last or "")
    except ValueError:
        return None


def _in_words(request: Request, exc: Exception) -> str:
    """Why something could not start, in the page's language (a flash keeps plain text)."""
    stored = classify(exc).reason.encode()
    return render_stored(stored, i18n.translator(render.language(request)))


def _last_month(today: date) -> Period:
    end = today.replace(day=1) - timedelta(days=1)
    return Period(end.replace(day=1), end)


def latest_result(rt: Any, shop_id: int) -> dict[str, Any] | None:
    """The latest reconciliation, ready for a page (also the overview's line)."""
    run = reconcile.latest(rt, shop_id)
    if run is None:
        return None
    period = Period(run.period_from, run.period_to)
    result = None if run.error else reconcile.Reconciliation.from_json(json.loads(run.result))
    return {"run": run, "period": period, "result": result}


@router.get("/shops/{shop_id}/reconcile")
def reconcile_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    latest = latest_result(guards.runtime(request), shop_id)
    default = latest["period"] if latest else _last_month(date.today())
    lang = render.language(request)
    return render.page(
        request,
        "reconcile.html",
        {
            "active": "reconcile",
            "shop": shop,
            "latest": latest,
            "period": default,
            "todo": lambda finding: finding_text(lang, finding),
            "period_label": lambda period: period_label(lang, period),
            "safe": repairs.SAFE_KINDS,
            "transfer": reconcile.Repair.TRANSFER,
        },
    )


@router.post("/shops/{shop_id}/reconcile", dependencies=[guards.CsrfChecked])
def reconcile_now(
    request: Request, shop_id: int, first: str = Form(""), last: str = Form("")
) -> Response:
    guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    period = _period(first, last)
    if period is None:
        render.flash(request, "recon.bad_period", "error")
        return render.redirect(f"/shops/{shop_id}/reconcile")
    try:
        reconcile.save(rt, reconcile.reconcile(rt, shop_id, period), "manual")
    except Exception as exc:  # kept with its reason in words, shown on the page
        reconcile.save_failure(rt, shop_id, period, "manual", classify(exc).reason.encode())
    return render.redirect(f"/shops/{shop_id}/reconcile")


@router.post("/shops/{shop_id}/reconcile/repair", dependencies=[guards.CsrfChecked])
def repair(
    request: Request, shop_id: int, kind: str = Form("all"), key: str = Form("")
) -> Response:
    """Book the safe findings of the latest reconciliation (one, one kind, or all)."""
    guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    latest = latest_result(rt, shop_id)
    if latest is None or latest["result"] is None:
        return render.redirect(f"/shops/{shop_id}/reconcile")
    try:
        kinds = repairs.parse_kinds(kind)
    except ValueError:
        render.flash(request, "recon.nothing_to_repair", "error")
        return render.redirect(f"/shops/{shop_id}/reconcile")
    findings = [f for f in latest["result"].findings if not key or f.object_key == key]
    try:
        report = repairs.repair(rt, shop_id, findings, kinds)
    except Exception as exc:  # Billy unreachable, no key: said in words, never a 500
        log.warning("shop %s: repair not started: %s", shop_id, classify(exc).reason)
        render.flash(request, "error.not_started", "error", reason=_in_words(request, exc))
        return render.redirect(f"/shops/{shop_id}/reconcile")
    if report.requested:
        render.flash(request, "recon.repaired", count=len(report.requested))
    else:
        render.flash(request, "recon.nothing_to_repair")
    return render.redirect(f"/shops/{shop_id}/reconcile")


# --- backfill -----------------------------------------------------------------------------


@router.get("/shops/{shop_id}/backfill")
def backfill_page(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    params = request.query_params
    period = _period(params.get("from"), params.get("to"))
    planned, error = None, None
    if period is not None and params.get("dry") == "1":
        try:
            planned = backfill.plan(rt, shop_id, period)
        except backfill.OrganizationLocked:
            # Said in the page's language (a plain text is shown as it is).
            error = i18n.translate(render.language(request), "backfill.org_locked")
        except Exception as exc:  # said in words on the page
            error = classify(exc).reason.encode()
    run_id = backfill_run.latest_run(rt, shop_id)
    return render.page(
        request,
        "backfill.html",
        {
            "active": "backfill",
            "shop": shop,
            "period": period or _last_month(date.today()),
            "plan": planned,
            "error": error,
            "progress": backfill_run.progress(rt, run_id) if run_id else None,
            "period_label": lambda p: period_label(render.language(request), p),
        },
    )


@router.get("/shops/{shop_id}/backfill/progress")
def backfill_progress(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    run_id = backfill_run.latest_run(rt, shop_id)
    progress = backfill_run.progress(rt, run_id) if run_id else None
    lang = render.language(request)
    return render.page(
        request,
        "_backfill_progress.html",
        {"shop": shop, "progress": progress, "period_label": lambda p: period_label(lang, p)},
    )


@router.post("/shops/{shop_id}/backfill", dependencies=[guards.CsrfChecked])
def backfill_start(
    request: Request, shop_id: int, first: str = Form(""), last: str = Form("")
) -> Response:
    guards.load_shop(request, shop_id)
    period = _period(first, last)
    if period is None:
        render.flash(request, "recon.bad_period", "error")
        return render.redirect(f"/shops/{shop_id}/backfill")
    try:
        backfill_run.start(guards.runtime(request), shop_id, period)
    except backfill.OrganizationLocked:
        render.flash(request, "backfill.org_locked", "error")
        return render.redirect(f"/shops/{shop_id}/backfill")
    except Exception as exc:  # said in words, never a 500
        render.flash(request, "error.not_started", "error", reason=_in_words(request, exc))
        return render.redirect(f"/shops/{shop_id}/backfill")
    render.flash(request, "backfill.started")
    return render.redirect(f"/shops/{shop_id}/backfill")


@router.post("/shops/{shop_id}/backfill/stop", dependencies=[guards.CsrfChecked])
def backfill_stop(request: Request, shop_id: int) -> Response:
    guards.load_shop(request, shop_id)
    rt = guards.runtime(request)
    run_id = backfill_run.latest_run(rt, shop_id)
    if run_id is not None:
        backfill_run.stop(rt, run_id)
    return render.redirect(f"/shops/{shop_id}/backfill")
