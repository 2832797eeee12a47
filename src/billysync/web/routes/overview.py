"""The Overview: every order (and return) with its transfer state, Billy invoice number and
amount; filter by state and date, search by order number, page through all of them (htmx
replaces just the table, and polls it so the page follows the work as it finishes); each row
opens the order page (routes/order_page.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from billysync.store import transfers
from billysync.store.tables import Transfer
from billysync.web import guards, render
from billysync.web.order_rows import OrderRow, row_for

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

PAGE_SIZE = 50
# How often an open Overview asks for fresh rows (htmx polling), in seconds.
REFRESH_SECONDS = 5
# Above every character a number can hold: "12" ≤ x < "12" + PREFIX_END means x starts with 12.
PREFIX_END = "\U0010ffff"
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


def _filtered(query: Any, shop_id: int, filters: dict[str, Any]) -> Any:
    """The shop's transfers matching the filters; dates are the order's (else when received)."""
    day = func.coalesce(Transfer.order_date, Transfer.created_at)
    if filters["q"]:
        query = query.where(_search(shop_id, filters["q"]))
    else:
        query = query.where(Transfer.shop_id == shop_id)
    if filters["kind"]:
        query = query.where(Transfer.kind == filters["kind"])
    if filters["state"]:
        query = query.where(Transfer.state == filters["state"])
    if filters["since"]:
        query = query.where(day >= _start_of(filters["since"]))
    if filters["until"]:
        query = query.where(day < _start_of(filters["until"] + timedelta(days=1)))
    return query


def _search(shop_id: int, text: str) -> Any:
    """Order and invoice numbers by how they begin, the shop's own key exactly.

    Each branch names the shop itself, so the database answers each from its own index
    (number, invoice number, key) at any size, instead of walking all of the shop's rows.
    """
    shop = Transfer.shop_id == shop_id
    return or_(
        and_(shop, Transfer.number >= text, Transfer.number < text + PREFIX_END),
        and_(shop, Transfer.invoice_no >= text, Transfer.invoice_no < text + PREFIX_END),
        and_(shop, Transfer.kind.in_(("order", "return")), Transfer.object_key == text),
    )


@dataclass(frozen=True)
class Page:
    """One page of rows, and where it sits among all that match."""

    rows: list[OrderRow]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return (self.number - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def _total(
    db_session: Session, shop_id: int, filters: dict[str, Any], counts: dict[str, int]
) -> int:
    """How many rows match: from the per-state counts when only the state is chosen."""
    if not (filters["kind"] or filters["since"] or filters["until"] or filters["q"]):
        return counts.get(filters["state"], 0) if filters["state"] else sum(counts.values())
    return db_session.scalar(_filtered(select(func.count(Transfer.id)), shop_id, filters)) or 0


def _page(
    db_session: Session, shop_id: int, filters: dict[str, Any], number: int, total: int
) -> Page:
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    day = func.coalesce(Transfer.order_date, Transfer.created_at)
    # The page's ids first, read from the index alone (ix_transfer_shop_day): skipping to a
    # late page then steps over index entries, not over whole rows with their snapshots.
    ids = list(
        db_session.scalars(
            _filtered(select(Transfer.id), shop_id, filters)
            .order_by(day.desc(), Transfer.id.desc())
            .limit(PAGE_SIZE)
            .offset((number - 1) * PAGE_SIZE)
        )
    )
    found = {t.id: t for t in db_session.scalars(select(Transfer).where(Transfer.id.in_(ids)))}
    return Page([row_for(found[i]) for i in ids if i in found], number, total)


def _page_number(request: Request) -> int:
    text = request.query_params.get("page") or "1"
    return int(text) if text.isdigit() and len(text) < 7 else 1


def _link(request: Request, **changes: Any) -> str:
    """This page's address with some query parameters changed (for paging and polling)."""
    params = {k: v for k, v in request.query_params.items() if v}
    params.update({k: str(v) for k, v in changes.items()})
    if params.get("page") == "1":
        del params["page"]  # the first page has the plain address
    return f"{request.url.path}?{urlencode(params)}" if params else request.url.path


@router.get("/shops/{shop_id}/orders")
def overview(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    filters = _filters(request)
    with guards.runtime(request).db.session() as db_session:
        counts = transfers.count_by_state(db_session, shop_id)
        total = _total(db_session, shop_id, filters, counts)
        page = _page(db_session, shop_id, filters, _page_number(request), total)
    context = {
        "active": "overview",
        "shop": shop,
        "page": page,
        "rows": page.rows,
        "counts": counts,
        "filters": filters,
        "filtered": any(filters.values()),
        "nothing_yet": not counts,
        "states": FILTER_STATES,
        "refresh_seconds": REFRESH_SECONDS,
        "self_link": _link(request, page=page.number),
        "previous_link": _link(request, page=page.number - 1) if page.number > 1 else None,
        "next_link": _link(request, page=page.number + 1) if page.number < page.pages else None,
    }
    if request.headers.get("HX-Request") == "true" and request.headers.get("HX-Target") == "orders":
        return render.page(request, "_orders_table.html", context)
    return render.page(request, "overview.html", context)
