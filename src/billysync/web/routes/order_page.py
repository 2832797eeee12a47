"""The order page (and a return's): the document as booked in Billy, one click from Billy, and
the chain of documents and steps that led there.

The booked invoice or credit note (an htmx fragment loaded after the page) is shown as
billysync kept it when Billy confirmed it (sync/documents.py): lines with VAT, totals, the
customer, each payment with its account by name and date, and a link to it in Billy, without
a call to Billy. Only a document bound by an older version, or adopted without its lines, is
read from Billy itself (5 reads); when Billy cannot be reached the rest of the page still works.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from billysync.billy.client import BillyClient
from billysync.billy.errors import BillyError
from billysync.store import bindings
from billysync.store.tables import Binding
from billysync.sync.runtime import NotConfigured
from billysync.web import billy_trouble, chain, documents, guards, render

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

# Which binding holds the Billy document of an order, and of a return; and its payments.
DOCUMENT_BINDING = {"order": "invoice", "return": "credit_note"}
PAYMENT_BINDINGS = {"order": ("gift_card_payment", "payment"), "return": ("refund",)}
PATHS = {"order": "orders", "return": "returns"}


def _chain_page(request: Request, shop_id: int, kind: str, key: str) -> Response:
    shop = guards.load_shop(request, shop_id)
    with guards.runtime(request).db.session() as db_session:
        found = chain.load_chain(db_session, shop_id, kind, key)
        if not found.found:
            raise HTTPException(status_code=404, detail="No such order in this shop.")
        booked = bindings.get_binding(db_session, shop_id, DOCUMENT_BINDING[kind], key)
        db_session.expunge_all()
    context = {
        "active": "overview",
        "shop": shop,
        "chain": found,
        "booked": booked is not None,
        "document_url": f"/shops/{shop_id}/{PATHS[kind]}/{key}/document",
    }
    return render.page(request, "chain.html", context)


@router.get("/shops/{shop_id}/orders/{order_key}")
def order_chain(request: Request, shop_id: int, order_key: str) -> Response:
    return _chain_page(request, shop_id, "order", order_key)


@router.get("/shops/{shop_id}/returns/{return_key}")
def return_chain(request: Request, shop_id: int, return_key: str) -> Response:
    return _chain_page(request, shop_id, "return", return_key)


def read_booked(client: BillyClient, invoice_id: str) -> documents.DocumentView:
    """Billy's invoice or credit note with its customer, payments and accounts (5 reads)."""
    invoice = client.invoices.get(invoice_id)
    contact = client.contacts.get(invoice.contact_id) if invoice.contact_id else None
    payments = client.bank_payments.for_invoice(invoice_id)
    names = documents.account_names(client.accounts.list())
    organization = client.organization.get()
    # `appUrl` is not one of the client model's named fields; it arrives as an extra.
    app_url = (organization.model_extra or {}).get("appUrl")
    return documents.from_billy(
        invoice, contact=contact, payments=payments, account_names=names, app_url=app_url
    )


def kept_document(
    session: Session, shop_id: int, kind: str, key: str, binding: Binding
) -> documents.DocumentView | None:
    """The document as billysync kept it when it booked it, or None (read Billy instead)."""
    extra = bindings.binding_extra(binding)
    paid = [
        bindings.binding_extra(row)
        for name in PAYMENT_BINDINGS[kind]
        if (row := bindings.get_binding(session, shop_id, name, key)) is not None
    ]
    if any("date" not in payment for payment in paid):
        return None  # a payment bound by an older version: its account and date are in Billy
    return documents.from_stored(binding.billy_id, extra, payments=paid)


def _document_fragment(request: Request, shop_id: int, kind: str, key: str) -> Response:
    shop = guards.load_shop(request, shop_id)
    with guards.runtime(request).db.session() as db_session:
        binding = bindings.get_binding(db_session, shop_id, DOCUMENT_BINDING[kind], key)
        invoice_id = binding.billy_id if binding is not None else None
        kept = (
            kept_document(db_session, shop_id, kind, key, binding) if binding is not None else None
        )
    context: dict[str, Any] = {"shop": shop, "kind": kind}
    if invoice_id is None:
        return render.page(request, "_booked.html", context)
    if kept is not None:
        context["doc"] = kept
        return render.page(request, "_booked.html", context)
    try:
        with guards.runtime(request).billy_client(shop) as client:
            context["doc"] = read_booked(client, invoice_id)
    except BillyError as exc:
        log.warning("shop %s: the booked %s could not be read from Billy", shop_id, kind)
        default_url = guards.runtime(request).process.billy_base_url
        context["trouble"] = billy_trouble.explain_at(exc, shop.billy_base_url, default_url)
    except NotConfigured:  # the key was removed from the settings since
        context["trouble_key"] = "settings.need_key"
    return render.page(request, "_booked.html", context)


@router.get("/shops/{shop_id}/orders/{order_key}/document")
def order_document(request: Request, shop_id: int, order_key: str) -> Response:
    return _document_fragment(request, shop_id, "order", order_key)


@router.get("/shops/{shop_id}/returns/{return_key}/document")
def return_document(request: Request, shop_id: int, return_key: str) -> Response:
    return _document_fragment(request, shop_id, "return", return_key)
