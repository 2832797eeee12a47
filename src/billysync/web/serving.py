"""How billysync's commands put the web app on a socket (uvicorn), in one place.

uvicorn's own proxy-header handling is switched off: by default it believes
`X-Forwarded-For` from 127.0.0.1 and rewrites the client address before the app sees it, so
anyone who reached the port through a local proxy could choose the address the login
throttle counts. The app reads the header itself, only from `BILLYSYNC_TRUSTED_PROXIES`
(web/proxies.py).
"""

from __future__ import annotations

from typing import Any

import uvicorn

# What every uvicorn that serves billysync gets, besides the app, host and port.
SERVER_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,  # web/proxies.py decides whom to believe
    "server_header": False,  # no version banner for scanners
    "log_level": "warning",
}


def uvicorn_server(app: Any, host: str, port: int, **options: Any) -> uvicorn.Server:
    """A uvicorn server for the app with billysync's options (`options` may add, not undo)."""
    merged = {**options, **SERVER_OPTIONS}
    if "log_level" in options:
        merged["log_level"] = options["log_level"]
    return uvicorn.Server(uvicorn.Config(app, host=host, port=port, **merged))


def run(app: Any, host: str, port: int) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM)."""
    uvicorn_server(app, host, port).run()
