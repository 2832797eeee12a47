"""Settings → Financial system: the Billy key, accounts, products, trigger, payments, prefix.

The flow a merchant follows: paste the API key and save (it is checked live with
GET /organization and the organization's name is shown); then the lists are read from
Billy (revenue accounts, accounts that take payments, products) and the choices saved with
the same form. A missing shipping or discount product is created with one click. Nothing is
saved when anything is wrong, and each message says what to fix. The key is never shown
back: only its last four characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from billysync.billy.errors import BillyError
from billysync.mapping.markers import MAX_PREFIX_LENGTH, SERVICE_PRODUCT_NUMBERS
from billysync.store import shops
from billysync.store.tables import Shop
from billysync.sync import billy_choices, reference, shop_setup
from billysync.sync.billy_choices import Choices
from billysync.web import billy_trouble, guards, i18n, render
from billysync.web.billy_trouble import BillyTrouble
from billysync.web.routes import payments

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

FORM_FIELDS = (
    "api_key",
    "billy_base_url",
    "billy_requests_per_second",
    "sales_account_id",
    "shipping_product_id",
    "discount_product_id",
    "trigger",
    "post_payments",
    "payment_account_id",
    "order_prefix",
    "lists_shown",
)
# The choices Billy can suggest on a new shop: shown as "not saved yet" until saved.
CHOICE_FIELDS = (
    "sales_account_id",
    "shipping_product_id",
    "discount_product_id",
    "payment_account_id",
)


@dataclass
class SettingsView:
    """What the page shows: the saved shop, Billy's lists (when readable) and the form."""

    shop: Shop
    choices: Choices | None = None
    lists_error: BillyTrouble | None = None
    form: dict[str, str] = field(default_factory=dict)
    errors: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)

    def context(self, request: Request) -> dict[str, Any]:
        return {
            "active": "settings",
            "shop": self.shop,
            "choices": self.choices,
            "lists_error": self.lists_error,
            "key_broken": self.lists_error is not None and self.lists_error.key_broken,
            "unsaved": self.unsaved(),
            "form": self.form,
            "errors": self.errors,
            "default_billy_url": guards.runtime(request).process.billy_base_url,
            "default_billy_rate": f"{guards.runtime(request).billy_rate_per_second:g}",
            "max_prefix": MAX_PREFIX_LENGTH,
            "missing_products": {
                kind: self.choices is not None and self.choices.product_with_number(number) is None
                for kind, number in SERVICE_PRODUCT_NUMBERS.items()
            },
            "method_rows": payments.method_rows(self.shop.payment_method_accounts),
            **connection_context(request, self.shop),
        }

    def unsaved(self) -> set[str]:
        """The choices shown selected that differ from what is saved."""
        if self.choices is None:
            return set()
        return {
            name
            for name in CHOICE_FIELDS
            if self.form.get(name)
            and self.form.get(name) != (getattr(self.shop, name) or "")
            and (name != "payment_account_id" or self.form.get("post_payments"))
        }


def connection_context(request: Request, shop: Shop) -> dict[str, Any]:
    rt = guards.runtime(request)
    public = (rt.process.public_url or str(request.base_url)).rstrip("/")
    return {
        "webhook_url": f"{public}/hooks/shoporama/{shop.id}",
        "public_url_missing": not rt.process.public_url,
        "token_last4": _last4(shops.shop_token(shop, rt.box)),
        "webhook_secret_last4": _last4(shops.webhook_secret(shop, rt.box)),
    }


def _last4(secret: str | None) -> str | None:
    return secret[-4:] if secret and len(secret) > 8 else ("••••" if secret else None)


def form_from_shop(shop: Shop, choices: Choices | None) -> dict[str, str]:
    """The saved values; empty choices pre-filled with Billy's sensible defaults."""
    form = {
        "billy_base_url": shop.billy_base_url or "",
        "billy_requests_per_second": (
            f"{shop.billy_requests_per_second:g}" if shop.billy_requests_per_second else ""
        ),
        "sales_account_id": shop.sales_account_id or "",
        "shipping_product_id": shop.shipping_product_id or "",
        "discount_product_id": shop.discount_product_id or "",
        "trigger": shop.trigger,
        "post_payments": "on" if shop.post_payments else "",
        "payment_account_id": shop.payment_account_id or "",
        "order_prefix": shop.order_prefix or "",
    }
    if choices is not None:
        org = choices.organization
        if not form["sales_account_id"] and Choices.has(
            choices.revenue_accounts, org.default_sales_account_id
        ):
            form["sales_account_id"] = org.default_sales_account_id or ""
        for kind in ("shipping", "discount"):
            found = choices.product_with_number(SERVICE_PRODUCT_NUMBERS[kind])
            if not form[f"{kind}_product_id"] and found:
                form[f"{kind}_product_id"] = found.id
        if not form["payment_account_id"] and Choices.has(
            choices.payment_accounts, org.default_invoice_bank_account_id
        ):
            form["payment_account_id"] = org.default_invoice_bank_account_id or ""
    return form


def trouble(request: Request, exc: BillyError, base_url: str | None) -> BillyTrouble:
    return billy_trouble.explain_at(exc, base_url, guards.runtime(request).process.billy_base_url)


def read_lists(request: Request, shop: Shop) -> tuple[Choices | None, BillyTrouble | None]:
    """Billy's lists for the shop's saved key, or why they could not be read."""
    if not shop.billy_key_secret:
        return None, None
    rt = guards.runtime(request)
    try:
        with rt.billy_client(shop) as client:
            choices = billy_choices.read_choices(client)
    except BillyError as exc:
        return None, trouble(request, exc, shop.billy_base_url)
    return _without_synced_products(request, shop.id, choices), None


def _without_synced_products(request: Request, shop_id: int, choices: Choices) -> Choices:
    with guards.runtime(request).db.session() as db_session:
        return shop_setup.without_synced_products(db_session, shop_id, choices)


def _view(request: Request, shop_id: int) -> SettingsView:
    shop = guards.load_shop(request, shop_id)
    choices, error = read_lists(request, shop)
    return SettingsView(shop, choices, error, form_from_shop(shop, choices))


@router.get("/shops/{shop_id}/settings")
def settings_page(request: Request, shop_id: int) -> Response:
    view = _view(request, shop_id)
    return render.page(request, "settings.html", view.context(request))


async def _submitted(request: Request) -> dict[str, str]:
    form = await request.form()
    values = {name: form.get(name) for name in FORM_FIELDS}
    return {name: value.strip() if isinstance(value, str) else "" for name, value in values.items()}


def _errors(problems: list[shop_setup.Problem]) -> dict[str, tuple[str, dict[str, Any]]]:
    errors: dict[str, tuple[str, dict[str, Any]]] = {}
    for problem in problems:
        errors.setdefault(problem.field, (f"settings.{problem.code}", problem.params))
    return errors


def _validate_choices(
    form: dict[str, str], choices: Choices
) -> dict[str, tuple[str, dict[str, Any]]]:
    values = shop_setup.ChoiceValues(
        sales_account_id=form["sales_account_id"] or None,
        shipping_product_id=form["shipping_product_id"] or None,
        discount_product_id=form["discount_product_id"] or None,
        post_payments=bool(form["post_payments"]),
        payment_account_id=form["payment_account_id"] or None,
    )
    return _errors(shop_setup.choice_problems(values, choices))


def _validate_plain(form: dict[str, str]) -> dict[str, tuple[str, dict[str, Any]]]:
    return _errors(
        shop_setup.plain_problems(
            trigger=form["trigger"],
            order_prefix=form["order_prefix"],
            billy_base_url=form["billy_base_url"],
            billy_requests_per_second=form["billy_requests_per_second"],
        )
    )


@router.post("/shops/{shop_id}/settings", dependencies=[guards.CsrfChecked])
async def save_settings(request: Request, shop_id: int) -> Response:
    rt = guards.runtime(request)
    shop = guards.load_shop(request, shop_id)
    form = await _submitted(request)
    view = SettingsView(shop, form=form)
    view.errors = _validate_plain(form)
    base_url = form["billy_base_url"] or None
    new_key = form["api_key"]
    if not new_key and base_url != shop.billy_base_url and shop.billy_key_secret:
        # The stored key only ever goes to the address it was checked against.
        view.errors["api_key"] = ("settings.api_key_again", {})
    key = new_key or shops.billy_key(shop, rt.box)
    if not key:
        view.errors.setdefault("api_key", ("settings.need_key", {}))
    if view.errors:
        return _invalid(request, view, shop)

    assert key is not None
    try:
        with rt.billy_client_for_key(key, base_url) as client:
            organization = billy_choices.check_key(client)
            choices = _without_synced_products(request, shop_id, billy_choices.read_choices(client))
    except BillyError as exc:
        found = trouble(request, exc, base_url)
        at_address = found.trouble is billy_trouble.Trouble.ADDRESS
        field_name = "billy_base_url" if at_address else "api_key"
        view.errors[field_name] = (found.key, found.params)
        return _invalid(request, view, shop)
    view.choices = choices

    if organization.is_locked:
        reason = organization.locked_reason or "?"
        view.errors["api_key"] = (
            "settings.org_locked",
            {"org": organization.name, "reason": reason},
        )
        return _invalid(request, view, shop)

    other_org = bool(shop.billy_org_id) and shop.billy_org_id != organization.id
    first_lists = form["lists_shown"] != "1"
    if not other_org and not first_lists:
        view.errors = _validate_choices(form, choices)
        if view.errors:
            return _invalid(request, view, shop, choices)

    with rt.db.session() as db_session:
        row = guards.shop_or_404(db_session, shop_id)
        if new_key:
            shops.set_billy_key(row, new_key, rt.box)
        row.billy_base_url = base_url
        row.billy_requests_per_second = shop_setup.requests_per_second(
            form["billy_requests_per_second"]
        )
        row.billy_org_id = organization.id
        row.billy_org_name = organization.name
        row.trigger = form["trigger"]
        row.order_prefix = form["order_prefix"]
        row.post_payments = bool(form["post_payments"])
        if other_org:
            row.sales_account_id = row.shipping_product_id = row.discount_product_id = None
            row.payment_account_id = None
        elif not first_lists:
            row.sales_account_id = form["sales_account_id"]
            row.shipping_product_id = form["shipping_product_id"]
            row.discount_product_id = form["discount_product_id"]
            row.payment_account_id = form["payment_account_id"] if form["post_payments"] else None
    reference.forget(shop_id)  # the engine's cached Billy reference data may be stale now

    if other_org:
        render.flash(request, "settings.other_org", "warn", org=organization.name)
    elif first_lists:
        render.flash(request, "settings.key_saved", org=organization.name)
    else:
        render.flash(request, "settings.saved")
    return render.redirect(f"/shops/{shop_id}/settings")


def _invalid(
    request: Request, view: SettingsView, shop: Shop, choices: Choices | None = None
) -> Response:
    if view.choices is None and choices is None:
        view.choices, view.lists_error = read_lists(request, shop)
    view.form = {**view.form, "api_key": ""}  # a typed key is never sent back
    context = view.context(request) | {"general_error": "settings.fix_below"}
    return render.page(request, "settings.html", context, status_code=400)


@router.post("/shops/{shop_id}/settings/product", dependencies=[guards.CsrfChecked])
async def create_service_product(request: Request, shop_id: int) -> Response:
    """The one-click "Create Shipping/Discount product in Billy" (found first, never twice)."""
    rt = guards.runtime(request)
    shop = guards.load_shop(request, shop_id)
    raw = await request.form()
    kind = str(raw.get("kind") or "")
    if kind not in SERVICE_PRODUCT_NUMBERS:
        return render.redirect(f"/shops/{shop_id}/settings")
    form = await _submitted(request)
    view = SettingsView(shop, form=form)
    if not shop.billy_key_secret:
        view.errors["api_key"] = ("settings.need_key", {})
        return _invalid(request, view, shop)
    name = i18n.translate(render.language(request), f"settings.product_name.{kind}")
    try:
        with rt.billy_client(shop) as client:
            choices = billy_choices.read_choices(client)
            account = form["sales_account_id"] or shop.sales_account_id
            if not Choices.has(choices.revenue_accounts, account):
                account = None
            product, created = billy_choices.service_product_choice(
                client,
                kind="shipping" if kind == "shipping" else "discount",
                name=name,
                account_id=account,
                organization=choices.organization,
            )
    except BillyError as exc:
        view.lists_error = trouble(request, exc, shop.billy_base_url)
        return _invalid(request, view, shop)
    with rt.db.session() as db_session:
        row = guards.shop_or_404(db_session, shop_id)
        setattr(row, f"{kind}_product_id", product.id)
        db_session.flush()
        db_session.expunge(row)
        shop = row
    # The product is saved on the shop above, so "saved as" is true; the rest of the form is not.
    if created:
        render.flash(request, f"settings.product_created.{kind}", name=name)
    else:
        render.flash(
            request, f"settings.product_found.{kind}", name=product.label, number=product.number
        )
    # Show the page again with what the merchant had typed (not saved yet) and the new product.
    choices_now, error = read_lists(request, shop)
    view = SettingsView(
        shop, choices_now, error, {**form, "api_key": "", f"{kind}_product_id": product.id}
    )
    if not view.form.get("lists_shown"):
        view.form = form_from_shop(shop, choices_now)
    return render.page(request, "settings.html", view.context(request))
