"""Injected faults: what goes wrong between a client and Billy, on purpose and reproducibly.

A rule matches by method and path (exact, or a glob such as `/v2/invoices/*`; None
matches any) and fires on the next `times` matching requests, or with `probability`
(drawn from `random.Random(seed)`, so a run is reproducible), or both (each time with
that probability, at most `times` times); with neither it fires on every match. `skip`
lets the first N matching requests through untouched. The first rule that fires wins.

Kinds:
- `status`: answer `status` (500/502/503/504; default 503) before doing anything;
- `rate_limit`: answer 429 with `Retry-After: retry_after` before doing anything;
- `latency`: wait `delay` seconds, then proceed normally;
- `drop`: drop the connection before the write (nothing is saved);
- `hang`: never answer (nothing is saved): the server holds the socket `delay` seconds
  then closes it; in-process, httpx2.ReadTimeout after at most a short wait;
- `commit_then_status` / `commit_then_drop` / `commit_then_hang`: the request is carried
  out and saved, then the answer is replaced by a 5xx (default 500), a dropped connection
  or a hang — the client cannot know the write happened.
"""

from __future__ import annotations

import fnmatch
import random
import threading
from dataclasses import asdict, dataclass

KINDS: tuple[str, ...] = (
    "status",
    "rate_limit",
    "latency",
    "drop",
    "hang",
    "commit_then_status",
    "commit_then_drop",
    "commit_then_hang",
)
BEFORE = frozenset({"status", "rate_limit", "drop", "hang"})
COMMIT_THEN = frozenset({"commit_then_status", "commit_then_drop", "commit_then_hang"})

DEFAULT_DELAY = {"latency": 0.2, "hang": 5.0, "commit_then_hang": 5.0}


@dataclass
class FaultRule:
    kind: str
    method: str | None = None
    path: str | None = None
    times: int | None = None
    probability: float | None = None
    status: int | None = None
    retry_after: float | None = None
    delay: float | None = None
    skip: int = 0
    fired: int = 0
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path is None or self.path == path:
            return True
        return any(c in self.path for c in "*?[") and fnmatch.fnmatchcase(path, self.path)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.fired >= self.times


class FaultEngine:
    """The fault rules of one emulator, with counters of what was injected."""

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._random = random.Random(seed)
        self._rules: list[FaultRule] = []
        self._counts: dict[str, int] = dict.fromkeys(KINDS, 0)

    def add(
        self,
        *,
        kind: str,
        method: str | None = None,
        path: str | None = None,
        times: int | None = None,
        probability: float | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        delay: float | None = None,
        skip: int = 0,
    ) -> FaultRule:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; use one of {', '.join(KINDS)}")
        if times is not None and times < 1:
            raise ValueError("times must be 1 or more (or None for no limit)")
        if probability is not None and not 0 <= probability <= 1:
            raise ValueError("probability must be between 0 and 1")
        if kind in ("status", "commit_then_status"):
            status = status or (503 if kind == "status" else 500)
            if not 500 <= status <= 599:
                raise ValueError("a status fault answers a 5xx status (500, 502, 503, 504)")
        elif kind == "rate_limit":
            status, retry_after = 429, 1 if retry_after is None else retry_after
        if delay is None:
            delay = DEFAULT_DELAY.get(kind)
        if delay is not None and delay < 0:
            raise ValueError("delay must not be negative")
        rule = FaultRule(kind, method, path, times, probability, status, retry_after, delay, skip)
        with self._lock:
            self._rules.append(rule)
        return rule

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The rule that fires for this request, if any (and count it)."""
        with self._lock:
            for rule in self._rules:
                if rule.exhausted or not rule.matches(method, path):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                if rule.probability is not None and self._random.random() >= rule.probability:
                    continue
                rule.fired += 1
                self._counts[rule.kind] += 1
                return rule
        return None

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def total(self) -> int:
        with self._lock:
            return sum(self._counts.values())

    def rules(self) -> list[dict[str, object]]:
        with self._lock:
            return [asdict(rule) for rule in self._rules]

    def clear(self) -> None:
        """Remove every rule (the counters stay; `reset` zeroes them)."""
        with self._lock:
            self._rules.clear()

    def reset(self, seed: int | None = None) -> None:
        with self._lock:
            self._rules.clear()
            self._counts = dict.fromkeys(KINDS, 0)
            self._seed = self._seed if seed is None else seed
            self._random = random.Random(self._seed)
