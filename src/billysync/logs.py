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
from typing import Any, TextIO

import structlog

_SECRET_NAMES = ("token", "password", "secret", "key", "authorization", "cookie")
REDACTED = "[redacted]"


def _redact(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for name in list(event):
        if any(part in name.lower() for part in _SECRET_NAMES):
            event[name] = REDACTED
    return event


def configure(
    *, json: bool | None = None, level: int = logging.INFO, stream: TextIO | None = None
) -> None:
    """Set up structured logging for a long-running process (serve, worker, recover).

    Without a `stream`, each line goes to `sys.stderr` as it is when the line is written:
    whoever swaps stderr after the first line (a command run in-process, a test runner)
    gets the later lines, and a closed earlier stream never turns a log line into a crash.
    """
    render_json = not (stream or sys.stderr).isatty() if json is None else json
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
        logger_factory=structlog.PrintLoggerFactory(stream) if stream else _current_stderr,
        cache_logger_on_first_use=False,
    )
    # The standard library's loggers (ours, DBOS's, uvicorn's) keep to warnings and up.
    logging.basicConfig(level=logging.WARNING, stream=stream)


def _current_stderr(*_: Any) -> structlog.PrintLogger:
    return structlog.PrintLogger(sys.stderr)


def get_logger(name: str) -> Any:
    """A structlog logger; set up with `configure`'s defaults if nobody configured it."""
    if not structlog.is_configured():
        configure()
    return structlog.get_logger(name)
