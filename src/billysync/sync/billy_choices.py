"""What the settings page and the command line read from Billy, as lists to choose from.

- `check_key` asks Billy for the organization with a key the merchant just typed
  (GET /organization): the answer names the organization, a refusal says the key is wrong.
- `read_choices` reads the lists the merchant picks from: revenue accounts (sales account),
  accounts with payments enabled (payment account) and products (shipping, discount).
- `service_product_choice` creates (or finds) the shipping/discount product through the
  engine (`sync/service_products.py`) and shows it as a choice.

Only the settings page and the command line call this, never a receiver: a receiver answers
without any Billy call.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from billysync.billy.errors import BillyConfigurationError, BillyError
from billysync.billy.models import Account, Organization, Product
from billysync.sync.service_products import ServiceKind, ensure_service_product

if TYPE_CHECKING:
    from billysync.billy.client import BillyClient


@dataclass(frozen=True)
class Choice:
    """An account or product to choose: Billy's id, the label shown, its number and name."""

    id: str
    label: str
    number: str = ""
    name: str = ""


@dataclass(frozen=True)
class Choices:
    organization: Organization
    revenue_accounts: list[Choice]
    payment_accounts: list[Choice]
    products: list[Choice]
    expense_accounts: list[Choice] = dataclasses.field(default_factory=list)  # e.g. fees

    def product_with_number(self, product_no: str) -> Choice | None:
        for product in self.products:
            if product.number.upper() == product_no.upper():
                return product
        return None

    @staticmethod
    def has(options: list[Choice], choice_id: str | None) -> bool:
        return bool(choice_id) and any(option.id == choice_id for option in options)


def check_key(client: BillyClient) -> Organization:
    """The key's organization; raises BillyConfigurationError when Billy refuses the key."""
    return client.organization.get()


def _account_choice(account: Account) -> Choice:
    number = account.account_no
    name = account.name or ""
    label = f"{number} {name}".strip() if number else name
    return Choice(id=account.id, label=label, number=str(number or ""), name=name)


def read_choices(client: BillyClient) -> Choices:
    organization = client.organization.get()
    accounts = [a for a in client.accounts.list() if not a.is_archived]
    accounts.sort(key=lambda a: (a.account_no or 0, a.name or ""))
    revenue = [_account_choice(a) for a in accounts if a.nature_id == "revenue"]
    payment = [_account_choice(a) for a in accounts if a.is_payment_enabled]
    expense = [_account_choice(a) for a in accounts if a.nature_id == "expense"]
    products = [
        Choice(id=p.id, label=_product_label(p), number=p.product_no or "", name=p.name or "")
        for p in client.products.list()
        if not p.is_archived
    ]
    products.sort(key=lambda p: p.label.lower())
    return Choices(organization, revenue, payment, products, expense)


def _product_label(product: Product) -> str:
    name = product.name or ""
    return f"{name} ({product.product_no})" if product.product_no else name


def service_product_choice(
    client: BillyClient,
    *,
    kind: ServiceKind,
    name: str,
    account_id: str | None,
    organization: Organization,
) -> tuple[Choice, bool]:
    """The shipping or discount product: (product, True) when made now, (found, False) else."""
    product = ensure_service_product(
        client, kind=kind, name=name, account_id=account_id, organization=organization
    )
    label = f"{product.name} ({product.product_no})"
    return Choice(product.billy_id, label, product.product_no, product.name), product.created


def refusal_reason(exc: BillyError) -> str:
    """Billy's own words for a refused key or a failed read, without the request."""
    return exc.message or exc.error_code or f"HTTP {exc.status}"


__all__ = [
    "BillyConfigurationError",
    "BillyError",
    "Choice",
    "Choices",
    "check_key",
    "read_choices",
    "refusal_reason",
    "service_product_choice",
]
