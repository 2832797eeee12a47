"""Failures are classified once, here, into what the engine does next.

- transient: retried by itself, durably, with backoff (network, 5xx, 429, unknown outcome,
  another attempt busy with the same record);
- configuration: the shop's settings or Billy key need a fix; stop, retry by command;
- data: this order cannot be booked as it is (validation, totals mismatch, bad payload);
  stop with the reason in words, retry by command after the fix;
- conflict: Billy already has the document; adopt it (handled inside the ensure steps,
  so reaching here means more than one candidate: a finding for a person to resolve).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from billysync.billy.errors import BillyError, ErrorKind, error_kind
from billysync.mapping.errors import MappingError
from billysync.shop.errors import ObjectGone, ShopError, ShopRefused, ShopUnavailable
from billysync.store.intents import IntentBusy
from billysync.sync.runtime import NotConfigured


@dataclass(frozen=True)
class Failure:
    kind: ErrorKind
    reason: str


class Finding(Exception):
    """Something a person must look at (e.g. two Billy invoices carry our marker)."""


def classify(exc: BaseException) -> Failure:
    if isinstance(exc, IntentBusy):
        return Failure("transient", str(exc))
    if isinstance(exc, NotConfigured):
        return Failure("configuration", str(exc))
    if isinstance(exc, BillyError):
        return Failure(error_kind(exc), str(exc))
    if isinstance(exc, ValidationError):
        fields = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        return Failure("data", f"the shop's data cannot be used: {fields}")
    if isinstance(exc, Finding):
        return Failure("conflict", str(exc))
    if isinstance(exc, ShopRefused):
        return Failure("configuration", f"the shop refused our token: {exc}")
    if isinstance(exc, ShopUnavailable):
        return Failure("transient", f"the shop could not answer now: {exc}")
    # Mapping errors (TotalsMismatch, MissingProduct), a vanished object and the shop's
    # payload errors each say what to fix.
    if isinstance(exc, MappingError | ObjectGone | ShopError):
        return Failure("data", str(exc))
    return Failure("transient", f"unexpected error {type(exc).__name__}: {exc}")
