"""Every kind of Billy failure maps to the error that says what to do next.

A scripted Billy answers each call; the real client (retries, error mapping) does the rest.
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx2
import pytest

from billysync.billy.errors import (
    BillyConfigurationError,
    BillyConflictError,
    BillyDataError,
    BillyError,
    BillyMethodNotAllowed,
    BillyNotFoundError,
    BillyOutcomeUnknown,
    BillyRateLimited,
    BillyTransientError,
    FieldMessage,
    error_kind,
    parse_retry_after,
)
from tests.support.billy_doubles import Harness, answer, error_body


def always(status: int, body: object, headers: dict[str, str] | None = None):
    return lambda request: answer(status, body, headers)


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "OAUTH_INVALID_ACCESS_TOKEN"), (401, "AUTHENTICATION_REQUIRED"), (403, "FORBIDDEN")],
)
def test_refused_key_is_configuration_and_not_retried(
    harness: Harness, status: int, code: str
) -> None:
    client = harness.client(always(status, error_body(status, code, "Invalid OAuth 2 token.")))
    with pytest.raises(BillyConfigurationError) as caught:
        client.organization.get()
    assert error_kind(caught.value) == "configuration"
    assert caught.value.status == status
    assert "API key" in str(caught.value)  # says what to fix
    assert len(harness.requests) == 1
    assert harness.sleeps.waits == []


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (400, "ORGANIZATION_LOCKED", "This organization is locked."),
        (422, "OTHER", "The organization is locked because the subscription is unpaid"),
        (403, "LOCKED", "Locked"),
    ],
)
def test_locked_organization_is_configuration(
    harness: Harness, status: int, code: str, message: str
) -> None:
    client = harness.client(always(status, error_body(status, code, message)))
    with pytest.raises(BillyConfigurationError) as caught:
        client.invoices.create({"contactId": "c1"})
    assert error_kind(caught.value) == "configuration"


def test_a_locked_fiscal_period_is_data_not_configuration(harness: Harness) -> None:
    body = error_body(400, "INVALID_RECORD", "The entry date is in a locked fiscal period")
    client = harness.client(always(400, body))
    with pytest.raises(BillyDataError) as caught:
        client.invoices.create({"contactId": "c1"})
    assert error_kind(caught.value) == "data"


def test_is_locked_flag_on_the_organization_is_configuration(harness: Harness) -> None:
    body = {
        "meta": {"statusCode": 200, "success": True},
        "organization": {"id": "o1", "name": "Shop A", "isLocked": True, "lockedReason": "unpaid"},
    }
    client = harness.client(always(200, body))
    assert client.organization.get().is_locked is True
    with pytest.raises(BillyConfigurationError) as caught:
        client.organization.require_unlocked()
    assert "unpaid" in str(caught.value)


@pytest.mark.parametrize("status", [400, 422])
def test_validation_errors_come_back_per_field(harness: Harness, status: int) -> None:
    body = error_body(
        status,
        "INVALID_RECORD",
        "Invalid record",
        validationErrors={
            "contact": {
                "message": "The contact is not valid.",
                "attributes": {
                    "countryId": "Country is required.",
                    "name": "Name must be at most 255 characters.",
                },
            },
            "c7": {"attributes": {"email": "Email is not valid."}},
        },
    )
    client = harness.client(always(status, body))
    with pytest.raises(BillyDataError) as caught:
        client.contacts.create({"name": "x" * 300})
    error = caught.value
    assert type(error) is BillyDataError
    assert error_kind(error) == "data"
    assert error.validation_errors == [
        FieldMessage("contact", None, "The contact is not valid."),
        FieldMessage("contact", "countryId", "Country is required."),
        FieldMessage("contact", "name", "Name must be at most 255 characters."),
        FieldMessage("c7", "email", "Email is not valid."),
    ]
    text = str(error)
    assert "contact.countryId: Country is required" in text
    assert "c7.email: Email is not valid" in text
    assert "Fix the fields" in text
    assert len(harness.requests) == 1


def test_validation_without_fields_falls_back_to_error_message(harness: Harness) -> None:
    body = error_body(400, "INVALID_REQUEST_BODY", "Request body should consist of a JSON object")
    client = harness.client(always(400, body))
    with pytest.raises(BillyDataError) as caught:
        client.products.create({"name": "Pen"})
    assert caught.value.validation_errors == []
    assert "Request body should consist of a JSON object" in str(caught.value)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("invoiceNo", "The invoice number is not unique."),
        ("invoiceNo", "Invoice no. WEB-1001 is already used by another invoice."),
        ("contactNo", "A contact with this contact number already exists."),
        ("productNo", "Product number must be unique"),
    ],
)
def test_duplicate_marker_is_a_conflict(harness: Harness, field: str, message: str) -> None:
    body = error_body(
        422,
        "INVALID_RECORD",
        "Invalid record",
        validationErrors={"record": {"attributes": {field: message}}},
    )
    client = harness.client(always(422, body))
    with pytest.raises(BillyConflictError) as caught:
        client.invoices.create({"invoiceNo": "WEB-1001"})
    assert isinstance(caught.value, BillyDataError)
    assert error_kind(caught.value) == "conflict"
    assert "adopt" in str(caught.value)


def test_duplicate_named_only_in_the_error_message_is_a_conflict(harness: Harness) -> None:
    body = error_body(400, "INVALID_RECORD", "The invoice number 1001 is already in use.")
    client = harness.client(always(400, body))
    with pytest.raises(BillyConflictError):
        client.invoices.create({"invoiceNo": "1001"})


def test_other_field_errors_are_not_conflicts(harness: Harness) -> None:
    body = error_body(
        400,
        "INVALID_RECORD",
        "Invalid record",
        validationErrors={"invoice": {"attributes": {"invoiceNo": "must be a string"}}},
    )
    client = harness.client(always(400, body))
    with pytest.raises(BillyDataError) as caught:
        client.invoices.create({"invoiceNo": 5})
    assert type(caught.value) is BillyDataError


@pytest.mark.parametrize(
    ("code", "kind"), [("RECORD_NOT_FOUND", "data"), ("UNKNOWN_RESOURCE", "configuration")]
)
def test_404_is_not_found(harness: Harness, code: str, kind: str) -> None:
    client = harness.client(always(404, error_body(404, code, "No `invoice` record")))
    with pytest.raises(BillyNotFoundError) as caught:
        client.invoices.get("nope")
    assert caught.value.error_code == code
    assert error_kind(caught.value) == kind
    assert len(harness.requests) == 1


def test_405_is_method_not_allowed(harness: Harness) -> None:
    client = harness.client(always(405, error_body(405, "METHOD_NOT_ALLOWED", "Not allowed")))
    with pytest.raises(BillyMethodNotAllowed) as caught:
        client.bank_payments.void("p1")
    assert isinstance(caught.value, BillyDataError)
    assert error_kind(caught.value) == "data"
    assert "bug" in str(caught.value)


def test_429_retries_a_read_after_retry_after(harness: Harness) -> None:
    script = [
        answer(429, error_body(429, "RATE_LIMITED", "Slow down"), {"Retry-After": "3"}),
        answer(200, {"meta": {"statusCode": 200}, "organization": {"id": "o1", "name": "A"}}),
    ]
    client = harness.client(lambda request: script.pop(0))
    assert client.organization.get().name == "A"
    assert len(harness.sleeps.waits) == 1
    # Retry-After is a floor; the jitter on top is small.
    assert 3.0 <= harness.sleeps.waits[0] <= 4.0


def test_429_that_persists_is_raised_as_rate_limited(harness: Harness) -> None:
    body = error_body(429, "RATE_LIMITED", "Slow down")
    client = harness.client(always(429, body, {"Retry-After": "2"}), max_retries=2)
    with pytest.raises(BillyRateLimited) as caught:
        client.accounts.list()
    assert caught.value.retry_after == 2.0
    assert isinstance(caught.value, BillyTransientError)
    assert error_kind(caught.value) == "transient"
    assert "retry after 2 seconds" in str(caught.value)
    assert len(harness.requests) == 3


def test_429_with_a_long_retry_after_goes_to_the_caller_at_once(harness: Harness) -> None:
    client = harness.client(always(429, {}, {"Retry-After": "3600"}))
    with pytest.raises(BillyRateLimited) as caught:
        client.accounts.list()
    assert caught.value.retry_after == 3600.0
    assert harness.sleeps.waits == []


def test_429_on_a_write_is_not_retried_and_not_unknown(harness: Harness) -> None:
    client = harness.client(always(429, {}, {"Retry-After": "1"}))
    with pytest.raises(BillyRateLimited) as caught:
        client.invoices.create({"contactId": "c1"})
    assert not isinstance(caught.value, BillyOutcomeUnknown)
    assert len(harness.requests) == 1


def test_retry_after_as_http_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(header, now=now) == 30.0
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize("status", [500, 502, 503])
def test_5xx_on_a_read_is_retried_then_transient(harness: Harness, status: int) -> None:
    client = harness.client(always(status, error_body(status, "INTERNAL_ERROR", "Sorry")))
    with pytest.raises(BillyTransientError) as caught:
        client.invoices.get("i1")
    assert type(caught.value) is BillyTransientError
    assert caught.value.status == status
    assert error_kind(caught.value) == "transient"
    assert len(harness.requests) == 4  # 1 + max_retries (3)
    assert len(harness.sleeps.waits) == 3


def test_5xx_on_a_read_that_recovers_returns_the_record(harness: Harness) -> None:
    script = [
        answer(503, {}),
        answer(502, {}),
        answer(200, {"meta": {}, "invoice": {"id": "i1", "amount": 100, "tax": 25}}),
    ]
    client = harness.client(lambda request: script.pop(0))
    assert client.invoices.get("i1").id == "i1"
    assert len(harness.requests) == 3


@pytest.mark.parametrize("method", ["POST", "PUT"])
def test_500_on_a_write_is_an_unknown_outcome_and_not_retried(
    harness: Harness, method: str
) -> None:
    client = harness.client(always(500, error_body(500, "INTERNAL_ERROR", "Sorry")))
    with pytest.raises(BillyOutcomeUnknown) as caught:
        if method == "POST":
            client.invoices.create({"orderNo": "WEB-1"})
        else:
            client.invoices.approve("i1")
    assert len(harness.requests) == 1
    assert harness.sleeps.waits == []
    assert error_kind(caught.value) == "transient"
    assert "look the record up in Billy by its marker" in str(caught.value)
    assert "Do not repeat the call blindly" in str(caught.value)


def _raising(exc_type: type[httpx2.TransportError]):
    def handler(request: httpx2.Request) -> httpx2.Response:
        raise exc_type("simulated", request=request)

    return handler


@pytest.mark.parametrize(
    "exc_type",
    [httpx2.ReadTimeout, httpx2.WriteTimeout, httpx2.ReadError, httpx2.RemoteProtocolError],
)
def test_lost_answer_on_a_write_is_an_unknown_outcome(
    harness: Harness, exc_type: type[httpx2.TransportError]
) -> None:
    client = harness.client(_raising(exc_type))
    with pytest.raises(BillyOutcomeUnknown) as caught:
        client.bank_payments.create({"cashAmount": 10})
    assert caught.value.status is None
    assert caught.value.method == "POST"
    assert caught.value.path == "/bankPayments"
    assert len(harness.requests) == 1
    assert harness.calls[0].status is None and harness.calls[0].error


@pytest.mark.parametrize("exc_type", [httpx2.ConnectError, httpx2.ConnectTimeout])
def test_connect_failure_is_transient_for_writes_too(
    harness: Harness, exc_type: type[httpx2.TransportError]
) -> None:
    client = harness.client(_raising(exc_type))
    with pytest.raises(BillyTransientError) as caught:
        client.invoices.create({"orderNo": "WEB-1"})
    assert not isinstance(caught.value, BillyOutcomeUnknown)
    assert len(harness.requests) == 1  # writes are never repeated by the client


@pytest.mark.parametrize("exc_type", [httpx2.ConnectError, httpx2.ReadTimeout, httpx2.ReadError])
def test_network_faults_on_a_read_are_retried_then_transient(
    harness: Harness, exc_type: type[httpx2.TransportError]
) -> None:
    client = harness.client(_raising(exc_type), max_retries=2)
    with pytest.raises(BillyTransientError) as caught:
        client.contacts.list()
    assert type(caught.value) is BillyTransientError
    assert len(harness.requests) == 3


def test_a_2xx_write_answer_we_cannot_read_is_an_unknown_outcome(harness: Harness) -> None:
    client = harness.client(lambda request: httpx2.Response(200, text="<html>oops</html>"))
    with pytest.raises(BillyOutcomeUnknown):
        client.contacts.create({"name": "Ada"})
    client = harness.client(lambda request: answer(200, {"meta": {"success": True}}))
    with pytest.raises(BillyOutcomeUnknown):
        client.contacts.create({"name": "Ada"})


def test_errors_survive_pickling_with_their_details() -> None:
    # The engine may store a step's exception; it must come back readable.
    original = BillyRateLimited(
        429, "RATE_LIMITED", "Slow down", "GET", "/invoices", [], retry_after=5.0
    )
    copy = pickle.loads(pickle.dumps(original))
    assert type(copy) is BillyRateLimited
    assert (copy.status, copy.retry_after, copy.path) == (429, 5.0, "/invoices")
    assert str(copy) == str(original)


def test_error_kind_of_every_class() -> None:
    assert error_kind(BillyConfigurationError(401)) == "configuration"
    assert error_kind(BillyTransientError(503)) == "transient"
    assert error_kind(BillyRateLimited(429)) == "transient"
    assert error_kind(BillyOutcomeUnknown(500)) == "transient"
    assert error_kind(BillyDataError(400)) == "data"
    assert error_kind(BillyConflictError(400)) == "conflict"
    assert error_kind(BillyMethodNotAllowed(405)) == "data"
    assert error_kind(BillyError()) == "transient"
