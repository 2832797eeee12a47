"""The web application: admin pages, the Shoporama webhook receiver and the JSON API.

`create_app(rt)` builds one FastAPI app around a `Runtime` (database, secret box, Billy
clients). It expects a migrated database (`rt.db.migrate()`), applies
`BILLYSYNC_ADMIN_PASSWORD` when set (else, while no admin exists, prints a one-time setup
code on the console), and signs session cookies with the key file beside the secret key.
`/healthz` and `/metrics` are for the platform that runs it (routes/ops.py). Receivers
(`/hooks/…`, `/api/v1/…`) are authenticated by signature or token and never call Billy in
the request; the admin pages need a session and a CSRF token for every POST.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from billysync import __version__
from billysync.web import api_problems, guards, render, security
from billysync.web.middleware import BodyLimit, SecurityHeaders, is_machine_path
from billysync.web.routes import (
    api,
    api_docs,
    auth,
    checks,
    connection,
    failed,
    hooks,
    ops,
    order_page,
    overview,
    payments,
    preview,
    products,
    settings,
    shops,
    vat,
)

if TYPE_CHECKING:
    from billysync.sync.runtime import Runtime

STATIC = Path(__file__).resolve().parent / "static"
# The admin pages, one module per page group (each a `router` needing a logged-in session).
ADMIN_PAGES = (
    auth,
    shops,
    settings,
    vat,
    payments,
    connection,
    checks,
    overview,
    order_page,
    failed,
    products,
    preview,
)
SESSION_COOKIE = "billysync_session"
DESCRIPTION = """
billysync books webshop orders into **Billy** (billy.dk). Any shop can push its orders,
returns and products here; each is stored at once (answer `202`) and transferred to Billy in
the background. Authenticate with the shop's API token, shown once when the shop is added:
`Authorization: Bearer <token>`.

Send the shop's current version of a record each time it changes (created, paid, shipped,
cancelled): the same content sent twice is recognised and stored once.
"""


def create_app(rt: Runtime, *, login_throttle: security.LoginThrottle | None = None) -> FastAPI:
    """The billysync web app for this runtime (its database must be migrated)."""
    app = FastAPI(
        title="billysync",
        version=__version__,
        # /docs is our own page over the vendored Swagger UI (routes/api_docs.py): the
        # built-in pages load their scripts from a CDN and are blank offline.
        docs_url=None,
        redoc_url=None,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "JSON API", "description": "Orders, returns and products from any shop."},
            {"name": "Webhooks", "description": "Signed deliveries from Shoporama."},
        ],
    )
    app.state.runtime = rt
    app.state.throttle = login_throttle or security.LoginThrottle(rt.db)

    with rt.db.session() as db_session:
        security.apply_configured_password(db_session, rt.process.admin_password)
        setup_code = security.open_setup_claim(db_session)
    if setup_code is not None:
        security.announce_setup_code(setup_code)

    session_key = security.load_session_key(
        security.session_key_file(rt.process.resolved_secret_key_file)
    )
    public_url = rt.process.public_url or ""
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_key,
        session_cookie=SESSION_COOKIE,
        max_age=int(security.SESSION_LIFETIME.total_seconds()),
        same_site="lax",
        https_only=public_url.startswith("https://"),
    )

    # HSTS only when the public URL is https: on plain http it would lock browsers out.
    app.add_middleware(SecurityHeaders, hsts=public_url.startswith("https://"))
    # Added last, so it is outside the others: an oversized body is refused before anything.
    app.add_middleware(BodyLimit)
    _add_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in ADMIN_PAGES:
        app.include_router(module.router, dependencies=[guards.ReadablePath])
    app.include_router(hooks.router, dependencies=[guards.ReadablePath])
    app.include_router(api.router)
    app.include_router(api_docs.router)
    app.include_router(ops.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        # Browsers ask for /favicon.ico whatever the page links; the same mark, as SVG.
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    return app


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(guards.LoginRequired)
    async def login_required(request: Request, _exc: Exception) -> Response:
        if request.method == "GET" and request.headers.get("HX-Request") != "true":
            return RedirectResponse("/login", status_code=303)
        return JSONResponse(
            {"detail": "Log in first."}, status_code=401, headers={"HX-Redirect": "/login"}
        )

    @app.exception_handler(guards.CsrfRefused)
    async def csrf_refused(request: Request, _exc: Exception) -> Response:
        return render.page(request, "error.html", {"message_key": "error.csrf"}, status_code=403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if is_machine_path(request.url.path) or request.url.path.startswith("/static/"):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        key = "error.not_found" if exc.status_code == 404 else None
        return render.page(
            request,
            "error.html",
            {"message_key": key, "message": str(exc.detail)},
            status_code=exc.status_code,
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if is_machine_path(request.url.path):
            return api_problems.validation_error_response(exc.errors())
        # A page address with a malformed part (e.g. a shop id that is not a number).
        return render.page(
            request, "error.html", {"message_key": "error.not_found"}, status_code=404
        )
