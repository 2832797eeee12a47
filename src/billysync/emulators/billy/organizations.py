"""The organization record: `GET /v2/organization`, `PUT /v2/organizations/:id`.

`PUT /v2/organization` (singular) answers 405, as seen live (docs/billy-api.md §1.1). A client may
change the company's address, defaults and numbering; the subscription, lock and base
currency are Billy's (read-only, silently ignored like any read-only field).
"""

from __future__ import annotations

from typing import Any

from .changes import Changes
from .contacts import DELIVERY_MODES, TERMS_MODES
from .errors import Invalid
from .fields import Field, check_id, client_key, read_record, ro, unwrap
from .organization import Organization

_WRITABLE: dict[str, Field] = {
    "name": Field("str", required=True),
    "street": Field("str"),
    "zipcode": Field("str"),
    "city": Field("str"),
    "phone": Field("str"),
    "fax": Field("str"),
    "email": Field("str"),
    "registrationNo": Field("str"),
    "localeId": Field("str"),
    "paymentTermsMode": Field("enum", choices=TERMS_MODES),
    "paymentTermsDays": Field("int"),
    "defaultTaxMode": Field("enum", choices=("incl", "excl")),
    "emailAttachmentDeliveryMode": Field("enum", choices=DELIVERY_MODES),
    "invoiceNoMode": Field("enum", choices=("sequential", "manual")),
    "nextInvoiceNo": Field("int"),
    "defaultSalesAccountId": Field("ref", ref="accounts"),
    "defaultSalesTaxRulesetId": Field("ref", ref="salesTaxRulesets"),
    "defaultInvoiceBankAccountId": Field("ref", ref="accounts"),
    "defaultBankFeeAccountId": Field("ref", ref="accounts"),
    "defaultBillBankAccountId": Field("ref", ref="accounts"),
}


def _spec(org: Organization) -> dict[str, Field]:
    return {**{name: ro() for name in org.record}, **_WRITABLE}


def update_organization(org: Organization, org_id: str, document: dict[str, Any]) -> Changes:
    org.get("organizations", org_id)
    data = unwrap(document, "organization")
    check_id(data, org_id, "organization")
    key = client_key(data, "organization")
    invalid = Invalid()
    values = read_record(
        org, "organization", _spec(org), data, invalid, error_key=key, existing=org.record
    )
    next_no = values.get("nextInvoiceNo")
    if next_no is not None and next_no < 1:
        invalid.field(key, "nextInvoiceNo", "must be 1 or more")
    invalid.raise_if_any()
    org.record.update(values)
    changes = Changes()
    changes.add("organizations", org.record)
    return changes
