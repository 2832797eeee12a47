"""What the web pages and the CLI ask of the engine, in the merchant's words.

Receiving an event is a durable insert (and, where the engine runs in this process, an
enqueue); everything else — retry, preview, product passes, the setup check — is here so
that the web never talks to DBOS or builds Billy documents itself.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import closing
from dataclasses import dataclass
from typing import Any

from billysync.billy.errors import BillyError
from billysync.mapping import preview as preview_mapping
from billysync.store import bindings, inbox, shops, transfers
from billysync.sync import engine, reference
from billysync.sync.classify import classify
from billysync.sync.exporter import TransferContext
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from billysync.sync.sources import source_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    message: str


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
        rate = ref.vat_rate(order.customer.country, order.customer.kind)
        return preview_mapping.preview(order, settings, product_ids=product_ids, vat_rate=rate)
    except Exception as exc:
        failure = classify(exc)
        return {"error": failure.reason, "error_kind": failure.kind}


def setup_check(rt: Runtime, shop_id: int) -> list[Check]:
    """Every check of design.md §1.2, each saying what to fix in Billy or here."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
    if not shop.billy_key_secret:
        return [
            Check(
                "Billy API key",
                False,
                "Enter the Billy API key (Billy → Settings → "
                "Access tokens) under Settings → Financial system.",
            )
        ]
    checks: list[Check] = []
    try:
        with rt.billy_client(shop) as client:
            org = client.organization.get()
            checks.append(Check("Billy API key", True, f"Valid for the organization {org.name}."))
            checks.append(_locked_check(org))
            accounts = {a.id: a for a in client.accounts.list()}
            checks.append(_sales_account_check(shop.sales_account_id, accounts))
            checks.append(_product_check(client, "Shipping product", shop.shipping_product_id))
            checks.append(_product_check(client, "Discount product", shop.discount_product_id))
            checks.append(_payment_check(shop.post_payments, shop.payment_account_id, accounts))
            rulesets = client.sales_tax_rulesets.list(include_rules=True)
            checks.append(
                Check("VAT rules", True, f"{len(rulesets)} VAT rulesets readable.")
                if rulesets
                else Check(
                    "VAT rules",
                    False,
                    "Billy returned no VAT rulesets: check the "
                    "organization's VAT settings in Billy.",
                )
            )
            checks.append(_numbering_check(org, shop.order_prefix))
    except BillyError as exc:
        checks.append(Check("Billy connection", False, classify(exc).reason))
    if shop.platform == "shoporama":
        connected = bool(shop.shop_token_secret and shop.shop_base_url)
        checks.append(
            Check(
                "Shoporama connection",
                connected,
                "Connected." if connected else "Enter the Shoporama REST address and API token.",
            )
        )
        hooked = bool(shop.webhook_secret_secret)
        checks.append(
            Check(
                "Shoporama webhooks",
                hooked,
                "Webhook secret saved."
                if hooked
                else "Paste the webhook's secret from Shoporama so its events can be verified.",
            )
        )
    return checks


def _locked_check(org: Any) -> Check:
    if getattr(org, "is_locked", False):
        reason = getattr(org, "locked_reason", "") or "no reason given"
        return Check(
            "Organization open",
            False,
            f"Billy has locked the organization "
            f"({reason}): resolve it in Billy before orders can be booked.",
        )
    return Check("Organization open", True, "The organization is not locked.")


def _sales_account_check(account_id: str | None, accounts: dict[str, Any]) -> Check:
    name = "Sales account"
    if not account_id:
        return Check(name, False, "Choose the sales account for products.")
    account = accounts.get(account_id)
    if account is None:
        return Check(
            name, False, "The chosen sales account no longer exists in Billy: choose another."
        )
    if getattr(account, "nature_id", "revenue") != "revenue":
        return Check(name, False, f"{account.name} is not a revenue account: choose one.")
    return Check(name, True, f"{account.account_no} {account.name}.")


def _product_check(client: Any, name: str, product_id: str | None) -> Check:
    if not product_id:
        return Check(
            name, False, f"Choose the {name.lower()} or create it in Billy with one click."
        )
    try:
        product = client.products.get(product_id)
    except BillyError:
        return Check(name, False, f"The chosen {name.lower()} is gone from Billy: choose another.")
    return Check(name, True, f"{product.name}.")


def _payment_check(post: bool, account_id: str | None, accounts: dict[str, Any]) -> Check:
    name = "Payment posting"
    if not post:
        return Check(name, True, "Off: payments are not posted automatically.")
    account = accounts.get(account_id or "")
    if account is None:
        return Check(
            name, False, "Choose the account payments are posted to, or turn payment posting off."
        )
    if not getattr(account, "is_payment_enabled", False):
        return Check(
            name,
            False,
            f"{account.name} does not accept payments in Billy: choose an "
            "account with payments enabled.",
        )
    return Check(name, True, f"Payments are posted to {account.account_no} {account.name}.")


def _numbering_check(org: Any, prefix: str) -> Check:
    if len(prefix) > 10:
        return Check("Numbering", False, "Keep the order-number prefix to 10 characters or less.")
    mode = getattr(org, "invoice_no_mode", None) or "sequential"
    return Check(
        "Numbering",
        True,
        f"Billy numbers invoices ({mode}); our order numbers are "
        f"marked {prefix or '(no prefix)'}….",
    )
