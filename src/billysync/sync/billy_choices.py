"""What the settings page and the command line read from Billy, and the two products they make.

- `check_key` asks Billy for the organization with a key the merchant just typed
  (GET /organization): the answer names the organization, a refusal says the key is wrong.
- `read_choices` reads the lists the merchant picks from: revenue accounts (sales account),
  accounts with payments enabled (payment account) and products (shipping, discount).
- `ensure_service_product` finds the shipping/discount product by its product number, or
  creates it (POST /products) with price 0 in the organization's base currency.

Only the settings page and the command line call this, never a receiver: a receiver answers
without any Billy call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from billysync.billy.errors import BillyConfigurationError, BillyError

if TYPE_CHECKING:
    from billysync.billy.client import BillyClient

SERVICE_PRODUCT_NUMBERS = {"shipping": "SHIPPING", "discount": "DISCOUNT"}


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    base_currency: str
    default_sales_account_id: str | None
    default_ruleset_id: str | None
    default_bank_account_id: str | None
    is_locked: bool
    locked_reason: str


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

    def product_with_number(self, product_no: str) -> Choice | None:
        for product in self.products:
            if product.number.upper() == product_no.upper():
                return product
        return None

    @staticmethod
    def has(options: list[Choice], choice_id: str | None) -> bool:
        return bool(choice_id) and any(option.id == choice_id for option in options)


def _field(record: Any, name: str, default: Any = None) -> Any:
    """Read a field from the client's record object (snake_case) or a raw dict (camelCase)."""
    if isinstance(record, dict):
        head, *rest = name.split("_")
        camel = head + "".join(part.title() for part in rest)
        return record.get(camel, record.get(name, default))
    return getattr(record, name, default)


def organization_of(record: Any) -> Organization:
    return Organization(
        id=str(_field(record, "id", "")),
        name=str(_field(record, "name", "") or ""),
        base_currency=str(_field(record, "base_currency_id", "") or "DKK"),
        default_sales_account_id=_field(record, "default_sales_account_id"),
        default_ruleset_id=_field(record, "default_sales_tax_ruleset_id"),
        default_bank_account_id=_field(record, "default_invoice_bank_account_id"),
        is_locked=bool(_field(record, "is_locked", False)),
        locked_reason=str(_field(record, "locked_reason", "") or ""),
    )


def check_key(client: BillyClient) -> Organization:
    """The key's organization; raises BillyConfigurationError when Billy refuses the key."""
    return organization_of(client.organization.get())


def _account_choice(account: Any) -> Choice:
    number = _field(account, "account_no")
    name = str(_field(account, "name", "") or "")
    label = f"{number} {name}".strip() if number else name
    return Choice(id=str(_field(account, "id")), label=label, number=str(number or ""), name=name)


def read_choices(client: BillyClient) -> Choices:
    organization = organization_of(client.organization.get())
    accounts = [a for a in client.accounts.list() if not _field(a, "is_archived", False)]
    accounts.sort(key=lambda a: (_field(a, "account_no") or 0, str(_field(a, "name", ""))))
    revenue = [_account_choice(a) for a in accounts if _field(a, "nature_id") == "revenue"]
    payment = [_account_choice(a) for a in accounts if _field(a, "is_payment_enabled", False)]
    products = [
        Choice(
            id=str(_field(p, "id")),
            label=_product_label(p),
            number=str(_field(p, "product_no", "") or ""),
            name=str(_field(p, "name", "") or ""),
        )
        for p in client.products.list()
        if not _field(p, "is_archived", False)
    ]
    products.sort(key=lambda p: p.label.lower())
    return Choices(organization, revenue, payment, products)


def _product_label(product: Any) -> str:
    name = str(_field(product, "name", "") or "")
    number = _field(product, "product_no")
    return f"{name} ({number})" if number else name


def ensure_service_product(
    client: BillyClient,
    *,
    kind: str,
    name: str,
    account_id: str | None,
    organization: Organization,
) -> tuple[Choice, bool]:
    """The shipping or discount product: (product, True) when made now, (found, False) else.

    Looked up by its product number first, so a second click never makes a second product.
    """
    product_no = SERVICE_PRODUCT_NUMBERS[kind]
    for product in client.products.find_by_product_no(product_no):
        found = Choice(
            str(_field(product, "id")),
            _product_label(product),
            product_no,
            str(_field(product, "name", "") or ""),
        )
        return found, False
    payload: dict[str, Any] = {
        "name": name,
        "productNo": product_no,
        "prices": [{"unitPrice": 0, "currencyId": organization.base_currency}],
    }
    if account_id or organization.default_sales_account_id:
        payload["accountId"] = account_id or organization.default_sales_account_id
    if organization.default_ruleset_id:
        payload["salesTaxRulesetId"] = organization.default_ruleset_id
    created = client.products.create(payload)
    product_id = created if isinstance(created, str) else _field(created, "id")
    return Choice(str(product_id), f"{name} ({product_no})", product_no, name), True


def refusal_reason(exc: BillyError) -> str:
    """Billy's own words for a refused key or a failed read, without the request."""
    return exc.message or exc.error_code or f"HTTP {exc.status}"


__all__ = [
    "BillyConfigurationError",
    "BillyError",
    "Choice",
    "Choices",
    "Organization",
    "check_key",
    "ensure_service_product",
    "read_choices",
    "refusal_reason",
]
