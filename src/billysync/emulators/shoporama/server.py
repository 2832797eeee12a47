"""The Shoporama emulator over real HTTP (stdlib `ThreadingHTTPServer`).

`start_background_server(emulator)` serves in a thread and returns the REST base URL and a
`stop()`; `run_server(...)` is the blocking command behind `billysync emulate shoporama`:
it serves, and makes the shop live at a chosen pace (N new orders a minute, each followed
by one other happening: a payment, a parcel, a return, a price change, a stock change).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from billysync.emulators.shoporama.emulator import DEMO_TOKEN, ShoporamaEmulator


def _handler_for(emulator: ShoporamaEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "ShoporamaEmulator/1"
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            url = urlsplit(self.path)
            answer = emulator.handle(
                self.command, url.path, dict(parse_qsl(url.query)), dict(self.headers.items())
            )
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet: the emulator's own log is the call counter and `deliveries`

    return Handler


def start_background_server(
    emulator: ShoporamaEmulator, *, host: str = "127.0.0.1", port: int = 0
) -> tuple[str, Callable[[], None]]:
    server = ThreadingHTTPServer((host, port), _handler_for(emulator))
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="shoporama-emulator", daemon=True
    )
    thread.start()
    bound_host, bound_port = server.server_address[:2]

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return f"http://{bound_host!s}:{bound_port}/REST", stop


def run_server(
    *,
    host: str = "127.0.0.1",
    port: int = 8002,
    token: str = DEMO_TOKEN,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    signature_header: str = "X-Shoporama-Signature",
    orders_per_minute: float = 2.0,
    seed: int = 0,
    currency: str = "DKK",
    daily_limit: int = 1000,
    echo: Callable[[str], None] = print,
    halt: threading.Event | None = None,
) -> None:
    """Serve until interrupted (or `halt` is set), with live shop activity in wall-clock time."""
    emulator = ShoporamaEmulator(
        seed=seed,
        token=token,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        signature_header=signature_header,
        currency=currency,
        daily_limit=daily_limit,
        clock=lambda: datetime.now(UTC),
    )
    url, stop = start_background_server(emulator, host=host, port=port)
    echo(f"Shoporama emulator at {url} (Authorization: Shoporama <your --token>)")
    if webhook_url:
        echo(f"Webhooks go to {webhook_url}, signed in {signature_header}")
    halt = halt or threading.Event()
    try:
        if orders_per_minute > 0:
            pause = 60.0 / orders_per_minute
            while not halt.wait(pause):
                emulator.generate_order()
                emulator.tick(new_orders=False)
        else:
            halt.wait()
    except KeyboardInterrupt:
        echo("Stopping.")
    finally:
        stop()
        emulator.close()
