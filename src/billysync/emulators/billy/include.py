"""`include=`: Billy's sideloading and embedding of related records (docs/billy-api.md §1.4).

`include=invoice.lines:embed,invoice.contact:sideload,contact.country:embed`:
- has-many, embed: `invoice.lines: [...]`; sideload: `invoice.lineIds: [...]` plus the
  children under their root plural key (`invoiceLines: [...]`);
- belongs-to (`<rel>Id` on the record), embed: `invoice.contact: {...}`; sideload: the
  record under its root plural key (`contacts: [...]`). `sideload` is the default mode.
Includes apply to every record of that type in the answer, also to included ones, so
`contact.country:embed` works on contacts that were themselves sideloaded. An include
the emulator does not know is ignored (Billy's behaviour there is not known).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .organization import SINGULAR, Organization

Record = dict[str, Any]
Wire = Callable[[Organization, str, Record], Record]

PLURAL = {singular: plural for plural, singular in SINGULAR.items()}

# (type, relation) → (child table, foreign key on the child)
HAS_MANY: dict[tuple[str, str], tuple[str, str]] = {
    ("invoice", "lines"): ("invoiceLines", "invoiceId"),
    ("contact", "contactPersons"): ("contactPersons", "contactId"),
    ("product", "prices"): ("productPrices", "productId"),
    ("salesTaxRuleset", "rules"): ("salesTaxRules", "rulesetId"),
    ("bankPayment", "associations"): ("bankPaymentAssociations", "bankPaymentId"),
}

# belongs-to relations whose name is not the target's singular name
BELONGS_TO_TARGET: dict[str, str] = {
    "cashAccount": "accounts",
    "feeAccount": "accounts",
    "inventoryAccount": "accounts",
    "creditedInvoice": "invoices",
    "attContactPerson": "contactPersons",
    "ruleset": "salesTaxRulesets",
    "group": "accountGroups",
    "fallbackTaxRate": "taxRates",
    "subjectCurrency": "currencies",
    "baseCurrency": "currencies",
}


@dataclass(frozen=True)
class Include:
    owner: str
    relation: str
    embed: bool


def parse(raw: str | None) -> list[Include]:
    includes: list[Include] = []
    for part in (raw or "").split(","):
        path, _, mode = part.strip().partition(":")
        owner, _, relation = path.partition(".")
        if owner and relation:
            includes.append(Include(owner, relation, mode == "embed"))
    return includes


def apply(
    org: Organization,
    includes: list[Include],
    primary: list[tuple[str, Record]],
    wire: Wire,
) -> dict[str, list[Record]]:
    """Fill in includes on `primary` (type, wire record) pairs; returns the sideloads."""
    sideloads: dict[str, dict[str, Record]] = {}
    pool = list(primary)
    done: set[tuple[int, Include]] = set()
    for _ in range(len(includes) + 1):
        grew = False
        for include in includes:
            for kind, record in list(pool):
                if kind != include.owner or (id(record), include) in done:
                    continue
                done.add((id(record), include))
                for child_kind, child in _follow(org, include, record, sideloads, wire):
                    pool.append((child_kind, child))
                    grew = True
        if not grew:
            break
    return {plural: list(records.values()) for plural, records in sideloads.items()}


def _follow(
    org: Organization,
    include: Include,
    record: Record,
    sideloads: dict[str, dict[str, Record]],
    wire: Wire,
) -> list[tuple[str, Record]]:
    many = HAS_MANY.get((include.owner, include.relation))
    if many is not None:
        table, foreign_key = many
        children = [
            wire(org, table, child) for child in org.children(table, foreign_key, record["id"])
        ]
        if include.embed:
            record[include.relation] = children
        else:
            record[include.relation.removesuffix("s") + "Ids"] = [c["id"] for c in children]
            for child in children:
                sideloads.setdefault(table, {})[child["id"]] = child
        return [(SINGULAR[table], child) for child in children]
    target_table = BELONGS_TO_TARGET.get(include.relation) or PLURAL.get(include.relation)
    target_id = record.get(include.relation + "Id")
    if target_table is None or not target_id:
        return []
    target = org.find(target_table, target_id)
    if target is None:
        return []
    shaped = wire(org, target_table, target)
    if include.embed:
        record[include.relation] = shaped
    else:
        existing = sideloads.setdefault(target_table, {}).get(target_id)
        if existing is not None:
            return []
        sideloads[target_table][target_id] = shaped
    return [(SINGULAR[target_table], shaped)]
