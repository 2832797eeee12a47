"""One HTTP exchange as the emulator sees it, independent of how it arrived.

Both entry points (the in-process httpx2 transport and the threaded HTTP server) turn what
they received into a `Request`, let the emulator answer with a `Response`, and then carry
out the response's `action`: answer normally, drop the connection, or hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Action = Literal["answer", "drop", "hang"]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def token(self) -> str | None:
        return self.headers.get("x-access-token") or None

    def params(self) -> dict[str, str]:
        """Query parameters, first value wins (Billy's filters are single-valued)."""
        params: dict[str, str] = {}
        for name, value in self.query:
            params.setdefault(name, value)
        return params

    @property
    def query_string(self) -> str:
        return "&".join(f"{name}={value}" for name, value in self.query)


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    action: Action = "answer"
    hang_seconds: float = 0.0
    fault: str | None = None
    # For commit-then-fail faults: what the emulator would have answered.
    committed_status: int | None = None
