"""`billysync doctor | preview | retry | status`: the setup check and single orders.

`retry` runs the order (or return) again in this process and waits for its outcome, at most
`--wait` seconds (default 120): exit 0 when it is in Billy (or waits for its trigger, or had
nothing to do), 1 when it failed again, 4 when it is still working when the wait runs out
(e.g. Billy answers 503 and billysync is backing off). `--wait 0` only stores the request
for a running `billysync serve`/`worker`, like the page's button. An order is named by its
order number (as the merchant sees it) or by its key in the shop.
"""

from __future__ import annotations

import time
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import typer

from billysync.console.door import Door, ExitCode, Refused, answers, language, load_shop, runtime

if TYPE_CHECKING:
    from billysync.store.tables import Transfer
    from billysync.sync.runtime import Runtime

JSON_OPTION = typer.Option(False, "--json", help="answer in JSON (for scripts)")
# TransferState values (billysync.store.transfers), kept as text so `--help` loads no database
# code: a run ended well in these; "failed" ended badly; "received" is not finished.
DONE_STATES = ("transferred", "paid", "credited", "waiting", "skipped")
BOOKED_STATES = ("transferred", "paid", "credited")


class Kind(StrEnum):
    order = "order"
    return_ = "return"


@answers
def doctor(shop_id: int, as_json: bool = JSON_OPTION) -> None:
    """The setup check: what is ready and what to fix, in Billy or here."""
    from billysync.sync import service

    door = Door(as_json, language())
    rt = runtime()
    load_shop(rt, shop_id)
    checks = service.setup_check(rt, shop_id)
    rows = [
        {
            "topic": c.topic,
            "code": c.code,
            "ok": c.ok,
            "name": door.t(f"checkname.{c.topic}") if c.topic else c.name,
            "message": door.t(f"checkmsg.{c.code}", **c.params) if c.code else c.message,
        }
        for c in checks
    ]
    ready = all(c.ok for c in checks)
    fix, ok = door.t("fix"), door.t("ok")
    width = max(len(fix), len(ok))
    door.result(
        {"shop_id": shop_id, "ready": ready, "checks": rows},
        [f"{(ok if r['ok'] else fix):<{width}}  {r['name']}: {r['message']}" for r in rows],
    )
    if not ready:
        raise typer.Exit(ExitCode.FAILED)


@answers
def preview(shop_id: int, order_key: str, as_json: bool = JSON_OPTION) -> None:
    """What an order would become in Billy, without writing anything."""
    from billysync.console import preview_view
    from billysync.sync import service

    door = Door(as_json, language())
    rt = runtime()
    shop = load_shop(rt, shop_id)
    received = _find_transfer(rt, shop_id, "order", order_key)
    if received is not None:
        order_key = received.object_key  # the number the merchant sees works too
    elif shop.platform != "shoporama":
        # A pushing shop's orders are only what it sent; Shoporama is asked live.
        raise Refused(
            ExitCode.NOT_FOUND,
            "no_transfer",
            shop_id=shop_id,
            kind=door.t("kind.order"),
            key=order_key,
        )
    documents = service.preview_order(rt, shop_id, order_key)
    if "error" in documents:
        transient = documents.get("error_kind") == "transient"
        said = door.reason(str(documents.get("reason") or documents["error"]))
        door.stop(
            ExitCode.UNREACHABLE if transient else ExitCode.FAILED,
            door.t("preview_failed", reason=said),
            {"error_kind": documents.get("error_kind")},
        )
    data = {"shop_id": shop_id, "order_key": order_key, "preview": documents}
    invoice_no = received.invoice_no if received is not None else None
    if invoice_no:
        data["in_billy"] = {"invoice_no": invoice_no, "state": received.state if received else None}
    lines = preview_view.preview_lines(door, documents, invoice_no)
    problems = preview_view.problems_of(door, documents)
    if problems:
        # What would stop the booking makes the preview a failure, with the documents shown.
        message = "\n".join([*lines, door.t("preview_stops"), *(f"  {p}" for p in problems)])
        door.stop(ExitCode.FAILED, message, data)
    door.result(data, lines)


@answers
def retry(
    shop_id: int,
    kind: Kind = typer.Argument(..., help="order or return"),
    key: str = typer.Argument(..., help="the order number, or its key in the shop"),
    wait: int = typer.Option(
        120, min=0, help="seconds to wait for the outcome (0: only store the request)"
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Run a failed order or return again (after fixing what it said) and say how it went."""
    from billysync.sync import service

    door = Door(as_json, language())
    rt = runtime()
    load_shop(rt, shop_id)
    found = _transfer(rt, shop_id, kind.value, key, door)
    object_key = found.object_key
    if wait == 0:
        service.retry(rt, shop_id, kind.value, object_key)
        door.result(
            {"shop_id": shop_id, "kind": kind.value, "key": object_key, "state": "received"},
            [
                door.t(
                    "retry_queued", kind_name=door.t(f"kind.{kind.value}"), **_names(found, shop_id)
                )
            ],
        )
        return
    from billysync.sync.engine import Engine, EngineOptions

    engine = Engine(rt, EngineOptions(role="cli", run_loops=False)).start()
    try:
        service.retry(rt, shop_id, kind.value, object_key)
        row = _wait_for_outcome(rt, shop_id, kind.value, object_key, wait)
    finally:
        engine.stop()
    data, lines = _outcome(door, row, shop_id)
    if row.state in DONE_STATES:
        door.result(data, lines)
        return
    names = _names(row, shop_id)
    if row.state == "failed":
        message = "\n".join([*lines, door.t("retry_failed", **names)])
        door.stop(ExitCode.FAILED, message, data)
    reason = door.reason(row.reason) or door.t("still_working")
    unfinished = door.t(
        "retry_unfinished", seconds=wait, reason=reason, executor=engine.executor_id, **names
    )
    door.stop(ExitCode.UNFINISHED, unfinished, {**data, "executor": engine.executor_id})


@answers
def status(
    shop_id: int,
    kind: Kind = typer.Argument(..., help="order or return"),
    key: str = typer.Argument(..., help="the order number, or its key in the shop"),
    as_json: bool = JSON_OPTION,
) -> None:
    """Where an order or return is: in Billy, waiting, failed (and why), or still working."""
    door = Door(as_json, language())
    rt = runtime()
    load_shop(rt, shop_id)
    row = _transfer(rt, shop_id, kind.value, key, door)
    data, lines = _outcome(door, row, shop_id)
    if row.state == "failed":
        door.stop(ExitCode.FAILED, "\n".join(lines), data)
    door.result(data, lines)


def _transfer(rt: Runtime, shop_id: int, kind: str, text: str, door: Door) -> Transfer:
    """The order or return, or the command stops with "not found" (exit code 3)."""
    row = _find_transfer(rt, shop_id, kind, text)
    if row is None:
        kind_name = door.t(f"kind.{kind}")
        raise Refused(ExitCode.NOT_FOUND, "no_transfer", shop_id=shop_id, kind=kind_name, key=text)
    return row


def _find_transfer(rt: Runtime, shop_id: int, kind: str, text: str) -> Transfer | None:
    """The order or return by its key in the shop, else by the number the merchant sees."""
    from sqlalchemy import select

    from billysync.store import transfers
    from billysync.store.tables import Transfer

    with rt.db.session() as session:
        row = transfers.get_transfer(session, shop_id, kind, text)
        if row is not None:
            return row
        by_number = list(
            session.scalars(
                select(Transfer).where(
                    Transfer.shop_id == shop_id, Transfer.kind == kind, Transfer.number == text
                )
            )
        )
    return by_number[0] if len(by_number) == 1 else None


def _wait_for_outcome(rt: Runtime, shop_id: int, kind: str, key: str, seconds: int) -> Transfer:
    """The transfer once its run ended (any state but `received`), or as it is at the end."""
    from billysync.store import transfers

    deadline = time.monotonic() + seconds
    while True:
        with rt.db.session() as session:
            row = transfers.get_transfer(session, shop_id, kind, key)
        assert row is not None  # checked before the retry; transfers are never deleted alone
        if row.state != "received" or time.monotonic() >= deadline:
            return row
        time.sleep(0.2)


def _names(row: Transfer, shop_id: int) -> dict[str, Any]:
    return {
        "shop_id": shop_id,
        "kind": row.kind,
        "key": row.object_key,
        "number": row.number or row.object_key,
    }


def _outcome(door: Door, row: Transfer, shop_id: int) -> tuple[dict[str, Any], list[str]]:
    from billysync.store.tables import as_utc
    from billysync.sync import reasons

    kind = door.t(f"kind.{row.kind}")
    lines = [
        door.t(
            "outcome",
            Kind=kind[:1].upper() + kind[1:],
            number=row.number or row.object_key,
            state=door.t(f"state.{row.state}"),
        )
    ]
    if row.invoice_no or row.invoice_id:
        lines.append(door.t("outcome_invoice", invoice=row.invoice_no or row.invoice_id))
    if row.reason and row.state not in BOOKED_STATES:
        lines.append(door.t("outcome_reason", reason=door.reason(row.reason)))
    data = {
        "shop_id": shop_id,
        "kind": row.kind,
        "key": row.object_key,
        "number": row.number,
        "state": row.state,
        "reason": reasons.english(row.reason),
        "error_kind": row.error_kind,
        "invoice_no": row.invoice_no,
        "attempts": row.attempts,
        "updated_at": as_utc(row.updated_at).isoformat() if row.updated_at else None,
    }
    return data, lines
