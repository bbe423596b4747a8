"""Who is asking: sessions for the reader, bearer tokens for the API, CSRF.

Reader sessions: the cookie holds a random secret; the library's accounts
(`syndic.library.Accounts`) keep only its SHA-256, the user and the
session's CSRF token. The cookie
is HttpOnly, SameSite=Lax, and Secure when `WebSettings.secure_cookies` or
the request came over HTTPS (behind a proxy: uvicorn --proxy-headers).
Every state-changing request from a browser must carry the session's CSRF
token (a hidden `csrf_token` form field, or the `X-CSRF-Token` header from
our script); the login form, before any session exists, uses a
double-submit cookie instead.

API: `Authorization: Bearer <token>`, checked by `Accounts.check_token`.

Roles: a user is an admin or a reader. Readers read and keep their own
read/star state; only admins manage users, feeds (publicness, deletion),
campaigns and their destinations, and settings. Every route states what it
needs with one of the scope checks below — `authorize(viewer, scope)` is
the one place the rule lives; a token's scopes are capped by its owner's
role (`Accounts.check_token`).

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
  Every route reaches the data through `syndic.web.deps.get_syndic` (the library).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from fastapi import HTTPException, Request, Response

from syndic.library.accounts import Accounts, Scope
from syndic.web.deps import get_settings, get_syndic

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


def session_viewer(accounts: Accounts, secret: str | None) -> Viewer | None:
    """The viewer behind a session cookie's secret (its user and role), None when not a live session."""
    session = accounts.find_session(secret)
    if session is None:
        return None
    return Viewer(
        user_id=session.user_id, username=session.username, csrf_token=session.csrf_token,
        is_admin=session.is_admin, scopes=session.scopes,
    )


def token_viewer(accounts: Accounts, token: str | None) -> Viewer | None:
    """The viewer behind an API token (its owner, its capped scopes), None when invalid."""
    owner = accounts.check_token(token) if token else None
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
    accounts = get_syndic(request).accounts
    viewer = session_viewer(accounts, request.cookies.get(SESSION_COOKIE))
    if viewer is None:
        viewer = token_viewer(accounts, _bearer(request))
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
    viewer = token_viewer(get_syndic(request).accounts, _bearer(request))
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
    raw = request.path_params.get(f"{kind}_id", request.path_params.get("id"))
    try:
        row_id = int(str(raw).split(".")[0])
    except ValueError:
        return False
    library = get_syndic(request)
    found = library.feeds.get(row_id) if kind == "feed" else library.campaigns.get(row_id)
    return found is not None and found.public


def require_user_or_public(
    kind: Literal["feed", "campaign", "none"],
) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency for published feed URLs; see the module docstring."""

    async def dependency(request: Request) -> Viewer:
        if _is_public(request, kind):
            return Viewer(public=True)
        viewer = current_viewer(request)
        if viewer is None:
            viewer = token_viewer(get_syndic(request).accounts, request.query_params.get("token"))
        if viewer is not None:
            return authorize(viewer, "read")
        raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})

    return dependency
