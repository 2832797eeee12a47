"""The Overview: every order (and return) with its transfer state, Billy invoice number and
amount; filter by state and date, search by order number (htmx replaces just the table);
each row opens the document chain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from billysync.store import transfers
from billysync.store.tables import Transfer
from billysync.web import chain, guards, render
from billysync.web.routes import books
from billysync.web.texts_books import period_label

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
    """Midnight in Denmark (where the merchant's days are), in UTC like the stored times."""
    if day is None:
        return None
    return datetime(day.year, day.month, day.day, tzinfo=render.LOCAL_TIME).astimezone(UTC)


def _rows(db_session: Session, shop_id: int, filters: dict[str, Any]) -> list[Transfer]:
    """The shop's transfers, newest first; dates are the order's date (else when received)."""
    day = func.coalesce(Transfer.order_date, Transfer.created_at)
    query = select(Transfer).where(Transfer.shop_id == shop_id)
    if filters["kind"]:
        query = query.where(Transfer.kind == filters["kind"])
    if filters["state"]:
        query = query.where(Transfer.state == filters["state"])
    if filters["since"]:
        query = query.where(day >= _start_of(filters["since"]))
    if filters["until"]:
        query = query.where(day < _start_of(filters["until"] + timedelta(days=1)))
    if filters["q"]:
        pattern = f"%{filters['q']}%"
        query = query.where(
            or_(
                Transfer.number.like(pattern),
                Transfer.invoice_no.like(pattern),
                Transfer.object_key.like(pattern),
            )
        )
    query = query.order_by(day.desc(), Transfer.id.desc()).limit(PAGE_SIZE)
    return list(db_session.scalars(query))


@router.get("/shops/{shop_id}/orders")
def overview(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    filters = _filters(request)
    with guards.runtime(request).db.session() as db_session:
        rows = _rows(db_session, shop_id, filters)
        counts = transfers.count_by_state(db_session, shop_id)
    context = {
        "active": "overview",
        "shop": shop,
        "rows": rows,
        "counts": counts,
        "filters": filters,
        "states": FILTER_STATES,
        "page_size": PAGE_SIZE,
        "reconciled": books.latest_result(guards.runtime(request), shop_id),
        "period_label": lambda p: period_label(render.language(request), p),
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
