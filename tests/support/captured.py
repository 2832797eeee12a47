"""The captured Billy and Shoporama responses in tests/fixtures (see its README) and reading one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
BILLY_FIXTURES = FIXTURES / "billy"
SHOPORAMA_FIXTURES = FIXTURES / "shoporama"


def billy_fixture(name: str) -> dict[str, Any]:
    """One captured Billy answer, e.g. `billy_fixture("contacts_single.json")`."""
    body: dict[str, Any] = json.loads((BILLY_FIXTURES / name).read_text(encoding="utf-8"))
    return body


def shoporama_fixture(name: str) -> Any:
    """One captured Shoporama answer: an object or, for some routes, a bare array."""
    return json.loads((SHOPORAMA_FIXTURES / name).read_text(encoding="utf-8"))
