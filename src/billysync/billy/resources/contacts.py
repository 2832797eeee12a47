"""Contacts (`/v2/contacts`): the customers invoices are made out to, with their persons.

A contact has no email of its own; emails live on its contact persons, and an invoice email is
sent to one person. So contacts are created with embedded `contactPersons` and always read back
with them (`contact.contact_persons`).

billysync's marker on a contact is `contactNo`; `find_by_contact_no` returns every contact
carrying it exactly (a list: more than one means duplicates in Billy that a person must sort
out; an empty list means there is none).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from billysync.billy.models import Contact
from billysync.billy.resources._base import Children, Resource

EMBED_PERSONS = "contact.contactPersons:embed"


class ContactService(Resource[Contact]):
    path = "/contacts"
    singular = "contact"
    plural = "contacts"
    model = Contact
    children = (Children("contactPersons", "contactPersons", "contactPersonIds", ("contactId",)),)

    def create(self, payload: Mapping[str, Any]) -> Contact:
        """Create a contact from Billy's fields, e.g. `{"name": …, "countryId": "DK",
        "contactNo": …, "contactPersons": [{"name": …, "email": …, "isPrimary": True}]}`;
        returns it with its persons (and their ids, needed to email invoices)."""
        return self._create(payload)

    def get(self, contact_id: str) -> Contact:
        return self._retrieve(contact_id, include=EMBED_PERSONS)

    def update(self, contact_id: str, payload: Mapping[str, Any]) -> Contact:
        """Partial update. Sending `contactPersons` replaces all of the contact's persons."""
        return self._update(contact_id, payload)

    def find_by_contact_no(self, contact_no: str) -> list[Contact]:
        """Every contact whose `contactNo` is exactly `contact_no` (persons embedded)."""
        return self._find_exact("contactNo", contact_no, include=EMBED_PERSONS)

    def list(self, **filters: object) -> list[Contact]:
        """All contacts (every page, persons embedded); filters use Billy's names."""
        return self._list(filters, include=EMBED_PERSONS)
