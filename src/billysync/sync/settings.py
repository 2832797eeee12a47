"""A shop's stored settings as the mapping's `BillySettings`, or a clear word on what's missing."""

from __future__ import annotations

import json

from billysync.mapping.settings import BillySettings
from billysync.store.tables import Shop
from billysync.sync.runtime import NotConfigured


def billy_settings(shop: Shop) -> BillySettings:
    missing = []
    if not shop.billy_key_secret:
        missing.append("the Billy API key")
    if not shop.sales_account_id:
        missing.append("the sales account for products")
    if not shop.shipping_product_id:
        missing.append("the shipping product")
    if not shop.discount_product_id:
        missing.append("the discount product")
    if shop.post_payments and not shop.payment_account_id:
        missing.append("the account payments are posted to (or turn payment posting off)")
    if shop.gift_card_booking == "payment" and not shop.gift_card_account_id:
        missing.append("the gift-card account (or book gift cards as a line)")
    if missing:
        raise NotConfigured(
            f"shop {shop.name!r} is not set up: choose {', '.join(missing)} "
            "under Settings → Financial system"
        )
    assert shop.sales_account_id and shop.shipping_product_id and shop.discount_product_id
    return BillySettings(
        sales_account_id=shop.sales_account_id,
        shipping_product_id=shop.shipping_product_id,
        discount_product_id=shop.discount_product_id,
        trigger="shipped" if shop.trigger == "shipped" else "paid",
        post_payments=shop.post_payments,
        payment_account_id=shop.payment_account_id if shop.post_payments else None,
        payment_method_accounts=json.loads(shop.payment_method_accounts or "{}"),
        fee_account_id=shop.fee_account_id,
        email_invoices=shop.email_invoices,
        order_prefix=shop.order_prefix or "",
        oss=shop.oss_registered,
        gift_cards="payment" if shop.gift_card_booking == "payment" else "line",
        gift_card_account_id=shop.gift_card_account_id,
    )
