"""Test doubles for Billy's own server: a scripted `httpx2.MockTransport` and helpers.

Mocks are allowed here only because they stand in for Billy's servers; everything of ours
(client, errors, models, paging, retries) runs for real.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from typing import Any

import httpx2

from billysync.billy.client import BillyClient
from billysync.billy.http import BillyCall

TOKEN = "CANARY-tok-7f3a9c2e1b5d"

Handler = Callable[[httpx2.Request], httpx2.Response]


def answer(status: int, body: object, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(status, json=body, headers=headers)


def error_body(status: int, code: str, message: str, **extra: object) -> dict[str, Any]:
    return {
        "meta": {"statusCode": status, "success": False},
        "errorCode": code,
        "errorMessage": message,
        **extra,
    }


class Recorder:
    """What the client asked for, in order."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx2.Request] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(request)
        return self.handler(request)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests if r.content]


class Sleeps:
    def __init__(self) -> None:
        self.waits: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


class Harness:
    """A client wired to a scripted Billy: requests, sleeps and observed calls recorded."""

    def __init__(self) -> None:
        self.sleeps = Sleeps()
        self.calls: list[BillyCall] = []
        self.recorder: Recorder | None = None

    def client(self, handler: Handler, **options: Any) -> BillyClient:
        self.recorder = Recorder(handler)
        options.setdefault("sleep", self.sleeps)
        options.setdefault("call_observer", self.calls.append)
        options.setdefault("rng", random.Random(7))
        return BillyClient(TOKEN, transport=httpx2.MockTransport(self.recorder), **options)

    @property
    def requests(self) -> list[httpx2.Request]:
        assert self.recorder is not None
        return self.recorder.requests
