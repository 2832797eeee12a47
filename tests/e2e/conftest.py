"""Fixtures for the browser tests: chromium (required in CI), the Billy emulator's real HTTP
server, and a Playwright page with a sensible laptop viewport."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from billysync.emulators.billy.emulator import BillyEmulator
from billysync.emulators.billy.server import start_background_server
from tests.support.e2e_helpers import CHROMIUM, CHROMIUM_ARGS, require_chromium


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 860}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def billy_server() -> Iterator[tuple[BillyEmulator, str]]:
    """The Billy emulator over real sockets; its API is at `url + "/v2"`."""
    emulator = BillyEmulator(seed=11)
    url, stop = start_background_server(emulator)
    yield emulator, url
    stop()
