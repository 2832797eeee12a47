"""Product sync: every billable item number of a shop is one Billy product, kept current.

A pass reads the shop's products, builds the Billy product for each item number and
compares its content hash with the binding's: unchanged products cost zero Billy calls,
changed ones are updated (PUT with prices), missing ones are adopted by productNo (the
merchant may have made them in Billy) or created.
"""

from __future__ import annotations

import json
from contextlib import closing
from datetime import datetime, timedelta
from typing import Literal, TypedDict

from sqlalchemy.orm import Session

from billysync.billy.http import BillyCall
from billysync.mapping import products as product_mapping
from billysync.mapping.drafts import ProductDraft
from billysync.store import bindings, shops
from billysync.store.db import insert_absent
from billysync.store.tables import ProductSyncState, as_utc, utcnow
from billysync.sync.adapters import source_for
from billysync.sync.classify import classify
from billysync.sync.context import TransferContext
from billysync.sync.documents import ensure_product, product_extra
from billysync.sync.reasons import Reason
from billysync.sync.runtime import Runtime
from billysync.sync.settings import billy_settings

ProductOutcome = Literal["created", "updated", "unchanged", "failed"]


class ProductPass(TypedDict):
    """A product pass's figures, and its first error (None when every product went through)."""

    created: int
    updated: int
    unchanged: int
    failed: int
    error: str | None


def sync_shop_products(rt: Runtime, shop_id: int, *, owner: str) -> ProductPass:
    """One pass; returns counts {created, updated, unchanged, failed} and the first error."""
    counts: dict[ProductOutcome, int] = {"created": 0, "updated": 0, "unchanged": 0, "failed": 0}
    first_error: str | None = None
    with rt.db.session() as session:
        shop = shops.get_shop(session, shop_id)
        if shop is None:
            return _figures(counts, f"shop {shop_id} was removed")
        state = session.get(ProductSyncState, shop_id)
        # A product changed during the last pass is listed again: a few minutes' overlap.
        since = (
            as_utc(state.last_pass_at) - timedelta(minutes=5)
            if state and state.last_pass_at
            else None
        )
    # Outside the session: on SQLite it holds the write lock, and `_record` opens its own.
    try:
        settings = billy_settings(shop)
        source = source_for(rt, shop)
    except Exception as exc:
        return _record(rt, shop_id, counts, classify(exc).reason.encode(), started=None)
    started = utcnow()
    try:
        with closing(source):
            products = source.list_products(since=since)
    except Exception as exc:  # the cursor stays: the next pass lists these changes again
        return _record(rt, shop_id, counts, classify(exc).reason.encode(), started=None)
    calls: list[BillyCall] = []
    with rt.billy_client(shop, call_observer=calls.append) as client:
        for product in products:
            ctx = TransferContext(rt, shop_id, "product", product.key, owner, client, calls)
            for draft in product_mapping.products_for(product, settings):
                try:
                    counts[sync_product(ctx, draft)] += 1
                except Exception as exc:
                    counts["failed"] += 1
                    reason = classify(exc).reason
                    first_error = first_error or reason.encode()
                    # "product <item number>: <stored reason>", as the products page reads it;
                    # the reason keeps the shop's name for a product that never reached Billy
                    named = reason.with_params(product_name=draft.name)
                    ctx.log_stored("product", f"product {draft.product_no}: {named.encode()}")
    return _record(rt, shop_id, counts, first_error, started=started)


def sync_product(ctx: TransferContext, draft: ProductDraft) -> ProductOutcome:
    """'created', 'updated' or 'unchanged' for one item number."""
    digest = draft.content_hash()
    with ctx.rt.db.session() as session:
        row = bindings.get_binding(session, ctx.shop_id, "product", draft.product_no)
        bound = (row.billy_id, row.content_hash) if row else None
        if row is not None and row.content_hash == digest:
            if bindings.binding_extra(row).get("name") != draft.name:
                # Bound before names were kept: the products page shows it from now on.
                row.extra = json.dumps(
                    {**bindings.binding_extra(row), "name": draft.name}, sort_keys=True
                )
            return "unchanged"
    client = ctx.client
    if bound is None:
        exported = ensure_product(ctx, draft)
        if exported.created:
            return "created"
        billy_id = exported.billy_id  # adopted: bring it up to date below
    else:
        billy_id = bound[0]
    updated = client.products.update(billy_id, draft.to_payload())
    with ctx.rt.db.session() as session:
        bindings.bind(
            session,
            ctx.shop_id,
            "product",
            draft.product_no,
            billy_id,
            marker=draft.product_no,
            content_hash=digest,
            extra=product_extra(updated, draft.name),
        )
    ctx.log(
        "product", Reason("log.product_updated", {"number": draft.product_no}), billy_id=billy_id
    )
    return "updated"


def _record(
    rt: Runtime,
    shop_id: int,
    counts: dict[ProductOutcome, int],
    error: str | None,
    *,
    started: datetime | None,
) -> ProductPass:
    """Keep the pass's figures; `started` (when listing succeeded) is the next pass's cursor."""
    with rt.db.session() as session:
        state = sync_state(session, shop_id)
        if started is not None:
            state.last_pass_at = started
        state.synced = counts["created"] + counts["updated"] + counts["unchanged"]
        state.unchanged = counts["unchanged"]
        state.failed = counts["failed"]
        state.last_error = error
    return _figures(counts, error)


def _figures(counts: dict[ProductOutcome, int], error: str | None) -> ProductPass:
    return ProductPass(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        failed=counts["failed"],
        error=error,
    )


def sync_state(session: Session, shop_id: int) -> ProductSyncState:
    """The shop's sync state row, created once even when two passes meet."""
    state = session.get(ProductSyncState, shop_id)
    if state is not None:
        return state
    insert_absent(session, ProductSyncState, shop_id=shop_id)
    state = session.get(ProductSyncState, shop_id)
    assert state is not None
    return state
