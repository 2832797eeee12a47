"""Logging in and out, choosing the admin password on the first visit, and the language.

The login and first-run forms carry a CSRF token too (an anonymous session holds it), so
another site cannot log the merchant into a session of its choosing. The first-run form also
asks for the one-time code the server printed on its console; a wrong code counts as a failed
login for the throttle.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.exc import IntegrityError

from billysync.store import web_access
from billysync.web import guards, i18n, render, security

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)


def _has_admin(request: Request) -> bool:
    with guards.runtime(request).db.session() as db_session:
        return security.admin_user(db_session) is not None


@router.get("/")
def home(request: Request) -> Response:
    with guards.runtime(request).db.session() as db_session:
        logged_in = guards.is_logged_in(request, db_session)
    return render.redirect("/shops" if logged_in else "/login")


@router.get("/login")
def login_page(request: Request) -> Response:
    if not _has_admin(request):
        return render.redirect("/setup")
    return render.page(request, "login.html")


def _throttled(request: Request, template: str, address: str) -> Response | None:
    """429 with the seconds to wait when the address failed too often, else None."""
    throttle: security.LoginThrottle = request.app.state.throttle
    wait = throttle.wait_seconds(address)
    if not wait:
        return None
    what = template.removesuffix(".html")
    log.warning("%s refused for %s: too many failures, wait %s s", what, address, wait)
    context = {"error": ("login.throttled", {"seconds": wait})}
    refused = render.page(request, template, context, status_code=429)
    refused.headers["Retry-After"] = str(wait)
    return refused


@router.post("/login", dependencies=[guards.CsrfChecked])
def login(request: Request, password: str = Form("")) -> Response:
    throttle: security.LoginThrottle = request.app.state.throttle
    address = guards.client_address(request)
    refused = _throttled(request, "login.html", address)
    if refused is not None:
        return refused
    with guards.runtime(request).db.session() as db_session:
        user = security.admin_user(db_session)
        if user is None:
            return render.redirect("/setup")
        right = security.password_matches(user.password_hash, password)
    if not right:
        log.info("login failed: wrong password from %s", address)
        throttle.failed(address)
        return render.page(request, "login.html", {"error": ("login.wrong", {})}, status_code=401)
    throttle.succeeded(address)
    guards.log_in(request)
    return render.redirect("/shops")


@router.post("/logout", dependencies=[guards.CsrfChecked])
def logout(request: Request) -> Response:
    guards.log_out(request)
    return render.redirect("/login")


@router.get("/setup")
def setup_page(request: Request) -> Response:
    if _has_admin(request):
        return render.redirect("/login")
    return render.page(request, "setup.html")


@router.post("/setup", dependencies=[guards.CsrfChecked])
def setup(
    request: Request,
    code: str = Form(""),
    password: str = Form(""),
    confirm: str = Form(""),
) -> Response:
    throttle: security.LoginThrottle = request.app.state.throttle
    address = guards.client_address(request)
    refused = _throttled(request, "setup.html", address)
    if refused is not None:
        return refused
    with guards.runtime(request).db.session() as db_session:
        # Only while there is no admin: the first visit chooses, nobody can choose again.
        if security.admin_user(db_session) is not None:
            return render.redirect("/login")
        code_right = web_access.setup_code_matches(db_session, security.normalised_code(code))
    if not code_right:
        log.warning("first-run setup refused: wrong setup code from %s", address)
        throttle.failed(address)
        return render.page(
            request, "setup.html", {"error": ("setup.code_wrong", {})}, status_code=403
        )
    problem = security.password_problem(password, confirm)
    if problem:
        return render.page(request, "setup.html", {"error": (problem, {})}, status_code=400)
    try:
        with guards.runtime(request).db.session() as db_session:
            if security.admin_user(db_session) is not None:  # another visitor was quicker
                return render.redirect("/login")
            security.set_admin_password(db_session, password)
    except IntegrityError:  # ... by a hair, in another process: its admin row came first
        return render.redirect("/login")
    throttle.succeeded(address)
    guards.log_in(request)
    return render.redirect("/shops")


@router.post("/language", dependencies=[guards.CsrfChecked])
def choose_language(request: Request, lang: str = Form(""), back: str = Form("/")) -> Response:
    if lang in i18n.LANGUAGES:
        guards.session_data(request)["lang"] = lang
    # Only paths of this site: never an open redirect.
    local = back.startswith("/") and not back.startswith(("//", "/\\")) and "\n" not in back
    target = back if local else "/"
    return render.redirect(target)
