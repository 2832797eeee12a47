"""Billy's answers to a write, classified as the engine classifies them: the reasons the
merchant reads, for tests of how they are filed and worded."""

from __future__ import annotations

from billysync.billy.errors import error_for_response
from billysync.sync.classify import Failure, classify
from billysync.sync.reasons import Reason, encode_retrying


def billy_refused(
    path: str,
    record: str,
    field: str | None,
    said: str = "is not valid here",
    *,
    status: int = 400,
    code: str = "INVALID_RECORD",
) -> Failure:
    """Billy refusing a write to `path` with `said` on `record`'s `field` (None: on the
    record as a whole)."""
    entry = {"attributes": {field: said}} if field else {"message": said}
    error = error_for_response(
        status=status,
        body={
            "errorCode": code,
            "errorMessage": "Invalid record",
            "validationErrors": {record: entry},
        },
        method="POST",
        path=path,
        safe=False,
    )
    return classify(error)


def billy_down(then: Reason | None = None) -> str:
    """Billy not answering a write (503), stored as the engine stores it with what it does
    next: by default, the next attempt (the third) at 14:05."""
    error = error_for_response(status=503, body={}, method="POST", path="/invoices", safe=False)
    then = then or Reason("wait.retry_at", {"at": "14:05", "attempt": "3"})
    return encode_retrying(classify(error).reason, then)
