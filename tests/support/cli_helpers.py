"""Helpers for the command-line tests: run `billysync …`, read its JSON, make shops."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from click.testing import Result

from billysync.emulators.billy import BillyEmulator

BILLY_TOKEN = "cli-test-billy-token-77"
OTHER_TOKEN = "cli-test-other-org-token-88"


@dataclass
class Billy:
    url: str
    emulator: BillyEmulator


Run = Callable[..., Result]


def json_of(result: Result) -> dict[str, Any]:
    """The one JSON document a `--json` command printed on stdout."""
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def added_shop(cli: Run, name: str = "Butik CLI", *extra: str) -> tuple[int, str]:
    """A new shop's id and JSON API token, from `shop add --json`."""
    added = cli("shop", "add", name, *extra, "--json")
    assert added.exit_code == 0, added.output
    data = json_of(added)
    assert re.fullmatch(r"bs_[A-Za-z0-9_-]{20,}", data["token"])
    return int(data["shop_id"]), str(data["token"])


def connected_shop(cli: Run, billy: Billy) -> int:
    """A shop whose Billy key is saved (and checked) but nothing else chosen yet."""
    shop_id, _ = added_shop(cli)
    saved = cli("shop", "set", shop_id, "--billy-key", BILLY_TOKEN, "--billy-url", billy.url)
    assert saved.exit_code == 0, saved.output
    return shop_id
