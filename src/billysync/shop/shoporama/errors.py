"""What can go wrong when talking to Shoporama or reading what it sent.

    ShoporamaError                      a call to Shoporama's REST API failed
    ├── ShoporamaTransportError         no answer (DNS, refused, timeout, TLS)     retriable
    ├── ShoporamaAuthError              401 / 403: the token is wrong or lacks rights
    ├── ShoporamaRateLimited            429: Shoporama's daily call budget is used up
    ├── ShoporamaNotFound               404: the object does not exist (any more)
    ├── ShoporamaBadRequest             any other 4xx
    ├── ShoporamaServerError            5xx: Shoporama's fault                     retriable
    ├── ShoporamaBadResponse            2xx, but not the JSON we expect
    └── BudgetExhausted                 our own budget refused the call (no request sent)

    UnmappablePayload                   a payload we cannot turn into a model without guessing

Each derives from the shop-neutral error of its meaning (`shop/errors.py`: retriable
`ShopUnavailable`, `ShopRefused`, `ObjectGone`, `ShopDataError`), which is all the engine
looks at. Every message says what to do next. The raw response body is kept on `body` (for the
audit log); the token is never part of a message: the client removes it from bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from billysync.shop.errors import (
    ObjectGone,
    ShopDataError,
    ShopError,
    ShopRefused,
    ShopUnavailable,
)
from billysync.shop.problems import FieldProblem


class ShoporamaError(ShopError):
    """A call to Shoporama failed. `status` and `body` are the HTTP answer when there was one."""

    retriable: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body
        self.method = method
        self.path = path


class ShoporamaTransportError(ShoporamaError, ShopUnavailable):
    """Shoporama did not answer; the call may or may not have been counted. Retry later."""

    retriable = True


class ShoporamaAuthError(ShoporamaError, ShopRefused):
    """The token was refused: make a new one under Account → Webshop → API access."""


class ShoporamaRateLimited(ShoporamaError, ShopUnavailable):
    """Shoporama refuses more calls today (1,000 per token by default)."""

    retriable = True

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        status: int | None = 429,
        body: str | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message, status=status, body=body, method=method, path=path)
        self.retry_after = retry_after


class ShoporamaNotFound(ShoporamaError, ObjectGone):
    """The object is not in the shop (deleted, or an id from another shop)."""


class ShoporamaBadRequest(ShoporamaError, ShopDataError):
    """Shoporama refused the request itself (4xx other than 401/403/404/429)."""


class ShoporamaServerError(ShoporamaError, ShopUnavailable):
    """Shoporama failed on its side (5xx). Retry later."""

    retriable = True


class ShoporamaBadResponse(ShoporamaError, ShopDataError):
    """A 2xx answer that is not the JSON shape expected: Shoporama's format may have changed."""


class BudgetExhausted(ShoporamaError, ShopUnavailable):
    """Our daily call budget for this token refused the call; nothing was sent."""

    retriable = True

    def __init__(self, message: str, *, resets_at: datetime) -> None:
        super().__init__(message)
        self.resets_at = resets_at


class UnmappablePayload(ShopDataError):
    """A Shoporama payload that cannot become a canonical model without guessing.

    `reason` is a sentence the merchant can read ("order 10234: field total_price is
    missing; Shoporama sent: …"); `field` is the Shoporama field at fault, when one is.
    """

    def __init__(
        self, reason: str, field: str | None = None, *, problems: Sequence[FieldProblem] = ()
    ) -> None:
        super().__init__(reason, problems=problems)
        self.reason = reason
        self.field = field
