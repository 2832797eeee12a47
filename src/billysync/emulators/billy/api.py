"""Billy's REST surface under /v2: routing, auth, the lock, and the answer envelopes.

Envelopes (docs/billy-api.md §1.3): one record `{"meta", "invoice": {...}}`; a list
`{"meta": {..., "paging"}, "invoices": [...]}`; a write answers 200 with every changed
record under plural keys and deleted ids in `meta.deletedRecords`. Errors are in Billy's
error envelope (errors.py). Routes Billy does not have answer 404 UNKNOWN_RESOURCE;
methods a resource does not support answer 405.

A locked organization (see `BillyEmulator.lock_organization`) can still be read; every
write answers 403 ORGANIZATION_LOCKED (an emulator choice: Billy's answer is unknown).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import include, listing
from .changes import Changes
from .contacts import (
    create_contact,
    create_person,
    delete_contact,
    delete_person,
    update_contact,
    update_person,
)
from .emails import send_invoice
from .errors import ApiError, method_not_allowed, unknown_resource
from .invoice_lines import create_line, delete_line, update_line
from .invoices import create_invoice, delete_invoice, update_invoice
from .organization import Organization
from .organizations import update_organization
from .payments import create_payment, update_payment
from .products import (
    create_price,
    create_product,
    delete_price,
    delete_product,
    update_price,
    update_product,
)
from .sales_tax import create_rule, create_ruleset, create_tax_rate
from .wire import Record, decode_body, plain, timestamp

Create = Callable[[Organization, dict[str, Any]], Changes]
Update = Callable[[Organization, str, dict[str, Any]], Changes]
Delete = Callable[[Organization, str], Changes]


@dataclass(frozen=True)
class Resource:
    plural: str
    singular: str
    create: Create | None = None
    update: Update | None = None
    delete: Delete | None = None
    public: bool = False  # Billy's own client reads these without a token


RESOURCES: dict[str, Resource] = {
    r.plural: r
    for r in (
        Resource("organizations", "organization", update=update_organization),
        Resource("accounts", "account"),
        Resource("accountGroups", "accountGroup"),
        Resource("taxRates", "taxRate", create_tax_rate),
        Resource("salesTaxRulesets", "salesTaxRuleset", create_ruleset),
        Resource("salesTaxRules", "salesTaxRule", create_rule),
        Resource("currencies", "currency", public=True),
        Resource("countries", "country", public=True),
        Resource("countryGroups", "countryGroup", public=True),
        Resource("contacts", "contact", create_contact, update_contact, delete_contact),
        Resource("contactPersons", "contactPerson", create_person, update_person, delete_person),
        Resource("products", "product", create_product, update_product, delete_product),
        Resource("productPrices", "productPrice", create_price, update_price, delete_price),
        Resource("invoices", "invoice", create_invoice, update_invoice, delete_invoice),
        Resource("invoiceLines", "invoiceLine", create_line, update_line, delete_line),
        Resource("bankPayments", "bankPayment", create_payment, update_payment),
    )
}

WRITES = frozenset({"POST", "PUT", "DELETE", "PATCH"})


@dataclass
class Answer:
    status: int
    document: dict[str, Any]
    organization: Organization | None
    headers: dict[str, str]


def wire(_org: Organization, _table: str, record: Record) -> Record:
    shaped = plain(record)
    assert isinstance(shaped, dict)
    return shaped


class Api:
    """Answers /v2 requests for the organizations it can find by token."""

    def __init__(
        self,
        find_organization: Callable[[str], Organization | None],
        anonymous: Callable[[], Organization],
        now: Callable[[], Any],
    ) -> None:
        self._find = find_organization
        self._anonymous = anonymous
        self._now = now

    def answer(
        self, method: str, path: str, params: dict[str, str], token: str | None, body: bytes
    ) -> Answer:
        started = time.perf_counter()
        org: Organization | None = None
        try:
            resource, record_id, sub = _route(path)
            _check_method(method, path, resource, record_id, sub)
            public_read = method == "GET" and resource is not None and resource.public
            org = self._authenticate(token, allow_anonymous=public_read)
            if method in WRITES and org.is_locked:
                reason = org.record.get("lockedReason") or "locked"
                raise ApiError(
                    403,
                    "ORGANIZATION_LOCKED",
                    f"The organization is locked ({reason}); nothing can be "
                    "written until it is unlocked in Billy.",
                )
            document = self._dispatch(org, method, resource, record_id, sub, params, body)
        except ApiError as error:
            document = error.body()
            return Answer(error.status, document, org, error.headers)
        meta = {"statusCode": 200, "success": True, **document.pop("meta", {})}
        meta["time"] = round(time.perf_counter() - started, 6)
        return Answer(200, {"meta": meta, **document}, org, {})

    def _authenticate(self, token: str | None, *, allow_anonymous: bool) -> Organization:
        if token is None:
            if allow_anonymous:
                return self._anonymous()
            raise ApiError(
                401,
                "AUTHENTICATION_REQUIRED",
                "You must use Basic auth or an OAuth access token to access this resource.",
                error_time=timestamp(self._now()),
            )
        org = self._find(token)
        if org is None:
            raise ApiError(
                401,
                "OAUTH_INVALID_ACCESS_TOKEN",
                "Invalid OAuth 2 access token.",
                error_time=timestamp(self._now()),
            )
        return org

    def _dispatch(
        self,
        org: Organization,
        method: str,
        resource: Resource | None,
        record_id: str | None,
        sub: str | None,
        params: dict[str, str],
        body: bytes,
    ) -> dict[str, Any]:
        if resource is None:  # GET /v2/organization
            return {"organization": wire(org, "organizations", org.record)}
        if sub == "emails":
            assert record_id is not None
            return _write_answer(send_invoice(org, record_id, decode_body(body)))
        if method == "GET" and record_id is None:
            return _list(org, resource, params)
        if method == "GET":
            assert record_id is not None
            return _single(org, resource, record_id, params)
        if method == "POST":
            assert resource.create is not None
            return _write_answer(resource.create(org, decode_body(body)))
        if method == "PUT":
            assert resource.update is not None and record_id is not None
            return _write_answer(resource.update(org, record_id, decode_body(body)))
        assert resource.delete is not None and record_id is not None
        changes = resource.delete(org, record_id)
        changes.delete(resource.plural, record_id)  # idempotent: reported even if unknown
        return _write_answer(changes)


def _route(path: str) -> tuple[Resource | None, str | None, str | None]:
    """(resource, id, sub-resource); resource None means the singular /v2/organization."""
    if not path.startswith("/v2/"):
        raise unknown_resource(path)
    parts = path[len("/v2/") :].strip("/").split("/")
    if parts == ["organization"]:
        return None, None, None
    resource = RESOURCES.get(parts[0])
    if resource is None or len(parts) > 3 or any(not part for part in parts):
        raise unknown_resource(path)
    if len(parts) == 3:
        if resource.plural != "invoices" or parts[2] != "emails":
            raise unknown_resource(path)
        return resource, parts[1], "emails"
    return resource, parts[1] if len(parts) == 2 else None, None


def _check_method(
    method: str, path: str, resource: Resource | None, record_id: str | None, sub: str | None
) -> None:
    if resource is None or sub is not None:
        allowed = {"GET"} if resource is None else {"POST"}
    elif record_id is None:
        allowed = {"GET"} | ({"POST"} if resource.create else set())
    else:
        allowed = {"GET"} | ({"PUT"} if resource.update else set())
        allowed |= {"DELETE"} if resource.delete else set()
    if method not in allowed:
        raise method_not_allowed(method, path)


def _list(org: Organization, resource: Resource, params: dict[str, str]) -> dict[str, Any]:
    chosen = listing.select(org, resource.plural, list(org.table(resource.plural).values()), params)
    rows, paging = listing.page(chosen, params)
    shaped = [wire(org, resource.plural, row) for row in rows]
    sideloads = include.apply(
        org,
        include.parse(params.get("include")),
        [(resource.singular, row) for row in shaped],
        wire,
    )
    return {"meta": {"paging": paging}, resource.plural: shaped, **_others(sideloads, resource)}


def _single(
    org: Organization, resource: Resource, record_id: str, params: dict[str, str]
) -> dict[str, Any]:
    shaped = wire(org, resource.plural, org.get(resource.plural, record_id))
    sideloads = include.apply(
        org, include.parse(params.get("include")), [(resource.singular, shaped)], wire
    )
    return {resource.singular: shaped, **_others(sideloads, resource)}


def _others(sideloads: dict[str, list[Record]], resource: Resource) -> dict[str, list[Record]]:
    return {plural: rows for plural, rows in sideloads.items() if plural != resource.plural}


def _write_answer(changes: Changes) -> dict[str, Any]:
    document: dict[str, Any] = {"meta": {}}
    for plural, records in changes.records.items():
        document[plural] = [plain(record) for record in records.values()]
    if changes.deleted:
        document["meta"]["deletedRecords"] = changes.deleted
    return document
