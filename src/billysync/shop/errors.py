"""What can go wrong reading a shop, in words every platform shares.

    ShopError                 a shop adapter failed; the engine treats it as a data problem
    ├── ObjectGone            the shop no longer has (or never sent) this object → skip it
    ├── ShopUnavailable       no answer now (network, 5xx, rate limit, call budget) → retry
    ├── ShopRefused           the shop refused our credentials → fix the connection settings
    └── ShopDataError         what the shop sent cannot be used as it is → fix it in the shop

Each adapter (`shop/shoporama/errors.py`) derives its own errors from these, so the engine
decides what to do next by type alone (`sync/classify.py`) and never imports a platform.
"""

from __future__ import annotations

from collections.abc import Sequence

from billysync.shop.problems import FieldProblem


class ShopError(Exception):
    """A shop adapter failed; the message says what to do next."""


class ObjectGone(ShopError, LookupError):
    """The shop no longer has (or never sent) this object."""


class ShopUnavailable(ShopError):
    """The shop could not answer now; nothing is wrong with our data. Retry later."""


class ShopRefused(ShopError):
    """The shop refused our token or key: the shop's connection settings need a fix."""


class ShopDataError(ShopError, ValueError):
    """What the shop sent cannot become a canonical model without guessing.

    `problems` are the canonical model's refusals (problems.py), when that is what failed:
    they say what to fix in the merchant's language. The message is English, for the log.
    """

    def __init__(self, message: str = "", *, problems: Sequence[FieldProblem] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)
