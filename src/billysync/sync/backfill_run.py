"""Carrying out a backfill plan: durably, throttled, resumable after a kill, with progress.

Starting a run (`start`) stores every order and return of the plan as an inbox event in
the state `held`, with the dedupe key `backfill:<run>:<kind>:<key>`: planning again after a
kill stores nothing twice. `release` then hands the held events to the engine a few at a
time (`window`), so the transfer queue never fills with history and today's orders keep
flowing between them; each released event is transferred by the normal workflow, whose
bindings make a repeat of anything cost nothing. Whoever runs the engine releases: the
`backfill` command while it shows its progress bar, and every engine with its loops (serve,
worker) for runs started from the page. The run's state is in the database, so any of
them carries on after another was killed. Billy's rate limit is kept by the client's
limiter; a Shoporama order is booked from the copy the listing read (source `poll`), so it
costs no further call of the daily budget, and a return (two calls) waits for the budget.

After a kill, DBOS resumes the transfers that were in flight under the same executor id;
running the same backfill again (or any engine's loop) releases the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from billysync.store import audit, inbox, shops, transfers
from billysync.store.tables import BackfillRun, InboxEvent, Shop, utcnow
from billysync.sync.adapters.shoporama import budget_for
from billysync.sync.backfill import BackfillPlan, bind_adopted, plan
from billysync.sync.intake import Starter
from billysync.sync.runtime import Runtime
from billysync.sync.shop_period import Period

HELD = "held"  # stored, not yet released to the engine (the dispatcher leaves it alone)
WINDOW = 32  # events of a run in the engine at once: enough to keep its workers busy
PACE = 0.2  # seconds between two looks at the window
BUDGET_SPENT = "backfill.budget_spent"  # the run's note while returns wait for Shoporama


@dataclass(frozen=True)
class Progress:
    run_id: int
    state: str  # planned | running | done | stopped
    total: int
    held: int
    in_flight: int
    finished: int  # transferred, skipped or waiting: the workflow ended without a failure
    failed: int
    adopted: int
    locked: int
    already: int
    note: str | None
    first: date
    last: date

    @property
    def done(self) -> int:
        return self.finished + self.failed

    def to_json(self) -> dict[str, object]:
        fields = {k: getattr(self, k) for k in self.__dataclass_fields__}
        return fields | {"done": self.done, "first": str(self.first), "last": str(self.last)}


def _prefix(run_id: int) -> str:
    return f"backfill:{run_id}:"


def start(rt: Runtime, shop_id: int, period: Period) -> tuple[int, BackfillPlan]:
    """Plan, adopt what Billy has, record what is locked and hold the rest for release."""
    found = plan(rt, shop_id, period)
    run_id = _run_for(rt, shop_id, period, already=len(found.already))
    assert found.billy is not None
    adopted = sum(
        bind_adopted(rt, shop_id, order, invoice, found.billy) is not None
        for order, invoice in found.adopt
    )
    _record_locked(rt, shop_id, found)
    _hold(rt, shop_id, run_id, found)
    with rt.db.session() as session:
        run = session.get(BackfillRun, run_id)
        assert run is not None
        run.total = _count(session, run_id)
        run.adopted += adopted
        run.locked = len(found.locked)
        if run.state != "running":
            run.state = "running"
        run.updated_at = utcnow()
    return run_id, found


def drive_running(rt: Runtime, start: Starter) -> None:
    """Release the next events of every running backfill (an engine loop's turn)."""
    with rt.db.session() as session:
        running = list(
            session.scalars(select(BackfillRun.id).where(BackfillRun.state == "running"))
        )
    for run_id in running:
        release(rt, run_id, start)


def stop(rt: Runtime, run_id: int) -> None:
    """Release nothing more; what is in the engine finishes. `start` resumes it."""
    with rt.db.session() as session:
        run = session.get(BackfillRun, run_id)
        if run is not None and run.state == "running":
            run.state, run.updated_at = "stopped", utcnow()


def _run_for(rt: Runtime, shop_id: int, period: Period, *, already: int) -> int:
    with rt.db.session() as session:
        run = session.scalar(
            select(BackfillRun).where(
                BackfillRun.shop_id == shop_id,
                BackfillRun.period_from == period.first,
                BackfillRun.period_to == period.last,
            )
        )
        if run is None:
            run = BackfillRun(
                shop_id=shop_id, period_from=period.first, period_to=period.last, already=already
            )
            session.add(run)
            session.flush()
        return run.id


def _record_locked(rt: Runtime, shop_id: int, found: BackfillPlan) -> None:
    """A locked period is a finding on the order, in words, never an attempt that crashes."""
    with rt.db.session() as session:
        for item in found.locked:
            transfers.ensure_transfer(session, shop_id, item.kind, item.key).number = item.number
            transfers.stop(
                session,
                shop_id,
                item.kind,
                item.key,
                transfers.TransferState.FAILED,
                item.stored,
                "config",
            )
            audit.record(
                session,
                shop_id=shop_id,
                kind=item.kind,
                object_key=item.key,
                step="locked",
                message=item.stored,
            )


def _hold(rt: Runtime, shop_id: int, run_id: int, found: BackfillPlan) -> None:
    """Store the plan's orders, then its returns, as held events (once, whatever happens)."""
    items = [("order", o.key) for o in found.orders] + [("return", r.key) for r in found.returns]
    for start_at in range(0, len(items), 500):  # a few hundred per unit of work
        with rt.db.session() as session:
            for kind, key in items[start_at : start_at + 500]:
                copy = found.payloads.get((kind, key))
                event, is_new = inbox.store_event(
                    session,
                    shop_id=shop_id,
                    # A listed Shoporama copy is as fresh as a poll's: no re-read needed.
                    source="poll" if copy else "command",
                    event_name="backfill",
                    object_type=kind,
                    object_key=key,
                    dedupe_key=f"{_prefix(run_id)}{kind}:{key}",
                    payload=copy or "",
                )
                if is_new:
                    event.state = HELD
                    transfers.ensure_transfer(session, shop_id, kind, key)


def _count(session: Session, run_id: int) -> int:
    query = select(func.count()).where(InboxEvent.dedupe_key.like(f"{_prefix(run_id)}%"))
    return int(session.scalar(query) or 0)


# --- releasing ----------------------------------------------------------------------------


def release(rt: Runtime, run_id: int, start: Starter, window: int = WINDOW) -> str:
    """Hand the engine (`start`, the engine's enqueue) the next held events while fewer than
    `window` are in it."""
    with rt.db.session() as session:
        owner = session.get(BackfillRun, run_id)
        shop = shops.get_shop(session, owner.shop_id) if owner is not None else None
    # Shoporama's budget reads and writes its own row: asked outside our unit of work.
    returns_fit = shop is not None and _budget_allows(rt, shop)
    with rt.db.session() as session:
        run = session.get(BackfillRun, run_id)
        if run is None:
            return "gone"
        if run.state == "stopped":
            return "stopped"
        counts = _states(session, run_id)
        in_flight = counts.get("new", 0) + counts.get("queued", 0)
        if counts.get(HELD, 0) == 0 and in_flight == 0:
            run.state, run.updated_at = "done", utcnow()
            return "done"
        room = window - in_flight
        ids: list[int] = []
        if room > 0 and shop is not None:
            held = session.execute(
                select(InboxEvent.id, InboxEvent.object_type)
                .where(InboxEvent.shop_id == run.shop_id, InboxEvent.state == HELD)
                .where(InboxEvent.dedupe_key.like(f"{_prefix(run_id)}%"))
                .order_by(InboxEvent.id)
                .limit(room)
            ).all()
            run.last_error = None
            for event_id, kind in held:
                if kind == "return" and not returns_fit:
                    # A catalogue key (web/texts_books.py): the page says it in its language.
                    run.last_error = BUDGET_SPENT
                    break
                ids.append(event_id)
            if ids:  # only what is still held: two engines releasing at once take each once
                session.execute(
                    update(InboxEvent)
                    .where(InboxEvent.id.in_(ids), InboxEvent.state == HELD)
                    .values(state="new")
                )
            run.updated_at = utcnow()
        # Released ones, and any a killed process released but never handed over.
        ids = list(
            session.scalars(
                select(InboxEvent.id)
                .where(InboxEvent.shop_id == run.shop_id, InboxEvent.state == "new")
                .where(InboxEvent.dedupe_key.like(f"{_prefix(run_id)}%"))
                .order_by(InboxEvent.id)
            )
        )
    for event_id in ids:
        start(rt, event_id)  # idempotent: the workflow id is the event's
    return "running"


def _budget_allows(rt: Runtime, shop: Shop) -> bool:
    """Whether a return's two Shoporama calls fit today's budget (always, for other shops)."""
    if shop.platform != "shoporama":
        return True
    return budget_for(rt, shop).may_spend(2)


def _states(session: Session, run_id: int) -> dict[str, int]:
    rows = session.execute(
        select(InboxEvent.state, func.count())
        .where(InboxEvent.dedupe_key.like(f"{_prefix(run_id)}%"))
        .group_by(InboxEvent.state)
    )
    return {state: count for state, count in rows}


# --- progress -----------------------------------------------------------------------------


def progress(rt: Runtime, run_id: int) -> Progress | None:
    with rt.db.session() as session:
        run = session.get(BackfillRun, run_id)
        if run is None:
            return None
        counts = _states(session, run_id)
        return Progress(
            run_id=run.id,
            state=run.state,
            total=sum(counts.values()),
            held=counts.get(HELD, 0),
            in_flight=counts.get("new", 0) + counts.get("queued", 0),
            finished=counts.get("processed", 0) + counts.get("ignored", 0),
            failed=counts.get("failed", 0),
            adopted=run.adopted,
            locked=run.locked,
            already=run.already,
            note=run.last_error,
            first=run.period_from,
            last=run.period_to,
        )


def latest_run(rt: Runtime, shop_id: int) -> int | None:
    with rt.db.session() as session:
        return session.scalar(
            select(BackfillRun.id)
            .where(BackfillRun.shop_id == shop_id)
            .order_by(BackfillRun.updated_at.desc(), BackfillRun.id.desc())
            .limit(1)
        )


def plan_json(found: BackfillPlan) -> str:
    return json.dumps(found.to_json(), indent=2)
