"""The thin front of the engine: what the web pages and the CLI ask of it.

Work comes in through `submit` (intake.py: a durable insert, then a start where the engine
runs in this process); retry and "sync now" are submitted events too. Preview and the
setup check (setup_check.py) read without writing. The web and the CLI call only this
module, so they never talk to DBOS or build Billy documents themselves.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import closing

from billysync.mapping import preview as preview_mapping
from billysync.store import bindings, shops, transfers
from billysync.store.transfers import TransferState
from billysync.sync import oss, reference
from billysync.sync.adapters import source_for
from billysync.sync.classify import classify
from billysync.sync.context import TransferContext
from billysync.sync.intake import Event, EventSource, Received, submit
from billysync.sync.reasons import Reason
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings
from billysync.sync.setup_check import Check, setup_check

log = logging.getLogger(__name__)

__all__ = [
    "Check",
    "Event",
    "EventSource",
    "Received",
    "preview_order",
    "retry",
    "retry_all",
    "setup_check",
    "submit",
    "sync_products",
]


def retry(rt: Runtime, shop_id: int, kind: str, object_key: str) -> None:
    """Run a stopped order or return again (after the merchant fixed what it said).

    The request is stored like any event, so it works in a web-only process too (a worker's
    dispatcher starts it) and is never lost between the click and the work.
    """
    with rt.db.session() as session:
        if transfers.get_transfer(session, shop_id, kind, object_key) is None:
            raise LookupError(f"no {kind} {object_key!r} in this shop")
    reference.forget(shop_id)  # the fix may have been in Billy's settings
    # Marked before the request is stored: the work may start (and end) at once, and its
    # outcome must not be overwritten by this mark.
    with rt.db.session() as session:
        requested = Reason("log.retry_requested").encode()
        transfers.request_retry(session, shop_id, kind, object_key, requested)
    _request(rt, shop_id, "retry", kind, object_key)


def retry_all(rt: Runtime, shop_id: int, error_kind: str | None = None) -> int:
    """Retry every failed order and return of a shop (of one error kind, if given)."""
    with rt.db.session() as session:
        failed = [
            (t.kind, t.object_key)
            for t in transfers.list_transfers(
                session, shop_id, state=TransferState.FAILED, limit=100_000
            )
            if error_kind is None or t.error_kind == error_kind
        ]
    for kind, key in failed:
        retry(rt, shop_id, kind, key)
    return len(failed)


def sync_products(rt: Runtime, shop_id: int) -> None:
    """Start a product pass now (or join the one already waiting)."""
    _request(rt, shop_id, "sync", "product", "all")


def _request(rt: Runtime, shop_id: int, name: str, kind: str, key: str) -> None:
    event = Event(shop_id, EventSource.COMMAND, name, kind, key, f"{name}:{uuid.uuid4().hex}")
    submit(rt, event)


def preview_order(rt: Runtime, shop_id: int, order_key: str) -> dict[str, object]:
    """The Billy documents an order would become, computed without writing anything."""
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            raise LookupError(f"no shop {shop_id}")
        product_ids = {
            b.local_key: b.billy_id for b in bindings.bindings_of_kind(session, shop_id, "product")
        }
    try:
        settings = billy_settings(shop)
        with closing(source_for(rt, shop)) as source:
            order = source.read_order(order_key)
        with rt.billy_client(shop) as client:
            ctx = TransferContext(rt, shop_id, "order", order_key, "preview", client)
            ref = reference.reference_for(ctx)
            vat = ref.sale_vat(order.customer, oss=oss.known_oss_rates(ctx, settings, order))
        result = preview_mapping.preview(order, settings, product_ids=product_ids, vat=vat)
    except Exception as exc:
        failure = classify(exc)
        # `error` in English (the CLI, logs); `reason` stored, for a page in the merchant's words
        reason = failure.reason
        return {"error": reason.english(), "reason": reason.encode(), "error_kind": failure.kind}
    # What would stop the booking, stored as reasons are: a page says it in the merchant's words.
    codes = result.pop("problem_codes", [])
    result["problem_reasons"] = [Reason(c["code"], c["params"]).encode() for c in codes]
    return result
