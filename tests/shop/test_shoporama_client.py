"""The Shoporama client against fake Shoporama servers (httpx2.MockTransport)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx2
import pytest

from billysync.shop.shoporama import CallBudget, ShoporamaClient
from billysync.shop.shoporama import errors as E

TOKEN = "tok-5f2a9c-secret"
Handler = Callable[[httpx2.Request], httpx2.Response]


class FakeShop:
    """A list endpoint holding `count` orders, answering in the shape asked for."""

    def __init__(self, count: int, *, shape: str = "paged", ignore_offset: bool = False) -> None:
        self.items = [
            {"order_id": 1000 + i, "last_modified": f"2025-07-{1 + i % 28:02d} 12:00:00"}
            for i in range(count)
        ]
        self.shape = shape
        self.ignore_offset = ignore_offset
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        limit = int(request.url.params.get("limit", 100))
        offset = 0 if self.ignore_offset else int(request.url.params.get("offset", 0))
        page = self.items[offset : offset + limit]
        if self.shape == "bare":
            return httpx2.Response(200, json=page)
        paging = {"offset": offset, "limit": limit, "count": len(page), "total": len(self.items)}
        return httpx2.Response(200, json={"paging": paging, "orders": page})


def client_for(handler: Handler, **kwargs: Any) -> ShoporamaClient:
    kwargs.setdefault("budget", CallBudget(daily_limit=1000))
    return ShoporamaClient(TOKEN, transport=httpx2.MockTransport(handler), **kwargs)


def test_sends_shoporama_auth_json_and_a_user_agent() -> None:
    shop = FakeShop(1)
    with client_for(shop) as client:
        client.list_orders()
    request = shop.requests[0]
    assert request.headers["Authorization"] == f"Shoporama {TOKEN}"
    assert "json" in request.headers["Accept"]
    assert request.headers["User-Agent"].startswith("billysync/")
    assert request.url.path == "/REST/order"
    assert str(request.url).startswith("https://www.shoporama.dk/REST/")


def test_pages_through_a_paged_list() -> None:
    shop = FakeShop(250)
    with client_for(shop) as client:
        items = client.list_orders()
    assert [i["order_id"] for i in items] == [i["order_id"] for i in shop.items]
    offsets = [int(r.url.params["offset"]) for r in shop.requests]
    assert offsets == [0, 100, 200]
    assert {r.url.params["limit"] for r in shop.requests} == {"100"}


def test_a_full_last_page_stops_at_the_total() -> None:
    shop = FakeShop(200)
    with client_for(shop) as client:
        items = client.list_orders()
    assert len(items) == 200
    assert len(shop.requests) == 2  # offset 200 >= total 200: no empty third page


def test_pages_through_a_bare_array_until_a_short_page() -> None:
    shop = FakeShop(130, shape="bare")
    with client_for(shop, page_size=50) as client:
        items = client.list_orders()
    assert len(items) == 130
    assert len(shop.requests) == 3


def test_a_server_that_ignores_offset_is_not_read_forever() -> None:
    shop = FakeShop(100, shape="bare", ignore_offset=True)
    with client_for(shop) as client:
        items = client.list_orders()
    assert len(items) == 100  # the second, identical page adds nothing and ends the walk
    assert len(shop.requests) == 2


def test_since_is_sent_as_danish_local_time_and_applied_again() -> None:
    shop = FakeShop(28)  # the fake ignores the filter, as Shoporama might for orders
    since = datetime(2025, 7, 20, 8, 0, tzinfo=UTC)  # 10:00 in Copenhagen (summer time)
    with client_for(shop) as client:
        items = client.list_orders(since=since)
    assert shop.requests[0].url.params["last_modified"] == "2025-07-20T10:00:00"
    kept = {i["order_id"] for i in items}
    expected = {i["order_id"] for i in shop.items if i["last_modified"] >= "2025-07-20 10:00:00"}
    assert kept == expected and 0 < len(kept) < len(shop.items)


def test_get_accepts_a_bare_object_or_an_envelope() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/7"):
            return httpx2.Response(200, json={"order_id": 7})
        return httpx2.Response(200, json={"order": {"order_id": 8}})

    with client_for(handler) as client:
        assert client.get_order(7) == {"order_id": 7}
        assert client.get_order("8") == {"order_id": 8}
        with pytest.raises(ValueError):
            client.get_order("../customer")


@pytest.mark.parametrize(
    ("status", "error", "retriable"),
    [
        (401, E.ShoporamaAuthError, False),
        (403, E.ShoporamaAuthError, False),
        (404, E.ShoporamaNotFound, False),
        (410, E.ShoporamaBadRequest, False),
        (429, E.ShoporamaRateLimited, True),
        (500, E.ShoporamaServerError, True),
        (503, E.ShoporamaServerError, True),
    ],
)
def test_errors_by_status_keep_the_body_and_never_the_token(
    status: int, error: type[E.ShoporamaError], retriable: bool
) -> None:
    body = f"Nope: token {TOKEN} refused"  # a server that echoes the token back

    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(status, text=body)

    with client_for(handler) as client, pytest.raises(error) as caught:
        client.get_order(1)
    exc = caught.value
    assert exc.status == status
    assert exc.retriable is retriable
    assert exc.body is not None and "Nope: token" in exc.body
    assert TOKEN not in exc.body
    assert TOKEN not in str(exc)
    assert exc.path == "order/1"


def test_a_429_tells_the_budget_to_stop_for_today() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(429, text="limit", headers={"Retry-After": "3600"})

    budget = CallBudget(daily_limit=1000)
    with client_for(handler, budget=budget) as client:
        with pytest.raises(E.ShoporamaRateLimited) as caught:
            client.get_order(1)
        assert caught.value.retry_after == 3600
        assert budget.remaining == 0
        with pytest.raises(E.BudgetExhausted):
            client.get_order(1)


def test_transport_failures_are_retriable_and_tokenless() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("connection refused", request=request)

    with client_for(handler) as client, pytest.raises(E.ShoporamaTransportError) as caught:
        client.list_products()
    assert caught.value.retriable
    assert caught.value.status is None
    assert TOKEN not in str(caught.value)


def test_a_2xx_that_is_not_json_is_a_bad_response() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, text="<html>maintenance</html>")

    with client_for(handler) as client, pytest.raises(E.ShoporamaBadResponse) as caught:
        client.get_product(1)
    assert caught.value.body == "<html>maintenance</html>"


def test_a_list_of_an_unexpected_shape_is_a_bad_response() -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(200, json={"paging": {}, "a": [], "b": []})

    with client_for(handler) as client, pytest.raises(E.ShoporamaBadResponse):
        client.list_orders()


def test_the_token_stays_out_of_logs_and_repr(caplog: pytest.LogCaptureFixture) -> None:
    def handler(request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/2"):
            return httpx2.Response(500, text=f"crash with {TOKEN}")
        return httpx2.Response(200, json={"order_id": 1})

    caplog.set_level(logging.DEBUG)
    with client_for(handler) as client:
        client.get_order(1)
        with pytest.raises(E.ShoporamaServerError):
            client.get_order(2)
        assert TOKEN not in repr(client)
    assert caplog.records, "the client should log its calls"
    assert TOKEN not in caplog.text


def test_every_call_is_counted_in_the_budget() -> None:
    shop = FakeShop(250)
    budget = CallBudget(daily_limit=1000)
    with client_for(shop, budget=budget) as client:
        client.list_orders()
        client.get_order(1000)
    assert budget.used == len(shop.requests) == 4


def test_an_empty_token_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="token"):
        ShoporamaClient("  ")
