"""The `billysync` command: serve | worker | web | migrate | … and the emulators.

Each command imports what it needs when it runs, so `billysync --help` is fast and an
emulator starts without loading the service.
"""

from __future__ import annotations

import typer

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
