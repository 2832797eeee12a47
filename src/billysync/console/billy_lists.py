"""`billysync accounts SHOP` and `billysync products SHOP`: what `shop set` can be given.

The same lists the settings page offers, read live from the shop's Billy organization:
revenue accounts (the sales account), accounts that take payments (the payment account),
and products (shipping, discount; the shop's own synced items are left out).
"""

from __future__ import annotations

from typing import Any

import typer

from billysync.console.door import Door, ExitCode, Refused, answers, language, load_shop, runtime

JSON_OPTION = typer.Option(False, "--json", help="answer in JSON (for scripts)")


def _choices(shop_id: int) -> Any:
    from billysync.sync import billy_choices, shop_setup

    rt = runtime()
    shop = load_shop(rt, shop_id)
    if not shop.billy_key_secret:
        raise Refused(ExitCode.BAD_INPUT, "need_key", shop_id=shop_id)
    with rt.billy_client(shop) as client:
        choices = billy_choices.read_choices(client)
    with rt.db.session() as session:
        return shop_setup.without_synced_products(session, shop_id, choices)


def _rows(options: list[Any]) -> list[dict[str, str]]:
    return [{"number": o.number, "name": o.name or o.label, "id": o.id} for o in options]


def _lines(title: str, rows: list[dict[str, str]]) -> list[str]:
    width = max((len(r["number"]) for r in rows), default=0)
    return [title, *(f"  {r['number']:<{width}}  {r['name']}  ({r['id']})" for r in rows)]


@answers
def accounts(
    shop_id: int = typer.Argument(..., help="the shop (billysync shop list)"),
    revenue: bool = typer.Option(False, "--revenue", help="only revenue accounts (sales)"),
    payments: bool = typer.Option(False, "--payments", help="only accounts that take payments"),
    as_json: bool = JSON_OPTION,
) -> None:
    """The Billy accounts to choose from: give one by number, name or id to `shop set`."""
    door = Door(as_json, language())
    choices = _choices(shop_id)
    both = not revenue and not payments
    data: dict[str, Any] = {"shop_id": shop_id}
    lines: list[str] = []
    if revenue or both:
        data["revenue_accounts"] = _rows(choices.revenue_accounts)
        title = "--sales-account (revenue):"
        lines += _lines(title, data["revenue_accounts"])
    if payments or both:
        data["payment_accounts"] = _rows(choices.payment_accounts)
        title = "--payment-account (payments enabled):"
        lines += _lines(title, data["payment_accounts"])
    door.result(data, lines)


@answers
def products(
    shop_id: int = typer.Argument(..., help="the shop (billysync shop list)"),
    as_json: bool = JSON_OPTION,
) -> None:
    """The Billy products to choose the shipping and discount product from."""
    door = Door(as_json, language())
    rows = _rows(_choices(shop_id).products)
    door.result(
        {"shop_id": shop_id, "products": rows},
        _lines("--shipping-product / --discount-product:", rows),
    )
