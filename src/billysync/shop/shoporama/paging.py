"""Reading one page of a Shoporama list, in either of the shapes it comes in.

Most lists are an object with a `paging` block and a plural array (`{"paging": {...},
"products": [...]}`); `category` (and maybe others) answers a bare JSON array with no
paging at all (docs/shoporama-api.md §1.4). `read_page` accepts both, and `Paginator` decides
when to stop: a page shorter than the limit, `offset >= total`, or a page with nothing new (a
server that ignores `offset` would otherwise be read forever).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from billysync.shop.errors import ShopDataError
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama import values as V

Payload = dict[str, Any]


class PageShapeError(ShopDataError):
    """The body is neither a bare array nor an object holding one list."""


@dataclass(frozen=True)
class Page:
    items: list[Payload]
    offset: int
    limit: int
    total: int | None  # None when the answer had no paging block


def read_page(body: object, plural: str, *, offset: int, limit: int) -> Page:
    """One page from a decoded JSON body; `plural` is the expected array key ("products")."""
    if isinstance(body, list):
        return Page(_objects(body, plural), offset, limit, None)
    if not isinstance(body, Mapping):
        raise PageShapeError(f"expected a list of {plural}, got {type(body).__name__}")
    items = body.get(plural)
    if not isinstance(items, list):
        # Tolerate another plural than the one we guessed ("order_returns" vs "returns"):
        # take the only list in the object besides the paging block.
        lists = [v for k, v in body.items() if k != F.PAGING and isinstance(v, list)]
        if len(lists) != 1:
            raise PageShapeError(
                f"expected the list under {plural!r}; the answer had keys {sorted(body)}"
            )
        items = lists[0]
    total: int | None = None
    paging = body.get(F.PAGING)
    if isinstance(paging, Mapping):
        try:
            raw_total = V.identifier(paging.get(F.PAGING_TOTAL))
            total = int(raw_total) if raw_total is not None else 0
        except (V.BadValue, ValueError):
            total = None
    return Page(_objects(items, plural), offset, limit, total)


def _objects(items: Iterable[object], plural: str) -> list[Payload]:
    result: list[Payload] = []
    for item in items:
        if not isinstance(item, dict):
            raise PageShapeError(f"expected objects in the list of {plural}, got {item!r:.60}")
        result.append(item)
    return result


class Paginator:
    """Walks `limit`/`offset` pages and drops items already seen (offset paging can shift)."""

    def __init__(self, id_field: str, *, limit: int = 100) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.id_field = id_field
        self.limit = limit
        self.offset = 0
        self.done = False
        self._seen: set[str] = set()

    def accept(self, page: Page) -> list[Payload]:
        """The new items of `page`; sets `done` when no further page should be asked for."""
        fresh: list[Payload] = []
        for item in page.items:
            key = self._key(item)
            if key is not None and key in self._seen:
                continue
            if key is not None:
                self._seen.add(key)
            fresh.append(item)
        self.offset = page.offset + len(page.items)
        short = len(page.items) < page.limit
        past_total = page.total is not None and self.offset >= page.total
        # A full page with nothing new means the server ignores offset: stop, don't loop.
        self.done = short or past_total or not fresh
        return fresh

    def _key(self, item: Payload) -> str | None:
        try:
            return V.identifier(item.get(self.id_field))
        except V.BadValue:
            return None
