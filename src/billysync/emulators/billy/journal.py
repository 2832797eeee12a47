"""The journal: every request the emulator answered and how, for tests and the demo.

One entry per request: method, path, query, status (None when the connection was dropped
or hung), body sizes, organization id, the fault injected (if any) and, for
commit-then-fail faults, the status the emulator would have answered. Never a body and
never a token: the access token is kept as its last four characters at most.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from typing import Any


def mask_token(token: str | None) -> str | None:
    """`…abcd` for a token of 12 characters or more, `…` for a shorter one."""
    if not token:
        return None
    return "…" + token[-4:] if len(token) >= 12 else "…"


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    at: float  # seconds since the emulator started (monotonic)
    method: str
    path: str
    query: str
    status: int | None
    request_bytes: int
    response_bytes: int
    organization_id: str | None
    token: str | None  # masked
    fault: str | None
    committed_status: int | None
    duration_ms: float


class Journal:
    def __init__(self, max_entries: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._seq = 0

    def record(self, **fields: Any) -> JournalEntry:
        with self._lock:
            self._seq += 1
            entry = JournalEntry(seq=self._seq, **fields)
            self._entries.append(entry)
            return entry

    def entries(self, since: int = 0) -> list[JournalEntry]:
        with self._lock:
            return [entry for entry in self._entries if entry.seq > since]

    def as_dicts(self, since: int = 0) -> list[dict[str, object]]:
        return [asdict(entry) for entry in self.entries(since)]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
