"""The setup check contacts a Shoporama shop once: filled-in fields are not a connection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from billysync.config import ProcessSettings
from billysync.emulators.shoporama import ShoporamaEmulator
from billysync.localtime import local_date
from billysync.store import shops
from billysync.store.tables import utcnow
from billysync.sync.adapters.shoporama import calls_today
from billysync.sync.runtime import Runtime
from billysync.sync.setup_check import Check, setup_check
from billysync.web.i18n import translate

SHOP_URL = "http://shoporama.test/REST"


class _Unreachable(httpx2.BaseTransport):
    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        raise httpx2.ConnectError("no route to host", request=request)


def _runtime(tmp_path: Path, database_url: str, transport: httpx2.BaseTransport) -> Runtime:
    process = ProcessSettings(data_dir=tmp_path, database_url=database_url)
    rt = Runtime.from_settings(process, shop_transport=transport)
    rt.db.migrate()
    return rt


def _shop_check(rt: Runtime, *, base_url: str, token: str) -> tuple[Check, int]:
    with rt.db.session() as session:
        shop, _ = shops.create_shop(session, name="Butik S", platform="shoporama")
        shops.set_shop_connection(shop, rt.box, base_url=base_url, token=token)
        shop_id = shop.id
    [found] = [c for c in setup_check(rt, shop_id) if c.topic == "shoporama"]
    return found, shop_id


@pytest.fixture
def emulator() -> ShoporamaEmulator:
    return ShoporamaEmulator(seed=5)


@pytest.fixture
def rt(tmp_path: Path, database_url: str, emulator: ShoporamaEmulator) -> Iterator[Runtime]:
    rt = _runtime(tmp_path, database_url, emulator.transport())
    yield rt
    rt.db.dispose()


def test_a_working_connection_is_confirmed_with_one_call(
    rt: Runtime, emulator: ShoporamaEmulator
) -> None:
    found, shop_id = _shop_check(rt, base_url=SHOP_URL, token=emulator.token)
    assert found.ok and found.code == "shoporama.ok"
    assert calls_today(rt, shop_id, local_date(utcnow())) == 1


def test_a_made_up_token_is_refused_with_what_to_do(rt: Runtime) -> None:
    found, _ = _shop_check(rt, base_url=SHOP_URL, token="made-up-token-0000")
    assert not found.ok and found.code == "shoporama.token"
    danish = translate("da", f"checkmsg.{found.code}", **found.params)
    assert "afviste API-nøglen" in danish and "Forbundet" not in danish


def test_a_wrong_address_says_check_the_address(rt: Runtime, emulator: ShoporamaEmulator) -> None:
    found, _ = _shop_check(rt, base_url="http://shoporama.test/wrong", token=emulator.token)
    assert not found.ok and found.code == "shoporama.address", found
    assert "http://shoporama.test/wrong" in found.message


def test_an_unreachable_shop_says_so(tmp_path: Path, database_url: str) -> None:
    rt = _runtime(tmp_path, database_url, _Unreachable())
    try:
        found, _ = _shop_check(rt, base_url=SHOP_URL, token="any-token-0000")
    finally:
        rt.db.dispose()
    assert not found.ok and found.code == "shoporama.unreachable"
    danish = translate("da", f"checkmsg.{found.code}", **found.params)
    assert danish.startswith("Butikken kunne ikke nås på http://shoporama.test/REST")
