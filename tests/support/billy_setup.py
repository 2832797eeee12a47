"""A Billy organization as a merchant prepares it for billysync: its accounts by number, and
the shipping and discount products made in it (what the settings page's one click makes)."""

from __future__ import annotations

from dataclasses import dataclass

from billysync.billy.client import BillyClient
from billysync.store.tables import Shop


@dataclass(frozen=True)
class BillyChoices:
    accounts: dict[int, str]  # account number → Billy id
    shipping_product: str
    discount_product: str


def make_choices(client: BillyClient, *, shipping_account: int = 1110) -> BillyChoices:
    """The organization's accounts, and a shipping ("Fragt", booked on `shipping_account`)
    and a discount product ("Rabat", on sales account 1110), priced 0 DKK."""
    accounts = {a.account_no: a.id for a in client.accounts.list() if a.account_no}
    made = {
        number: client.products.create(
            {
                "name": name,
                "productNo": number,
                "accountId": accounts[account],
                "prices": [{"unitPrice": 0, "currencyId": "DKK"}],
            }
        ).id
        for name, number, account in (
            ("Fragt", "SHIPPING", shipping_account),
            ("Rabat", "DISCOUNT", 1110),
        )
    }
    return BillyChoices(accounts, made["SHIPPING"], made["DISCOUNT"])


def choose(shop: Shop, choices: BillyChoices, *, payment_account: int | None = 5710) -> None:
    """The shop's Billy settings as the settings page saves them: sales account 1110, the
    products, booked when paid, payments posted on `payment_account` (None: not posted)."""
    shop.sales_account_id = choices.accounts[1110]
    shop.shipping_product_id = choices.shipping_product
    shop.discount_product_id = choices.discount_product
    shop.trigger = "paid"
    shop.post_payments = payment_account is not None
    shop.payment_account_id = choices.accounts[payment_account] if payment_account else None
