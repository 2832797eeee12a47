"""Contacts (customers) and their contact persons (docs/billy-api.md §3.5).

The smallest valid contact is `{"name": …, "countryId": …}`; `type` defaults to company.
Contact persons carry the e-mail addresses (a contact has no email field) and may be
embedded on create and update (`contactPersons: [...]` replaces them all).
"""

from __future__ import annotations

from typing import Any

from .changes import Changes, replace_children
from .errors import Invalid, record_error
from .fields import Field, check_id, client_key, read_record, require, ro, unwrap, without
from .organization import Organization
from .wire import timestamp

Record = dict[str, Any]

TERMS_MODES = ("net", "netEndOfMonth", "date")
DELIVERY_MODES = ("link", "linkAndAttachment", "attachment")

CONTACT_FIELDS: dict[str, Field] = {
    "type": Field("enum", choices=("company", "person")),
    "name": Field("str", required=True),
    "countryId": Field("ref", required=True, ref="countries"),
    "street": Field("str"),
    "cityId": Field("str"),
    "cityText": Field("str"),
    "stateId": Field("str"),
    "stateText": Field("str"),
    "zipcodeId": Field("str"),
    "zipcodeText": Field("str"),
    "contactNo": Field("str"),
    "phone": Field("str"),
    "fax": Field("str"),
    "currencyId": Field("ref", ref="currencies"),
    "registrationNo": Field("str"),
    "ean": Field("str"),
    "localeId": Field("str"),
    "isCustomer": Field("bool"),
    "isSupplier": Field("bool"),
    "paymentTermsMode": Field("enum", choices=TERMS_MODES),
    "paymentTermsDays": Field("int"),
    "emailAttachmentDeliveryMode": Field("enum", choices=DELIVERY_MODES),
    "isArchived": Field("bool"),
    "isSalesTaxExempt": Field("bool"),
    "accessCode": ro(),
    "createdTime": ro(),
}

PERSON_FIELDS: dict[str, Field] = {
    "contactId": Field("ref", "create", ref="contacts"),
    "isPrimary": Field("bool"),
    "name": Field("str"),
    "email": Field("str"),
}


def _contact_defaults(org: Organization) -> Record:
    return {
        "type": "company",
        "createdTime": timestamp(org.now()),
        "name": "",
        "countryId": None,
        "street": "",
        "cityId": None,
        "cityText": "",
        "stateId": None,
        "stateText": "",
        "zipcodeId": None,
        "zipcodeText": "",
        "contactNo": "",
        "phone": "",
        "fax": "",
        "currencyId": None,
        "registrationNo": "",
        "ean": "",
        "localeId": None,
        "isCustomer": True,
        "isSupplier": False,
        "paymentTermsMode": None,
        "paymentTermsDays": None,
        "accessCode": org.ids.new()[:16],
        "emailAttachmentDeliveryMode": None,
        "isArchived": False,
        "isSalesTaxExempt": False,
    }


def _read_persons(
    org: Organization, raw: Any, invalid: Invalid, parent_key: str
) -> list[tuple[str | None, Record]]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        invalid.field(parent_key, "contactPersons", "must be a list of contact persons")
        return []
    persons: list[tuple[str | None, Record]] = []
    for index, item in enumerate(raw):
        key = client_key(item, f"contact.contactPersons[{index}]")
        data = {k: v for k, v in item.items() if k != "contactId"}
        values = read_record(org, "contactPerson", PERSON_FIELDS, data, invalid, error_key=key)
        _person_needs_name_or_email({**_person_defaults(), **values}, invalid, key)
        persons.append((item.get("id") if isinstance(item.get("id"), str) else None, values))
    return persons


def _person_defaults() -> Record:
    return {"isPrimary": False, "name": "", "email": ""}


def _person_needs_name_or_email(person: Record, invalid: Invalid, key: str) -> None:
    if not (person.get("name") or person.get("email")):
        invalid.field(key, "name", "either name or email must be set")


def create_contact(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "contact")
    invalid = Invalid()
    key = client_key(data, "contact")
    values = read_record(
        org, "contact", CONTACT_FIELDS, without(data, "contactPersons"), invalid, error_key=key
    )
    persons = (
        _read_persons(org, data["contactPersons"], invalid, key) if "contactPersons" in data else []
    )
    invalid.raise_if_any()
    changes = Changes()
    contact = org.insert("contacts", {**_contact_defaults(org), **values})
    changes.add("contacts", contact)
    items: list[tuple[str | None, Record]] = [(None, person) for _, person in persons]
    replace_children(
        org, changes, "contactPersons", "contactId", contact["id"], items, _person_defaults()
    )
    return changes


def update_contact(org: Organization, contact_id: str, document: dict[str, Any]) -> Changes:
    contact = org.get("contacts", contact_id)
    data = unwrap(document, "contact")
    check_id(data, contact_id, "contact")
    invalid = Invalid()
    key = client_key(data, "contact")
    values = read_record(
        org,
        "contact",
        CONTACT_FIELDS,
        without(data, "contactPersons"),
        invalid,
        error_key=key,
        existing=contact,
    )
    persons = None
    if "contactPersons" in data:
        persons = _read_persons(org, data["contactPersons"], invalid, key)
    invalid.raise_if_any()
    changes = Changes()
    contact.update(values)
    changes.add("contacts", contact)
    if persons is not None:
        replace_children(
            org, changes, "contactPersons", "contactId", contact_id, persons, _person_defaults()
        )
    return changes


def delete_contact(org: Organization, contact_id: str) -> Changes:
    changes = Changes()
    if org.find("contacts", contact_id) is None:
        return changes  # Billy's DELETE is idempotent: an unknown id is still 200
    if any(org.where("invoices", contactId=contact_id)):
        raise record_error(
            "contact",
            "The contact has invoices and cannot be deleted; archive it instead "
            "(isArchived: true).",
        )
    for person in org.children("contactPersons", "contactId", contact_id):
        org.remove("contactPersons", person["id"])
        changes.delete("contactPersons", person["id"])
    org.remove("contacts", contact_id)
    changes.delete("contacts", contact_id)
    return changes


def create_person(org: Organization, document: dict[str, Any]) -> Changes:
    data = unwrap(document, "contactPerson")
    invalid = Invalid()
    key = client_key(data, "contactPerson")
    values = read_record(org, "contactPerson", PERSON_FIELDS, data, invalid, error_key=key)
    require(invalid, key, values, "contactId")
    _person_needs_name_or_email({**_person_defaults(), **values}, invalid, key)
    invalid.raise_if_any()
    changes = Changes()
    changes.add(
        "contactPersons",
        org.insert(
            "contactPersons", {"contactId": values.pop("contactId"), **_person_defaults(), **values}
        ),
    )
    return changes


def update_person(org: Organization, person_id: str, document: dict[str, Any]) -> Changes:
    person = org.get("contactPersons", person_id)
    data = unwrap(document, "contactPerson")
    check_id(data, person_id, "contactPerson")
    invalid = Invalid()
    key = client_key(data, "contactPerson")
    values = read_record(
        org, "contactPerson", PERSON_FIELDS, data, invalid, error_key=key, existing=person
    )
    _person_needs_name_or_email({**person, **values}, invalid, key)
    invalid.raise_if_any()
    person.update(values)
    changes = Changes()
    changes.add("contactPersons", person)
    return changes


def delete_person(org: Organization, person_id: str) -> Changes:
    changes = Changes()
    if org.find("contactPersons", person_id) is not None:
        org.remove("contactPersons", person_id)
        changes.delete("contactPersons", person_id)
    return changes
