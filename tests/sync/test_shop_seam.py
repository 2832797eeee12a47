"""The seam between the engine and a shop: adapters raise shop-neutral errors, and the
engine classifies by type alone (no platform names in sync/ outside the adapter registry)."""

from __future__ import annotations

from pathlib import Path

import pytest

from billysync.config import ProcessSettings
from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.mapping.errors import MissingProduct
from billysync.shop.errors import ObjectGone, ShopDataError, ShopRefused, ShopUnavailable
from billysync.shop.shoporama import errors as E
from billysync.store import shops
from billysync.sync import adapters
from billysync.sync.adapters.pushed import PushedSource
from billysync.sync.adapters.shoporama import ShoporamaSource
from billysync.sync.classify import classify
from billysync.sync.runtime import Runtime

SHOP_URL = "http://shoporama.test/REST"


@pytest.fixture
def shoporama(tmp_path: Path, database_url: str) -> tuple[Runtime, ShoporamaEmulator, int]:
    emulator = ShoporamaEmulator(seed=3)
    process = ProcessSettings(data_dir=tmp_path, database_url=database_url)
    rt = Runtime.from_settings(process, shop_transport=emulator.transport())
    rt.db.migrate()
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik S", platform="shoporama")
        shops.set_shop_connection(shop, rt.box, base_url=SHOP_URL, token=emulator.token)
        shop_id = shop.id
    yield rt, emulator, shop_id
    rt.db.dispose()


def test_a_missing_shoporama_order_is_object_gone(
    shoporama: tuple[Runtime, ShoporamaEmulator, int],
) -> None:
    rt, emulator, shop_id = shoporama
    order = emulator.generate_order()
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        assert shop is not None
        source = adapters.source_for(rt, shop)
    assert isinstance(source, ShoporamaSource)
    try:
        assert source.read_order(str(order["order_id"])).key == str(order["order_id"])
        with pytest.raises(ObjectGone):
            source.read_order("999999999")
    finally:
        source.close()


def test_a_generic_shop_reads_its_pushes(
    shoporama: tuple[Runtime, ShoporamaEmulator, int],
) -> None:
    rt, _, _ = shoporama
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik P")
        source = adapters.source_for(rt, shop)
    assert isinstance(source, PushedSource)
    with pytest.raises(ObjectGone, match="no order 'A-1' was pushed"):
        source.read_order("A-1")


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (E.ShoporamaNotFound("order 1: not found in the shop."), "data"),
        (E.ShoporamaAuthError("token refused"), "configuration"),
        (E.ShoporamaServerError("500"), "transient"),
        (E.ShoporamaTransportError("timeout"), "transient"),
        (E.ShoporamaRateLimited("429"), "transient"),
        (E.UnmappablePayload("order 1: field total_price is missing"), "data"),
        (MissingProduct("MUG-1"), "data"),
        (RuntimeError("boom"), "transient"),
    ],
)
def test_classification_is_by_shop_neutral_type(error: Exception, kind: str) -> None:
    assert classify(error).kind == kind


def test_every_shoporama_error_is_a_shop_neutral_one() -> None:
    neutral = (ObjectGone, ShopUnavailable, ShopRefused, ShopDataError)
    assert isinstance(E.ShoporamaNotFound("x"), ObjectGone)
    for error in (
        E.ShoporamaBadRequest("x"),
        E.ShoporamaBadResponse("x"),
        E.UnmappablePayload("x"),
    ):
        assert isinstance(error, ShopDataError)
    for error in (E.ShoporamaTransportError("x"), E.ShoporamaServerError("x")):
        assert isinstance(error, ShopUnavailable)
    assert all(
        issubclass(cls, neutral)
        for cls in vars(E).values()
        if isinstance(cls, type)
        and issubclass(cls, E.ShoporamaError)
        and cls is not E.ShoporamaError
    )
