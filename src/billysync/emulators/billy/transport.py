"""The in-process entry point: an httpx transport that is Billy, for any host.

    httpx.Client(transport=emu.transport(), base_url="https://api.billysbilling.com/v2")

Faults become what a real network would give httpx: a dropped connection raises
`httpx.RemoteProtocolError`; a hang raises `httpx.ReadTimeout` after waiting the shorter
of the fault's delay, the request's read timeout and the emulator's `hang_cap`, so tests
of timeouts stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from .exchange import Request

if TYPE_CHECKING:
    from .emulator import BillyEmulator


class EmulatorTransport(httpx.BaseTransport):
    def __init__(self, emulator: BillyEmulator) -> None:
        self._emulator = emulator

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        exchange = Request(
            method=request.method,
            path=request.url.path,
            query=tuple(request.url.params.multi_items()),
            headers={name.lower(): value for name, value in request.headers.items()},
            body=body,
        )
        response = self._emulator.handle(exchange)
        if response.action == "drop":
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if response.action == "hang":
            timeout = request.extensions.get("timeout", {}).get("read")
            waits = [response.hang_seconds, self._emulator.hang_cap]
            if timeout is not None:
                waits.append(float(timeout))
            self._emulator.sleep(min(waits))
            raise httpx.ReadTimeout("The read operation timed out", request=request)
        return httpx.Response(
            response.status, headers=response.headers, content=response.body, request=request
        )
