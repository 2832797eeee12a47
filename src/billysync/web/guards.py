"""Request guards for the admin pages: a logged-in session, a valid CSRF token, a real shop.

Used as FastAPI dependencies. A page request without a session is sent to the login page;
anything else (htmx, POST) gets 401 with `HX-Redirect` so htmx goes there too. A POST
without the session's CSRF token gets 403 before the route runs, so nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from billysync.store import shops
from billysync.store.tables import Shop
from billysync.web import security

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
    return request.client.host if request.client else "unknown"


def log_in(request: Request, password_hash: str) -> None:
    """A fresh session (new CSRF token) for the admin, keeping only the language choice."""
    data = session_data(request)
    language = data.get("lang")
    data.clear()
    data["admin"] = security.password_fingerprint(password_hash)
    data["csrf"] = security.new_csrf_token()
    if language:
        data["lang"] = language


def log_out(request: Request) -> None:
    data = session_data(request)
    language = data.get("lang")
    data.clear()
    if language:
        data["lang"] = language


def is_logged_in(request: Request, db_session: Session) -> bool:
    fingerprint = session_data(request).get("admin")
    if not fingerprint:
        return False
    user = security.admin_user(db_session)
    return user is not None and fingerprint == security.password_fingerprint(user.password_hash)


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


AdminOnly = Depends(require_admin)
CsrfChecked = Depends(require_csrf)
