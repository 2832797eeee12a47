"""`billysync reconcile` and `billysync backfill`: the books of a period, from the terminal.

reconcile  compares the shop with Billy; prints the findings (or `--json`), exits 0 when
           Billy matches and 1 when it does not; `--repair KIND|all` books the safe ones
           (missing invoice, payment, credit note) through the normal workflow.
backfill   books a period's historic orders; `--dry-run` shows what would be booked (counts,
           totals, VAT, what would fail and why). A killed backfill resumes when run again.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from billysync.sync.reconcile import Reconciliation
    from billysync.sync.runtime import Runtime


def _period(first: str, last: str) -> object:
    from billysync.sync.shop_period import Period

    try:
        return Period.parse(first, last)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _fail(exc: Exception) -> typer.Exit:
    """Say what stopped the command in words (never a stack trace) and exit 2."""
    from billysync.sync.classify import classify

    reason = str(exc) if isinstance(exc, LookupError) else classify(exc).reason
    typer.echo(f"error: {reason}", err=True)
    return typer.Exit(2)


def reconcile(
    shop_id: int,
    first: str = typer.Option(..., "--from", help="first day, YYYY-MM-DD"),
    last: str = typer.Option(..., "--to", help="last day, YYYY-MM-DD (included)"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    repair: str | None = typer.Option(
        None, "--repair", help="book the safe findings of this kind (or all) again"
    ),
) -> None:
    """Compare the shop's orders, returns and payments with Billy for a period."""
    from billysync.cli import _engine, _runtime
    from billysync.sync import reconcile as recon
    from billysync.sync import repairs

    period = _period(first, last)
    kinds = None
    if repair is not None:
        try:
            kinds = repairs.parse_kinds(repair)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None
    rt = _runtime()
    try:
        result = recon.reconcile(rt, shop_id, period)  # type: ignore[arg-type]
    except Exception as exc:
        raise _fail(exc) from None
    recon.save(rt, result, "cli")
    if as_json:
        typer.echo(json.dumps(result.to_json(), indent=2))
    else:
        _print(rt, result)
    if kinds and result.findings:
        engine = _engine("cli", run_loops=False)
        report = repairs.repair(engine.rt, shop_id, result.findings, kinds)
        engine.wait_idle()
        engine.stop()
        typer.echo(
            f"repairs: {len(report.requested)} booked through the workflow, "
            f"{len(report.resolved)} already in Billy again, {len(report.left)} left for Billy",
            err=as_json,
        )
        if report.requested:  # what is in Billy now, not what was found before
            result = recon.reconcile(rt, shop_id, period)  # type: ignore[arg-type]
            recon.save(rt, result, "cli")
    raise typer.Exit(0 if result.clean else 1)


def _print(rt: Runtime, result: Reconciliation) -> None:
    from billysync.web.texts_books import finding_text

    checked = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in result.checked.items())
    typer.echo(f"{result.period.label()}: checked {checked}")
    if result.clean:
        typer.echo("Billy matches the shop.")
        return
    for f in result.findings:
        amounts = f"expected {f.expected or '—'}, Billy {f.actual or '—'}"
        document = f.billy_id or "—"
        typer.echo(f"{f.kind.value:20} {f.object_kind} {f.order:12} {document:14} {amounts}")
        typer.echo(f"{'':20} {finding_text('en', f)}")


def backfill(
    shop_id: int,
    first: str = typer.Option(..., "--from", help="first day, YYYY-MM-DD"),
    last: str = typer.Option(..., "--to", help="last day, YYYY-MM-DD (included)"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="show what would be booked; book nothing"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the dry run as JSON"),
) -> None:
    """Book a period's historic orders and returns into Billy (resumes if it was stopped)."""
    from billysync.cli import _engine, _runtime
    from billysync.sync import backfill as planning
    from billysync.sync import backfill_run

    period = _period(first, last)
    if dry_run:
        try:
            found = planning.plan(_runtime(), shop_id, period)  # type: ignore[arg-type]
        except Exception as exc:
            raise _fail(exc) from None
        if as_json:
            typer.echo(backfill_run.plan_json(found))
        else:
            _print_plan(found)
        raise typer.Exit(0 if not (found.would_fail or found.locked) else 1)
    engine = _engine("backfill", run_loops=False)
    try:
        run_id, found = backfill_run.start(engine.rt, shop_id, period)  # type: ignore[arg-type]
    except Exception as exc:
        engine.stop()
        raise _fail(exc) from None
    _print_plan(found)
    state = _follow(engine.rt, run_id)
    engine.wait_idle(timeout=60)
    engine.stop()
    final = backfill_run.progress(engine.rt, run_id)
    assert final is not None
    typer.echo(
        f"backfill {state}: {final.finished} booked or settled, {final.failed} failed, "
        f"{final.adopted} adopted from Billy, {final.locked} in a locked period"
    )
    raise typer.Exit(0 if final.failed == 0 and final.locked == 0 else 1)


def _follow(rt: Runtime, run_id: int) -> str:
    """A Rich progress bar until the run is done (or stopped from the page)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from billysync.sync import backfill_run
    from billysync.sync.engine import enqueue_event

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    ) as bar:
        task = bar.add_task("backfill", total=None)
        while True:
            backfill_run.release(rt, run_id, enqueue_event)  # this process runs the engine
            now = backfill_run.progress(rt, run_id)
            if now is None:
                return "gone"
            bar.update(task, total=now.total, completed=now.done)
            if now.state in ("done", "stopped"):
                return now.state
            time.sleep(backfill_run.PACE)


def _print_plan(found: object) -> None:
    from billysync.sync.backfill import BackfillPlan

    assert isinstance(found, BackfillPlan)
    typer.echo(f"{found.period.label()}:")
    for label, totals in (("orders", found.order_totals), ("returns", found.return_totals)):
        for currency, t in sorted(totals.items()):
            typer.echo(
                f"  {t.count} {label} to book: net {t.net:.2f}, VAT {t.vat:.2f}, "
                f"gross {t.gross:.2f} {currency}"
            )
    if not found.order_totals and not found.return_totals:
        typer.echo("  nothing to book")
    typer.echo(f"  {len(found.adopt)} already in Billy (adopted, not booked again)")
    typer.echo(f"  {len(found.already)} transferred before")
    typer.echo(f"  {len(found.waiting)} not due (trigger not met, or cancelled)")
    for item in found.locked:
        typer.echo(f"  locked  {item.kind} {item.number}: {item.reason.english()}")
    for item in found.would_fail:
        typer.echo(f"  would fail  {item.kind} {item.number}: {item.reason.english()}")


def register(app: typer.Typer) -> None:
    app.command()(reconcile)
    app.command()(backfill)
