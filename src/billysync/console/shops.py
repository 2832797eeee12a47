"""`billysync shop …`: add a shop, list them, set the Financial system settings, make the
shipping and discount products in Billy, and replace the JSON API token.

`shop set` refuses what Settings → Financial system refuses, by the same rules
(`billysync.sync.shop_setup`): the Billy key is checked live, accounts and products are
checked against Billy's lists, and nothing is saved when anything is wrong. Accounts and
products are given by number, name or Billy id (`billysync accounts 1`, `billysync products 1`).
"""

from __future__ import annotations

from typing import Any

import typer

from billysync.billy.ratelimit import DEFAULT_REQUESTS_PER_SECOND
from billysync.console.door import Door, ExitCode, Refused, answers, language, load_shop, runtime

shop_app = typer.Typer(
    help="Add shops and set their Financial system settings.", no_args_is_help=True
)

PLATFORMS = ("shoporama", "generic")
JSON_OPTION = typer.Option(False, "--json", help="answer in JSON (for scripts)")
# The page's names for the settings (billysync.web.i18n), so both doors say the same.
LABELS = {
    "sales_account_id": "settings.sales_account",
    "shipping_product_id": "settings.shipping_product",
    "discount_product_id": "settings.discount_product",
    "payment_account_id": "settings.payment_account",
}


@shop_app.command("add")
@answers
def shop_add(
    name: str,
    platform: str = typer.Option("generic", help="shoporama, or generic (the JSON API)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a shop; prints its JSON API token once."""
    from billysync.store import shops

    name = name.strip()
    if not name or len(name) > 200:
        raise Refused(ExitCode.BAD_INPUT, "name_missing")
    if platform not in PLATFORMS:
        raise Refused(ExitCode.BAD_INPUT, "platform_invalid", platform=platform)
    door = Door(as_json, language())
    rt = runtime()
    rt.db.migrate()
    with rt.db.session() as session:
        shop, token = shops.create_shop(session, name=name, platform=platform)
        shop_id = shop.id
    door.result(
        {"shop_id": shop_id, "name": name, "platform": platform, "token": token},
        [
            door.t("shop_added", shop_id=shop_id, name=name),
            door.t("token_once", token=token),
        ],
    )


@shop_app.command("list")
@answers
def shop_list(as_json: bool = JSON_OPTION) -> None:
    """The shops and whether they are set up."""
    from billysync.store import shops

    door = Door(as_json, language())
    rt = runtime()
    rt.db.migrate()
    with rt.db.session() as session:
        rows = [
            {
                "shop_id": shop.id,
                "name": shop.name,
                "platform": shop.platform,
                "billy_organization": shop.billy_org_name,
                "billy_key_last4": shop.billy_key_last4,
                "trigger": shop.trigger,
            }
            for shop in shops.list_shops(session)
        ]
    lines = [
        "\t".join(
            [
                str(row["shop_id"]),
                str(row["name"]),
                str(row["platform"]),
                f"key …{row['billy_key_last4']}" if row["billy_key_last4"] else door.t("no_key"),
                f"trigger={row['trigger']}",
            ]
        )
        for row in rows
    ]
    door.result({"shops": rows}, lines or [door.t("no_shops")])


@shop_app.command("token")
@answers
def shop_token(
    shop_id: int,
    rotate: bool = typer.Option(
        False, "--rotate", help="make a new token; the old one stops working at once"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """The shop's JSON API token: only a fingerprint is kept, so it can only be replaced."""
    from billysync.store import shops

    door = Door(as_json, language())
    rt = runtime()
    if not rotate:
        load_shop(rt, shop_id)
        raise Refused(ExitCode.BAD_INPUT, "token_hidden", shop_id=shop_id)
    with rt.db.session() as session:
        row = shops.get_shop(session, shop_id)
        if row is None:
            raise Refused(ExitCode.NOT_FOUND, "no_shop", shop_id=shop_id)
        token = shops.rotate_api_token(session, row)
    door.result(
        {"shop_id": shop_id, "token": token},
        [door.t("token_rotated", shop_id=shop_id), door.t("token_once", token=token)],
    )


@shop_app.command("set")
@answers
def shop_set(
    shop_id: int,
    billy_key: str | None = typer.Option(
        None, envvar="BILLYSYNC_BILLY_KEY", help="Billy access token (or the env variable)"
    ),
    billy_url: str | None = typer.Option(None, help="Billy API base URL (tests, emulator)"),
    billy_rate: str | None = typer.Option(
        None,
        help="most calls to Billy per second, e.g. 10 or 2.5; empty for the default "
        f"({DEFAULT_REQUESTS_PER_SECOND:g}); billysync slows down below it by itself when "
        "Billy answers 429",
    ),
    sales_account: str | None = typer.Option(
        None, help="revenue account for product sales: number, name or id (billysync accounts)"
    ),
    shipping_product: str | None = typer.Option(
        None, help="shipping product: number, name or id (billysync products)"
    ),
    discount_product: str | None = typer.Option(
        None, help="discount product: number, name or id (billysync products)"
    ),
    trigger: str | None = typer.Option(None, help="transfer orders when paid or shipped"),
    post_payments: bool | None = typer.Option(None, help="post payments automatically"),
    payment_account: str | None = typer.Option(
        None, help="account payments are posted to: number, name or id (billysync accounts)"
    ),
    prefix: str | None = typer.Option(None, help="order-number prefix, e.g. WEB-"),
    shop_url: str | None = typer.Option(None, help="Shoporama REST base URL"),
    shop_token: str | None = typer.Option(
        None, envvar="BILLYSYNC_SHOP_TOKEN", help="Shoporama API token"
    ),
    webhook_secret: str | None = typer.Option(
        None, envvar="BILLYSYNC_WEBHOOK_SECRET", help="Shoporama webhook secret"
    ),
    signature_header: str | None = typer.Option(None, help="the webhook's signature header"),
    payment_method_account: list[str] | None = typer.Option(
        None,
        help="METHOD=ACCOUNT: payments by this method (as the shop names it, e.g. MobilePay) "
        "go to this account (a clearing account per gateway); METHOD= removes it; repeatable",
    ),
    fee_account: str | None = typer.Option(
        None, help="expense account for payment providers' fees (empty: Billy's default)"
    ),
    email_invoices: bool | None = typer.Option(
        None, help="have Billy e-mail each new invoice to the customer, once"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Set a shop's Financial system settings (checked as on the settings page)."""
    from billysync.console import settings_form

    door = Door(as_json, language())
    rt = runtime()
    shop = load_shop(rt, shop_id)
    change = settings_form.Change(
        billy_key=billy_key or None,
        billy_url=billy_url,
        billy_rate=billy_rate,
        sales_account=sales_account,
        shipping_product=shipping_product,
        discount_product=discount_product,
        trigger=trigger,
        post_payments=post_payments,
        payment_account=payment_account,
        prefix=prefix,
        shop_url=shop_url,
        shop_token=shop_token or None,
        webhook_secret=webhook_secret or None,
        signature_header=signature_header,
        method_accounts=tuple(
            (method, account)
            for method, _, account in (pair.partition("=") for pair in payment_method_account)
        )
        if payment_method_account
        else None,
        fee_account=fee_account,
        email_invoices=email_invoices,
    )
    if change == settings_form.Change():
        raise Refused(ExitCode.BAD_INPUT, "nothing_given", shop_id=shop_id)
    outcome = settings_form.apply(rt, shop, change, door)
    lines = [door.t("other_org", org=outcome.other_org)] if outcome.other_org else []
    lines.append(door.t("saved", shop_id=shop_id))
    # Say which account or product a number or name was taken for.
    lines += [f"  {door.t(LABELS[field])}: {label}" for field, label in outcome.chosen.items()]
    data = {"saved": outcome.saved, "other_org": outcome.other_org, "chosen": outcome.chosen}
    door.result({"shop_id": shop_id, **data}, lines)


@shop_app.command("create-products")
@answers
def create_products(
    shop_id: int,
    only: str | None = typer.Option(None, help="shipping or discount (default: both)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create the shipping and discount products in Billy (or find them) and choose them."""
    from billysync.store import shops
    from billysync.sync import billy_choices
    from billysync.sync.billy_choices import Choices
    from billysync.sync.service_products import ServiceKind

    kinds: list[ServiceKind] = ["shipping", "discount"]
    if only is not None:
        if only not in kinds:
            raise typer.BadParameter("shipping or discount", param_hint="--only")
        kinds = [kind for kind in kinds if kind == only]
    door = Door(as_json, language())
    rt = runtime()
    shop = load_shop(rt, shop_id)
    if not shop.billy_key_secret:
        raise Refused(ExitCode.BAD_INPUT, "need_key", shop_id=shop_id)
    made: list[dict[str, Any]] = []
    with rt.billy_client(shop) as client:
        choices = billy_choices.read_choices(client)
        account = shop.sales_account_id
        if not Choices.has(choices.revenue_accounts, account):
            account = None  # Billy's default sales account, as on the page
        for kind in kinds:
            name = door.t(f"product_name.{kind}")
            product, created = billy_choices.service_product_choice(
                client, kind=kind, name=name, account_id=account, organization=choices.organization
            )
            made.append({"kind": kind, "id": product.id, "name": product.label, "created": created})
    with rt.db.session() as session:
        row = shops.get_shop(session, shop_id)
        if row is None:
            raise Refused(ExitCode.NOT_FOUND, "no_shop", shop_id=shop_id)
        for chosen in made:
            setattr(row, f"{chosen['kind']}_product_id", chosen["id"])
    lines = [
        door.t(
            "product_created" if p["created"] else "product_found",
            what=door.t(f"what.{p['kind']}"),
            name=p["name"],
            shop_id=shop_id,
        )
        for p in made
    ]
    door.result({"shop_id": shop_id, "products": made}, lines)
