"""Logging in and out, choosing the admin password on the first visit, and the language.

The login and first-run forms carry a CSRF token too (an anonymous session holds it), so
another site cannot log the merchant into a session of its choosing.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from billysync.web import guards, i18n, render, security

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


@router.post("/login", dependencies=[guards.CsrfChecked])
def login(request: Request, password: str = Form("")) -> Response:
    throttle: security.LoginThrottle = request.app.state.throttle
    address = guards.client_address(request)
    wait = throttle.wait_seconds(address)
    if wait:
        context = {"error": ("login.throttled", {"seconds": wait})}
        refused = render.page(request, "login.html", context, status_code=429)
        refused.headers["Retry-After"] = str(wait)
        return refused
    with guards.runtime(request).db.session() as db_session:
        user = security.admin_user(db_session)
        if user is None:
            return render.redirect("/setup")
        if not security.password_matches(user.password_hash, password):
            throttle.failed(address)
            return render.page(
                request, "login.html", {"error": ("login.wrong", {})}, status_code=401
            )
        password_hash = user.password_hash
    throttle.succeeded(address)
    guards.log_in(request, password_hash)
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
def setup(request: Request, password: str = Form(""), confirm: str = Form("")) -> Response:
    problem = security.password_problem(password, confirm)
    if problem:
        return render.page(request, "setup.html", {"error": problem}, status_code=400)
    with guards.runtime(request).db.session() as db_session:
        # Only while there is no admin: the first visit chooses, nobody can choose again.
        if security.admin_user(db_session) is not None:
            return render.redirect("/login")
        user = security.set_admin_password(db_session, password)
        password_hash = user.password_hash
    guards.log_in(request, password_hash)
    return render.redirect("/shops")


@router.post("/language", dependencies=[guards.CsrfChecked])
def choose_language(request: Request, lang: str = Form(""), back: str = Form("/")) -> Response:
    if lang in i18n.LANGUAGES:
        guards.session_data(request)["lang"] = lang
    # Only paths of this site: never an open redirect.
    local = back.startswith("/") and not back.startswith(("//", "/\\")) and "\n" not in back
    target = back if local else "/"
    return render.redirect(target)
