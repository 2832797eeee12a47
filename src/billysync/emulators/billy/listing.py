"""List requests: filters, sorting and paging as Billy does them (docs/billy-api.md §1.5–§1.7).

- Known filters narrow the list; **unknown filters are ignored** and the whole list comes
  back, as seen live (docs/billy-api.md §1.6) — so clients must check matches themselves.
- `contactNo` and `productNo` (and `productPrices?productId=`) are not in Billy's docs but
  used in production; the emulator honours them by default (exact match).
  `BillyEmulator(honour_undocumented_filters=False)` ignores them instead, to prove a
  client does not rely on them.
- A bare `GET /contactPersons` is refused with 400 (seen live); it needs `contactId`.
- `page` is 1-based; `pageSize` defaults to 1000 and is capped at 1000.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from .errors import invalid_parameter
from .organization import Organization
from .wire import as_date

Record = dict[str, Any]
Predicate = Callable[[Organization, Record, str], bool]

MAX_PAGE_SIZE = 1000


def _equal(field: str) -> Predicate:
    return lambda _org, record, value: str(record.get(field) or "") == value


def _is_paid(_org: Organization, record: Record, value: str) -> bool:
    wanted = value.lower()
    if wanted not in ("true", "false", "1", "0"):
        raise invalid_parameter("isPaid must be true or false")
    return bool(record.get("isPaid")) == (wanted in ("true", "1"))


def _date_bound(minimum: bool) -> Predicate:
    def check(_org: Organization, record: Record, value: str) -> bool:
        if as_date(value) is None:
            name = "minEntryDate" if minimum else "maxEntryDate"
            raise invalid_parameter(f"{name} must be a date as YYYY-MM-DD")
        entry = str(record.get("entryDate"))
        return entry >= value if minimum else entry <= value

    return check


def _invoice_search(org: Organization, record: Record, value: str) -> bool:
    """`q`: a case-insensitive substring of invoiceNo, orderNo or the contact's name."""
    needle = value.lower()
    contact = org.find("contacts", record.get("contactId")) or {}
    haystack = (record.get("invoiceNo"), record.get("orderNo"), contact.get("name"))
    return any(needle in str(text).lower() for text in haystack if text)


FILTERS: dict[str, dict[str, Predicate]] = {
    "invoices": {
        "organizationId": _equal("organizationId"),
        "contactId": _equal("contactId"),
        "creditedInvoiceId": _equal("creditedInvoiceId"),
        "state": _equal("state"),
        "invoiceNo": _equal("invoiceNo"),
        "currencyId": _equal("currencyId"),
        "isPaid": _is_paid,
        "minEntryDate": _date_bound(minimum=True),
        "maxEntryDate": _date_bound(minimum=False),
        "q": _invoice_search,
    },
    "contactPersons": {"contactId": _equal("contactId")},
    "invoiceLines": {"invoiceId": _equal("invoiceId")},
    "bankPayments": {"contactId": _equal("contactId")},
    "salesTaxRules": {"rulesetId": _equal("rulesetId")},
}

UNDOCUMENTED_FILTERS: dict[str, dict[str, Predicate]] = {
    "contacts": {"contactNo": _equal("contactNo")},
    "products": {"productNo": _equal("productNo")},
    "productPrices": {"productId": _equal("productId")},
}

REQUIRED_FILTERS: dict[str, tuple[str, ...]] = {"contactPersons": ("contactId",)}

# Invoices: the sort properties Billy documents; other resources sort by any field.
SORTABLE: dict[str, frozenset[str]] = {
    "invoices": frozenset(
        {
            "entryDate",
            "dueDate",
            "createdTime",
            "invoiceNo",
            "lineDescription",
            "amount",
            "grossAmount",
            "balance",
            "approvedTime",
            "orderNo",
        }
    ),
}


def select(
    org: Organization, plural: str, records: list[Record], query: Mapping[str, str]
) -> list[Record]:
    filters = dict(FILTERS.get(plural, {}))
    if org.settings.honour_undocumented_filters:
        filters.update(UNDOCUMENTED_FILTERS.get(plural, {}))
    for name in REQUIRED_FILTERS.get(plural, ()):
        if not query.get(name):
            raise invalid_parameter(f"{plural} can only be listed with a filter: add ?{name}=…")
    active = [(filters[name], value) for name, value in query.items() if name in filters]
    chosen = [r for r in records if all(check(org, r, value) for check, value in active)]
    return _sort(plural, chosen, query)


def _sort(plural: str, records: list[Record], query: Mapping[str, str]) -> list[Record]:
    prop = query.get("sortProperty")
    allowed = SORTABLE.get(plural)
    if not prop or (allowed is not None and prop not in allowed):
        return records  # creation order; an unknown sort property is ignored like a filter
    descending = query.get("sortDirection", "ASC").upper() == "DESC"
    present = [r for r in records if r.get(prop) is not None]
    missing = [r for r in records if r.get(prop) is None]
    present.sort(key=lambda r: _sort_key(r[prop]), reverse=descending)
    return present + missing


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, int | float) or hasattr(value, "is_finite"):
        return (0, value)
    return (1, str(value))


def page(records: list[Record], query: Mapping[str, str]) -> tuple[list[Record], dict[str, int]]:
    number = _positive_int(query, "page", 1)
    size = min(_positive_int(query, "pageSize", MAX_PAGE_SIZE), MAX_PAGE_SIZE)
    total = len(records)
    start = (number - 1) * size
    paging = {
        "page": number,
        "pageCount": math.ceil(total / size),
        "pageSize": size,
        "total": total,
    }
    return records[start : start + size], paging


def _positive_int(query: Mapping[str, str], name: str, default: int) -> int:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise invalid_parameter(f"{name} must be a whole number ≥ 1") from exc
    if value < 1:
        raise invalid_parameter(f"{name} must be a whole number ≥ 1")
    return value
