"""Durable workflows (DBOS): one per (shop, order or return) event, and product passes.

A workflow makes attempts; each attempt is one DBOS step running the transfer from the top
(transfer.py, returns.py). Completed work is skipped by the bindings, so an attempt after a
crash or a fault costs no duplicate. Transient failures wait with a durable `DBOS.sleep`
(it survives a restart) and try again; configuration and data failures stop at once with
the reason in words for the merchant, and are retried by command (`service.retry`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dbos import DBOS

from billysync import logs
from billysync.billy.errors import ErrorKind
from billysync.billy.http import BillyCall
from billysync.localtime import DANISH_TIME
from billysync.shop.errors import ObjectGone
from billysync.store import audit, inbox, transfers
from billysync.store.transfers import TransferState
from billysync.sync.adapters.shoporama_poll import PollPass, poll_shop
from billysync.sync.classify import classify
from billysync.sync.context import TransferContext
from billysync.sync.products import ProductPass, sync_shop_products
from billysync.sync.reasons import Reason, encode_retrying
from billysync.sync.returns import transfer_return
from billysync.sync.runtime import Runtime, current
from billysync.sync.transfer import transfer_order

log = logs.get_logger(__name__)

TRANSFER_QUEUE = "billysync-transfers"
TRANSFER_WORKFLOW = "billysync.transfer"  # its name in DBOS (a client enqueues it by name)
PRODUCT_QUEUE = "billysync-products"

_running = 0  # workflows running in this process now (the engine's stop waits for them)
_running_lock = threading.Lock()


@contextmanager
def _counted() -> Iterator[None]:
    global _running
    with _running_lock:
        _running += 1
    try:
        yield
    finally:
        with _running_lock:
            _running -= 1


def running_here() -> int:
    """How many of our workflows run in this process now (no database needed to know)."""
    with _running_lock:
        return _running


@dataclass(frozen=True)
class AttemptResult:
    """What one attempt came to: the state the transfer stays in, with the reason in words,
    or `state=None` after a transient failure (the workflow tries again after a pause)."""

    state: TransferState | None
    reason: str | None
    error_kind: ErrorKind | None = None
    event_closed: bool = False  # the attempt's last unit of work closed its inbox event

    @property
    def will_retry(self) -> bool:
        return self.state is None


@DBOS.workflow(name=TRANSFER_WORKFLOW)
def transfer_workflow(shop_id: int, kind: str, object_key: str, event_id: int | None) -> str:
    with _counted():
        return _transfer(shop_id, kind, object_key, event_id)


def _transfer(shop_id: int, kind: str, object_key: str, event_id: int | None) -> str:
    policy = current().retry
    result = AttemptResult(TransferState.FAILED, "no attempt was made")
    for attempt in range(1, policy.attempts + 1):
        last = attempt == policy.attempts
        result = attempt_step(shop_id, kind, object_key, event_id, attempt, last)
        if not result.will_retry:
            break
        DBOS.sleep(policy.delay(attempt))
    return result.state.value if result.state else "retry"


@DBOS.step(name="billysync.transfer.attempt")
def attempt_step(
    shop_id: int, kind: str, object_key: str, event_id: int | None, attempt: int, last: bool
) -> AttemptResult:
    """One attempt; never raises, so DBOS records its outcome and the workflow decides.

    The final attempt also closes the event that started the work (in the same step: one
    checkpoint per attempt keeps the engine's overhead low).
    """
    result = _attempt(shop_id, kind, object_key, event_id, attempt, last)
    if event_id is not None and not result.will_retry and not result.event_closed:
        failed = result.state == TransferState.FAILED
        with current().db.session() as session:
            inbox.mark_event(session, event_id, "failed" if failed else "processed", result.reason)
    return result


def _attempt(
    shop_id: int, kind: str, object_key: str, event_id: int | None, attempt: int, last: bool
) -> AttemptResult:
    rt = current()
    # The owner of write intents is the object, not the workflow: the queue runs one
    # workflow per object at a time, and a retry by command (a new workflow) must be able
    # to take over the intents its failed predecessor left.
    owner = f"{shop_id}:{kind}:{object_key}"
    ctx: TransferContext | None = None
    try:
        started = rt.attempt_start(shop_id, kind, object_key)
        if started is None:
            removed = Reason("log.shop_removed").encode()
            return AttemptResult(TransferState.SKIPPED, removed)
        shop, seen = started
        calls: list[BillyCall] = []

        def observe(call: BillyCall) -> None:
            calls.append(call)
            if call.status is None or call.status >= 400:  # each failed HTTP attempt, once
                log.warning(
                    "billy.call_failed",
                    **_where(shop_id, kind, object_key),
                    billy_call=f"{call.method} {call.path}",
                    billy_status=call.status,
                    http_attempt=call.attempt,
                    error=call.error,
                )

        with rt.billy_client(shop, call_observer=observe) as client:
            ctx = TransferContext(
                rt, shop_id, kind, object_key, owner, client, calls, event_id, shop, seen
            )
            ctx.carries_bindings = True  # every way out of the attempt ends with a unit
            ctx.attempt = attempt  # written to the transfer with the attempt's end
            run = transfer_order if kind == "order" else transfer_return
            outcome = run(ctx, object_key)
        return AttemptResult(outcome.state, outcome.message.encode(), event_closed=ctx.event_closed)
    except ObjectGone:
        gone = Reason("log.gone").encode()
        return _stop(rt, shop_id, kind, object_key, TransferState.SKIPPED, None, gone, ctx)
    except Exception as exc:  # classified once, here
        failure = classify(exc)
        fields = _log_fields(
            shop_id, kind, object_key, attempt, failure.kind, failure.reason.english(), ctx
        )
        if failure.kind == "transient":
            if not last:
                log.warning("transfer.retry", **fields)
                retrying = _note_retry(rt, shop_id, kind, object_key, failure.reason, attempt, ctx)
                return AttemptResult(None, retrying)
            gave_up = Reason("wait.gave_up", {"attempt": str(attempt)})
            stored = encode_retrying(failure.reason, gave_up)
        else:
            stored = failure.reason.encode()
        log.error("transfer.failed", **fields, final_attempt=last)
        return _stop(rt, shop_id, kind, object_key, TransferState.FAILED, failure.kind, stored, ctx)


def _where(shop_id: int, kind: str, key: str) -> dict[str, object]:
    """The fields that say which shop's order (or return) a log line is about."""
    return {"shop": shop_id, "kind": kind, "order" if kind == "order" else "return": key}


def _log_fields(
    shop_id: int,
    kind: str,
    key: str,
    attempt: int,
    error_kind: ErrorKind,
    reason: str,
    ctx: TransferContext | None,
) -> dict[str, object]:
    """What an operator needs about a failure: where, which attempt, why, and Billy's answer."""
    fields: dict[str, object] = {
        **_where(shop_id, kind, key),
        "attempt": attempt,
        "error_kind": error_kind,
        "reason": reason,
    }
    if ctx is not None and ctx.calls:
        call = ctx.calls[-1]
        fields["billy_call"] = f"{call.method} {call.path}"
        fields["billy_status"] = call.status
        fields["billy_calls"] = len(ctx.calls)
    return fields


def _note_retry(
    rt: Runtime,
    shop_id: int,
    kind: str,
    key: str,
    reason: Reason,
    attempt: int,
    ctx: TransferContext | None,
) -> str:
    """Say what failed, and when the next attempt comes (the workflow sleeps that long)."""
    at = datetime.now(UTC) + timedelta(seconds=rt.retry.delay(attempt))
    clock = at.astimezone(DANISH_TIME).strftime("%H:%M")
    stored = encode_retrying(
        reason, Reason("wait.retry_at", {"at": clock, "attempt": str(attempt + 1)})
    )
    if ctx is None:
        with rt.db.session() as session:
            transfers.note_retrying(session, shop_id, kind, key, stored)
        return stored
    with ctx.last_unit() as session:
        transfers.begin_attempt(session, shop_id, kind, key, attempt)
        transfers.note_retrying(session, shop_id, kind, key, stored)
        ctx.log_in(session, "retry", stored)
    return stored


def _stop(
    rt: Runtime,
    shop_id: int,
    kind: str,
    key: str,
    state: TransferState,
    error_kind: ErrorKind | None,
    reason: str,
    ctx: TransferContext | None,
) -> AttemptResult:
    """Stop with the stored reason (`reasons.Reason`, encoded) and log it once."""
    if ctx is not None:
        for last_try in (False, True):
            try:
                with ctx.last_unit() as session:
                    if ctx.attempt is not None:
                        transfers.begin_attempt(session, shop_id, kind, key, ctx.attempt)
                    transfers.stop(session, shop_id, kind, key, state, reason, error_kind)
                    ctx.log_in(session, state.value, reason)
                    failed = state == TransferState.FAILED
                    ctx.close_event(session, failed=failed, reason=reason)
                break
            except Exception:
                if last_try:
                    raise
                # What the attempt carried failed with it: stop without it (a binding
                # left out is an intent still there: the next attempt looks Billy up).
                ctx.carry.clear()
        return AttemptResult(state, reason, error_kind, event_closed=ctx.event_closed)
    else:
        with rt.db.session() as session:
            transfers.stop(session, shop_id, kind, key, state, reason, error_kind)
            audit.record(
                session,
                shop_id=shop_id,
                kind=kind,
                object_key=key,
                step=state.value,
                message=reason,
            )
    return AttemptResult(state, reason, error_kind)


@DBOS.workflow(name="billysync.products")
def products_workflow(shop_id: int) -> ProductPass:
    with _counted():
        figures: ProductPass = products_step(shop_id)  # DBOS's decorators are untyped
    return figures


@DBOS.step(name="billysync.products.pass")
def products_step(shop_id: int) -> ProductPass:
    return sync_shop_products(current(), shop_id, owner=DBOS.workflow_id or "direct")


@DBOS.workflow(name="billysync.poll")
def poll_workflow(shop_id: int) -> PollPass:
    with _counted():
        figures: PollPass = poll_step(shop_id)
    return figures


@DBOS.step(name="billysync.poll.pass")
def poll_step(shop_id: int) -> PollPass:
    # Stores events only; the dispatcher enqueues them (no workflow starts inside a step).
    return poll_shop(current(), shop_id)
