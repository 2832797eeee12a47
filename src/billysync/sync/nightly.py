"""The nightly reconciliation: each shop's last days compared with Billy, by itself.

The engine's schedule loop enqueues one per shop and day (the workflow id carries the
date, so several workers start it once). The result is kept like any reconciliation
(`reconcile.save`) and shown on the overview; a run that cannot finish (no key, Billy
unreachable, Shoporama's budget spent) is kept with its reason, in words.
"""

from __future__ import annotations

from datetime import date, datetime

from dbos import DBOS

from billysync.localtime import DANISH_TIME
from billysync.sync import reconcile
from billysync.sync.classify import classify
from billysync.sync.runtime import current
from billysync.sync.shop_period import last_days

NIGHTLY_DAYS = 7  # a week back: a late webhook or a late payment is still caught
NIGHTLY_HOUR = 3  # Danish time: after the day's last orders, before the merchant's morning


@DBOS.workflow(name="billysync.reconcile.nightly")
def nightly_workflow(shop_id: int, day: str) -> dict[str, object]:
    outcome: dict[str, object] = nightly_step(shop_id, day)
    return outcome


@DBOS.step(name="billysync.reconcile.nightly.run")
def nightly_step(shop_id: int, day: str) -> dict[str, object]:
    rt = current()
    period = last_days(date.fromisoformat(day), NIGHTLY_DAYS)
    try:
        result = reconcile.reconcile(rt, shop_id, period)
    except Exception as exc:  # kept with its reason; tomorrow's run tries again
        reason = classify(exc).reason
        reconcile.save_failure(rt, shop_id, period, "nightly", reason.encode())
        return {"error": reason.english()}
    run_id = reconcile.save(rt, result, "nightly")
    return {"run": run_id, "findings": len(result.findings)}


def due_today(now: datetime) -> str | None:
    """Today's date in Denmark once the nightly hour has passed, else None."""
    local = now.astimezone(DANISH_TIME)
    return local.date().isoformat() if local.hour >= NIGHTLY_HOUR else None
