"""Why Billy could not be used from the settings page, in words that point at the fix.

A failed Billy call while connecting is one of four things for the merchant: the key is
refused (make a new one in Billy), the address is wrong (check it under Advanced), Billy is
briefly unavailable (try again in a moment), or the organization is locked (sort it out in
Billy). Only the HTTP status is passed on as a detail: Billy's own (English) words and the
request stay out of the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from billysync.billy.errors import (
    BillyConfigurationError,
    BillyError,
    BillyNotFoundError,
    BillyRateLimited,
    BillyTransientError,
)


class Trouble(Enum):
    KEY_REFUSED = "key_refused"
    ADDRESS = "address"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class BillyTrouble:
    trouble: Trouble
    address: str
    status: int | None = None

    @property
    def key(self) -> str:
        """The catalogue key of the explanation."""
        return f"billy_trouble.{self.trouble.value}"

    @property
    def params(self) -> dict[str, Any]:
        detail = f" (HTTP {self.status})" if self.status else ""
        return {"address": self.address, "detail": detail}

    @property
    def key_broken(self) -> bool:
        return self.trouble is Trouble.KEY_REFUSED


def explain(exc: BillyError, *, address: str, custom_address: bool) -> BillyTrouble:
    """What a failed call means for someone connecting Billy at `address`."""
    if isinstance(exc, BillyConfigurationError):
        if exc.status in (401, 403):
            return BillyTrouble(Trouble.KEY_REFUSED, address, exc.status)
        # An unusable URL or a redirect: the address is wrong.
        return BillyTrouble(Trouble.ADDRESS, address, exc.status)
    if isinstance(exc, BillyNotFoundError):
        # Connecting only reads the organization and lists: a 404 means a wrong address.
        return BillyTrouble(Trouble.ADDRESS, address, exc.status)
    if isinstance(exc, BillyRateLimited):
        return BillyTrouble(Trouble.UNAVAILABLE, address, exc.status)
    if isinstance(exc, BillyTransientError):
        if exc.status is None and custom_address:
            # Nothing answered at a hand-typed address: far likelier a typo than an outage.
            return BillyTrouble(Trouble.ADDRESS, address)
        return BillyTrouble(Trouble.UNAVAILABLE, address, exc.status)
    if exc.status is not None and exc.status < 300:
        # Something answered, but not with Billy's JSON: not Billy's API at this address.
        return BillyTrouble(Trouble.ADDRESS, address)
    return BillyTrouble(Trouble.UNAVAILABLE, address, exc.status)


def explain_at(exc: BillyError, base_url: str | None, default_url: str) -> BillyTrouble:
    """The same for a shop whose Billy address is `base_url` (None: Billy itself)."""
    return explain(
        exc,
        address=base_url or default_url,
        custom_address=bool(base_url) and base_url != default_url,
    )
