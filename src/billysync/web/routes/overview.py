"""The Overview: every order (and return) with its transfer state, Billy invoice number and
amount; filter by state and date, search by order number (htmx replaces just the table);
each row opens the document chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from billysync.store import transfers
from billysync.web import chain, guards, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

PAGE_SIZE = 200
FILTER_STATES = ("waiting", "transferred", "paid", "credited", "failed", "received", "skipped")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    state = params.get("state") or ""
    kind = params.get("kind") or ""
    return {
        "state": state if state in FILTER_STATES else "",
        "kind": kind if kind in ("order", "return") else "",
        "since": _day(params.get("since")),
        "until": _day(params.get("until")),
        "q": (params.get("q") or "").strip()[:100],
    }


def _start_of(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


@router.get("/shops/{shop_id}/orders")
def overview(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    filters = _filters(request)
    until = filters["until"] + timedelta(days=1) if filters["until"] else None
    with guards.runtime(request).db.session() as db_session:
        rows = transfers.list_transfers(
            db_session,
            shop_id,
            kind=filters["kind"] or None,
            state=filters["state"] or None,
            since=_start_of(filters["since"]),
            until=_start_of(until),
            search=filters["q"] or None,
            limit=PAGE_SIZE,
        )
        counts = transfers.count_by_state(db_session, shop_id)
    context = {
        "active": "overview",
        "shop": shop,
        "rows": rows,
        "counts": counts,
        "filters": filters,
        "states": FILTER_STATES,
        "page_size": PAGE_SIZE,
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "orders":
        return render.page(request, "_orders_table.html", context)
    return render.page(request, "overview.html", context)


def _chain_page(request: Request, shop_id: int, kind: str, key: str) -> Response:
    shop = guards.load_shop(request, shop_id)
    with guards.runtime(request).db.session() as db_session:
        found = chain.load_chain(db_session, shop_id, kind, key)
        if not found.found:
            raise HTTPException(status_code=404, detail="No such order in this shop.")
        db_session.expunge_all()
    return render.page(request, "chain.html", {"active": "overview", "shop": shop, "chain": found})


@router.get("/shops/{shop_id}/orders/{order_key}")
def order_chain(request: Request, shop_id: int, order_key: str) -> Response:
    return _chain_page(request, shop_id, "order", order_key)


@router.get("/shops/{shop_id}/returns/{return_key}")
def return_chain(request: Request, shop_id: int, return_key: str) -> Response:
    return _chain_page(request, shop_id, "return", return_key)
