"""The Shoporama REST adapter: reads orders, returns, products and customers.

    client = ShoporamaClient(token, budget=CallBudget(daily_limit=1000))
    for payload in client.list_orders(since=last_poll):
        order = order_from_payload(payload)

Answers are raw payloads (dicts in Shoporama's shape); `mapper` turns them into models.
Every call is counted against the token's `CallBudget` before it is sent; lists are
calls that can wait (`essential=False`: polling, backfill), single reads are essential
(re-reading an object a webhook announced). The client does not retry: whoever called it
decides, by the error's `retriable`. The token goes in the Authorization header only and
is scrubbed from every logged or raised body.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

import httpx2

from billysync import __version__
from billysync.shop.shoporama import errors as E
from billysync.shop.shoporama import fields as F
from billysync.shop.shoporama import values as V
from billysync.shop.shoporama.budget import CallBudget
from billysync.shop.shoporama.paging import PageShapeError, Paginator, Payload, read_page

DEFAULT_BASE_URL = "https://www.shoporama.dk/REST"
USER_AGENT = f"billysync/{__version__} (Shoporama to Billy bookkeeping)"
PAGE_SIZE = 100  # what other clients use; Shoporama's maximum is not published
MAX_PAGES = 10_000  # a safety net against a server that pages forever

log = logging.getLogger("billysync.shoporama")

Since = datetime | date | str | None


class ShoporamaClient:
    """One shop, one token. Thread-safe as far as httpx2.Client is."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        transport: httpx2.BaseTransport | None = None,
        budget: CallBudget | None = None,
        timeout: float = 20,
        page_size: int = PAGE_SIZE,
    ) -> None:
        if not token or not token.strip():
            raise ValueError("a Shoporama API token is needed (Account → Webshop → API access)")
        self._token = token.strip()
        self.budget = budget if budget is not None else CallBudget()
        self.page_size = page_size
        self._http = httpx2.Client(
            base_url=base_url.rstrip("/") + "/",
            transport=transport,
            timeout=timeout,
            headers={
                "Authorization": f"Shoporama {self._token}",
                "Accept": "application/json",
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )

    def __repr__(self) -> str:  # never show the token
        return f"ShoporamaClient(base_url={str(self._http.base_url)!r})"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ShoporamaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- resources ---------------------------------------------------------------------
    def list_orders(self, since: Since = None, *, essential: bool = False) -> list[Payload]:
        """Orders changed since `since` (all orders without it), oldest pages first."""
        return self._list(F.RESOURCE_ORDER, F.LIST_ORDERS, F.ORDER_ID, since, essential)

    def get_order(self, order_id: int | str) -> Payload:
        return self._get(F.RESOURCE_ORDER, order_id)

    def list_returns(self, since: Since = None, *, essential: bool = False) -> list[Payload]:
        return self._list(F.RESOURCE_RETURN, F.LIST_RETURNS, F.RETURN_ID, since, essential)

    def get_return(self, return_id: int | str) -> Payload:
        return self._get(F.RESOURCE_RETURN, return_id)

    def list_products(self, since: Since = None, *, essential: bool = False) -> list[Payload]:
        return self._list(F.RESOURCE_PRODUCT, F.LIST_PRODUCTS, F.PRODUCT_ID, since, essential)

    def get_product(self, product_id: int | str) -> Payload:
        return self._get(F.RESOURCE_PRODUCT, product_id)

    def list_customers(self, since: Since = None, *, essential: bool = False) -> list[Payload]:
        return self._list(F.RESOURCE_CUSTOMER, F.LIST_CUSTOMERS, F.CUSTOMER_ID, since, essential)

    def get_customer(self, customer_id: int | str) -> Payload:
        return self._get(F.RESOURCE_CUSTOMER, customer_id)

    def probe(self) -> None:
        """One cheap call (the first order, if any) that shows the address and token work."""
        self._call(
            "GET", F.RESOURCE_ORDER, {F.PARAM_LIMIT: "1", F.PARAM_OFFSET: "0"}, essential=False
        )

    def list_categories(self, *, essential: bool = False) -> list[Payload]:
        """Categories: Shoporama answers a bare array here (docs/shoporama-api.md §1.4)."""
        return self._list(F.RESOURCE_CATEGORY, "categories", "category_id", None, essential)

    # --- paging ------------------------------------------------------------------------
    def pages(
        self,
        resource: str,
        plural: str,
        id_field: str,
        params: Mapping[str, str] | None = None,
        *,
        essential: bool = False,
    ) -> Iterator[list[Payload]]:
        """Each page's new items, lazily: a caller that stops early spends fewer calls."""
        paginator = Paginator(id_field, limit=self.page_size)
        for _ in range(MAX_PAGES):
            query = {**(params or {}), F.PARAM_LIMIT: str(paginator.limit)}
            query[F.PARAM_OFFSET] = str(paginator.offset)
            body = self._call("GET", resource, query, essential=essential)
            try:
                page = read_page(body, plural, offset=paginator.offset, limit=paginator.limit)
            except PageShapeError as exc:
                raise E.ShoporamaBadResponse(
                    f"Shoporama's list of {plural} has an unexpected shape: {exc}",
                    method="GET",
                    path=resource,
                ) from exc
            yield paginator.accept(page)
            if paginator.done:
                return

    def _list(
        self, resource: str, plural: str, id_field: str, since: Since, essential: bool
    ) -> list[Payload]:
        params: dict[str, str] = {}
        cutoff: datetime | None = None
        if since is not None:
            if isinstance(since, str):
                params[F.PARAM_LAST_MODIFIED] = since
            else:
                params[F.PARAM_LAST_MODIFIED] = V.shop_local_text(since)
                cutoff = V.timestamp(params[F.PARAM_LAST_MODIFIED].replace("T", " "))
        items: list[Payload] = []
        for page in self.pages(resource, plural, id_field, params, essential=essential):
            items.extend(item for item in page if _changed_since(item, cutoff))
        return items

    def _get(self, resource: str, object_id: int | str) -> Payload:
        key = V.identifier(object_id)
        if key is None or "/" in key:
            raise ValueError(f"{object_id!r} is not a Shoporama id")
        body = self._call("GET", f"{resource}/{key}", None, essential=True)
        # A single object comes back bare (docs/shoporama-api.md §1.4); unwrap {"order": {...}}
        # if not.
        if isinstance(body, dict) and len(body) == 1:
            (only,) = body.values()
            if isinstance(only, dict):
                body = only
        if not isinstance(body, dict):
            raise E.ShoporamaBadResponse(
                f"expected one {resource} object, got {type(body).__name__}",
                method="GET",
                path=f"{resource}/{key}",
            )
        return body

    # --- one HTTP call -----------------------------------------------------------------
    def _call(
        self, method: str, path: str, params: Mapping[str, str] | None, *, essential: bool
    ) -> Any:
        self.budget.spend(1, essential=essential)
        try:
            response = self._http.request(method, path, params=params)
        except httpx2.HTTPError as exc:
            raise E.ShoporamaTransportError(
                f"Shoporama did not answer {method} /{path}: {type(exc).__name__}. "
                "Check the shop's API address and the network; it is retried later.",
                method=method,
                path=path,
            ) from exc
        body = self._scrub(response.text)
        log.debug("shoporama %s /%s → %s", method, path, response.status_code)
        if response.status_code >= 400:
            raise self._error(method, path, response, body)
        try:
            return response.json()
        except ValueError:
            raise E.ShoporamaBadResponse(
                f"Shoporama answered {method} /{path} with something that is not JSON: "
                f"{body[:200]!r}",
                status=response.status_code,
                body=body,
                method=method,
                path=path,
            ) from None

    def _error(
        self, method: str, path: str, response: httpx2.Response, body: str
    ) -> E.ShoporamaError:
        status = response.status_code
        where = f"{method} /{path} → {status}"
        snippet = f" Shoporama said: {body[:300]!r}" if body.strip() else ""
        common: dict[str, Any] = {"status": status, "body": body, "method": method, "path": path}
        log.warning("shoporama %s /%s → %s", method, path, status)
        if status in (401, 403):
            return E.ShoporamaAuthError(
                f"{where}: the API token was refused. Make a token with read access to "
                f"orders, returns, products and customers under Account → Webshop → API "
                f"access, and save it in the shop's settings.{snippet}",
                **common,
            )
        if status == 429:
            self.budget.mark_exhausted()
            return E.ShoporamaRateLimited(
                f"{where}: Shoporama's daily call limit for this token is reached; calls "
                f"resume at midnight UTC. Ask Shoporama to raise the limit if needed.{snippet}",
                retry_after=_retry_after(response),
                **common,
            )
        if status == 404:
            return E.ShoporamaNotFound(f"{where}: not found in the shop.{snippet}", **common)
        if status >= 500:
            return E.ShoporamaServerError(
                f"{where}: Shoporama failed on its side; it is retried later.{snippet}", **common
            )
        return E.ShoporamaBadRequest(f"{where}: Shoporama refused the request.{snippet}", **common)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "[token]") if self._token in text else text


def _changed_since(item: Payload, cutoff: datetime | None) -> bool:
    """Keep items changed at or after `cutoff`, in case Shoporama ignores the filter."""
    if cutoff is None:
        return True
    try:
        changed = V.timestamp(item.get(F.LAST_MODIFIED))
    except V.BadValue:
        return True
    return changed is None or changed >= cutoff


def _retry_after(response: httpx2.Response) -> float | None:
    try:
        return float(response.headers["Retry-After"])
    except (KeyError, ValueError):
        return None
