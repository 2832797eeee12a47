"""The setup check: is the shop ready to book? Each finding says what to fix, and where.

A finding carries a topic and a code; its English words are here (`CHECK_NAMES`,
`CHECK_MESSAGES`) and the admin pages say the same in the merchant's language by the same
codes (web/texts_checks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from billysync.billy.client import BillyClient
from billysync.billy.errors import BillyError
from billysync.billy.models import Account, Organization
from billysync.mapping.markers import prefix_problem
from billysync.store import shops
from billysync.sync import adapters
from billysync.sync.classify import classify
from billysync.sync.runtime import Runtime


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


def setup_check(rt: Runtime, shop_id: int) -> list[Check]:
    """Every check of the shop's setup, each saying what to fix in Billy or here."""
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
    if adapters.is_polled(shop):
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


def _locked_check(org: Organization) -> Check:
    if org.is_locked:
        reason = org.locked_reason or "—"
        return _check("open", False, "locked", reason=reason)
    return _check("open", True, "ok")


def _account_name(account: Account) -> str:
    return f"{account.account_no} {account.name}" if account.account_no else str(account.name)


def _sales_account_check(account_id: str | None, accounts: dict[str, Account]) -> Check:
    if not account_id:
        return _check("sales", False, "missing")
    account = accounts.get(account_id)
    if account is None:
        return _check("sales", False, "gone")
    if account.nature_id != "revenue":
        return _check("sales", False, "not_revenue", account=_account_name(account))
    return _check("sales", True, "ok", account=_account_name(account))


def _product_check(client: BillyClient, topic: str, product_id: str | None) -> Check:
    if not product_id:
        return _check(topic, False, "missing", text="product")
    try:
        product = client.products.get(product_id)
    except BillyError:
        return _check(topic, False, "gone", text="product")
    return _check(topic, True, "ok", text="product", product=product.name or "")


def _payment_check(post: bool, account_id: str | None, accounts: dict[str, Account]) -> Check:
    if not post:
        return _check("payment", True, "off")
    account = accounts.get(account_id or "")
    if account is None:
        return _check("payment", False, "missing")
    if not account.is_payment_enabled:
        return _check("payment", False, "not_enabled", account=_account_name(account))
    return _check("payment", True, "ok", account=_account_name(account))


def _numbering_check(org: Organization, prefix: str) -> Check:
    if prefix_problem(prefix) is not None:
        return _check("numbering", False, "too_long")
    if not org.numbers_invoices_itself:
        return _check("numbering", False, "manual")
    mode = org.invoice_no_mode or "sequential"
    return _check("numbering", True, "ok", mode=mode, prefix=prefix or "—")
