"""The adapter registry: the one place in `sync/` that knows the shop platforms.

`source_for` picks a shop's `ShopSource` by its platform; `adapters/shoporama.py` and
`adapters/shoporama_poll.py` are the Shoporama adapter (REST reads within the daily call
budget, and the safety-net poll), `adapters/pushed.py` the shops that push to our JSON API.
Everything else in `sync/` speaks only the canonical models and `shop/errors.py`
(an import-linter contract in pyproject.toml keeps it so).
"""

from __future__ import annotations

from billysync.store import shops
from billysync.store.tables import Shop
from billysync.sync.adapters.pushed import PushedSource
from billysync.sync.adapters.shoporama import ShoporamaSource
from billysync.sync.runtime import NotConfigured, Runtime
from billysync.sync.sources import ShopSource

SHOPORAMA = "shoporama"


def source_for(rt: Runtime, shop: Shop) -> ShopSource:
    if shop.platform == SHOPORAMA:
        token = shops.shop_token(shop, rt.box)
        if not token or not shop.shop_base_url:
            raise NotConfigured(
                f"shop {shop.name!r} has no Shoporama connection: enter the REST address "
                "and API token under the shop's connection settings"
            )
        return ShoporamaSource(rt, shop, token)
    return PushedSource(rt, shop.id)


def is_polled(shop: Shop) -> bool:
    """Whether the shop's platform has a safety-net poll (lost webhooks are found by it)."""
    return shop.platform == SHOPORAMA
