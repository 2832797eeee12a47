"""Two pure ASGI middlewares (no BaseHTTPMiddleware: it would re-wrap every body).

- `BodyLimit` refuses oversized bodies (over 1 MiB) on `/hooks/` and `/api/` before they are
  read: a `Content-Length` over the limit is answered 413 at once, without reading a byte; a
  body sent without a length (chunked) is counted while it streams in and refused the
  moment it passes the limit.
- `SecurityHeaders` adds `nosniff` and a referrer policy everywhere, HSTS everywhere when
  the public URL is https, and on the admin pages a strict Content-Security-Policy (scripts
  and styles only from this site), no framing, and no caching (pages may show a token once);
  `/docs` gets its own policy.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 1 << 20
MACHINE_PREFIXES = (
    "/api/",
    "/hooks/",
    "/healthz",
    "/metrics",
    "/docs",
    "/openapi.json",
    "/redoc",
)

# Scripts and styles only from this site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
PAGE_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"cache-control", b"no-store"),
]
# /docs runs the vendored Swagger UI: scripts only from this site; it sets inline styles.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
DOCS_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", DOCS_CONTENT_SECURITY_POLICY.encode()),
]
EVERY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
# A year; without includeSubDomains, because other hosts of the merchant's domain are not ours.
HSTS_HEADER = (b"strict-transport-security", b"max-age=31536000")


def is_machine_path(path: str) -> bool:
    """Receivers, the API and its docs: JSON answers, no page headers."""
    return path.startswith(MACHINE_PREFIXES)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.every = [*EVERY_HEADERS, HSTS_HEADER] if hsts else list(EVERY_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.every)
        path = scope["path"]
        if not is_machine_path(path) and not path.startswith("/static/"):
            extra += PAGE_HEADERS
        elif path == "/docs":
            extra += DOCS_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [(n, v) for n, v in extra if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *added]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


LIMITED_PREFIXES = ("/hooks/", "/api/")


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an HTTPException, so the app answers it with 413."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"The body is larger than {max_bytes} bytes; send less at a time.")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(LIMITED_PREFIXES):
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.max_bytes
                except ValueError:
                    too_big = True  # a length we cannot read is not one we will trust
                if too_big:
                    await self._refuse(send)
                    return

        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {"detail": f"The body is larger than {self.max_bytes} bytes; send less at a time."}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
