"""The `billysync` command: serve | worker | web | migrate | … and the emulators.

Each command imports what it needs when it runs, so `billysync --help` is fast and an
emulator starts without loading the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from billysync.console import billy_lists, books, orders, shops

if TYPE_CHECKING:
    from billysync.sync.engine import Engine
    from billysync.sync.runtime import Runtime

app = typer.Typer(
    name="billysync",
    help="Webshop bookkeeping in Billy with no manual entry.",
    no_args_is_help=True,
    add_completion=False,
)
emulate = typer.Typer(
    help="Run a stand-in for Billy's or Shoporama's servers.", no_args_is_help=True
)
app.add_typer(emulate, name="emulate")


@app.command()
def version() -> None:
    """Print billysync's version."""
    from billysync import __version__

    typer.echo(__version__)


# The merchant's commands (shops, settings, the setup check, single orders, reconciliation and
# backfill): they answer in the merchant's language, with documented exit codes and `--json`
# (docs/cli.md).
app.add_typer(shops.shop_app, name="shop")
app.command("doctor")(orders.doctor)
app.command("preview")(orders.preview)
app.command("retry")(orders.retry)
app.command("status")(orders.status)
app.command("accounts")(billy_lists.accounts)
app.command("products")(billy_lists.products)
app.command("reconcile")(books.reconcile)
app.command("backfill")(books.backfill)


def _runtime() -> Runtime:
    from billysync.config import ProcessSettings
    from billysync.sync.runtime import Runtime

    return Runtime.from_settings(ProcessSettings())


def _engine(role: str, *, run_loops: bool = True) -> Engine:
    from billysync.sync.engine import Engine, options_from_settings

    rt = _runtime()
    takeover = rt.process.takeover_after_seconds if role == "worker" else None
    options = options_from_settings(rt.process, role, run_loops=run_loops, takeover_after=takeover)
    return Engine(rt, options).start()


@app.command()
def serve(
    host: str | None = typer.Option(None, help="address to listen on (BILLYSYNC_HOST)"),
    port: int | None = typer.Option(None, help="port to listen on (BILLYSYNC_PORT)"),
    demo: bool | None = typer.Option(
        None,
        help="run the built-in Billy and Shoporama emulators with a demo shop "
        "(default: when no shop has a Billy key)",
    ),
) -> None:
    """Embedded: web, workers and schedules in one process (SQLite by default)."""
    from billysync.demo import run_embedded

    run_embedded(host=host, port=port, demo=demo)


@app.command()
def worker() -> None:
    """Distributed: run workflows from the shared database until stopped (Ctrl-C, SIGTERM).

    A stop lets running work finish for up to BILLYSYNC_STOP_GRACE_SECONDS, then exits.
    """
    from billysync.stopping import exit_now, wait_for_stop_signal

    engine = _engine("worker")
    typer.echo(f"billysync worker {engine.executor_id} running; Ctrl-C stops it")
    wait_for_stop_signal()
    typer.echo(f"billysync worker {engine.executor_id} stopping; running work may finish")
    engine.stop()
    typer.echo(f"billysync worker {engine.executor_id} stopped")
    exit_now()


@app.command()
def web(
    host: str | None = typer.Option(None, help="address to listen on"),
    port: int | None = typer.Option(None, help="port to listen on"),
) -> None:
    """Distributed: the web side only; workers pick up what it stores."""
    from billysync.sync.web_intake import enqueue_where_stored
    from billysync.web import serving
    from billysync.web.app import create_app

    rt = _runtime()
    rt.db.migrate()
    enqueuer = enqueue_where_stored(rt)  # orders start at once, not at a worker's next sweep
    try:
        serving.run(create_app(rt), host or rt.process.host, port or rt.process.port)
    finally:
        if enqueuer is not None:
            enqueuer.close()


@app.command()
def migrate() -> None:
    """Bring the database schema up to date."""
    _runtime().db.migrate()
    typer.echo("database schema is up to date")


@app.command()
def recover(
    executor: list[str] = typer.Option(..., "--executor", help="id of a worker that died"),
) -> None:
    """Take over and finish the work of workers that will not come back.

    Live workers do this by themselves once a worker has been silent for
    BILLYSYNC_TAKEOVER_AFTER_SECONDS; this command does it now.
    """
    from billysync.sync.takeover import take_over

    engine = _engine("recover", run_loops=False)
    count = sum(take_over(engine.rt, dead, by=engine.executor_id) for dead in executor)
    typer.echo(f"took over {count} unfinished workflows of {', '.join(executor)}")
    engine.wait_idle()
    engine.stop()


@emulate.command("billy")
def emulate_billy(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8001, help="port to listen on"),
    token: list[str] = typer.Option(
        [], "--token", help="an access token; repeat for several organizations"
    ),
    rate_limit: float | None = typer.Option(
        None, help="requests per second per token before answering 429 (default: none)"
    ),
) -> None:
    """A stateful Billy API v2 emulator under /v2, one organization per token."""
    from billysync.emulators.billy.server import run_server

    if not token:
        raise typer.BadParameter("give at least one --token (one organization per token)")
    run_server(host=host, port=port, tokens=token, rate_limit=rate_limit)


@emulate.command("shoporama")
def emulate_shoporama(
    host: str = typer.Option("127.0.0.1", help="address to listen on"),
    port: int = typer.Option(8002, help="port to listen on"),
    token: str = typer.Option(
        "demo-token", help="the API token clients must send (Authorization: Shoporama <token>)"
    ),
    webhook_url: str | None = typer.Option(
        None, help="where to POST signed webhooks (none: no webhooks)"
    ),
    webhook_secret: str | None = typer.Option(
        None, help="the webhook's secret; deliveries carry its HMAC-SHA256 (hex)"
    ),
    signature_header: str = typer.Option(
        "X-Shoporama-Signature", help="the header that carries the signature"
    ),
    orders_per_minute: float = typer.Option(
        2.0, help="new orders a minute, each followed by one other event (0: none)"
    ),
    seed: int = typer.Option(0, help="seed of the shop's activity (same seed, same shop)"),
    currency: str = typer.Option("DKK", help="the shop's currency (DKK or EUR)"),
    daily_limit: int = typer.Option(1000, help="calls per token per UTC day before 429"),
) -> None:
    """A Shoporama REST + webhook emulator under /REST with live Danish shop activity."""
    from billysync.emulators.shoporama.server import run_server

    run_server(
        host=host,
        port=port,
        token=token,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        signature_header=signature_header,
        orders_per_minute=orders_per_minute,
        seed=seed,
        currency=currency,
        daily_limit=daily_limit,
        echo=typer.echo,
    )
