"""`billysync reconcile | backfill`: the books of a period, compared with Billy or brought over.

reconcile  compares the shop's orders, returns and payments of a period with Billy. `--json`
           prints the reconciliation itself (`shop`, `from`, `to`, `checked`, `findings`);
           the exit code is 0 when Billy matches and 1 when there are findings.
           `--repair KIND|all` books the safe ones (a missing invoice, payment or credit
           note) through the normal workflow, then reconciles again.
backfill   books a period's historic orders and returns; `--dry-run` shows what would be
           booked (counts, totals, VAT, what would fail and why). A killed backfill resumes
           when run again. Exit 1 when something would fail, failed or is in a locked period.

Both answer in the merchant's language and end with the exit codes of docs/cli.md.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import typer

from billysync.console.door import Door, ExitCode, Refused, answers, language, load_shop, runtime

if TYPE_CHECKING:
    from billysync.sync.backfill import BackfillPlan
    from billysync.sync.backfill_run import Progress
    from billysync.sync.reconcile import Reconciliation
    from billysync.sync.repairs import RepairReport
    from billysync.sync.runtime import Runtime
    from billysync.sync.shop_period import Period

FIRST = typer.Option(..., "--from", help="first day, YYYY-MM-DD")
LAST = typer.Option(..., "--to", help="last day, YYYY-MM-DD (included)")


@answers
def reconcile(
    shop_id: int,
    first: str = FIRST,
    last: str = LAST,
    as_json: bool = typer.Option(False, "--json", help="print the reconciliation as JSON"),
    repair: str | None = typer.Option(
        None,
        "--repair",
        help="book the safe findings of this kind (missing_invoice, missing_payment, "
        "missing_credit_note; several separated by commas) or all",
    ),
) -> None:
    """Compare the shop's orders, returns and payments with Billy for a period."""
    from billysync.sync import reconcile as recon

    door = Door(as_json, language())
    period = _period(first, last)
    kinds = _repair_kinds(repair) if repair is not None else None
    rt = runtime()
    load_shop(rt, shop_id)
    result = recon.reconcile(rt, shop_id, period)
    recon.save(rt, result, "cli")
    report = None
    if kinds and result.findings:
        report = _repair(rt, shop_id, result, kinds)
        if report.requested:  # what Billy holds now, not what was found before
            if not as_json:
                _print_result(door, result)
            result = recon.reconcile(rt, shop_id, period)
            recon.save(rt, result, "cli")
    if as_json:
        # The reconciliation itself, as the scripts read it (no `ok` envelope).
        document: dict[str, Any] = result.to_json()
        if report is not None:
            document["repairs"] = {
                "requested": [f.to_json() for f in report.requested],
                "resolved": [f.to_json() for f in report.resolved],
                "left": [f.to_json() for f in report.left],
            }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        if report is not None:
            typer.echo(
                door.t(
                    "repairs_done",
                    requested=len(report.requested),
                    resolved=len(report.resolved),
                    left=len(report.left),
                )
            )
        _print_result(door, result)
    raise typer.Exit(ExitCode.OK if result.clean else ExitCode.FAILED)


def _period(first: str, last: str) -> Period:
    from datetime import date

    from billysync.sync.shop_period import Period

    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise Refused(ExitCode.BAD_INPUT, "period_unreadable", first=first, last=last) from None
    if end < start:
        raise Refused(ExitCode.BAD_INPUT, "period_swapped", first=first, last=last)
    return Period(start, end)


def _repair_kinds(text: str) -> frozenset[Any]:
    from billysync.sync import repairs

    try:
        return repairs.parse_kinds(text)
    except repairs.NotSafe as unsafe:
        raise Refused(ExitCode.BAD_INPUT, "repair_unsafe", kind=unsafe.kind.value) from None
    except repairs.NotAFinding as unknown:
        raise Refused(
            ExitCode.BAD_INPUT, "repair_unknown", kind=unknown.text, kinds=repairs.safe_names()
        ) from None


def _repair(rt: Runtime, shop_id: int, result: Reconciliation, kinds: frozenset[Any]) -> Any:
    """Book the safe findings through the workflow, in this process, and wait for them."""
    from billysync.sync import repairs
    from billysync.sync.engine import Engine, EngineOptions

    engine = Engine(rt, EngineOptions(role="cli", run_loops=False)).start()
    try:
        report: RepairReport = repairs.repair(rt, shop_id, result.findings, kinds)
        engine.wait_idle()
    finally:
        engine.stop()
    return report


def _print_result(door: Door, result: Reconciliation) -> None:
    from billysync.web.render import format_amount
    from billysync.web.texts_books import finding_text, period_label

    period = period_label(door.lang, result.period)
    checked = ", ".join(
        f"{n} {door.t(f'recon.checked.{what}')}" for what, n in result.checked.items()
    )
    typer.echo(door.t("recon_checked", period=period, checked=checked))
    orders = result.checked.get("orders", 0)
    if result.clean:
        typer.echo(door.t("recon.matches", period=period, orders=orders))
        return
    count = len(result.findings)
    typer.echo(door.t("recon.has_findings", period=period, orders=orders, count=count))
    for f in result.findings:
        typer.echo(
            door.t(
                "finding_line",
                name=door.t(f"finding.{f.kind.value}"),
                code=f.kind.value,
                kind=door.t(f"kind.{f.object_kind}"),
                order=f.order,
                document=f.document or "—",
                expected=format_amount(f.expected, None, door.lang),
                actual=format_amount(f.actual, None, door.lang),
            )
        )
        typer.echo(f"  {finding_text(door.lang, f)}")


@answers
def backfill(
    shop_id: int,
    first: str = FIRST,
    last: str = LAST,
    dry_run: bool = typer.Option(
        False, "--dry-run", help="show what would be booked; book nothing"
    ),
    as_json: bool = typer.Option(False, "--json", help="answer in JSON (for scripts)"),
) -> None:
    """Book a period's historic orders and returns into Billy (resumes if it was stopped)."""
    from billysync.sync import backfill as planning
    from billysync.sync import backfill_run

    door = Door(as_json, language())
    period = _period(first, last)
    rt = runtime()
    load_shop(rt, shop_id)
    if dry_run:
        found = _unless_locked(lambda: planning.plan(rt, shop_id, period))
        door.result({"shop_id": shop_id, **found.to_json()}, _plan_lines(door, found))
        if found.would_fail or found.locked:
            raise typer.Exit(ExitCode.FAILED)
        return
    from billysync.sync.engine import Engine, EngineOptions

    engine = Engine(rt, EngineOptions(role="backfill", run_loops=False)).start()
    try:
        run_id, found = _unless_locked(lambda: backfill_run.start(rt, shop_id, period))
        if not as_json:
            for line in _plan_lines(door, found):
                typer.echo(line)
        state = _follow(door, rt, run_id)
        engine.wait_idle(timeout=60)
    finally:
        engine.stop()
    final = backfill_run.progress(rt, run_id)
    assert final is not None  # runs are never deleted
    door.result(
        {"shop_id": shop_id, **final.to_json()},
        [_outcome(door, state, final)],
    )
    if final.failed or final.locked:
        raise typer.Exit(ExitCode.FAILED)


def _unless_locked(plan: Any) -> Any:
    """Run `plan`; a locked organization stops the command in words (exit 1)."""
    from billysync.sync.backfill import OrganizationLocked

    try:
        return plan()
    except OrganizationLocked as locked:
        raise Refused(ExitCode.FAILED, "backfill_org_locked", reason=locked.why) from None


def _plan_lines(door: Door, found: BackfillPlan) -> list[str]:
    from billysync.web.render import format_amount
    from billysync.web.texts_books import period_label

    lines = [f"{period_label(door.lang, found.period)}:"]
    for what, totals in (("orders", found.order_totals), ("returns", found.return_totals)):
        for currency, t in sorted(totals.items()):
            lines.append(
                "  "
                + door.t(
                    "plan_totals",
                    count=t.count,
                    what=door.t(f"recon.checked.{what}"),
                    net=format_amount(t.net, None, door.lang),
                    vat=format_amount(t.vat, None, door.lang),
                    gross=format_amount(t.gross, currency, door.lang),
                )
            )
    if not found.order_totals and not found.return_totals:
        lines.append("  " + door.t("backfill.nothing"))
    lines.append("  " + door.t("backfill.adopted", count=len(found.adopt)))
    lines.append("  " + door.t("backfill.already", count=len(found.already)))
    lines.append("  " + door.t("backfill.waiting", count=len(found.waiting)))
    for title, items in (
        (door.t("backfill.locked"), found.locked),
        (door.t("backfill.would_fail"), found.would_fail),
    ):
        for item in items:
            kind = door.t(f"kind.{item.kind}")
            lines.append(f"  {title}: {kind} {item.number}: {door.reason(item.stored)}")
    return lines


def _follow(door: Door, rt: Runtime, run_id: int) -> str:
    """A Rich progress bar (on stderr, so --json stays one object) until the run ends."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from billysync.sync import backfill_run
    from billysync.sync.engine import enqueue_event

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task(door.t("backfill_bar"), total=None)
        while True:
            backfill_run.release(rt, run_id, enqueue_event)  # this process runs the engine
            now = backfill_run.progress(rt, run_id)
            if now is None:
                return "gone"
            bar.update(task, total=now.total, completed=now.done)
            if now.state in ("done", "stopped"):
                return now.state
            time.sleep(backfill_run.PACE)


def _outcome(door: Door, state: str, final: Progress) -> str:
    return door.t(
        "backfill_outcome",
        state=door.t(f"backfill.state.{state}") if state != "gone" else state,
        finished=final.finished,
        failed=final.failed,
        adopted=final.adopted,
        locked=final.locked,
    )
