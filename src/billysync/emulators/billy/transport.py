"""The in-process entry point: an httpx2 transport that is Billy, for any host.

    httpx2.Client(transport=emu.transport(), base_url="https://api.billysbilling.com/v2")

Faults become what a real network would give httpx2: a dropped connection raises
`httpx2.RemoteProtocolError`; a hang raises `httpx2.ReadTimeout` after waiting the shorter
of the fault's delay, the request's read timeout and the emulator's `hang_cap`, so tests
of timeouts stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx2

from .exchange import Request

if TYPE_CHECKING:
    from .emulator import BillyEmulator


class EmulatorTransport(httpx2.BaseTransport):
    def __init__(self, emulator: BillyEmulator) -> None:
        self._emulator = emulator

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
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
            raise httpx2.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            )
        if response.action == "hang":
            timeout = request.extensions.get("timeout", {}).get("read")
            waits = [response.hang_seconds, self._emulator.hang_cap]
            if timeout is not None:
                waits.append(float(timeout))
            self._emulator.sleep(min(waits))
            raise httpx2.ReadTimeout("The read operation timed out", request=request)
        return httpx2.Response(
            response.status, headers=response.headers, content=response.body, request=request
        )
