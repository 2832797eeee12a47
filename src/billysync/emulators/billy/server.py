"""The standalone entry point: Billy's API over real sockets (`billysync emulate billy`).

Built on the standard library's `ThreadingHTTPServer`, so faults are real: a dropped
connection is a closed socket without an answer, a hang holds the socket open for the
fault's `delay` seconds and then closes it. Billy's API is under `/v2`, the control API
under `/_emulator/` (no token; bind to 127.0.0.1). Starts in well under a second.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from .emulator import BillyEmulator
from .exchange import Request
from .journal import mask_token

MAX_BODY = 10 * 1024 * 1024


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], emulator: BillyEmulator) -> None:
        super().__init__(address, _Handler)
        self.emulator = emulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.send_error(413, "Request body too large")
            return
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=unquote(url.path),
            query=tuple(parse_qsl(url.query, keep_blank_values=True)),
            headers={name.lower(): value for name, value in self.headers.items()},
            body=body,
        )
        response = self.server.emulator.handle(request)
        if response.action != "answer":
            if response.action == "hang":
                time.sleep(response.hang_seconds)
            self._drop()
            return
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def _drop(self) -> None:
        """Close the socket without a byte of answer, as a failing server would."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the journal records every request (without tokens)."""


def start_background_server(
    emulator: BillyEmulator, host: str = "127.0.0.1", port: int = 0
) -> tuple[str, Callable[[], None]]:
    """Serve `emulator` on a thread; returns (root URL, stop). Billy's base is `url + "/v2"`.

    Port 0 picks a free port.
    """
    server = _Server((host, port), emulator)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="billy-emulator",
        daemon=True,
    )
    thread.start()
    bound_host, bound_port = server.server_address[:2]
    url = f"http://{_url_host(str(bound_host))}:{bound_port}"

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return url, stop


def run_server(host: str, port: int, tokens: list[str], rate_limit: float | None) -> None:
    """Serve a fresh emulator with one organization per token until interrupted."""
    emulator = BillyEmulator()
    for number, token in enumerate(dict.fromkeys(tokens), start=1):
        emulator.add_organization(token, "Demo ApS" if number == 1 else f"Demo ApS {number}")
    emulator.set_rate_limit(rate_limit)
    server = _Server((host, port), emulator)
    bound_port = server.server_address[1]
    masked = ", ".join(str(mask_token(token)) for token in dict.fromkeys(tokens))
    print(
        f"Billy emulator on http://{_url_host(host)}:{bound_port}/v2 "
        f"(organizations for tokens {masked}; control API at /_emulator/)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Billy emulator stopped", file=sys.stderr)
    finally:
        server.server_close()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
