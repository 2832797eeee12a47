"""Shops (tenants) and their settings; secrets go in and out only through a `SecretBox`."""

from __future__ import annotations

import hashlib
import secrets as _random

from sqlalchemy import select
from sqlalchemy.orm import Session

from billysync.store.secrets import SecretBox
from billysync.store.tables import Shop


def hash_api_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_shop(session: Session, *, name: str, platform: str = "generic") -> tuple[Shop, str]:
    """A new shop and its JSON API token (shown once; only its hash is stored)."""
    token = "bs_" + _random.token_urlsafe(32)
    shop = Shop(name=name, platform=platform, api_token_hash=hash_api_token(token))
    session.add(shop)
    session.flush()
    return shop, token


def rotate_api_token(session: Session, shop: Shop) -> str:
    token = "bs_" + _random.token_urlsafe(32)
    shop.api_token_hash = hash_api_token(token)
    session.flush()
    return token


# The largest id `shops.id` holds (INTEGER: 32 bits on PostgreSQL). A larger number in a URL
# is no shop, and asking the database about it would fail instead of finding nothing.
MAX_SHOP_ID = 2**31 - 1


def shop_id_in_range(value: int) -> bool:
    return 1 <= value <= MAX_SHOP_ID


def get_shop(session: Session, shop_id: int) -> Shop | None:
    if not shop_id_in_range(shop_id):
        return None
    return session.get(Shop, shop_id)


def shop_by_api_token(session: Session, token: str) -> Shop | None:
    return session.scalar(select(Shop).where(Shop.api_token_hash == hash_api_token(token)))


def list_shops(session: Session) -> list[Shop]:
    return list(session.scalars(select(Shop).order_by(Shop.id)))


def delete_shop(session: Session, shop: Shop) -> None:
    session.delete(shop)


def set_billy_key(shop: Shop, key: str, box: SecretBox) -> None:
    shop.billy_key_secret = box.encrypt(key)
    shop.billy_key_last4 = key[-4:]


def billy_key(shop: Shop, box: SecretBox) -> str | None:
    return box.decrypt(shop.billy_key_secret) if shop.billy_key_secret else None


def set_shop_connection(
    shop: Shop,
    box: SecretBox,
    *,
    base_url: str | None = None,
    token: str | None = None,
    webhook_secret: str | None = None,
    signature_header: str | None = None,
) -> None:
    """Change what is given; a secret left out (None) keeps its stored value."""
    if base_url is not None:
        shop.shop_base_url = base_url
    if token is not None:
        shop.shop_token_secret = box.encrypt(token)
    if webhook_secret is not None:
        shop.webhook_secret_secret = box.encrypt(webhook_secret)
    if signature_header is not None:
        shop.signature_header = signature_header


def shop_token(shop: Shop, box: SecretBox) -> str | None:
    return box.decrypt(shop.shop_token_secret) if shop.shop_token_secret else None


def webhook_secret(shop: Shop, box: SecretBox) -> str | None:
    return box.decrypt(shop.webhook_secret_secret) if shop.webhook_secret_secret else None
