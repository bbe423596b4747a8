"""The web reader: server-rendered pages over the store, forms for every action.

Every page needs a login session (`require_session`); every form post
carries the session's CSRF token (`require_csrf`). Reading, starring and
adding feeds are every user's; managing feeds (publicness, deletion) and
campaigns is an admin's (`require_admin`, `require_admin_csrf`). Read and
starred are the logged-in user's own (store/reading.py). Pages work without
JavaScript; `static/reader.js` adds keyboard shortcuts and posts the
star/read forms in the background when it can. Work that belongs to other
stages (adding a feed, importing OPML, running a campaign) goes through the
injected `WebActions`.
"""

from __future__ import annotations

import logging
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import NoMatchFound

from syndic.errors import SyndicError
from syndic.library.reading import VIEWS, ArticleDetail, EntryFilter, View
from syndic.web.auth import (
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Viewer,
    current_viewer,
    require_admin,
    require_admin_csrf,
    require_csrf,
    require_session,
    set_cookie,
)
from syndic.web.deps import get_actions, get_settings, get_syndic
from syndic.web.ratelimit import LoginRateLimiter, client_address
from syndic.web.security import safe_next
from syndic.web.templating import templates

log = logging.getLogger("syndic.web")
router = APIRouter(include_in_schema=False)

MAX_ID = 2**63 - 1
IdParam = Annotated[int | None, Query(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
SessionViewer = Annotated[Viewer, Depends(require_session)]
CsrfViewer = Annotated[Viewer, Depends(require_csrf)]
AdminViewer = Annotated[Viewer, Depends(require_admin)]
AdminCsrfViewer = Annotated[Viewer, Depends(require_admin_csrf)]
MAX_OPML_BYTES = 5 * 1024 * 1024


def render(
    request: Request, viewer: Viewer | None, name: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    def route_path(name: str, **params: Any) -> str | None:
        """The path of another stage's route (the publish stage's feeds), None when not mounted."""
        try:
            return str(request.app.url_path_for(name, **params))
        except NoMatchFound:
            return None

    context = {"viewer": viewer, "settings": get_settings(request), "route_path": route_path, **context}
    if viewer is not None and viewer.user_id is not None:
        context.setdefault("counts", get_syndic(request).reading.counts(viewer.user_id, one_per_story=True))
    return templates.TemplateResponse(request, name, context, status_code=status)


def _is_script(request: Request) -> bool:
    return CSRF_HEADER in request.headers


# --- login ------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if current_viewer(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _login_form(request, next, None, 200)


def _login_form(request: Request, next_path: str, error: str | None, status: int) -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(
        request, None, "login.html", {"login_csrf": token, "next": safe_next(next_path), "error": error}, status
    )
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=150)],
    password: Annotated[str, Form(max_length=1024)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        return _login_form(request, next, "Your login form expired; please try again.", 403)
    limiter: LoginRateLimiter = request.app.state.login_limiter
    address = client_address(request.client.host if request.client else None)
    wait = limiter.retry_after(username, address)
    if wait > 0:
        response = _login_form(request, next, f"Too many failed logins. Try again in {int(wait) + 1} s.", 429)
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    accounts = get_syndic(request).accounts
    user_id = accounts.authenticate(username, password)
    if user_id is None:
        limiter.record_failure(username, address)
        return _login_form(request, next, "Wrong user name or password.", 401)
    limiter.record_success(username, address)
    settings = get_settings(request)
    secret, _csrf = accounts.start_session(user_id, settings.session_lifetime_seconds)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, request, SESSION_COOKIE, secret, max_age=settings.session_lifetime_seconds)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(request: Request, viewer: CsrfViewer) -> Response:
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        get_syndic(request).accounts.end_session(secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# --- lists ------------------------------------------------------------------


def _filter(viewer: Viewer, view: str, feed_id: int | None, campaign_id: int | None) -> EntryFilter:
    chosen: View = view if view in VIEWS else "all"
    # a story is listed once; what the user starred is always listed
    return EntryFilter(
        view=chosen, feed_id=feed_id, campaign_id=campaign_id, one_per_story=chosen != "starred",
        user_id=viewer.user_id,
    )


def _scope_query(flt: EntryFilter) -> str:
    parts = [f"view={flt.view}"]
    if flt.feed_id is not None:
        parts.append(f"feed_id={flt.feed_id}")
    if flt.campaign_id is not None:
        parts.append(f"campaign_id={flt.campaign_id}")
    return "&".join(parts)


@router.get("/")
def entry_list(
    request: Request,
    viewer: SessionViewer,
    view: str = "unread",
    feed_id: IdParam = None,
    campaign_id: IdParam = None,
    after: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    flt = _filter(viewer, view, feed_id, campaign_id)
    settings = get_settings(request)
    reading = get_syndic(request).reading
    page = reading.entries(flt, limit=settings.page_size, after=after)
    scope_title = None
    if feed_id is not None:
        feed = reading.feed(feed_id)
        if feed is None:
            raise HTTPException(404, "no such feed")
        scope_title = feed.title or feed.url
    if campaign_id is not None:
        campaign = get_syndic(request).campaigns.get(campaign_id)
        if campaign is None:
            raise HTTPException(404, "no such campaign")
        scope_title = campaign.name
    up_to_id = reading.newest_entry_id()
    return render(
        request,
        viewer,
        "list.html",
        {
            "entries": page.entries,
            "flt": flt,
            "scope": _scope_query(flt),
            "scope_title": scope_title,
            "next_cursor": page.next_cursor,
            "first_page": after is None,
            "up_to_id": up_to_id,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


@router.post("/mark-all-read")
def mark_all_read(
    request: Request,
    viewer: CsrfViewer,
    view: Annotated[str, Form()] = "all",
    feed_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    campaign_id: Annotated[int | None, Form(ge=1, le=MAX_ID)] = None,
    up_to_id: Annotated[int | None, Form(ge=0, le=MAX_ID)] = None,
) -> Response:
    flt = _filter(viewer, view, feed_id, campaign_id)
    changed = get_syndic(request).reading.mark_all_read(flt, up_to_id=up_to_id)
    if _is_script(request):
        return JSONResponse({"marked": changed})
    return RedirectResponse("/?" + _scope_query(flt), status_code=303)


# --- one entry ----------------------------------------------------------------


def _article_context(detail: ArticleDetail | None) -> dict[str, Any]:
    """What entry.html shows of an article: it, its history, its story and the story's copies."""
    if detail is None:
        return {"article": None, "history": [], "story": None, "copies": None}
    return {"article": detail.article, "history": detail.history, "story": detail.story, "copies": detail.copies}


@router.get("/entries/{entry_id}")
def entry_page(
    request: Request,
    viewer: SessionViewer,
    entry_id: PathId,
    view: str = "all",
    feed_id: IdParam = None,
    campaign_id: IdParam = None,
) -> Response:
    flt = _filter(viewer, view, feed_id, campaign_id)
    reading = get_syndic(request).reading
    assert viewer.user_id is not None  # a session always has its user
    entry = reading.open_entry(entry_id, viewer.user_id)
    if entry is None:
        raise HTTPException(404, "no such entry")
    # In the unread view the entry just left the list; its neighbours are still found by position.
    prev_id, next_id = reading.neighbours(flt, entry)
    context = _article_context(reading.article(entry.article_id) if entry.article_id is not None else None)
    return render(
        request,
        viewer,
        "entry.html",
        {
            **context,
            "entry": entry,
            "read": True,
            "scope": _scope_query(flt),
            "prev_id": prev_id,
            "next_id": next_id,
            "here": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
        },
    )


@router.get("/articles/{article_id}")
def article_page(
    request: Request, viewer: SessionViewer, article_id: PathId
) -> Response:
    reading = get_syndic(request).reading
    entry_id = reading.entry_for_article(article_id)
    if entry_id is not None:
        return RedirectResponse(f"/entries/{entry_id}", status_code=303)
    detail = reading.article(article_id)
    if detail is None:
        raise HTTPException(404, "no such article")
    context = _article_context(detail)
    return render(request, viewer, "entry.html", {**context, "entry": None, "scope": "view=all"})


def _flag(value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    return value in ("1", "true", "on", "yes")


async def _toggle(
    request: Request, viewer: Viewer, entry_id: int, field: Literal["read", "starred"], value: bool | None,
    next_path: str,
) -> Response:
    assert viewer.user_id is not None  # a session always has its user
    reading = get_syndic(request).reading
    if value is None:
        state = reading.toggle(viewer.user_id, entry_id, field)
    elif field == "read":
        state = reading.mark_read(viewer.user_id, entry_id, value)
    else:
        state = reading.star(viewer.user_id, entry_id, value)
    if state is None:
        raise HTTPException(404, "no such entry")
    if _is_script(request):
        return JSONResponse({"id": state.entry_id, "read": state.read, "starred": state.starred})
    return RedirectResponse(safe_next(next_path), status_code=303)


@router.post("/entries/{entry_id}/star")
async def star(
    request: Request,
    viewer: CsrfViewer,
    entry_id: PathId,
    starred: Annotated[str | None, Form()] = None,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    return await _toggle(request, viewer, entry_id, "starred", _flag(starred), next)


@router.post("/entries/{entry_id}/read")
async def mark_read(
    request: Request,
    viewer: CsrfViewer,
    entry_id: PathId,
    read: Annotated[str | None, Form()] = None,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    return await _toggle(request, viewer, entry_id, "read", _flag(read), next)


# --- search -------------------------------------------------------------------


@router.get("/search")
def search_page(
    request: Request,
    viewer: SessionViewer,
    q: Annotated[str, Query(max_length=500)] = "",
    page: Annotated[int, Query(ge=1, le=1000)] = 1,
) -> Response:
    size = 20
    stories = get_syndic(request).stories
    hits = stories.search(q, limit=size + 1, offset=(page - 1) * size) if q.strip() else []
    return render(
        request,
        viewer,
        "search.html",
        {"q": q, "hits": hits[:size], "page": page, "more": len(hits) > size},
    )


# --- feeds --------------------------------------------------------------------


def _feeds_page(request: Request, viewer: Viewer, extra: dict[str, Any], status: int = 200) -> Response:
    reading = get_syndic(request).reading
    feeds = reading.feeds(viewer.user_id)
    # Byline repairs that fell short are a diagnostic for whoever runs the feeds, not article text.
    bylines = reading.byline_problems() if viewer.is_admin else []
    return render(request, viewer, "feeds.html", {"feeds": feeds, "bylines": bylines, **extra}, status)


@router.get("/feeds")
def feeds_page(request: Request, viewer: SessionViewer, added: IdParam = None, imported: int | None = None) -> Response:
    return _feeds_page(request, viewer, {"added": added, "imported": imported})


@router.post("/feeds")
async def add_feed(
    request: Request, viewer: CsrfViewer, url: Annotated[str, Form(max_length=2000)]
) -> Response:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        return _feeds_page(request, viewer, {"error": "Give the address of a page or feed (http:// or https://).", "url": url}, 400)
    try:
        feed_id = await get_actions(request).add_feed(url)
    except Exception as exc:  # any failure of another stage is shown, never a 500
        if not isinstance(exc, SyndicError | ValueError | NotImplementedError):
            log.exception("adding %s failed", url)
        return _feeds_page(request, viewer, {"error": f"Could not add {url}: {exc}", "url": url}, 400)
    return RedirectResponse(f"/feeds?added={feed_id}", status_code=303)


@router.post("/feeds/import")
async def import_opml(request: Request, viewer: CsrfViewer, opml: UploadFile) -> Response:
    data = await opml.read(MAX_OPML_BYTES + 1)
    if len(data) > MAX_OPML_BYTES:
        return _feeds_page(request, viewer, {"error": "That OPML file is too large (5 MB at most)."}, 413)
    try:
        count = await get_actions(request).import_opml(data)
    except Exception as exc:  # any failure of another stage is shown, never a 500
        if not isinstance(exc, SyndicError | ValueError | NotImplementedError):
            log.exception("OPML import failed")
        return _feeds_page(request, viewer, {"error": f"Could not import: {exc}"}, 400)
    return RedirectResponse(f"/feeds?imported={count}", status_code=303)


@router.get("/feeds/export.opml")
async def export_opml(request: Request, viewer: SessionViewer) -> Response:
    data = await get_actions(request).export_opml()
    return Response(
        data,
        media_type="text/x-opml; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="syndic-subscriptions.opml"'},
    )


@router.post("/feeds/{feed_id}/public")
def feed_public(
    request: Request,
    viewer: AdminCsrfViewer,
    feed_id: PathId,
    public: Annotated[str | None, Form()] = None,
) -> Response:
    if not get_syndic(request).feeds.set_public(feed_id, bool(_flag(public))):
        raise HTTPException(404, "no such feed")
    return RedirectResponse("/feeds", status_code=303)


@router.post("/feeds/{feed_id}/delete")
def feed_delete(request: Request, viewer: AdminCsrfViewer, feed_id: PathId) -> Response:
    if not get_syndic(request).feeds.delete(feed_id):
        raise HTTPException(404, "no such feed")
    return RedirectResponse("/feeds", status_code=303)
