"""An order's document chain as the merchant reads it: order → contact → invoice → payment →
credit notes, each with its Billy record (from the bindings) and every step and Billy call
(from the audit log).

Read only, and always within one shop: every query carries the shop id, so another shop's
order key finds nothing (404).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from billysync.store import audit, bindings, transfers
from billysync.store.tables import AuditEntry, Binding, Transfer


@dataclass
class Document:
    """One link of the chain: what it is, and Billy's record of it when there is one."""

    kind: str  # order | contact | invoice | payment | credit_note | refund | return
    label: str
    binding: Binding | None = None
    link: str | None = None  # another chain page (a return of this order, or its order)


@dataclass
class Chain:
    kind: str
    object_key: str
    transfer: Transfer | None
    documents: list[Document] = field(default_factory=list)
    entries: list[AuditEntry] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.transfer is not None or bool(self.entries)


def _snapshot(transfer: Transfer | None) -> dict[str, Any]:
    if transfer is None or not transfer.snapshot:
        return {}
    try:
        data = json.loads(transfer.snapshot)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _order_documents(
    session: Session, shop_id: int, base: str, key: str, transfer: Transfer | None
) -> list[Document]:
    snapshot = _snapshot(transfer)
    customer = snapshot.get("customer") or {}
    number = transfer.number if transfer and transfer.number else key
    documents = [Document("order", number)]
    customer_key = customer.get("key") if isinstance(customer, dict) else None
    if customer_key:
        label = str(customer.get("company_name") or customer.get("name") or customer_key)
        contact = bindings.get_binding(session, shop_id, "contact", str(customer_key))
        documents.append(Document("contact", label, contact))
    invoice_no = transfer.invoice_no if transfer else None
    documents.append(
        Document(
            "invoice", invoice_no or "", bindings.get_binding(session, shop_id, "invoice", key)
        )
    )
    documents.append(
        Document("payment", "", bindings.get_binding(session, shop_id, "payment", key))
    )
    for ret in transfers.returns_of(session, shop_id, key):
        credit = bindings.get_binding(session, shop_id, "credit_note", ret.object_key)
        link = f"{base}/returns/{ret.object_key}"
        documents.append(Document("credit_note", ret.invoice_no or ret.number, credit, link))
        refund = bindings.get_binding(session, shop_id, "refund", ret.object_key)
        if refund is not None:
            documents.append(Document("refund", "", refund, link))
    return documents


def _return_documents(
    session: Session, shop_id: int, base: str, key: str, transfer: Transfer | None
) -> list[Document]:
    order_key = transfer.order_key if transfer else None
    documents = []
    if order_key:
        invoice = bindings.get_binding(session, shop_id, "invoice", order_key)
        documents.append(Document("order", order_key, None, f"{base}/orders/{order_key}"))
        documents.append(Document("invoice", "", invoice))
    documents.append(Document("return", transfer.number if transfer else key))
    documents.append(
        Document(
            "credit_note",
            (transfer.invoice_no if transfer else None) or "",
            bindings.get_binding(session, shop_id, "credit_note", key),
        )
    )
    refund = bindings.get_binding(session, shop_id, "refund", key)
    if refund is not None:
        documents.append(Document("refund", "", refund))
    return documents


def load_chain(session: Session, shop_id: int, kind: str, key: str) -> Chain:
    transfer = transfers.get_transfer(session, shop_id, kind, key)
    base = f"/shops/{shop_id}"
    chain = Chain(kind, key, transfer, entries=audit.chain(session, shop_id, kind, key))
    if kind == "order":
        chain.documents = _order_documents(session, shop_id, base, key, transfer)
    else:
        chain.documents = _return_documents(session, shop_id, base, key, transfer)
    return chain


# The exporter's line after each Billy write: "<how> <kind> <marker>" (sync/exporter.py).
_WRITTEN = {"created": "created", "adopted the existing": "adopted"}
WRITTEN_KINDS = ("contact", "invoice", "payment", "credit_note", "refund", "product")


def written_key(entry: AuditEntry) -> str | None:
    """The catalogue key saying what a Billy write did, for the exporter's own line.

    That line names our marker (an internal key such as WEB-C-1234), which the merchant
    should not have to read; the page says "created in Billy" in their language instead.
    Any other line is shown as the engine wrote it.
    """
    if entry.billy_id is None or entry.step not in WRITTEN_KINDS:
        return None
    for prefix, how in _WRITTEN.items():
        if entry.message.startswith(f"{prefix} {entry.step} "):
            return f"written.{how}.{entry.step}"
    return None
