"""The exporter (OCA connector's template method): binding? → look up by marker → create → bind.

Billy has no idempotency keys and ignores filters it does not know, so every document we
write carries a deterministic marker (orderNo, contactNo, productNo) and is recorded in a
binding the moment Billy confirms it. Between the two a crash, a timeout or a
commit-then-fail answer can leave Billy with a document we have not bound; the write
intent (store.intents) tells the next attempt so, and only then do we spend a lookup.
The common path is therefore one Billy call per document, and the rare path is still
exactly-once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session

from billysync.billy.errors import BillyOutcomeUnknown
from billysync.store import bindings, intents
from billysync.sync.classify import Finding
from billysync.sync.context import TransferContext
from billysync.sync.reasons import Reason

R = TypeVar("R")
# What a binding keeps of its Billy record besides the id (JSON at rest): texts or nothing.
BindingExtra = dict[str, str | None]


@dataclass
class Exported:
    """A bound Billy record: its id and what we keep of it (gross amount, number, …)."""

    billy_id: str
    extra: BindingExtra = field(default_factory=dict)
    created: bool = False


def ensure(
    ctx: TransferContext,
    *,
    kind: str,
    local_key: str,
    marker: str,
    lookup: Callable[[], Sequence[R]],
    create: Callable[[], R],
    describe: Callable[[R], tuple[str, BindingExtra]],
    content_hash: str | None = None,
    always_lookup: bool = False,
) -> Exported:
    """Return the bound Billy record, adopting or creating it exactly once.

    `always_lookup` is for records the merchant may have made in Billy before us
    (products by item number): adopt theirs rather than add a second one.
    In a transfer's attempt (`carries_bindings`) the binding goes with the attempt's next
    unit of work: what the caller carries right after this returns joins it.
    """
    found_bound, broken = _bound(ctx, kind, local_key)
    if found_bound is not None:
        return found_bound
    claim = _claim(ctx, kind, local_key, marker)
    if isinstance(claim, Exported):
        return claim
    unknown = claim is intents.Claim.UNKNOWN or broken
    record: R | None = None
    adopted = False
    if unknown or always_lookup:
        found = list(lookup())
        if len(found) > 1:
            raise Finding(
                f"Billy has {len(found)} {kind} records marked {marker!r}; keep one, "
                "delete or credit the others in Billy, then retry",
                document=kind,
            )
        if found:
            record, adopted = found[0], True
    if record is None:
        try:
            record = create()
        except BillyOutcomeUnknown:
            raise  # the intent stays: the next attempt looks Billy up first
        except Exception:
            # Billy said no (or was never reached): nothing was written, so the next
            # attempt, perhaps after the merchant's fix, may create without a lookup.
            with ctx.unit() as session:
                intents.release(session, shop_id=ctx.shop_id, kind=kind, local_key=local_key)
            raise
    billy_id, extra = describe(record)
    done = Reason("log.adopted" if adopted else "log.created", {"document": kind})
    lines = ctx.lines(kind, done, billy_id=billy_id)

    def bind(session: Session) -> None:
        """The binding and the chain's line, in one unit of work."""
        bindings.record(
            session,
            ctx.shop_id,
            kind,
            local_key,
            billy_id,
            marker=marker,
            content_hash=content_hash,
            extra=extra,
        )
        ctx.write_lines(session, lines)

    if ctx.carries_bindings:
        # With the next unit of work (the next intent's claim, or the attempt's end); the
        # intent is released with the attempt's last unit.
        ctx.carry.append(bind)
        ctx.bound_here.append((kind, local_key))
    else:
        with ctx.unit() as session:
            bind(session)
            intents.release(session, shop_id=ctx.shop_id, kind=kind, local_key=local_key)
    ctx.known_bindings[kind, local_key] = bindings.unsaved(
        ctx.shop_id,
        kind,
        local_key,
        billy_id,
        marker=marker,
        content_hash=content_hash,
        extra=extra,
    )
    return Exported(billy_id, extra, created=not adopted)


# Another live attempt writing the same record (a product or customer shared by orders
# arriving together) is usually done within moments: wait here, briefly and without a
# durable pause, before giving up as busy (a transient failure, retried after a pause).
BUSY_WAITS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def _claim(
    ctx: TransferContext, kind: str, local_key: str, marker: str
) -> intents.Claim | Exported:
    """Claim the write intent; the bound record instead when another attempt bound it."""
    for pause in (*BUSY_WAITS, None):
        try:
            with ctx.unit() as session:
                claim = intents.claim_unless_bound(
                    session,
                    shop_id=ctx.shop_id,
                    kind=kind,
                    local_key=local_key,
                    owner=ctx.owner,
                    marker=marker,
                )
                if claim is not intents.Claim.BOUND:
                    return claim
                # Bound by another attempt since our first look: done.
                row = bindings.get_binding(session, ctx.shop_id, kind, local_key)
                assert row is not None
            ctx.known_bindings[kind, local_key] = row
            return Exported(row.billy_id, bindings.binding_extra(row))
        except intents.IntentBusy:
            if pause is None:
                raise
            time.sleep(pause)
    raise AssertionError("unreachable")


def bound(ctx: TransferContext, kind: str, local_key: str) -> Exported | None:
    """The record bound to (kind, local key), without a Billy call; None when there is none
    (or when its binding lacks its data: `ensure` then looks Billy up by the marker)."""
    return _bound(ctx, kind, local_key)[0]


def _bound(ctx: TransferContext, kind: str, local_key: str) -> tuple[Exported | None, bool]:
    """The bound record, or None; and whether a binding row exists without its data."""
    row = ctx.binding(kind, local_key)
    if row is None:
        return None, False
    if not bindings.is_complete(row):
        return None, True  # outcome unknown: look Billy up by the marker
    return Exported(row.billy_id, bindings.binding_extra(row)), False
