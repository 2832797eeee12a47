"""What the web pages and the CLI ask of the engine, in the merchant's words.

Receiving an event is a durable insert (and, where the engine runs in this process, an
enqueue); everything else — retry, preview, product passes, the setup check — is here so
that the web never talks to DBOS or builds Billy documents itself.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any

from billysync.billy.errors import BillyError
from billysync.mapping import preview as preview_mapping
from billysync.store import bindings, inbox, shops, transfers
from billysync.sync import engine, oss, reference
from billysync.sync.classify import classify
from billysync.sync.exporter import TransferContext
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from billysync.sync.sources import source_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    """One finding: `name` and `message` in English; `topic`, `code` and `params` let a page
    say the same in the merchant's language."""

    name: str
    ok: bool
    message: str
    topic: str = ""
    code: str = ""
    params: dict[str, str] = field(default_factory=dict)


def receive_event(
    rt: Runtime,
    *,
    shop_id: int,
    source: str,
    event_name: str,
    object_type: str,
    object_key: str,
    dedupe_key: str,
    payload: str,
    enqueue: bool = True,
) -> tuple[int, bool]:
    """Store the event durably (once); start its work when this process runs the engine.

    `enqueue=False` leaves the start to the dispatcher (callers inside a workflow step).
    """
    with rt.db.session() as session:
        event, is_new = inbox.store_event(
            session,
            shop_id=shop_id,
            source=source,
            event_name=event_name,
            object_type=object_type,
            object_key=object_key,
            dedupe_key=dedupe_key,
            payload=payload,
        )
        event_id = event.id
        if is_new and object_type in ("order", "return"):
            transfers.ensure_transfer(session, shop_id, object_type, object_key)
    if is_new and enqueue and engine.is_running():
        try:
            engine.enqueue_event(rt, event_id)
        except Exception:  # stored is enough: the dispatcher enqueues it shortly
            log.warning("event %s stored; enqueue deferred to the dispatcher", event_id)
    return event_id, is_new


def retry(rt: Runtime, shop_id: int, kind: str, object_key: str) -> None:
    """Run a stopped order or return again (after the merchant fixed what it said).

    The request is stored like any event, so it works in a web-only process too (a worker's
    dispatcher starts it) and is never lost between the click and the work.
    """
    with rt.db.session() as session:
        if transfers.get_transfer(session, shop_id, kind, object_key) is None:
            raise LookupError(f"no {kind} {object_key!r} in this shop")
    reference.forget(shop_id)  # the fix may have been in Billy's settings
    _request(rt, shop_id, "retry", kind, object_key)
    with rt.db.session() as session:
        transfers.update_transfer(
            session, shop_id, kind, object_key, state="received", reason="retry requested"
        )


def retry_all(rt: Runtime, shop_id: int, error_kind: str | None = None) -> int:
    """Retry every failed order and return of a shop (of one error kind, if given)."""
    with rt.db.session() as session:
        failed = [
            (t.kind, t.object_key)
            for t in transfers.list_transfers(session, shop_id, state="failed", limit=100_000)
            if error_kind is None or t.error_kind == error_kind
        ]
    for kind, key in failed:
        retry(rt, shop_id, kind, key)
    return len(failed)


def sync_products(rt: Runtime, shop_id: int) -> None:
    """Start a product pass now (or join the one already waiting)."""
    _request(rt, shop_id, "sync", "product", "all")


def _request(rt: Runtime, shop_id: int, name: str, kind: str, key: str) -> None:
    receive_event(
        rt,
        shop_id=shop_id,
        source="command",
        event_name=name,
        object_type=kind,
        object_key=key,
        dedupe_key=f"{name}:{uuid.uuid4().hex}",
        payload="",
    )


def preview_order(rt: Runtime, shop_id: int, order_key: str) -> dict[str, Any]:
    """The Billy documents an order would become, computed without writing anything."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
        product_ids = {
            b.local_key: b.billy_id for b in bindings.bindings_of_kind(session, shop_id, "product")
        }
    try:
        settings = billy_settings(shop)
        with closing(source_for(rt, shop)) as source:
            order = source.read_order(order_key)
        with rt.billy_client(shop) as client:
            ctx = TransferContext(rt, shop_id, "order", order_key, "preview", client)
            ref = reference.reference_for(ctx)
            vat = ref.sale_vat(order.customer, oss=oss.known_oss_rates(ctx, settings, order))
        return preview_mapping.preview(order, settings, product_ids=product_ids, vat=vat)
    except Exception as exc:
        failure = classify(exc)
        return {"error": failure.reason, "error_kind": failure.kind}


def setup_check(rt: Runtime, shop_id: int) -> list[Check]:
    """Every check of design.md §1.2, each saying what to fix in Billy or here."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
    checks: list[Check] = []
    if not shop.billy_key_secret:
        checks.append(_check("key", False, "missing"))
    else:
        try:
            with rt.billy_client(shop) as client:
                org = client.organization.get()
                checks.append(_check("key", True, "ok", organization=org.name or ""))
                checks.append(_locked_check(org))
                accounts = {a.id: a for a in client.accounts.list()}
                checks.append(_sales_account_check(shop.sales_account_id, accounts))
                checks.append(_product_check(client, "shipping", shop.shipping_product_id))
                checks.append(_product_check(client, "discount", shop.discount_product_id))
                checks.append(_payment_check(shop.post_payments, shop.payment_account_id, accounts))
                rulesets = client.sales_tax_rulesets.list(include_rules=True)
                checks.append(
                    _check("vat", True, "ok", count=str(len(rulesets)))
                    if rulesets
                    else _check("vat", False, "none")
                )
                checks.append(_numbering_check(org, shop.order_prefix))
        except BillyError as exc:
            checks.append(_check("billy", False, "error", reason=classify(exc).reason))
    if shop.platform == "shoporama":
        connected = bool(shop.shop_token_secret and shop.shop_base_url)
        checks.append(_check("shoporama", connected, "ok" if connected else "missing"))
        hooked = bool(shop.webhook_secret_secret)
        checks.append(_check("webhooks", hooked, "ok" if hooked else "missing"))
    return checks


# What each finding says, in English; the admin pages show them in the merchant's language
# by the same codes (web/texts_checks.py).
CHECK_NAMES: dict[str, str] = {
    "key": "Billy API key",
    "open": "Organization open",
    "sales": "Sales account",
    "shipping": "Shipping product",
    "discount": "Discount product",
    "payment": "Payment posting",
    "vat": "VAT rules",
    "numbering": "Numbering",
    "billy": "Billy connection",
    "shoporama": "Shoporama connection",
    "webhooks": "Shoporama webhooks",
}

CHECK_MESSAGES: dict[str, str] = {
    "key.missing": (
        "Enter the Billy API key (Billy → Settings → Access tokens) under "
        "Settings → Financial system."
    ),
    "key.ok": "Valid for the organization {organization}.",
    "open.locked": (
        "Billy has locked the organization ({reason}): resolve it in Billy "
        "before orders can be booked."
    ),
    "open.ok": "The organization is not locked.",
    "sales.missing": "Choose the sales account for products.",
    "sales.gone": "The chosen sales account no longer exists in Billy: choose another.",
    "sales.not_revenue": "{account} is not a revenue account: choose one.",
    "sales.ok": "{account}.",
    "product.missing": "Choose the product or create it in Billy with one click.",
    "product.gone": "The chosen product is gone from Billy: choose another.",
    "product.ok": "{product}.",
    "payment.off": "Off: payments are not posted automatically.",
    "payment.missing": "Choose the account payments are posted to, or turn payment posting off.",
    "payment.not_enabled": (
        "{account} does not accept payments in Billy: choose an account with payments enabled."
    ),
    "payment.ok": "Payments are posted to {account}.",
    "vat.ok": "{count} VAT rulesets readable.",
    "vat.none": "Billy returned no VAT rulesets: check the organization's VAT settings in Billy.",
    "numbering.too_long": "Keep the order-number prefix to 10 characters or less.",
    "numbering.ok": "Billy numbers the invoices ({mode}); our order numbers are marked {prefix}…",
    "numbering.manual": (
        "Billy's invoice numbering is manual, so Billy refuses invoices without a number: "
        "switch invoice numbering to automatic (sequential) in Billy's invoice settings."
    ),
    "billy.error": "{reason}",
    "shoporama.ok": "Connected.",
    "shoporama.missing": "Enter the Shoporama REST address and API token.",
    "webhooks.ok": "Webhook secret saved.",
    "webhooks.missing": "Paste the webhook's secret from Shoporama so its events can be verified.",
}


def _check(topic: str, ok: bool, outcome: str, *, text: str | None = None, **params: str) -> Check:
    code = f"{text or topic}.{outcome}"
    message = CHECK_MESSAGES[code].format(**params)
    return Check(CHECK_NAMES[topic], ok, message, topic, code, params)


def _locked_check(org: Any) -> Check:
    if getattr(org, "is_locked", False):
        reason = getattr(org, "locked_reason", "") or "—"
        return _check("open", False, "locked", reason=reason)
    return _check("open", True, "ok")


def _account_name(account: Any) -> str:
    return f"{account.account_no} {account.name}" if account.account_no else str(account.name)


def _sales_account_check(account_id: str | None, accounts: dict[str, Any]) -> Check:
    if not account_id:
        return _check("sales", False, "missing")
    account = accounts.get(account_id)
    if account is None:
        return _check("sales", False, "gone")
    if getattr(account, "nature_id", "revenue") != "revenue":
        return _check("sales", False, "not_revenue", account=_account_name(account))
    return _check("sales", True, "ok", account=_account_name(account))


def _product_check(client: Any, topic: str, product_id: str | None) -> Check:
    if not product_id:
        return _check(topic, False, "missing", text="product")
    try:
        product = client.products.get(product_id)
    except BillyError:
        return _check(topic, False, "gone", text="product")
    return _check(topic, True, "ok", text="product", product=product.name or "")


def _payment_check(post: bool, account_id: str | None, accounts: dict[str, Any]) -> Check:
    if not post:
        return _check("payment", True, "off")
    account = accounts.get(account_id or "")
    if account is None:
        return _check("payment", False, "missing")
    if not getattr(account, "is_payment_enabled", False):
        return _check("payment", False, "not_enabled", account=_account_name(account))
    return _check("payment", True, "ok", account=_account_name(account))


def _numbering_check(org: Any, prefix: str) -> Check:
    if len(prefix) > 10:
        return _check("numbering", False, "too_long")
    if not org.numbers_invoices_itself:
        return _check("numbering", False, "manual")
    mode = getattr(org, "invoice_no_mode", None) or "sequential"
    return _check("numbering", True, "ok", mode=mode, prefix=prefix or "—")
