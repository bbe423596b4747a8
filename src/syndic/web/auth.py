"""Who is asking: sessions for the reader, bearer tokens for the API, CSRF.

Reader sessions: the cookie holds a random secret; the `sessions` table
holds only its SHA-256, the user and the session's CSRF token. The cookie
is HttpOnly, SameSite=Lax, and Secure when `WebSettings.secure_cookies` or
the request came over HTTPS (behind a proxy: uvicorn --proxy-headers).
Every state-changing request from a browser must carry the session's CSRF
token (a hidden `csrf_token` form field, or the `X-CSRF-Token` header from
our script); the login form, before any session exists, uses a
double-submit cookie instead.

API: `Authorization: Bearer <token>`, checked against `api_tokens`.

Roles: a user is an admin or a reader. Readers read and keep their own
read/star state; only admins manage users, feeds (publicness, deletion),
campaigns and their destinations, and settings. Every route states what it
needs with one of the scope checks below — `authorize(viewer, scope)` is
the one place the rule lives; a token's scopes are capped by its owner's
role (syndic.web.tokens).

Dependencies for routes (ours and other stages'):

- `require_user` — a logged-in reader (session cookie) or a valid API token
  (bearer header). Refuses with 401 (or redirects a browser to /login).
- `require_api_token` — a valid bearer token only (the JSON API).
- `require_admin` / `require_admin_csrf` — an admin's session (pages / form posts).
- `needs(scope)` — any credential (session or token) allowed `scope`.
- `require_user_or_public(kind)` — for the publish stage's routers (full-text
  feed URLs). `kind` is "feed" or "campaign"; the dependency reads the id
  from the path parameter `feed_id` / `campaign_id` (or `id`), and lets the
  request through without login only when that row's `public` is true and
  `WebSettings.public_feeds_allowed`. Otherwise it wants a session, a bearer
  token, or `?token=<api token>` (feed readers cannot send headers). Use
  `require_user_or_public("none")` for URLs that are never public
  (/makefulltextfeed.php, /extract.php, /search.rss): then the same
  credentials are required and nothing is public. It returns a `Viewer`.
  The publish routers get the store with `syndic.web.deps.get_store`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from fastapi import HTTPException, Request, Response
from sqlalchemy import delete, select

from syndic.store import schema
from syndic.web.deps import ReaderStore, get_settings, get_store
from syndic.web.tokens import Scope, check_token, role_scopes

SESSION_COOKIE = "syndic_session"
LOGIN_CSRF_COOKIE = "syndic_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class Viewer:
    """Whoever made the request: a session's user, a token's owner, or public access (no user).

    `scopes` is what this request may do: a session gets its user's role; a
    token its own scopes capped by its owner's role; public access nothing.
    """

    user_id: int | None = None
    username: str | None = None
    csrf_token: str | None = None
    token_id: int | None = None
    public: bool = False
    is_admin: bool = False
    scopes: frozenset[str] = frozenset()

    @property
    def is_session(self) -> bool:
        return self.csrf_token is not None

    def can(self, scope: Scope) -> bool:
        return scope in self.scopes


def authorize(viewer: Viewer, scope: Scope) -> Viewer:
    """The one role check: refuse (403) a viewer not allowed `scope`; return it otherwise."""
    if not viewer.can(scope):
        what = {"admin": "an admin", "write": "write access", "read": "read access"}[scope]
        raise HTTPException(403, f"this needs {what}")
    return viewer


class LoginRequired(Exception):
    """Raised by `require_user` for a browser; the app turns it into a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def start_session(store: ReaderStore, user_id: int, lifetime_seconds: int) -> tuple[str, str]:
    """Create a session; return (cookie value, CSRF token)."""
    secret = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    with store.engine.begin() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.expires_at < now))
        conn.execute(
            schema.sessions.insert().values(
                id=_digest(secret),
                user_id=user_id,
                csrf_token=csrf,
                created_at=now,
                expires_at=now + timedelta(seconds=lifetime_seconds),
            )
        )
    return secret, csrf


def end_session(store: ReaderStore, secret: str) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(schema.sessions).where(schema.sessions.c.id == _digest(secret)))


def session_viewer(store: ReaderStore, secret: str | None) -> Viewer | None:
    if not secret or len(secret) > 200:
        return None
    with store.engine.connect() as conn:
        row = conn.execute(
            select(
                schema.sessions.c.user_id,
                schema.sessions.c.csrf_token,
                schema.sessions.c.expires_at,
                schema.users.c.username,
                schema.users.c.is_admin,
            )
            .join(schema.users, schema.users.c.id == schema.sessions.c.user_id)
            .where(schema.sessions.c.id == _digest(secret))
        ).first()
    if row is None or _aware(row.expires_at) <= datetime.now(UTC):
        return None
    is_admin = bool(row.is_admin)
    return Viewer(
        user_id=int(row.user_id), username=row.username, csrf_token=row.csrf_token,
        is_admin=is_admin, scopes=role_scopes(is_admin),
    )


def token_viewer(store: ReaderStore, token: str | None) -> Viewer | None:
    """The viewer behind an API token (its owner, its capped scopes), None when invalid."""
    owner = check_token(store, token) if token else None
    if owner is None:
        return None
    return Viewer(
        user_id=owner.user_id, username=owner.username, token_id=owner.token_id,
        is_admin=owner.is_admin, scopes=owner.scopes,
    )


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=get_settings(request).secure_cookies or request.url.scheme == "https",
        path="/",
    )


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and "text/html" in request.headers.get("accept", "")


def current_viewer(request: Request) -> Viewer | None:
    """The session or token behind the request, or None. Cached on the request."""
    if hasattr(request.state, "viewer"):
        cached: Viewer | None = request.state.viewer
        return cached
    store = get_store(request)
    viewer = session_viewer(store, request.cookies.get(SESSION_COOKIE))
    if viewer is None:
        viewer = token_viewer(store, _bearer(request))
    request.state.viewer = viewer
    return viewer


def require_user(request: Request) -> Viewer:
    viewer = current_viewer(request)
    if viewer is None:
        if _wants_html(request):
            raise LoginRequired(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})
    return viewer


def require_session(request: Request) -> Viewer:
    """A logged-in reader (cookie); the reader's pages use this."""
    viewer = require_user(request)
    if not viewer.is_session:
        raise HTTPException(403, "the reader needs a login session, not an API token")
    return viewer


def require_api_token(request: Request) -> Viewer:
    viewer = token_viewer(get_store(request), _bearer(request))
    if viewer is None:
        raise HTTPException(401, "a valid bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    return viewer


def needs(scope: Scope) -> Callable[[Request], Viewer]:
    """A dependency: any credential (session or bearer token) allowed `scope`."""

    def dependency(request: Request) -> Viewer:
        return authorize(require_user(request), scope)

    return dependency


def require_admin(request: Request) -> Viewer:
    """An admin's login session (the reader's management pages)."""
    return authorize(require_session(request), "admin")


def check_csrf(viewer: Viewer, submitted: str | None) -> None:
    """Refuse (403) a state change whose CSRF token does not match the session's."""
    if viewer.csrf_token is None:
        return  # API tokens are not ambient credentials: no CSRF possible
    if not submitted or not hmac.compare_digest(submitted, viewer.csrf_token):
        raise HTTPException(403, "missing or wrong CSRF token; reload the page and try again")


async def require_csrf(request: Request) -> Viewer:
    """A logged-in reader whose request carries the right CSRF token (form field or header)."""
    viewer = require_session(request)
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    check_csrf(viewer, submitted)
    return viewer


async def require_admin_csrf(request: Request) -> Viewer:
    """An admin's form post with the right CSRF token."""
    return authorize(await require_csrf(request), "admin")


def _is_public(request: Request, kind: str) -> bool:
    if not get_settings(request).public_feeds_allowed or kind not in ("feed", "campaign"):
        return False
    table = schema.feeds if kind == "feed" else schema.campaigns
    raw = request.path_params.get(f"{kind}_id", request.path_params.get("id"))
    try:
        row_id = int(str(raw).split(".")[0])
    except ValueError:
        return False
    with get_store(request).engine.connect() as conn:
        return bool(conn.execute(select(table.c.public).where(table.c.id == row_id)).scalar())


def require_user_or_public(
    kind: Literal["feed", "campaign", "none"],
) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency for published feed URLs; see the module docstring."""

    async def dependency(request: Request) -> Viewer:
        if _is_public(request, kind):
            return Viewer(public=True)
        viewer = current_viewer(request)
        if viewer is None:
            viewer = token_viewer(get_store(request), request.query_params.get("token"))
        if viewer is not None:
            return authorize(viewer, "read")
        raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})

    return dependency
