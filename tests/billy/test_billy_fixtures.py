"""Every real Billy answer in tests/fixtures/billy goes through the real client.

Each success fixture is served by a scripted Billy for the matching GET, and must come back as
the right model(s) with money as Decimal; each error fixture, served with its own status,
must raise the right kind of error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel

from billysync.billy import models
from billysync.billy.client import BillyClient
from billysync.billy.errors import (
    BillyConfigurationError,
    BillyDataError,
    BillyError,
    BillyNotFoundError,
    BillyOutcomeUnknown,
    BillyTransientError,
    error_kind,
)
from tests.support.billy_doubles import Harness
from tests.support.captured import BILLY_FIXTURES, billy_fixture

ALL_FILES = sorted(p.name for p in BILLY_FIXTURES.glob("*.json"))

# fixture stem → (plural key, model, how the client reads one, how it reads the list)
READERS: dict[str, tuple[type[models.BillyRecord], Any, Any]] = {
    "accounts": (models.Account, lambda c, i: c.accounts.get(i), lambda c: c.accounts.list()),
    "bankPayments": (
        models.BankPayment,
        lambda c, i: c.bank_payments.get(i),
        lambda c: c.bank_payments.list(),
    ),
    "contactPersons": (models.ContactPerson, None, None),
    "contacts": (models.Contact, lambda c, i: c.contacts.get(i), lambda c: c.contacts.list()),
    "invoices": (models.Invoice, lambda c, i: c.invoices.get(i), lambda c: c.invoices.list()),
    "organizations": (models.Organization, lambda c, i: c.organization.get(), None),
    "products": (models.Product, lambda c, i: c.products.get(i), lambda c: c.products.list()),
}


def test_every_fixture_file_is_covered() -> None:
    assert ALL_FILES, f"no fixtures found at {BILLY_FIXTURES}"
    for name in ALL_FILES:
        stem = name.removesuffix(".json")
        assert stem.startswith("error_") or stem.rsplit("_", 1)[0] in READERS, name


def _serve(harness: Harness, body: dict[str, Any]) -> BillyClient:
    status = int(body["meta"]["statusCode"])
    return harness.client(lambda request: httpx2.Response(status, json=body))


def _no_floats(value: object) -> None:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _no_floats(getattr(value, name))
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)
    else:
        assert not isinstance(value, float), value


@pytest.mark.parametrize("name", [n for n in ALL_FILES if n.endswith("_single.json")])
def test_single_fixture_parses_through_the_client(name: str, harness: Harness) -> None:
    stem = name.removesuffix("_single.json")
    model, read_one, _ = READERS[stem]
    body = billy_fixture(name)
    raw = next(v for k, v in body.items() if k != "meta" and isinstance(v, dict))
    direct = model.model_validate(raw)
    assert direct.id == raw["id"]
    _no_floats(direct)
    if read_one is None:
        return
    record = read_one(_serve(harness, body), raw["id"])
    assert isinstance(record, model)
    assert record.id == raw["id"]
    assert record.model_dump() == direct.model_dump()
    # Sideloaded records (e.g. the contact's city) stay available.
    for key, value in body.items():
        if key != "meta" and isinstance(value, list):
            assert record.sideloaded[key] == value


@pytest.mark.parametrize("name", [n for n in ALL_FILES if n.endswith("_list.json")])
def test_list_fixture_parses_through_the_client(name: str, harness: Harness) -> None:
    stem = name.removesuffix("_list.json")
    model, _, read_all = READERS[stem]
    body = billy_fixture(name)
    raw = body[stem]
    parsed = [model.model_validate(r) for r in raw]
    assert [p.id for p in parsed] == [r["id"] for r in raw]
    for p in parsed:
        _no_floats(p)
    if read_all is None:
        return
    records = read_all(_serve(harness, body))
    assert [r.id for r in records] == [r["id"] for r in raw]
    assert all(isinstance(r, model) for r in records)


def test_invoice_fixture_money_is_exact(harness: Harness) -> None:
    body = billy_fixture("invoices_single.json")
    invoice = _serve(harness, body).invoices.get(body["invoice"]["id"])
    assert invoice.amount == Decimal("374.4")
    assert invoice.tax == Decimal("93.6")
    # The 2016 answer has no grossAmount: amount + tax.
    assert invoice.gross_amount == Decimal("468.0")
    assert invoice.balance == Decimal("468")
    assert invoice.lines is not None
    assert [line.tax for line in invoice.lines] == [Decimal("24.6"), Decimal("69")]
    assert invoice.type == "invoice" and not invoice.is_credit_note
    # Billy's fields we do not model are kept, not dropped.
    assert invoice.model_extra is not None
    assert "paymentMethods" in invoice.model_extra


def test_account_fixture_sideloads_its_group(harness: Harness) -> None:
    body = billy_fixture("accounts_single.json")
    account = _serve(harness, body).accounts.get(body["account"]["id"])
    assert account.sideloaded["accountGroups"][0]["name"] == "Skyldig moms"
    assert account.system_role == "salesTaxPayable"


ERRORS = {
    "error_bad_request.json": (BillyDataError, "data"),
    "error_not_found.json": (BillyNotFoundError, "data"),
    "error_unauthorized.json": (BillyConfigurationError, "configuration"),
    "error_server_error.json": (BillyTransientError, "transient"),
}


@pytest.mark.parametrize("name", [n for n in ALL_FILES if n.startswith("error_")])
def test_error_fixture_raises_the_right_kind(name: str, harness: Harness) -> None:
    expected, kind = ERRORS[name]
    body = billy_fixture(name)
    client = _serve(harness, body)
    with pytest.raises(BillyError) as caught:
        client.contacts.get("hSAz8KBCTPudbq4mBrvvaw")
    assert type(caught.value) is expected
    assert error_kind(caught.value) == kind
    assert caught.value.status == body["meta"]["statusCode"]
    assert caught.value.error_code == body["errorCode"]


def test_bad_request_fixture_gives_the_record_message(harness: Harness) -> None:
    body = billy_fixture("error_bad_request.json")
    client = _serve(harness, body)
    with pytest.raises(BillyDataError) as caught:
        client.invoices.create({"contactId": "c1", "lines": []})
    assert [str(m) for m in caught.value.validation_errors] == [
        "invoice: Invoices must have at least one invoice line."
    ]
    assert "Invoices must have at least one invoice line" in str(caught.value)


def test_server_error_fixture_on_a_write_is_an_unknown_outcome(harness: Harness) -> None:
    client = _serve(harness, billy_fixture("error_server_error.json"))
    with pytest.raises(BillyOutcomeUnknown):
        client.contacts.create({"name": "Ada", "countryId": "DK"})
    assert len(harness.requests) == 1
