"""The rules for a shop's Financial system settings: one home for the page and the command line.

Settings → Financial system and `billysync shop set` refuse the same things with the same
codes; each door words them for its merchant (the page's catalogue keys are
`settings.<code>`, the command line's are in `billysync.console.texts`).

- `plain_problems`: what is wrong without asking Billy (trigger, prefix, Billy address, the
  most requests per second sent to Billy: `requests_per_second`);
- `connection_problems`: the Shoporama REST address, token and signature header;
- `choice_problems`: a sales account that is not a revenue account, a product that is not
  in Billy, a payment account that does not take payments — against the lists Billy gave;
- `without_synced_products`: the products a shipping or discount choice may be;
- `find_choice`: an account or product as the merchant names it (id, number or name).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from billysync.billy.ratelimit import MAX_REQUESTS_PER_SECOND
from billysync.mapping import markers
from billysync.mapping.markers import MAX_PREFIX_LENGTH
from billysync.store import bindings
from billysync.sync.billy_choices import Choice, Choices

TRIGGERS = ("paid", "shipped")
SIGNATURE_HEADER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,99}$")
SERVICE_PRODUCT_KINDS = ("shipping", "discount")


@dataclass(frozen=True)
class Problem:
    """One refused setting: the field it concerns, what is wrong (`code`) and its details."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class ChoiceValues:
    """The chosen Billy ids (None: not chosen); `post_payments` decides if a payment account
    is needed."""

    sales_account_id: str | None
    shipping_product_id: str | None
    discount_product_id: str | None
    post_payments: bool
    payment_account_id: str | None


def valid_base_url(url: str) -> bool:
    """https://…, or http:// only to this machine (a local emulator or test server)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def requests_per_second(text: str) -> float | None:
    """The most requests per second to send to the shop's Billy organization, as the merchant
    wrote it (a decimal point or comma); None for an empty text (the default). Raises
    ValueError when it is not a number above 0 and at most MAX_REQUESTS_PER_SECOND."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for words; "nan" and "inf" fail the bounds below
    if not 0 < value <= MAX_REQUESTS_PER_SECOND:
        raise ValueError(f"{text!r} requests per second is out of bounds")
    return value


def plain_problems(
    *,
    trigger: str | None,
    order_prefix: str | None,
    billy_base_url: str | None,
    billy_requests_per_second: str | None = None,
) -> list[Problem]:
    """What is wrong before asking Billy; None means "not given" (nothing to check)."""
    problems: list[Problem] = []
    if billy_requests_per_second is not None:
        try:
            requests_per_second(billy_requests_per_second)
        except ValueError:
            problems.append(
                Problem(
                    "billy_requests_per_second",
                    "rate_invalid",
                    {"max": f"{MAX_REQUESTS_PER_SECOND:g}"},
                )
            )
    if trigger is not None and trigger not in TRIGGERS:
        problems.append(Problem("trigger", "trigger_invalid"))
    if order_prefix is not None and markers.prefix_problem(order_prefix) is not None:
        problems.append(Problem("order_prefix", "prefix_invalid", {"max": MAX_PREFIX_LENGTH}))
    if billy_base_url and not valid_base_url(billy_base_url):
        problems.append(Problem("billy_base_url", "url_invalid"))
    return problems


def connection_problems(
    *,
    base_url: str,
    stored_base_url: str | None,
    new_token: bool,
    has_stored_token: bool,
    signature_header: str,
) -> list[Problem]:
    """The shop connection (Shoporama): a usable REST address, the token again when the
    address changes (a saved token only goes where it was entered for), a plain header name."""
    problems: list[Problem] = []
    if base_url and not valid_base_url(base_url):
        problems.append(Problem("shop_base_url", "url_invalid"))
    if base_url != (stored_base_url or "") and has_stored_token and not new_token:
        problems.append(Problem("shop_token", "token_again"))
    if not SIGNATURE_HEADER.match(signature_header):
        problems.append(Problem("signature_header", "header_invalid"))
    return problems


def choice_problems(
    values: ChoiceValues, choices: Choices, *, require_all: bool = True
) -> list[Problem]:
    """Each chosen id against Billy's lists; with `require_all`, a missing choice too.

    The page saves the whole form, so it needs every choice; the command line changes only
    what it is given (`require_all=False`) and leaves the rest to the setup check.
    """
    problems: list[Problem] = []
    if not values.sales_account_id:
        if require_all:
            problems.append(Problem("sales_account_id", "choose_sales_account"))
    elif not Choices.has(choices.revenue_accounts, values.sales_account_id):
        problems.append(Problem("sales_account_id", "unknown_sales_account"))
    for kind in SERVICE_PRODUCT_KINDS:
        name = f"{kind}_product_id"
        chosen = getattr(values, name)
        if not chosen:
            if require_all:
                problems.append(Problem(name, f"choose_{kind}"))
        elif not Choices.has(choices.products, chosen):
            problems.append(Problem(name, "unknown_product"))
    if values.post_payments:
        # Posting payments without an account is refused on both doors: it could not work.
        if not values.payment_account_id:
            problems.append(Problem("payment_account_id", "choose_payment_account"))
        elif not Choices.has(choices.payment_accounts, values.payment_account_id):
            problems.append(Problem("payment_account_id", "unknown_payment_account"))
    return problems


def without_synced_products(session: Session, shop_id: int, choices: Choices) -> Choices:
    """Billy's lists without the shop's own items: billysync syncs those, and they are not
    shipping or discount candidates."""
    synced = {b.billy_id for b in bindings.bindings_of_kind(session, shop_id, "product")}
    if not synced:
        return choices
    products = [p for p in choices.products if p.id not in synced]
    return Choices(
        choices.organization, choices.revenue_accounts, choices.payment_accounts, products
    )


class Ambiguous(ValueError):
    """More than one account or product answers to the name given; `matches` lists them."""

    def __init__(self, text: str, matches: list[Choice]) -> None:
        super().__init__(f"{text!r} names {len(matches)} choices")
        self.text = text
        self.matches = matches


def find_choice(options: list[Choice], text: str) -> Choice | None:
    """The account or product the merchant means: its Billy id, its number (account number,
    product number) or its name, in that order; case does not matter for names.

    Raises `Ambiguous` when a name fits several (two products may share a name).
    """
    wanted = text.strip()
    if not wanted:
        return None
    for matches in (
        [o for o in options if o.id == wanted],
        [o for o in options if o.number and o.number.casefold() == wanted.casefold()],
        [o for o in options if o.label.casefold() == wanted.casefold()],
        [o for o in options if o.name and o.name.casefold() == wanted.casefold()],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise Ambiguous(wanted, matches)
    return None


def payment_extra_problems(
    method_accounts: dict[str, str], fee_account_id: str | None, choices: Choices
) -> list[Problem]:
    """Each payment method's own account must take payments; the fee account must be an
    expense account (Billy books fees as an expense)."""
    problems: list[Problem] = []
    if any(not Choices.has(choices.payment_accounts, a) for a in method_accounts.values()):
        problems.append(Problem("payment_method_accounts", "unknown_payment_account"))
    if fee_account_id and not Choices.has(choices.expense_accounts, fee_account_id):
        problems.append(Problem("fee_account_id", "unknown_fee_account"))
    return problems
