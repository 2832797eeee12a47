"""The Shops page: every shop with its Billy organization, add a shop, remove one.

A new JSON API shop's token is shown once, on the answer to the POST that made it (never
stored in clear, never in a redirect's URL or the session). A Shoporama shop goes straight to
its settings: it never uses the JSON API.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from billysync.store import shops, transfers
from billysync.web import guards, i18n, render

router = APIRouter(include_in_schema=False, dependencies=[guards.AdminOnly])

PLATFORMS = ("shoporama", "generic")


def _shop_rows(request: Request) -> list[dict[str, object]]:
    with guards.runtime(request).db.session() as db_session:
        return [
            {
                "shop": shop,
                "failed": transfers.count_by_state(db_session, shop.id).get("failed", 0),
            }
            for shop in shops.list_shops(db_session)
        ]


@router.get("/shops")
def shop_list(request: Request) -> Response:
    return render.page(request, "shops.html", {"rows": _shop_rows(request), "form": {}})


@router.post("/shops", dependencies=[guards.CsrfChecked])
def add_shop(request: Request, name: str = Form(""), platform: str = Form("")) -> Response:
    name = name.strip()
    errors: dict[str, str] = {}
    if not name or len(name) > 200:
        errors["name"] = "shops.name_missing"
    if platform not in PLATFORMS:
        errors["platform"] = "shops.platform_invalid"
    if errors:
        form = {"name": name, "platform": platform}
        context = {"rows": _shop_rows(request), "errors": errors, "form": form}
        return render.page(request, "shops.html", context, status_code=400)
    with guards.runtime(request).db.session() as db_session:
        shop, token = shops.create_shop(db_session, name=name, platform=platform)
        shop_id = shop.id
    if platform == "shoporama":
        # Shoporama's orders come by webhook and polling, never through the JSON API: its
        # token would only be one more secret to copy and keep for nothing.
        render.flash(request, "shops.created_shoporama", name=name)
        return render.redirect(f"/shops/{shop_id}/settings")
    render.flash(request, "shops.created", name=name)
    return render.page(
        request, "shop_token.html", {"shop_id": shop_id, "shop_name": name, "token": token}
    )


def _confirm(
    request: Request,
    *,
    title: tuple[str, dict[str, Any]],
    text: str,
    action: str,
    button: str,
    danger: bool,
    back: str,
) -> Response:
    t = i18n.translator(render.language(request))
    context = {
        "title": t(title[0], **title[1]),
        "text": t(text),
        "action": action,
        "button": t(button),
        "danger": danger,
        "back": back,
    }
    return render.page(request, "confirm.html", context)


@router.get("/shops/{shop_id}/token")
def rotate_token_confirm(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    return _confirm(
        request,
        title=("shops.token_rotate", {}),
        text="shops.token_rotate_confirm",
        action=f"/shops/{shop.id}/token",
        button="shops.token_rotate",
        danger=False,
        back=f"/shops/{shop.id}/settings",
    )


@router.post("/shops/{shop_id}/token", dependencies=[guards.CsrfChecked])
def rotate_token(request: Request, shop_id: int) -> Response:
    with guards.runtime(request).db.session() as db_session:
        shop = guards.shop_or_404(db_session, shop_id)
        token = shops.rotate_api_token(db_session, shop)
        name = shop.name
    return render.page(
        request, "shop_token.html", {"shop_id": shop_id, "shop_name": name, "token": token}
    )


@router.get("/shops/{shop_id}/remove")
def remove_confirm(request: Request, shop_id: int) -> Response:
    shop = guards.load_shop(request, shop_id)
    return _confirm(
        request,
        title=("shops.remove_title", {"name": shop.name}),
        text="shops.remove_text",
        action=f"/shops/{shop.id}/remove",
        button="shops.remove_confirm",
        danger=True,
        back="/shops",
    )


@router.post("/shops/{shop_id}/remove", dependencies=[guards.CsrfChecked])
def remove_shop(request: Request, shop_id: int) -> Response:
    with guards.runtime(request).db.session() as db_session:
        shop = guards.shop_or_404(db_session, shop_id)
        name = shop.name
        shops.delete_shop(db_session, shop)
    render.flash(request, "shops.removed", name=name)
    return render.redirect("/shops")
