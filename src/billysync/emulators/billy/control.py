"""The control API under `/_emulator/` (a prefix Billy does not use), for tests and the demo.

Served by both entry points; needs no Billy token (bind the server to 127.0.0.1), and is
never reachable under /v2 (`/v2/_emulator/...` is an unknown Billy resource). Answers are
plain JSON, not Billy's envelope:

    GET    /_emulator                      this list
    POST   /_emulator/faults               add a rule: {"kind", "method", "path", "times",
                                           "probability", "status", "retry_after", "delay", "skip"}
    GET    /_emulator/faults               rules and counts of injected faults
    DELETE /_emulator/faults               remove every rule
    GET    /_emulator/journal?since=N      journal entries after seq N
    POST   /_emulator/reset                fresh organizations, no faults, empty journal
    GET    /_emulator/snapshot             all state (tokens masked)
    POST   /_emulator/organizations        {"token", "name"?} → {"organizationId"}
    POST   /_emulator/lock                 {"organizationId" or "token", "reason"?}
    POST   /_emulator/unlock               {"organizationId" or "token"}
    POST   /_emulator/rate-limit           {"perSecond": number or null}
    POST   /_emulator/fiscal-locking-date  {"organizationId" or "token", "date": "YYYY-MM-DD"|null}
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from .exchange import Request, Response

if TYPE_CHECKING:
    from .emulator import BillyEmulator

_ROUTES = [
    "GET /_emulator",
    "POST /_emulator/faults",
    "GET /_emulator/faults",
    "DELETE /_emulator/faults",
    "GET /_emulator/journal",
    "POST /_emulator/reset",
    "GET /_emulator/snapshot",
    "POST /_emulator/organizations",
    "POST /_emulator/lock",
    "POST /_emulator/unlock",
    "POST /_emulator/rate-limit",
    "POST /_emulator/fiscal-locking-date",
]
_FAULT_KEYS = (
    "kind",
    "method",
    "path",
    "times",
    "probability",
    "status",
    "retry_after",
    "delay",
    "skip",
)


class ControlError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def handle_control(emulator: BillyEmulator, request: Request) -> Response:
    try:
        return _json(200, _route(emulator, request))
    except ControlError as error:
        return _json(error.status, {"error": str(error)})
    except (ValueError, TypeError, KeyError) as error:
        return _json(400, {"error": str(error)})


def _route(emu: BillyEmulator, request: Request) -> Any:
    route = f"{request.method} {request.path.rstrip('/')}"
    if route == "GET /_emulator":
        return {"routes": _ROUTES}
    if route == "POST /_emulator/faults":
        body = _body(request)
        unknown = set(body) - set(_FAULT_KEYS)
        if unknown:
            raise ControlError(400, f"unknown fault settings: {', '.join(sorted(unknown))}")
        rule = emu.faults.add(**body)
        return {"fault": {k: getattr(rule, k) for k in _FAULT_KEYS}}
    if route == "GET /_emulator/faults":
        return {"rules": emu.faults.rules(), "counts": emu.faults.counts()}
    if route == "DELETE /_emulator/faults":
        emu.faults.clear()
        return {"rules": []}
    if route == "GET /_emulator/journal":
        since = int(request.params().get("since") or 0)
        return {"entries": emu.journal.as_dicts(since)}
    if route == "POST /_emulator/reset":
        emu.reset()
        return {"reset": True}
    if route == "GET /_emulator/snapshot":
        return emu.snapshot()
    if route == "POST /_emulator/organizations":
        body = _body(request)
        name = body.get("name") or "Demo ApS"
        return {"organizationId": emu.add_organization(str(body["token"]), str(name))}
    if route in ("POST /_emulator/lock", "POST /_emulator/unlock"):
        body = _body(request)
        token = _token(emu, body)
        if route.endswith("/lock"):
            emu.lock_organization(token, str(body.get("reason") or "locked by the emulator"))
        else:
            emu.unlock_organization(token)
        return {"organizationId": emu.organization_id(token), "isLocked": route.endswith("/lock")}
    if route == "POST /_emulator/rate-limit":
        per_second = _body(request).get("perSecond")
        emu.set_rate_limit(None if per_second is None else float(per_second))
        return {"perSecond": emu.rate_limit}
    if route == "POST /_emulator/fiscal-locking-date":
        body = _body(request)
        token = _token(emu, body)
        try:
            day = date.fromisoformat(str(body["date"])) if body.get("date") else None
        except ValueError:
            raise ControlError(400, "date is YYYY-MM-DD, or null to unlock") from None
        emu.set_fiscal_locking_date(token, day)
        return {"organizationId": emu.organization_id(token), "fiscalLockingDate": body.get("date")}
    if any(r.split(" ", 1)[1] == request.path.rstrip("/") for r in _ROUTES):
        raise ControlError(405, f"{request.method} is not allowed on {request.path}")
    raise ControlError(404, f"no control endpoint {request.path}; GET /_emulator lists them")


def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ControlError(400, "the body must be a JSON object") from exc
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    return body


def _token(emu: BillyEmulator, body: dict[str, Any]) -> str:
    if body.get("organizationId"):
        token = emu.token_for(str(body["organizationId"]))
        if token is None:
            raise ControlError(404, "no organization with that id")
        return token
    if body.get("token"):
        return str(body["token"])
    raise ControlError(400, "give organizationId (or token)")


def _json(status: int, document: Any) -> Response:
    return Response(
        status,
        json.dumps(document, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": "application/json; charset=utf-8"},
    )
