"""Building the FastAPI app: routes, middleware, error pages, the publish routers.

`create_app` wires the reader (HTML), the JSON API (mounted at /api/v1 with
its own OpenAPI document), /healthz, /metrics and the full-text feed URLs
(`syndic.web.full_feeds`). Every response carries the security
headers; every request is timed (the `Server-Timing` header and the latency
histogram).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from syndic.library import Syndic
from syndic.web import api, campaign_pages, campaign_review, ftr, full_feeds, reader, readerapi, websub
from syndic.web.actions import WebActions
from syndic.web.auth import LoginRequired, require_user
from syndic.web.metrics import AppMetrics
from syndic.web.ratelimit import LoginRateLimiter
from syndic.web.security import SECURITY_HEADERS
from syndic.web.settings import WebSettings
from syndic.web.templating import templates

STATIC = Path(__file__).with_name("static")


def create_app(
    source: object, settings: WebSettings | None = None, actions: WebActions | None = None
) -> FastAPI:
    """The whole HTTP app over a `Syndic` (or over a `syndic.store.Store`, which it opens a `Syndic` over)."""
    settings = settings or WebSettings()
    library = source if isinstance(source, Syndic) else Syndic.over(source)
    app = FastAPI(title="syndic", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.syndic = library
    app.state.settings = settings
    app.state.actions = actions or WebActions()
    app.state.login_limiter = LoginRateLimiter(settings.login_attempts, settings.login_window_seconds)
    metrics = AppMetrics(library)
    app.state.metrics = metrics

    @app.middleware("http")
    async def headers_and_timing(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        elapsed = time.perf_counter() - started
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if "cache-control" not in response.headers and not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        response.headers["Server-Timing"] = f"app;dur={elapsed * 1000:.1f}"
        route = request.scope.get("route")
        route_path = getattr(route, "path", None) or ("/api/v1" if request.url.path.startswith("/api/") else "other")
        metrics.latency.labels(request.method, route_path, str(response.status_code)).observe(elapsed)
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='')}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api/"):
            return templates.TemplateResponse(
                request,
                "error.html",
                {"status": exc.status_code, "detail": exc.detail, "settings": settings, "viewer": None},
                exc.status_code,
                headers,
            )
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        if not library.ping():
            return JSONResponse({"status": "error", "database": "unreachable"}, 503)
        return JSONResponse({"status": "ok"})

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint(request: Request) -> Response:
        require_user(request)
        return PlainTextResponse(metrics.render(), media_type="text/plain; version=0.0.4")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/api/v1", api.create_api(app))
    app.include_router(full_feeds.router)
    app.include_router(ftr.router)
    app.include_router(websub.router)
    readerapi.install(app)
    app.include_router(campaign_review.router)
    app.include_router(campaign_pages.router)
    app.include_router(reader.router)
    return app
