"""The HTTP conventions: headers, envelope, paging, retries with jitter, observer, limiter,
and the access token kept out of every text."""

from __future__ import annotations

import json
import logging
import random
from datetime import date
from decimal import Decimal

import httpx2
import pytest

from billysync.billy.client import BillyClient
from billysync.billy.errors import BillyConfigurationError, BillyError, BillyTransientError
from billysync.billy.http import BillyCall, RetryPolicy
from billysync.billy.ratelimit import MemoryBudgets, Pace, SharedLimiter
from tests.support.billy_doubles import TOKEN, Harness, answer, error_body


def ok(**records: object) -> httpx2.Response:
    return answer(200, {"meta": {"statusCode": 200, "success": True}, **records})


def test_requests_carry_token_header_envelope_and_json_content_type(harness: Harness) -> None:
    created = {"id": "c1", "name": "Ada", "countryId": "DK"}
    client = harness.client(lambda request: ok(contacts=[created]))
    client.contacts.create({"name": "Ada", "countryId": "DK"})
    request = harness.requests[0]
    assert request.method == "POST"
    assert request.url == "https://api.billysbilling.com/v2/contacts"
    assert request.headers["X-Access-Token"] == TOKEN
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request.content) == {"contact": {"name": "Ada", "countryId": "DK"}}


def test_base_url_is_configurable(harness: Harness) -> None:
    client = harness.client(
        lambda request: ok(organization={"id": "o1"}), base_url="http://billy.test/v2/"
    )
    client.organization.get()
    assert str(harness.requests[0].url) == "http://billy.test/v2/organization"


def test_payload_decimals_and_dates_become_json_numbers_and_strings(harness: Harness) -> None:
    client = harness.client(lambda request: ok(bankPayments=[{"id": "p1"}]))
    client.bank_payments.create(
        {"cashAmount": Decimal("149.95"), "feeAmount": Decimal("2"), "entryDate": date(2026, 3, 1)}
    )
    sent = json.loads(harness.requests[0].content)["bankPayment"]
    assert sent == {"cashAmount": 149.95, "feeAmount": 2, "entryDate": "2026-03-01"}


def test_paging_follows_page_count_with_page_size_at_most_1000(harness: Harness) -> None:
    total = 2500
    records = [{"id": f"p{i}", "name": f"Product {i}"} for i in range(total)]

    def handler(request: httpx2.Request) -> httpx2.Response:
        page = int(request.url.params["page"])
        size = int(request.url.params["pageSize"])
        assert 1 <= size <= 1000
        count = -(-total // size)
        chunk = records[(page - 1) * size : page * size]
        paging = {"page": page, "pageSize": size, "pageCount": count, "total": total}
        return answer(200, {"meta": {"paging": paging}, "products": chunk})

    client = harness.client(handler, page_size=5000)  # asked for more than Billy allows
    products = client.products.list()
    assert [p.id for p in products] == [r["id"] for r in records]
    assert [int(r.url.params["page"]) for r in harness.requests] == [1, 2, 3]
    assert {r.url.params["pageSize"] for r in harness.requests} == {"1000"}


def test_paging_stops_on_an_empty_page_and_reports_each_record_once(harness: Harness) -> None:
    pages = {
        1: [{"id": "a"}, {"id": "b"}],
        2: [{"id": "b"}, {"id": "c"}],  # a record shifted while paging
        3: [],
    }

    def handler(request: httpx2.Request) -> httpx2.Response:
        page = int(request.url.params["page"])
        return answer(200, {"meta": {"paging": {"pageCount": 9}}, "accounts": pages[page]})

    client = harness.client(handler)
    assert [a.id for a in client.accounts.list()] == ["a", "b", "c"]
    assert len(harness.requests) == 3


def test_list_without_paging_meta_is_one_page(harness: Harness) -> None:
    client = harness.client(lambda request: ok(currencies=[{"id": "DKK"}, {"id": "EUR"}]))
    assert [c.id for c in client.currencies.list()] == ["DKK", "EUR"]
    assert len(harness.requests) == 1


def test_filters_are_sent_with_billy_names_and_wire_values(harness: Harness) -> None:
    client = harness.client(lambda request: ok(invoices=[]))
    client.invoices.list(state="approved", isPaid=False, minEntryDate=date(2026, 1, 1))
    params = harness.requests[0].url.params
    assert params["state"] == "approved"
    assert params["isPaid"] == "false"
    assert params["minEntryDate"] == "2026-01-01"
    assert "include" not in params


def test_retry_backoff_uses_the_injected_sleep_with_jitter_within_bounds() -> None:
    policy = RetryPolicy(max_retries=4, backoff=0.5, max_backoff=1.5)
    for seed in range(20):
        harness = Harness()
        client = harness.client(
            lambda request: answer(503, {}), retry_policy=policy, rng=random.Random(seed)
        )
        with pytest.raises(BillyTransientError):
            client.accounts.list()
        caps = [0.5, 1.0, 1.5, 1.5]  # backoff * 2**(n-1), capped at max_backoff
        assert len(harness.sleeps.waits) == 4
        for wait, cap in zip(harness.sleeps.waits, caps, strict=True):
            assert cap / 2 <= wait <= cap


def test_jitter_spreads_the_waits() -> None:
    firsts = set()
    for seed in range(10):
        harness = Harness()
        client = harness.client(lambda request: answer(503, {}), rng=random.Random(seed))
        with pytest.raises(BillyTransientError):
            client.accounts.list()
        firsts.add(harness.sleeps.waits[0])
    assert len(firsts) > 1


def test_zero_retries_means_one_attempt(harness: Harness) -> None:
    client = harness.client(lambda request: answer(503, {}), max_retries=0)
    with pytest.raises(BillyTransientError):
        client.accounts.list()
    assert len(harness.requests) == 1
    assert harness.sleeps.waits == []


def test_call_observer_gets_one_record_per_attempt(harness: Harness) -> None:
    script = [answer(503, {}), answer(502, {}), ok(accounts=[{"id": "a1"}])]
    client = harness.client(lambda request: script.pop(0))
    client.accounts.list()
    assert [c.status for c in harness.calls] == [503, 502, 200]
    assert [c.attempt for c in harness.calls] == [1, 2, 3]
    assert all(isinstance(c, BillyCall) for c in harness.calls)
    assert all(c.method == "GET" and c.path == "/accounts" for c in harness.calls)
    assert all(c.duration_ms >= 0 for c in harness.calls)
    assert harness.calls[0].error and "503" in harness.calls[0].error
    assert harness.calls[2].error is None
    assert "page=1" in harness.calls[2].query


def test_a_failing_observer_does_not_turn_a_saved_write_into_an_error(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(call: BillyCall) -> None:
        raise RuntimeError("audit database is down")

    client = harness.client(lambda request: ok(invoices=[{"id": "i1"}]), call_observer=broken)
    assert client.invoices.create({"orderNo": "WEB-1"}).id == "i1"
    assert "call observer failed" in caplog.text


def test_rate_limiter_is_acquired_before_every_attempt(harness: Harness) -> None:
    class Counting:
        def __init__(self) -> None:
            self.acquired = 0

        def acquire(self) -> None:
            self.acquired += 1

    limiter = Counting()
    script = [answer(500, {}), ok(organization={"id": "o1"})]
    client = harness.client(lambda request: script.pop(0), rate_limiter=limiter)
    client.organization.get()
    assert limiter.acquired == 2


def test_429_pauses_the_shared_budget(harness: Harness) -> None:
    now = [0.0]
    budgets = MemoryBudgets(clock=lambda: now[0])
    limiter = SharedLimiter(budgets, "org", Pace(ceiling=10), clock=lambda: now[0])
    client = harness.client(
        lambda request: answer(429, {}, {"Retry-After": "5"}), rate_limiter=limiter, max_retries=0
    )
    with pytest.raises(BillyTransientError):
        client.accounts.list()
    # Every other caller of this organization now waits out Billy's Retry-After too.
    assert limiter.reserve() >= 5.0
    assert budgets.budgets["org"].rejections == 1


def test_a_write_answered_429_slows_the_budget_too(harness: Harness) -> None:
    now = [0.0]
    budgets = MemoryBudgets(clock=lambda: now[0])
    limiter = SharedLimiter(budgets, "org", Pace(ceiling=10), clock=lambda: now[0])
    client = harness.client(lambda request: answer(429, {}, {}), rate_limiter=limiter)
    with pytest.raises(BillyTransientError):
        client.invoices.create({"contactId": "c1"})
    budget = budgets.budgets["org"]
    assert budget.rate < 10 and budget.paused_until == 1.0  # no Retry-After: one second


def test_timeouts_are_configurable() -> None:
    client = BillyClient("t" * 20, timeout=12.0, connect_timeout=3.0)
    timeout = client._http._client.timeout
    assert (timeout.connect, timeout.read, timeout.write) == (3.0, 12.0, 12.0)
    client.close()
    default = BillyClient("t" * 20)
    assert default._http._client.timeout.connect == 10.0
    assert default._http._client.timeout.read == 30.0
    default.close()


def test_an_empty_token_is_a_configuration_error() -> None:
    with pytest.raises(BillyConfigurationError, match="Access tokens"):
        BillyClient("  ")


def test_context_manager_closes_the_client() -> None:
    with BillyClient("t" * 20, transport=httpx2.MockTransport(lambda r: ok())) as client:
        pass
    assert client._http._client.is_closed


# -- the token never leaks --------------------------------------------------------------------

ECHOING = {
    "401": lambda r: answer(401, error_body(401, "OAUTH_INVALID_ACCESS_TOKEN", f"bad {TOKEN}")),
    "422": lambda r: answer(
        422,
        error_body(
            422,
            "INVALID_RECORD",
            f"token {TOKEN}",
            validationErrors={TOKEN: {"attributes": {"name": f"is {TOKEN}"}}},
        ),
    ),
    "500": lambda r: answer(500, error_body(500, "INTERNAL_ERROR", f"crash for {TOKEN}")),
    "429": lambda r: answer(429, {}, {"Retry-After": "1"}),
    "404": lambda r: answer(404, error_body(404, "RECORD_NOT_FOUND", "no")),
}


def _raise_transport(exc_type: type[httpx2.TransportError]):
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise exc_type(f"failed with header {request.headers['X-Access-Token']}", request=request)

    return handler


@pytest.mark.parametrize(
    "handler",
    [
        *ECHOING.values(),
        _raise_transport(httpx2.ReadTimeout),
        _raise_transport(httpx2.ConnectError),
    ],
)
@pytest.mark.parametrize("write", [False, True])
def test_the_token_never_appears_in_errors_calls_or_logs(
    handler, write: bool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    harness = Harness()
    client = harness.client(handler)
    with pytest.raises(BillyError) as caught:
        if write:
            client.invoices.create({"orderNo": "WEB-1"})
        else:
            client.invoices.get("i1")
    texts = [str(caught.value), repr(caught.value), repr(client)]
    texts += [str(m) for m in caught.value.validation_errors]
    cause = caught.value.__cause__ or caught.value.__context__
    while cause is not None:
        texts += [str(cause), repr(cause)]
        cause = cause.__cause__ or cause.__context__
    texts += [repr(call) for call in harness.calls]
    texts += [record.getMessage() for record in caplog.records]
    texts.append(caplog.text)
    assert harness.calls, "the call was observed"
    for text in texts:
        assert TOKEN not in text


def test_client_repr_masks_the_token() -> None:
    client = BillyClient(TOKEN)
    assert TOKEN not in repr(client)
    assert repr(client).endswith("access_token='****1b5d')")
    assert "tok-a" not in repr(BillyClient("tok-a"))
