"""One Billy organization (company): its records, its numbering, its lock.

Every access token maps to exactly one organization and sees nothing of any other
(docs/billy-api.md §1.1: a token belongs to one company). Records are kept as dicts in Billy's
wire shape, amounts as `Decimal`, bookkeeping under `_`-keys; tables are ordered by
creation, which is the default list order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import not_found
from .ids import IdFactory
from .reference import GLOBAL_TABLES

Record = dict[str, Any]

# Resources an organization owns; the reference data in GLOBAL_TABLES is shared.
ORG_TABLES: tuple[str, ...] = (
    "accountGroups",
    "accounts",
    "taxRates",
    "salesTaxRulesets",
    "salesTaxRules",
    "contacts",
    "contactPersons",
    "products",
    "productPrices",
    "invoices",
    "invoiceLines",
    "bankPayments",
    "bankPaymentAssociations",
    "invoiceEmails",
)

# Children that Billy returns without an `organizationId` (fixtures: lines, contact persons).
WITHOUT_ORGANIZATION_ID = frozenset(
    {"contactPersons", "productPrices", "invoiceLines", "bankPaymentAssociations", "invoiceEmails"}
)

SINGULAR: dict[str, str] = {
    "organizations": "organization",
    "accountGroups": "accountGroup",
    "accounts": "account",
    "taxRates": "taxRate",
    "salesTaxRulesets": "salesTaxRuleset",
    "salesTaxRules": "salesTaxRule",
    "contacts": "contact",
    "contactPersons": "contactPerson",
    "products": "product",
    "productPrices": "productPrice",
    "invoices": "invoice",
    "invoiceLines": "invoiceLine",
    "bankPayments": "bankPayment",
    "bankPaymentAssociations": "bankPaymentAssociation",
    "invoiceEmails": "invoiceEmail",
    "currencies": "currency",
    "countries": "country",
    "countryGroups": "countryGroup",
}


@dataclass
class Settings:
    """What the emulator decides for every organization (see docs/billy-emulator.md)."""

    now: Callable[[], datetime]
    honour_undocumented_filters: bool = True


@dataclass
class Organization:
    id: str
    token: str
    name: str
    ids: IdFactory
    settings: Settings
    record: Record = field(default_factory=dict)
    tables: dict[str, dict[str, Record]] = field(
        default_factory=lambda: {name: {} for name in ORG_TABLES}
    )
    # invoiceNo → invoice id: Billy keeps invoice numbers unique per organization.
    invoice_numbers: dict[str, str] = field(default_factory=dict)
    # (table, foreign key) → parent id → child ids; built on first use, kept up to date.
    # Foreign keys of children never change (they are create-only), so insert and
    # remove are the only updates.
    _child_index: dict[tuple[str, str], dict[str, dict[str, None]]] = field(default_factory=dict)

    def table(self, plural: str) -> Mapping[str, Record]:
        if plural == "organizations":
            return {self.id: self.record}
        if plural in GLOBAL_TABLES:
            return GLOBAL_TABLES[plural]
        return self.tables[plural]

    def find(self, plural: str, record_id: Any) -> Record | None:
        if not isinstance(record_id, str):
            return None
        return self.table(plural).get(record_id)

    def get(self, plural: str, record_id: str) -> Record:
        record = self.find(plural, record_id)
        if record is None:
            raise not_found(SINGULAR.get(plural, plural), record_id)
        return record

    def insert(self, plural: str, record: Record) -> Record:
        """Store a new record under a fresh id (unless it brings one: seeding does)."""
        record.setdefault("id", self.ids.new())
        stored: Record = {"id": record["id"]}
        if plural not in WITHOUT_ORGANIZATION_ID:
            stored["organizationId"] = self.id
        stored.update({k: v for k, v in record.items() if k != "id"})
        self.tables[plural][stored["id"]] = stored
        for (table, foreign_key), index in self._child_index.items():
            if table == plural and isinstance(stored.get(foreign_key), str):
                index.setdefault(stored[foreign_key], {})[stored["id"]] = None
        return stored

    def remove(self, plural: str, record_id: str) -> None:
        record = self.tables[plural].pop(record_id, None)
        if record is None:
            return
        for (table, foreign_key), index in self._child_index.items():
            if table == plural and isinstance(record.get(foreign_key), str):
                index.get(record[foreign_key], {}).pop(record_id, None)

    def children(self, plural: str, foreign_key: str, parent_id: str) -> list[Record]:
        """The records of `plural` whose `foreign_key` is `parent_id`, in creation order."""
        index = self._child_index.get((plural, foreign_key))
        if index is None:
            index = {}
            for record in self.tables[plural].values():
                if isinstance(record.get(foreign_key), str):
                    index.setdefault(record[foreign_key], {})[record["id"]] = None
            self._child_index[(plural, foreign_key)] = index
        table = self.tables[plural]
        return [table[child_id] for child_id in index.get(parent_id, {})]

    def where(self, plural: str, **equal: Any) -> Iterable[Record]:
        for record in self.table(plural).values():
            if all(record.get(k) == v for k, v in equal.items()):
                yield record

    def now(self) -> datetime:
        return self.settings.now()

    @property
    def is_locked(self) -> bool:
        return bool(self.record.get("isLocked"))
