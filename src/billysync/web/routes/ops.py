"""For the platform that runs billysync: `/healthz` for a load balancer, `/metrics` for Prometheus.

- `/healthz` needs no login and answers 200 `{"ok": true}` when the database answers one
  `SELECT 1`, else 503 `{"ok": false}` (the reason goes to the log, never to the caller).
- `/metrics` is the Prometheus text format. It is off (404) until `BILLYSYNC_METRICS_TOKEN`
  is set; then the scraper sends `Authorization: Bearer <token>` (compared in constant time).
  A token and not "loopback only", because behind a reverse proxy on the same host every
  visitor arrives from loopback. It shows counts per shop id, never a name, key or payload.

Figures: events received (per shop and source), transfers (per shop, kind and state), the
inbox queue (events stored and not yet worked, and the age of the oldest), this process's
Billy calls and 429 answers (counted where each Billy client is built), and those of every
process, web and workers (the totals in the shared rate budgets, `billy_budgets`).
"""

from __future__ import annotations

import hmac
import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import SQLAlchemyError

from billysync.store import billy_budgets, gauges
from billysync.sync.billy_calls import BILLY_CALLS
from billysync.web import guards

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@router.api_route("/healthz", methods=["GET", "HEAD"])  # some balancers only send HEAD
def healthz(request: Request) -> JSONResponse:
    try:
        with guards.runtime(request).db.session() as db_session:
            ok = gauges.database_answers(db_session)
    except (SQLAlchemyError, OSError) as exc:
        log.warning("health check: the database does not answer (%s)", type(exc).__name__)
        ok = False
    return JSONResponse({"ok": ok}, status_code=200 if ok else 503)


@router.get("/metrics")
def metrics(request: Request) -> Response:
    configured = guards.runtime(request).process.metrics_token
    token = configured.get_secret_value() if configured is not None else ""
    if not token:
        return JSONResponse(
            {"detail": "Metrics are off: set BILLYSYNC_METRICS_TOKEN to turn them on."},
            status_code=404,
        )
    if not _bearer_matches(request.headers.get("authorization", ""), token):
        return JSONResponse(
            {"detail": "Send the metrics token: Authorization: Bearer <BILLYSYNC_METRICS_TOKEN>."},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    with guards.runtime(request).db.session() as db_session:
        events = gauges.events_received(db_session)
        transfers = gauges.transfers_by_state(db_session)
        queue = gauges.inbox_queue(db_session)
        budgets = billy_budgets.totals(db_session)
    return PlainTextResponse(
        render(events, transfers, queue, budgets, datetime.now(UTC)), media_type=PROMETHEUS_TYPE
    )


def _bearer_matches(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def render(
    events: list[gauges.EventCount],
    transfers: list[gauges.TransferCount],
    queue: gauges.Queue,
    budgets: billy_budgets.BudgetTotals,
    now: datetime,
) -> str:
    """The Prometheus text exposition of the figures (one HELP and TYPE line per metric)."""
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")

    metric("billysync_events_received_total", "counter", "Events stored in the inbox.")
    for event in events:
        labels = _labels(shop=str(event.shop_id), source=event.source)
        lines.append(f"billysync_events_received_total{labels} {event.count}")
    metric("billysync_transfers", "gauge", "Orders and returns by their transfer state.")
    for transfer in transfers:
        labels = _labels(shop=str(transfer.shop_id), kind=transfer.kind, state=transfer.state)
        lines.append(f"billysync_transfers{labels} {transfer.count}")
    metric("billysync_queue_depth", "gauge", "Events stored and not yet worked.")
    lines.append(f"billysync_queue_depth {queue.depth}")
    metric(
        "billysync_queue_oldest_age_seconds",
        "gauge",
        "Age of the oldest event not yet worked (0 when none waits).",
    )
    oldest = queue.oldest_received_at
    age = max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0
    lines.append(f"billysync_queue_oldest_age_seconds {age:.3f}")
    counts = BILLY_CALLS.snapshot()
    metric("billysync_billy_calls_total", "counter", "HTTP calls to Billy by this process.")
    lines.append(f"billysync_billy_calls_total {counts.calls}")
    metric(
        "billysync_billy_rate_limited_total",
        "counter",
        "Billy answers 429 (too many requests) to this process.",
    )
    lines.append(f"billysync_billy_rate_limited_total {counts.rate_limited}")
    # Every process reports its calls to the shared rate budget when it next leases tokens
    # (a process's last calls show when it next calls Billy), and each 429 at once.
    metric(
        "billysync_billy_all_calls_total",
        "counter",
        "HTTP calls to Billy by every process (web and workers), as reported to the shared "
        "rate budget.",
    )
    lines.append(f"billysync_billy_all_calls_total {budgets.calls}")
    metric(
        "billysync_billy_all_rate_limited_total",
        "counter",
        "Billy answers 429 (too many requests) to every process.",
    )
    lines.append(f"billysync_billy_all_rate_limited_total {budgets.rejections}")
    return "\n".join(lines) + "\n"


def _labels(**values: str) -> str:
    def escaped(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    return "{" + ",".join(f'{name}="{escaped(value)}"' for name, value in values.items()) + "}"
