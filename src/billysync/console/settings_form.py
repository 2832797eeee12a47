"""`billysync shop set` checked and saved: the command line's side of the settings page.

Only the options given change. The rules are the page's (`billysync.sync.shop_setup`):
plain values first, then the Billy key live (GET /organization), then each account and
product against Billy's lists, found by number, name or id. Anything refused leaves the
shop as it was, and every problem is named with what to do.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from billysync.billy.errors import BillyConfigurationError, BillyError
from billysync.billy.models import Organization
from billysync.console.door import Door, ExitCode, Refused
from billysync.mapping.settings import method_key
from billysync.store import shops
from billysync.store.tables import Shop
from billysync.sync import billy_choices, reference, shop_setup
from billysync.sync.billy_choices import Choice, Choices
from billysync.sync.runtime import Runtime
from billysync.sync.shop_setup import Problem


@dataclass(frozen=True)
class Change:
    """What `shop set` was given; None is "leave as it is"."""

    billy_key: str | None = None
    billy_url: str | None = None
    billy_rate: str | None = None  # requests per second; "" is the default
    sales_account: str | None = None
    shipping_product: str | None = None
    discount_product: str | None = None
    trigger: str | None = None
    post_payments: bool | None = None
    payment_account: str | None = None
    prefix: str | None = None
    shop_url: str | None = None
    shop_token: str | None = None
    webhook_secret: str | None = None
    signature_header: str | None = None
    # (payment method, account as named; "" removes the method's own account)
    method_accounts: tuple[tuple[str, str], ...] | None = None
    fee_account: str | None = None
    email_invoices: bool | None = None

    @property
    def touches_choices(self) -> bool:
        chosen = (self.sales_account, self.shipping_product, self.discount_product)
        extras = (self.method_accounts, self.fee_account)
        return any(v is not None for v in (*chosen, *extras)) or self.touches_payments

    @property
    def touches_payments(self) -> bool:
        return self.post_payments is True or self.payment_account is not None

    @property
    def touches_connection(self) -> bool:
        given = (self.shop_url, self.shop_token, self.webhook_secret, self.signature_header)
        return any(v is not None for v in given)


@dataclass(frozen=True)
class Outcome:
    saved: list[str]
    other_org: str | None  # the new organization's name when the key changed organization
    chosen: dict[str, str]  # field → the account or product chosen, as Billy labels it


@dataclass(frozen=True)
class _Chosen:
    """Billy ids for the names given (None: not given), and their labels."""

    sales_account_id: str | None = None
    shipping_product_id: str | None = None
    discount_product_id: str | None = None
    payment_account_id: str | None = None
    labels: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _PaymentExtras:
    """Billy ids for each payment method's own account (None: remove it) and the fee account."""

    method_accounts: dict[str, str | None] | None = None
    fee_account_id: str | None = None


def apply(rt: Runtime, shop: Shop, change: Change, door: Door) -> Outcome:
    """Check `change` as the page does and save it, or raise `Refused` with every problem."""
    new_url = (change.billy_url or None) if change.billy_url is not None else shop.billy_base_url
    problems = shop_setup.plain_problems(
        trigger=change.trigger,
        order_prefix=change.prefix,
        billy_base_url=change.billy_url,
        billy_requests_per_second=change.billy_rate,
    )
    if change.touches_connection:
        problems += _connection_problems(shop, change)
    if new_url != shop.billy_base_url and shop.billy_key_secret and not change.billy_key:
        problems.append(Problem("billy_key", "api_key_again"))
    _refuse(door, shop.id, problems, {})

    organization = None
    chosen = _Chosen()
    extras = _PaymentExtras()
    other_org = False
    if change.billy_key or new_url != shop.billy_base_url or change.touches_choices:
        key = change.billy_key or shops.billy_key(shop, rt.box)
        if not key:
            raise Refused(ExitCode.BAD_INPUT, "need_key", shop_id=shop.id)
        organization, choices = _read_billy(rt, shop, key, new_url)
        other_org = bool(shop.billy_org_id) and shop.billy_org_id != organization.id
        chosen, problems, given = _resolve(change, choices)
        extras, extra_problems = _resolve_payment_extras(change, choices)
        problems += extra_problems
        stored_payment = None if other_org else shop.payment_account_id
        values = shop_setup.ChoiceValues(
            sales_account_id=chosen.sales_account_id,
            shipping_product_id=chosen.shipping_product_id,
            discount_product_id=chosen.discount_product_id,
            post_payments=change.touches_payments,
            payment_account_id=chosen.payment_account_id or stored_payment,
        )
        problems += shop_setup.choice_problems(values, choices, require_all=False)
        _refuse(door, shop.id, problems, given)

    saved: list[str] = []
    with rt.db.session() as session:
        row = shops.get_shop(session, shop.id)
        if row is None:
            raise Refused(ExitCode.NOT_FOUND, "no_shop", shop_id=shop.id)
        if change.billy_key:
            shops.set_billy_key(row, change.billy_key, rt.box)
            saved.append("billy_key")
        if organization is not None:
            row.billy_base_url = new_url
            row.billy_org_id, row.billy_org_name = organization.id, organization.name
        if other_org:
            # Another organization's accounts and products mean nothing here (as on the page).
            row.sales_account_id = row.shipping_product_id = row.discount_product_id = None
            row.payment_account_id = None
        fields = {
            "sales_account_id": chosen.sales_account_id,
            "shipping_product_id": chosen.shipping_product_id,
            "discount_product_id": chosen.discount_product_id,
            "payment_account_id": chosen.payment_account_id,
            "trigger": change.trigger,
            "post_payments": change.post_payments,
            "order_prefix": change.prefix,
        }
        for name, value in fields.items():
            if value is not None:
                setattr(row, name, value)
                saved.append(name)
        if extras.method_accounts is not None:
            accounts = json.loads(row.payment_method_accounts or "{}")
            for method, account_id in extras.method_accounts.items():
                accounts.pop(method, None)
                if account_id:
                    accounts[method] = account_id
            row.payment_method_accounts = json.dumps(accounts, sort_keys=True) or None
            saved.append("payment_method_accounts")
        if change.fee_account is not None:
            row.fee_account_id = extras.fee_account_id
            saved.append("fee_account_id")
        if change.billy_rate is not None:
            row.billy_requests_per_second = shop_setup.requests_per_second(change.billy_rate)
            saved.append("billy_requests_per_second")
        if change.email_invoices is not None:
            row.email_invoices = change.email_invoices
            saved.append("email_invoices")
        if change.touches_connection:
            shops.set_shop_connection(
                row,
                rt.box,
                base_url=change.shop_url.rstrip("/") if change.shop_url else None,
                token=change.shop_token,
                webhook_secret=change.webhook_secret,
                signature_header=change.signature_header,
            )
            if change.shop_url == "":
                row.shop_base_url = None
            saved.append("shop_connection")
    reference.forget(shop.id)
    other_name = organization.name if other_org and organization else None
    return Outcome(saved, other_name, dict(chosen.labels))


def _connection_problems(shop: Shop, change: Change) -> list[Problem]:
    base_url = (
        change.shop_url.rstrip("/") if change.shop_url is not None else shop.shop_base_url or ""
    )
    return shop_setup.connection_problems(
        base_url=base_url,
        stored_base_url=shop.shop_base_url,
        new_token=bool(change.shop_token),
        has_stored_token=bool(shop.shop_token_secret),
        signature_header=change.signature_header or shop.signature_header,
    )


def _read_billy(
    rt: Runtime, shop: Shop, key: str, base_url: str | None
) -> tuple[Organization, Choices]:
    try:
        with rt.billy_client_for_key(key, base_url) as client:
            organization = billy_choices.check_key(client)
            choices = billy_choices.read_choices(client)
    except BillyConfigurationError as exc:
        reason = billy_choices.refusal_reason(exc)
        raise Refused(ExitCode.BAD_INPUT, "key_refused", reason=reason) from None
    except BillyError as exc:
        reason = billy_choices.refusal_reason(exc)
        raise Refused(ExitCode.UNREACHABLE, "key_unchecked", reason=reason) from None
    if organization.is_locked:
        reason = organization.locked_reason or "?"
        raise Refused(ExitCode.FAILED, "org_locked", org=organization.name, reason=reason)
    with rt.db.session() as session:
        choices = shop_setup.without_synced_products(session, shop.id, choices)
    return organization, choices


def _resolve(change: Change, choices: Choices) -> tuple[_Chosen, list[Problem], dict[str, str]]:
    """Billy ids for the names given; a name that fits nothing is passed on as it was, so
    the shared rules refuse it as unknown."""
    wanted = {
        "sales_account_id": (change.sales_account, choices.revenue_accounts),
        "shipping_product_id": (change.shipping_product, choices.products),
        "discount_product_id": (change.discount_product, choices.products),
        "payment_account_id": (change.payment_account, choices.payment_accounts),
    }
    ids: dict[str, str | None] = {}
    labels: list[tuple[str, str]] = []
    given: dict[str, str] = {}
    problems: list[Problem] = []
    for field, (text, options) in wanted.items():
        if text is None:
            ids[field] = None
            continue
        given[field] = text
        found = _find(field, text, options, problems, {})
        ids[field] = found.id if found else text.strip() or None
        if found:
            labels.append((field, found.label))
    return _Chosen(**ids, labels=tuple(labels)), problems, given


UNKNOWN_PAYMENT = "unknown_payment_account"


def _resolve_payment_extras(
    change: Change, choices: Choices
) -> tuple[_PaymentExtras, list[Problem]]:
    """Each payment method's own account (one that takes payments) and the fee account (an
    expense account), as named by number, name or id."""
    problems: list[Problem] = []
    method_accounts: dict[str, str | None] | None = None
    fee_account_id: str | None = None

    def pick(field: str, text: str, options: list[Choice], code: str) -> str | None:
        known = len(problems)
        choice = _find(field, text, options, problems, {"value": text})
        if choice is None and len(problems) == known:  # not ambiguous: unknown
            problems.append(Problem(field, code, {"value": text}))
        return choice.id if choice else None

    if change.method_accounts is not None:
        method_accounts = {}
        for method, raw in change.method_accounts:
            text = raw.strip()
            key = method_key(method)
            if not key:
                problems.append(Problem("payment_method_accounts", "method_missing"))
                continue
            method_accounts[key] = (
                pick("payment_method_accounts", text, choices.payment_accounts, UNKNOWN_PAYMENT)
                if text
                else None
            )
    if change.fee_account:
        fee_account_id = pick(
            "fee_account_id", change.fee_account, choices.expense_accounts, "unknown_fee_account"
        )
    return _PaymentExtras(method_accounts, fee_account_id), problems


def _find(
    field: str, text: str, options: list[Choice], problems: list[Problem], extra: dict[str, str]
) -> Choice | None:
    """The account or product named `text`; a name that fits several is a problem."""
    try:
        return shop_setup.find_choice(options, text)
    except shop_setup.Ambiguous as many:
        candidates = ", ".join(f"{m.label} ({m.id})" for m in many.matches)
        problems.append(Problem(field, "ambiguous", {"matches": candidates, **extra}))
        return None


def _refuse(door: Door, shop_id: int, problems: list[Problem], given: dict[str, str]) -> None:
    if not problems:
        return
    details = []
    for problem in problems:
        params = {"shop_id": shop_id, "value": given.get(problem.field, ""), **problem.params}
        details.append(
            {
                "field": problem.field,
                "code": problem.code,
                "message": door.t(problem.code, **params),
            }
        )
    message = "\n".join([*(d["message"] for d in details), door.t("nothing_saved")])
    door.stop(ExitCode.BAD_INPUT, message, {"problems": details})
