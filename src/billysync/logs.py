"""Operators' log: one structured line per failure, retry, takeover and stop (structlog).

Each line is an event name with fields (`shop`, `kind`, `order`, `attempt`, `error_kind`,
`reason`, and the last Billy call: `billy_call`, `billy_status`). Lines go to stderr as
JSON, or as `key=value` text when stderr is a terminal, so a platform's log collector
can count and alert on them. What goes in is chosen to carry no secret: reasons come from
`sync/classify.py` (never SQL or parameters), Billy calls are method, path and status
(the access token travels in a header and is never recorded). As a second line of
defence, a field whose name says it holds a secret is blanked.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, TextIO, cast

import structlog

_SECRET_NAMES = ("token", "password", "secret", "key", "authorization", "cookie")
REDACTED = "[redacted]"


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for name in list(event):
        if any(part in name.lower() for part in _SECRET_NAMES):
            event[name] = REDACTED
    return event


class _Stderr:
    """`sys.stderr` as it is when a line is written, not when logging was set up: a command
    run twice in one process (tests, a CLI runner) gets a new stderr each time, and the old
    one is closed."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()

    def isatty(self) -> bool:
        return sys.stderr.isatty()


def configure(
    *, json: bool | None = None, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Set up structured logging for a long-running process (serve, worker, recover)."""
    stream = stream or cast(TextIO, _Stderr())
    render_json = not stream.isatty() if json is None else json
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=True)
        if render_json
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            _redact,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    # The standard library's loggers (ours, DBOS's, uvicorn's) keep to warnings and up.
    logging.basicConfig(level=logging.WARNING, stream=stream)


def get_logger(name: str) -> Any:
    """A structlog logger; set up with `configure`'s defaults if nobody configured it."""
    if not structlog.is_configured():
        configure()
    return structlog.get_logger(name)
