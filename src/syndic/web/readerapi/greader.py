"""The Google Reader API, as FreshRSS, Miniflux, Inoreader and FeedHQ serve it.

Served under three bases, because clients are configured with one URL and
append the rest: `/api/greader` (ours), `/api/greader.php` (FreshRSS's, which
many apps' presets use) and the site root (Miniflux's; newsboat's `feedhq`
source appends `/accounts/ClientLogin`, `/reader/api/0/…` and `/reader/atom/…`).

The protocol's answers, not ours: ClientLogin answers `Auth=…` lines or 403
`Error=BadAuthentication`; a missing or wrong `Authorization: GoogleLogin
auth=…` is 401; a wrong action token `T` is 401 with `X-Reader-Google-Bad-Token:
true` (a missing one is accepted: tokens are not ambient credentials, and
several apps never send it); a malformed request is 400 and changes nothing;
writes answer `OK`. JSON only (`output=json`), plus the Atom stream FeedHQ
and newsboat read. `n` is capped (1,000 items a page, 10,000 ids), as Google
capped it, rather than refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any
from xml.sax.saxutils import escape, quoteattr

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from syndic.errors import SyndicError
from syndic.library import Syndic
from syndic.library.streams import MAX_LABEL_LENGTH, Item, Stream, StreamQuery
from syndic.web.deps import get_actions, get_settings, get_syndic
from syndic.web.ratelimit import LoginRateLimiter, client_address
from syndic.web.readerapi.credentials import (
    ApiUser,
    action_token,
    auth_token,
    check_action_token,
    check_auth_token,
    client_login,
)

BASES = ("", "/api/greader", "/api/greader.php")
MAX_ITEMS = 1000
MAX_ID = 2**63 - 1
MAX_IDS = 10_000
MAX_EDIT_IDS = 10_000
DEFAULT_ITEMS = 20
ITEM_PREFIX = "tag:google.com,2005:reader/item/"
STATE = "user/-/state/com.google/"
GOOGLE_SCHEME = "http://www.google.com/reader/"


class GReaderError(Exception):
    """An answer the protocol defines for a refused request (plain text, a status, headers)."""

    def __init__(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(text)
        self.status = status
        self.text = text
        self.headers = headers or {}

    def response(self) -> Response:
        return PlainTextResponse(self.text, self.status, self.headers)


def bad_request(why: str) -> GReaderError:
    return GReaderError(400, f"Bad Request: {why}")


def _enabled(request: Request) -> None:
    if not get_settings(request).greader_api:
        raise GReaderError(404, "Not Found")


def api_user(request: Request) -> ApiUser:
    """The user whose ClientLogin token the request carries (401 otherwise)."""
    _enabled(request)
    header = request.headers.get("authorization", "")
    scheme, _, rest = header.partition(" ")
    token = ""
    if scheme.lower() == "googlelogin":
        key, _, value = rest.strip().partition("=")
        token = value if key.lower() == "auth" else ""
    elif scheme.lower() == "bearer":
        token = rest.strip()
    user = check_auth_token(request, token) if token else None
    if user is None:
        raise GReaderError(401, "Unauthorized", {"WWW-Authenticate": "GoogleLogin"})
    return user


User = Annotated[ApiUser, Depends(api_user)]


async def params(request: Request) -> dict[str, list[str]]:
    """Query and form values together (apps send either, some both), each name a list."""
    merged: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        merged.setdefault(key, []).append(value)
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(max_files=0, max_fields=MAX_EDIT_IDS * 2 + 100)
        for key, field in form.multi_items():
            if isinstance(field, str):
                merged.setdefault(key, []).append(field)
    return merged


Params = Annotated[dict[str, list[str]], Depends(params)]


def _one(values: dict[str, list[str]], name: str, default: str = "") -> str:
    found = values.get(name)
    return found[0] if found else default


def _check_action(user: ApiUser, values: dict[str, list[str]]) -> None:
    token = _one(values, "T")
    if token and not check_action_token(user, token):
        raise GReaderError(401, "Unauthorized", {"X-Reader-Google-Bad-Token": "true"})


def _ok() -> Response:
    return PlainTextResponse("OK")


# --- ids, streams, numbers -------------------------------------------------------------


def long_item_id(entry_id: int) -> str:
    return f"{ITEM_PREFIX}{entry_id:016x}"


def parse_item_id(text: str) -> int:
    """An item id in any of its forms: long (tag:…/item/hex), bare 16-digit hex, or decimal (signed 64-bit)."""
    value = text.strip()
    try:
        if value.startswith(ITEM_PREFIX):
            number = int(value[len(ITEM_PREFIX):], 16)
        elif re.fullmatch(r"[0-9a-fA-F]{16}", value) and not value.isdigit():
            number = int(value, 16)
        elif re.fullmatch(r"-?[0-9]{1,20}", value):  # ASCII digits only
            number = int(value)
            if number < 0:
                number += 2**64  # Google's short ids are the signed form of the 64-bit id
        else:
            raise ValueError(value)
    except ValueError:
        raise bad_request(f"malformed item id {text[:80]!r}") from None
    if not 0 < number < 2**63:
        raise bad_request(f"item id out of range {text[:80]!r}")
    return number


def _state_name(text: str) -> str | None:
    """`user/-/state/com.google/read` or `user/123/state/com.google/read` -> "read"."""
    match = re.fullmatch(r"user/(?:-|\d+)/state/com\.google/([a-z-]+)", text.strip())
    return match.group(1) if match else None


def _label_name(text: str) -> str | None:
    match = re.fullmatch(r"user/(?:-|\d+)/label/(.+)", text.strip(), re.S)
    if not match:
        return None
    label = match.group(1).strip()
    if not label or len(label) > MAX_LABEL_LENGTH or any(ord(c) < 32 for c in label):
        raise bad_request("malformed label")
    return label


def parse_stream(syndic: Syndic, text: str) -> Stream:
    """A stream id: reading-list, feed/ID (or feed/URL), user/-/label/NAME, user/-/state/com.google/STATE."""
    value = text.strip()
    if value.startswith("feed/"):
        rest = value[len("feed/"):]
        if re.fullmatch(r"[0-9]{1,18}", rest):
            return Stream("feed", feed_id=int(rest))
        feed_id = syndic.streams.feed_by_url(rest)
        return Stream("feed", feed_id=feed_id or 0)
    label = _label_name(value)
    if label is not None:
        return Stream("label", label=label)
    state = _state_name(value)
    if value in ("", "reading-list") or state in ("reading-list", "fresh"):
        return Stream("all")
    if state == "read":
        return Stream("read")
    if state == "starred":
        return Stream("starred")
    if state in ("kept-unread", "tracking-kept-unread"):
        return Stream("unread")
    if state is not None:
        return Stream("none")  # broadcast, like, …: states syndic does not keep, so nothing is in them
    raise bad_request(f"unknown stream {value[:80]!r}")


def _int(values: dict[str, list[str]], name: str, default: int | None = None, *, low: int = 0) -> int | None:
    raw = _one(values, name)
    if raw == "":
        return default
    if not re.fullmatch(r"-?[0-9]{1,19}", raw.strip()) or abs(int(raw)) > MAX_ID:
        raise bad_request(f"{name} is not a number")
    number = int(raw)
    if number < low:
        raise bad_request(f"{name} is below {low}")
    return number


def _moment(seconds: int) -> datetime:
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise bad_request("time out of range") from None


def _usec(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1_000_000))


def _query(syndic: Syndic, stream: Stream, values: dict[str, list[str]]) -> StreamQuery:
    """The stream narrowed by xt (exclude), it (include), ot (crawled after, seconds), nt (crawled before, seconds)."""
    exclude = tuple(parse_stream(syndic, text) for text in values.get("xt", []))
    include = tuple(parse_stream(syndic, text) for text in values.get("it", []))
    older = _int(values, "ot")
    after = _moment(older) if older is not None else None
    newer = _int(values, "nt")
    before = _moment(newer) if newer is not None else None
    return StreamQuery(stream, include=include, exclude=exclude, crawled_after=after, crawled_before=before)


def _page(values: dict[str, list[str]], cap: int) -> tuple[int, int | None, bool]:
    """(n, continuation id, oldest first). n is capped, as Google capped it."""
    n = _int(values, "n", DEFAULT_ITEMS, low=1) or DEFAULT_ITEMS
    cont = _one(values, "c").strip()
    after = None
    if cont:
        if not re.fullmatch(r"[0-9]{1,19}", cont) or int(cont) > MAX_ID:
            raise bad_request("malformed continuation")
        after = int(cont)
    return min(n, cap), after, _one(values, "r") == "o"


# --- rendering ----------------------------------------------------------------------


def _categories(item: Item, user: ApiUser, folders: dict[int, str | None]) -> list[str]:
    found = [f"user/{user.user_id}/state/com.google/reading-list"]
    if item.read:
        found.append(f"user/{user.user_id}/state/com.google/read")
    if item.starred:
        found.append(f"user/{user.user_id}/state/com.google/starred")
    folder = folders.get(item.feed_id)
    if folder:
        found.append(f"user/{user.user_id}/label/{folder}")
    found.extend(f"user/{user.user_id}/label/{label}" for label in item.labels if label != folder)
    return found


def item_json(item: Item, user: ApiUser, folders: dict[int, str | None]) -> dict[str, Any]:
    content = {"direction": "ltr", "content": item.html}
    out: dict[str, Any] = {
        "id": long_item_id(item.id),
        "crawlTimeMsec": str(int(item.crawled.timestamp() * 1000)),
        "timestampUsec": _usec(item.crawled),
        "published": int(item.published.timestamp()),
        "updated": int(item.published.timestamp()),
        "title": item.title,
        "author": item.author,
        "categories": _categories(item, user, folders),
        "origin": {"streamId": f"feed/{item.feed_id}", "title": item.feed_title, "htmlUrl": item.feed_site_url or ""},
        "summary": content,
        "content": content,
        "canonical": [{"href": item.url}] if item.url else [],
        "alternate": [{"href": item.url, "type": "text/html"}] if item.url else [],
    }
    if item.enclosures:
        out["enclosure"] = [
            {"href": e.url, "type": e.type or "", **({"length": str(e.length)} if e.length else {})}
            for e in item.enclosures
        ]
    return out


def _stream_title(syndic: Syndic, stream: Stream) -> str:
    if stream.kind == "feed":
        feed = syndic.streams.subscription(stream.feed_id)
        return feed.title if feed else ""
    if stream.kind == "label":
        return stream.label
    names = {"all": "Reading list", "starred": "Starred items", "read": "Read items", "unread": "Unread items"}
    return names.get(stream.kind, "")


# --- routes -------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)


@router.api_route("/accounts/ClientLogin", methods=["GET", "POST"])
async def client_login_route(request: Request, values: Params) -> Response:
    _enabled(request)
    email, password = _one(values, "Email"), _one(values, "Passwd")
    limiter: LoginRateLimiter = request.app.state.login_limiter
    address = client_address(request.client.host if request.client else None)
    wait = limiter.retry_after(email, address)
    if wait > 0:
        return PlainTextResponse("Error=TooManyAttempts\n", 429, {"Retry-After": str(int(wait) + 1)})
    user = client_login(request, email, password) if email and password else None
    if user is None:
        limiter.record_failure(email, address)
        return PlainTextResponse("Error=BadAuthentication\n", 403)
    limiter.record_success(email, address)
    token = auth_token(user)
    if _one(values, "output") == "json":
        return JSONResponse({"SID": token, "LSID": "null", "Auth": token})
    return PlainTextResponse(f"SID={token}\nLSID=null\nAuth={token}\n")


@router.get("/reader/api/0/token")
def token(user: User) -> Response:
    return PlainTextResponse(action_token(user))


@router.get("/reader/api/0/user-info")
def user_info(user: User) -> Response:
    return JSONResponse({
        "userId": str(user.user_id), "userName": user.username, "userProfileId": str(user.user_id),
        "userEmail": "", "isBloggerUser": False, "signupTimeSec": 0, "isMultiLoginEnabled": False,
    })


@router.get("/reader/api/0/subscription/list")
def subscription_list(request: Request, user: User) -> Response:
    subs = get_syndic(request).streams.subscriptions()
    return JSONResponse({"subscriptions": [
        {
            "id": f"feed/{s.feed_id}",
            "title": s.title,
            "categories": [{"id": f"user/{user.user_id}/label/{s.folder}", "label": s.folder}] if s.folder else [],
            "url": s.url,
            "htmlUrl": s.site_url or "",
            "iconUrl": "",
            "firstitemmsec": "0",
        }
        for s in subs
    ]})


def _require_admin(user: ApiUser) -> None:
    # Feeds are shared by every account: only an admin changes the list (the web reader's rule).
    if not user.is_admin:
        raise GReaderError(403, "Forbidden: only an admin changes subscriptions")


async def _subscribe(request: Request, url: str) -> int:
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise bad_request("give the address of a page or feed (http:// or https://)")
    try:
        return await get_actions(request).add_feed(url)
    except SyndicError as exc:
        raise bad_request(str(exc)) from None
    except NotImplementedError:
        raise GReaderError(501, "Not Implemented: this server cannot add feeds") from None


def _feed_of(syndic: Syndic, text: str) -> int:
    if not text.startswith("feed/"):
        raise bad_request("s must be a feed stream (feed/…)")
    stream = parse_stream(syndic, text)
    if stream.kind != "feed" or syndic.streams.subscription(stream.feed_id) is None:
        raise bad_request("unknown feed")
    return stream.feed_id


@router.post("/reader/api/0/subscription/edit")
async def subscription_edit(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    _require_admin(user)
    action = _one(values, "ac")
    streams = values.get("s", [])
    if action not in ("subscribe", "unsubscribe", "edit") or not streams:
        raise bad_request("ac must be subscribe, unsubscribe or edit, with s")
    title = _one(values, "t").strip()[:500]
    add = [x for x in (_label_name(v) for v in values.get("a", [])) if x]
    remove = [x for x in (_label_name(v) for v in values.get("r", [])) if x]
    syndic = get_syndic(request)
    if action == "subscribe":
        for text in streams:
            url = text[len("feed/"):] if text.startswith("feed/") else text
            feed_id = syndic.streams.feed_by_url(url) or await _subscribe(request, url)
            _edit_feed(syndic, feed_id, title, add, remove)
        return _ok()
    feed_ids = [_feed_of(syndic, text) for text in streams]
    for feed_id in feed_ids:
        if action == "unsubscribe":
            syndic.streams.unsubscribe(feed_id)
        else:
            _edit_feed(syndic, feed_id, title, add, remove)
    return _ok()


def _edit_feed(syndic: Syndic, feed_id: int, title: str, add: Sequence[str], remove: Sequence[str]) -> None:
    # a feed is in one folder (its OPML category): the last one added, else out of a removed one
    syndic.streams.edit_subscription(feed_id, title=title or None, folder=add[-1] if add else None, leave=remove)


@router.post("/reader/api/0/subscription/quickadd")
async def quickadd(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    _require_admin(user)
    url = _one(values, "quickadd").strip()
    if url.startswith("feed/"):
        url = url[len("feed/"):]
    if not url:
        raise bad_request("quickadd is empty")
    feed_id = get_syndic(request).streams.feed_by_url(url) or await _subscribe(request, url)
    return JSONResponse({"numResults": 1, "query": url, "streamId": f"feed/{feed_id}", "streamName": url})


@router.get("/reader/api/0/subscription/export")
async def subscription_export(request: Request, user: User) -> Response:
    try:
        document = await get_actions(request).export_opml()
    except NotImplementedError:
        raise GReaderError(501, "Not Implemented: this server cannot export") from None
    return Response(document, media_type="text/x-opml; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="subscriptions.opml"'})


@router.get("/reader/api/0/tag/list")
def tag_list(request: Request, user: User) -> Response:
    streams = get_syndic(request).streams
    folders = sorted({s.folder for s in streams.subscriptions() if s.folder})
    labels = [x for x in streams.labels(user.user_id) if x not in folders]
    tags: list[dict[str, str]] = [{"id": f"user/{user.user_id}/state/com.google/starred"}]
    tags += [{"id": f"user/{user.user_id}/label/{name}", "type": "folder"} for name in folders]
    tags += [{"id": f"user/{user.user_id}/label/{name}", "type": "tag"} for name in labels]
    return JSONResponse({"tags": tags})


@router.post("/reader/api/0/rename-tag")
async def rename_tag(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    old = _label_name(_one(values, "s"))
    new = _label_name(_one(values, "dest"))
    if not old or not new:
        raise bad_request("s and dest must be labels")
    get_syndic(request).streams.rename_label(user.user_id, old, new, folders=user.is_admin)
    return _ok()


@router.post("/reader/api/0/disable-tag")
async def disable_tag(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    label = _label_name(_one(values, "s"))
    if not label:
        raise bad_request("s must be a label")
    get_syndic(request).streams.remove_label(user.user_id, label, folders=user.is_admin)
    return _ok()


def _stream_items(
    syndic: Syndic, user: ApiUser, stream_text: str, values: dict[str, list[str]]
) -> tuple[Stream, list[Item], str | None]:
    """One page of a stream's items (n, c, r and the filters from `values`), and its continuation."""
    stream = parse_stream(syndic, stream_text)
    n, after, oldest_first = _page(values, MAX_ITEMS)
    query = _query(syndic, stream, values)
    page = syndic.streams.contents(user.user_id, query, count=n, after=after, oldest_first=oldest_first)
    return stream, list(page.items), None if page.continuation is None else str(page.continuation)


def _contents(request: Request, user: User, stream_text: str, values: dict[str, list[str]]) -> Response:
    syndic = get_syndic(request)
    stream, items, continuation = _stream_items(syndic, user, stream_text or STATE + "reading-list", values)
    folders = syndic.streams.folders()
    title = _stream_title(syndic, stream)
    body: dict[str, Any] = {
        "direction": "ltr",
        "id": stream_text or STATE + "reading-list",
        "title": title,
        "updated": int(datetime.now(UTC).timestamp()),
        "items": [item_json(item, user, folders) for item in items],
    }
    if continuation:
        body["continuation"] = continuation
    return JSONResponse(body)


@router.get("/reader/api/0/stream/contents")
def stream_contents_query(request: Request, user: User, values: Params) -> Response:
    return _contents(request, user, _one(values, "s"), values)


@router.get("/reader/api/0/stream/contents/{stream:path}")
def stream_contents(request: Request, user: User, values: Params, stream: str) -> Response:
    return _contents(request, user, stream, values)


@router.get("/reader/api/0/stream/items/ids")
def stream_item_ids(request: Request, user: User, values: Params) -> Response:
    syndic = get_syndic(request)
    stream = parse_stream(syndic, _one(values, "s", STATE + "reading-list"))
    n, after, oldest_first = _page(values, MAX_IDS)
    query = _query(syndic, stream, values)
    page = syndic.streams.page(user.user_id, query, count=n, after=after, oldest_first=oldest_first)
    body: dict[str, Any] = {"itemRefs": [{"id": str(i), "directStreamIds": [], "timestampUsec": "0"} for i in page.ids]}
    if page.continuation is not None:
        body["continuation"] = str(page.continuation)
    return JSONResponse(body)


@router.api_route("/reader/api/0/stream/items/contents", methods=["GET", "POST"])
async def stream_items_contents(request: Request, user: User, values: Params) -> Response:
    wanted = values.get("i", [])
    if not wanted:
        raise bad_request("no item id (i)")
    if len(wanted) > MAX_ITEMS:
        raise bad_request(f"at most {MAX_ITEMS} items a request")
    ids = list(dict.fromkeys(parse_item_id(v) for v in wanted))
    streams = get_syndic(request).streams
    items = streams.items(user.user_id, ids)
    folders = streams.folders()
    return JSONResponse({
        "direction": "ltr",
        "id": STATE + "reading-list",
        "title": "Items",
        "updated": int(datetime.now(UTC).timestamp()),
        "items": [item_json(item, user, folders) for item in items],
    })


@router.get("/reader/api/0/unread-count")
def unread_count(request: Request, user: User) -> Response:
    streams = get_syndic(request).streams
    per_feed = streams.unread_counts(user.user_id)
    folders = streams.folders()
    per_label = streams.label_unread_counts(user.user_id)
    counts: list[dict[str, Any]] = []
    by_folder: dict[str, list[Any]] = {}
    total = 0
    newest_all: datetime | None = None
    for feed_id, count, newest in ((f.feed_id, f.count, f.newest) for f in per_feed):
        stamp = _usec(newest) if newest else "0"
        counts.append({"id": f"feed/{feed_id}", "count": count, "newestItemTimestampUsec": stamp})
        total += count
        newest_all = max(filter(None, [newest_all, newest]), default=None)
        folder = folders.get(feed_id)
        if folder:
            entry = by_folder.setdefault(folder, [0, None])
            entry[0] += count
            entry[1] = max(filter(None, [entry[1], newest]), default=None)
    for labelled in per_label:
        if labelled.label not in by_folder:
            by_folder[labelled.label] = [labelled.count, None]
    for folder, (count, newest) in sorted(by_folder.items()):
        counts.append({
            "id": f"user/{user.user_id}/label/{folder}", "count": count,
            "newestItemTimestampUsec": _usec(newest) if newest else "0",
        })
    counts.append({
        "id": f"user/{user.user_id}/state/com.google/reading-list", "count": total,
        "newestItemTimestampUsec": _usec(newest_all) if newest_all else "0",
    })
    return JSONResponse({"max": total, "unreadcounts": counts})


def _tag_changes(texts: list[str]) -> tuple[dict[str, bool], list[str]]:
    """The states (read / starred: on or off) and labels a list of a= or r= tags names."""
    states: dict[str, bool] = {}
    labels: list[str] = []
    for text in texts:
        label = _label_name(text)
        if label is not None:
            labels.append(label)
            continue
        state = _state_name(text)
        if state in ("read", "starred"):
            states[state] = True
        elif state in ("kept-unread", "tracking-kept-unread"):
            states["unread"] = True
        elif state in ("broadcast", "like", "tracking-body-link-used", "tracking-emailed",
                       "tracking-item-link-used", "tracking-mobile-read", "fresh"):
            continue  # states syndic does not keep: accepted, nothing to change
        else:
            raise bad_request(f"unknown tag {text[:80]!r}")
    return states, labels


@router.post("/reader/api/0/edit-tag")
async def edit_tag(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    wanted = values.get("i", [])
    if not wanted:
        raise bad_request("no item id (i)")
    if len(wanted) > MAX_EDIT_IDS:
        raise bad_request(f"at most {MAX_EDIT_IDS} items a request")
    add_states, add_labels = _tag_changes(values.get("a", []))
    remove_states, remove_labels = _tag_changes(values.get("r", []))
    if not (add_states or add_labels or remove_states or remove_labels) and not (values.get("a") or values.get("r")):
        raise bad_request("nothing to change (a or r)")
    ids = list(dict.fromkeys(parse_item_id(v) for v in wanted))
    read: bool | None = None
    if add_states.get("read") or remove_states.get("unread"):
        read = True
    if remove_states.get("read") or add_states.get("unread"):
        read = False
    starred = True if add_states.get("starred") else False if remove_states.get("starred") else None
    known = get_syndic(request).streams.edit_items(
        user.user_id, ids, read=read, starred=starred, add_labels=add_labels, remove_labels=remove_labels
    )
    if not known:
        raise bad_request("no such item")
    return _ok()


@router.post("/reader/api/0/mark-all-as-read")
async def mark_all_as_read(request: Request, user: User, values: Params) -> Response:
    _check_action(user, values)
    text = _one(values, "s")
    if not text:
        raise bad_request("no stream (s)")
    stamp = _int(values, "ts")
    syndic = get_syndic(request)
    stream = parse_stream(syndic, text)
    if stream.kind == "feed" and syndic.streams.subscription(stream.feed_id) is None:
        raise bad_request("unknown feed")
    before = _moment(stamp // 1_000_000) if stamp is not None else None
    syndic.streams.mark_read(user.user_id, StreamQuery(stream, crawled_before=before))
    return _ok()


@router.get("/reader/atom/{stream:path}")
def atom_stream(request: Request, user: User, values: Params, stream: str) -> Response:
    """A stream as Google Reader's Atom: what FeedHQ served and newsboat's `feedhq` source reads.

    Read state travels as `<category scheme="http://www.google.com/reader/" label="read">`
    (unread items carry `fresh`), which newsboat applies to its own cache.
    """
    syndic = get_syndic(request)
    parsed, items, continuation = _stream_items(syndic, user, stream, values)
    folders = syndic.streams.folders()
    title = _stream_title(syndic, parsed)
    site = None
    if parsed.kind == "feed":
        feed = syndic.streams.subscription(parsed.feed_id)
        site = feed.site_url if feed else None
    now = datetime.now(UTC).isoformat()
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:gr="http://www.google.com/schemas/reader/atom/">',
        f"<id>tag:google.com,2005:reader/{escape(stream)}</id>",
        f"<title>{escape(title)}</title>",
        f"<updated>{now}</updated>",
    ]
    if site:
        parts.append(f'<link rel="alternate" href={quoteattr(site)}/>')
    if continuation:
        parts.append(f"<gr:continuation>{continuation}</gr:continuation>")
    for item in items:
        parts.append("<entry>")
        parts.append(f"<id>{long_item_id(item.id)}</id>")
        parts.append(f"<title>{escape(item.title)}</title>")
        parts.append(f"<published>{item.published.isoformat()}</published>")
        parts.append(f"<updated>{item.published.isoformat()}</updated>")
        if item.url:
            parts.append(f'<link rel="alternate" href={quoteattr(item.url)} type="text/html"/>')
        for enclosure in item.enclosures:
            parts.append(f'<link rel="enclosure" href={quoteattr(enclosure.url)} type={quoteattr(enclosure.type or "")}/>')
        if item.author:
            parts.append(f"<author><name>{escape(item.author)}</name></author>")
        for category in _categories(item, user, folders):
            short = category.rsplit("/", 1)[-1]
            scheme = f' scheme="{GOOGLE_SCHEME}"' if "/state/com.google/" in category else ""
            parts.append(f"<category term={quoteattr(category)}{scheme} label={quoteattr(short)}/>")
        if not item.read:
            parts.append(f'<category term="user/{user.user_id}/state/com.google/fresh" scheme="{GOOGLE_SCHEME}" label="fresh"/>')
        parts.append(f'<content type="html">{escape(item.html)}</content>')
        parts.append(f'<source gr:stream-id="feed/{item.feed_id}"><title>{escape(item.feed_title)}</title></source>')
        parts.append("</entry>")
    parts.append("</feed>")
    return Response("\n".join(parts), media_type="application/atom+xml; charset=utf-8")


def install(app: Any) -> None:
    """Serve the API under each base clients use; turn its refusals into the protocol's answers."""
    for base in BASES:
        app.include_router(router, prefix=base)

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, GReaderError)
        return exc.response()

    app.add_exception_handler(GReaderError, handler)
