"""What one write changed: Billy answers a POST or PUT with every changed record.

`POST /invoices` answers `{"invoices": [...], "invoiceLines": [...]}` (docs/billy-api.md §1.3); a
payment also changes the invoices it settles, so those come back too. The record the
request was about is always first under its key (`invoices[0]` is the new invoice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass
class Changes:
    records: dict[str, dict[str, Record]] = field(default_factory=dict)
    deleted: dict[str, list[str]] = field(default_factory=dict)

    def add(self, plural: str, record: Record) -> None:
        self.records.setdefault(plural, {})[record["id"]] = record

    def delete(self, plural: str, record_id: str) -> None:
        ids = self.deleted.setdefault(plural, [])
        if record_id not in ids:
            ids.append(record_id)


def replace_children(
    org: Any,
    changes: Changes,
    plural: str,
    foreign_key: str,
    parent_id: str,
    items: list[tuple[str | None, Record]],
    defaults: Record | None = None,
) -> None:
    """Billy's has-many rule: setting the array replaces the children (docs/billy-api.md §1.4).

    An item carrying the id of an existing child updates it; the others are created;
    existing children not in the array are deleted (reported in meta.deletedRecords).
    New children start from `defaults`.
    """
    existing = {child["id"]: child for child in org.children(plural, foreign_key, parent_id)}
    kept: set[str] = set()
    for child_id, values in items:
        if child_id is not None and child_id in existing:
            existing[child_id].update(values)
            kept.add(child_id)
            changes.add(plural, existing[child_id])
        else:
            new = {foreign_key: parent_id, **(defaults or {}), **values}
            changes.add(plural, org.insert(plural, new))
    for child_id in existing:
        if child_id not in kept:
            org.remove(plural, child_id)
            changes.delete(plural, child_id)
