"""The Products page's list: each product billysync keeps in Billy, with its name, state, last
change and any failure, searchable by item number or name, a page at a time.

Products in Billy are the shop's product bindings (item number → Billy product). A product the
last pass could not sync is found in the audit log, where the product pass writes
"product <item number>: <reason>" (the reason as sync/reasons.py stores it, rendered by the
page) without a Billy id; it counts as failed until a later
binding of the same item number is newer than the failure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from billysync.store import bindings
from billysync.store.tables import AuditEntry, Binding, as_utc

PAGE_SIZE = 50
# The latest failures looked at: a pass stops listing a product once it syncs again.
FAILURES_SCANNED = 500


@dataclass(frozen=True)
class ProductRow:
    item_number: str
    name: str  # from the binding's extra (the product pass keeps it there), else empty
    in_billy: bool
    changed_at: datetime | None
    failure: str | None = None


@dataclass(frozen=True)
class ProductPage:
    rows: list[ProductRow]
    failures: list[ProductRow]
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def _failures(session: Session, shop_id: int, search: str) -> dict[str, tuple[str, datetime]]:
    """The newest failure per item number: (reason, when)."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.shop_id == shop_id,
            AuditEntry.kind == "product",
            AuditEntry.step == "product",
            AuditEntry.billy_id.is_(None),
            AuditEntry.message.like("product %: %"),
        )
        .order_by(AuditEntry.id.desc())
        .limit(FAILURES_SCANNED)
    )
    found: dict[str, tuple[str, datetime]] = {}
    for entry in entries:
        item, _, reason = entry.message.removeprefix("product ").partition(": ")
        if item and item not in found and search.lower() in item.lower():
            found[item] = (reason, as_utc(entry.at))
    return found


def _like(text: str) -> str:
    """`text` anywhere, its LIKE wildcards taken literally (escaped with a backslash)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(search: str) -> ColumnElement[bool]:
    """An item number or a product name that contains `search` (any case, for ASCII letters).

    The name is matched inside the binding's JSON `extra`, where the product pass keeps it as
    its only key, written by `json.dumps` (non-ASCII as `\\u` escapes, so the search is too).
    """
    in_json = json.dumps(search)[1:-1]
    name = '%"name": "' + _like(in_json)
    return or_(
        Binding.local_key.ilike(_like(search), escape="\\"),
        Binding.extra.ilike(name, escape="\\"),
    )


def product_page(session: Session, shop_id: int, search: str, number: int) -> ProductPage:
    where = [Binding.shop_id == shop_id, Binding.kind == "product"]
    if search:
        where.append(_matches(search))
    total = session.scalar(select(func.count(Binding.id)).where(*where)) or 0
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    bound = list(
        session.scalars(
            select(Binding)
            .where(*where)
            .order_by(Binding.updated_at.desc(), Binding.id.desc())
            .limit(PAGE_SIZE)
            .offset((number - 1) * PAGE_SIZE)
        )
    )
    failures = _failures(session, shop_id, search)
    rows = []
    for binding in bound:
        failure = failures.get(binding.local_key)
        changed = as_utc(binding.updated_at)
        failed_since = failure is not None and failure[1] > changed
        rows.append(
            ProductRow(
                item_number=binding.local_key,
                name=str(bindings.binding_extra(binding).get("name") or ""),
                in_billy=True,
                changed_at=changed,
                failure=failure[0] if failure is not None and failed_since else None,
            )
        )
    bound_items = set(
        session.scalars(
            select(Binding.local_key).where(
                Binding.shop_id == shop_id,
                Binding.kind == "product",
                Binding.local_key.in_(list(failures)),
            )
        )
    )
    never_bound = [
        ProductRow(item, "", False, when, reason)
        for item, (reason, when) in failures.items()
        if item not in bound_items
    ]
    return ProductPage(rows, never_bound, number, total)
