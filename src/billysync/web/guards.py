"""Request guards for the admin pages: a logged-in session, a valid CSRF token, a real shop.

Used as FastAPI dependencies. A page request without a session is sent to the login page;
anything else (htmx, POST) gets 401 with `HX-Redirect` so htmx goes there too. A POST
without the session's CSRF token gets 403 before the route runs, so nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from billysync.store import shops, web_access
from billysync.store.tables import Shop
from billysync.web import proxies, security

if TYPE_CHECKING:
    from billysync.sync.runtime import Runtime

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """No logged-in session; the app's handler answers with a redirect or 401."""


class CsrfRefused(Exception):
    """The CSRF token is missing or wrong; the app's handler answers 403."""


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def session_data(request: Request) -> dict[str, Any]:
    data: dict[str, Any] = request.session
    return data


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also for the anonymous login form)."""
    data = session_data(request)
    token = data.get("csrf")
    if not isinstance(token, str) or not token:
        token = security.new_csrf_token()
        data["csrf"] = token
    return token


def client_address(request: Request) -> str:
    """The visitor's address: the peer, or what a configured trusted proxy says it is."""
    peer = request.client.host if request.client else "unknown"
    trusted = runtime(request).process.trusted_proxy_networks
    return proxies.client_address(peer, request.headers.getlist("x-forwarded-for"), trusted)


def log_in(request: Request) -> None:
    """A fresh session (new id, new CSRF token) for the admin, keeping the language choice."""
    data = session_data(request)
    language = data.get("lang")
    _end_session(request)
    data.clear()
    session_id = security.new_session_id()
    with runtime(request).db.session() as db_session:
        web_access.open_session(db_session, session_id, security.SESSION_LIFETIME)
    data["sid"] = session_id
    data["csrf"] = security.new_csrf_token()
    if language:
        data["lang"] = language


def log_out(request: Request) -> None:
    """End the session here and in the database: a copy of the cookie opens nothing."""
    data = session_data(request)
    language = data.get("lang")
    _end_session(request)
    data.clear()
    if language:
        data["lang"] = language


def _end_session(request: Request) -> None:
    session_id = session_data(request).get("sid")
    if isinstance(session_id, str) and session_id:
        with runtime(request).db.session() as db_session:
            web_access.end_session(db_session, session_id)


def is_logged_in(request: Request, db_session: Session) -> bool:
    session_id = session_data(request).get("sid")
    if not isinstance(session_id, str) or not session_id:
        return False
    return web_access.session_is_open(db_session, session_id)


def require_admin(request: Request) -> None:
    with runtime(request).db.session() as db_session:
        if not is_logged_in(request, db_session):
            raise LoginRequired()


async def require_csrf(request: Request) -> None:
    """Every state-changing admin request carries the session's token (field or header)."""
    given = request.headers.get(CSRF_HEADER)
    if not given:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not security.csrf_matches(session_data(request).get("csrf"), given):
        raise CsrfRefused()


KEY_LENGTH = 200  # the longest key column (bindings, audit entries)


def readable_path(request: Request) -> None:
    """404 for an address no row can have: a shop id out of its column's range, a key with a
    NUL byte or longer than any key column. Checked before the route asks the database, which
    would fail on such values instead of finding nothing."""
    for name, value in request.path_params.items():
        text = str(value)
        if name.endswith("_id"):
            number = int(text) if text.isascii() and text.isdigit() else None
            if number is None or not shops.shop_id_in_range(number):
                raise HTTPException(status_code=404, detail="No such page.")
        elif "\x00" in text or len(text) > KEY_LENGTH:
            raise HTTPException(status_code=404, detail="No such page.")


def shop_or_404(db_session: Session, shop_id: int) -> Shop:
    """The shop of the URL, or 404 (an id that is not a shop shows nothing of anything)."""
    shop = shops.get_shop(db_session, shop_id)
    if shop is None:
        raise HTTPException(status_code=404, detail="No such shop.")
    return shop


def load_shop(request: Request, shop_id: int) -> Shop:
    """The shop of the URL, detached from its database session (for reading), or 404."""
    with runtime(request).db.session() as db_session:
        shop = shop_or_404(db_session, shop_id)
        db_session.expunge(shop)
        return shop


ReadablePath = Depends(readable_path)
AdminOnly = Depends(require_admin)
CsrfChecked = Depends(require_csrf)
