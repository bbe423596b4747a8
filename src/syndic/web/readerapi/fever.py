"""The Fever API (`/fever/?api`), as Reeder, ReadKit, Unread and FeedMe speak it.

Every request carries `api_key = MD5("username:password")` (the user's API
password, see `credentials`) as a form field, and every answer is a JSON
object with `api_version` 3 and `auth` (0 for a wrong or missing key: the
protocol's only refusal, and nothing else is answered then). Reads are
query flags (`groups`, `feeds`, `favicons`, `items`, `links`,
`unread_item_ids`, `saved_item_ids`); writes are `mark`, `as`, `id` (and
`before` for feeds and groups). Items come 50 at a time: ascending after
`since_id`, descending before `max_id`, or the ones named by `with_ids`.

Groups are folders (feeds' OPML categories), numbered by a stable hash of
their name; group 0 is everything (Fever's "Kindling"). syndic does not
fetch favicons: every feed points at one neutral icon. Sparks, hot links and
`unread_recently_read` are not served (empty lists, nothing changed).
A malformed `id`/`before`/`since_id` is answered 400 with `error` and
changes nothing; an id that does not exist changes nothing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy import Connection, and_, func, select, true

from syndic.store import schema
from syndic.web.deps import get_settings, get_store
from syndic.web.queries import as_utc
from syndic.web.readerapi import items as db
from syndic.web.readerapi.credentials import ApiUser, fever_user

PAGE = 50
MAX_ID = 2**63 - 1
MAX_IDS_LISTED = 50_000
# A neutral 1x1 grey GIF, Fever's own placeholder format ("mime;base64,data").
BLANK_ICON = "image/gif;base64,R0lGODlhAQABAIAAAObm5gAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="
E = schema.entries
F = schema.feeds

router = APIRouter(include_in_schema=False)


class FeverError(Exception):
    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


def _number(values: dict[str, str], name: str) -> int | None:
    raw = values.get(name, "").strip()
    if raw == "":
        return None
    if not re.fullmatch(r"-?[0-9]{1,19}", raw) or abs(int(raw)) > MAX_ID:
        raise FeverError(f"{name} is not a number")
    return int(raw)


def _id_list(raw: str) -> list[int]:
    ids: list[int] = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        if not re.fullmatch(r"[0-9]{1,19}", part) or int(part) > MAX_ID:
            raise FeverError("with_ids must be numbers separated by commas")
        ids.append(int(part))
    if len(ids) > PAGE:
        raise FeverError(f"with_ids takes at most {PAGE} ids")
    return ids


def _stamp(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment else 0


def _groups(conn: Connection) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    members: dict[str, list[int]] = {}
    for sub in db.subscriptions(conn):
        if sub.folder:
            members.setdefault(sub.folder, []).append(sub.feed_id)
    groups = [{"id": db.folder_id(name), "title": name} for name in sorted(members)]
    feeds_groups = [
        {"group_id": db.folder_id(name), "feed_ids": ",".join(str(f) for f in sorted(ids))}
        for name, ids in sorted(members.items())
    ]
    return groups, feeds_groups


def _feeds(conn: Connection) -> list[dict[str, Any]]:
    return [
        {
            "id": sub.feed_id,
            "favicon_id": 1,
            "title": sub.title,
            "url": sub.url,
            "site_url": sub.site_url or "",
            "is_spark": 0,
            "last_updated_on_time": _stamp(sub.last_success_at),
        }
        for sub in db.subscriptions(conn)
    ]


def _item(item: db.Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "feed_id": item.feed_id,
        "title": item.title,
        "author": item.author,
        "html": item.html,
        "url": item.url or "",
        "is_saved": int(item.starred),
        "is_read": int(item.read),
        "created_on_time": _stamp(item.published),
    }


def _items(conn: Connection, user: ApiUser, values: dict[str, str]) -> dict[str, Any]:
    total = conn.execute(select(func.count()).select_from(E).where(and_(true(), *db.one_per_story()))).scalar()
    if "with_ids" in values:
        ids = db.existing_item_ids(conn, _id_list(values["with_ids"]))
    else:
        since, before = _number(values, "since_id"), _number(values, "max_id")
        if before is not None and before > 0:
            ids = db.list_item_ids(conn, user.user_id, [], limit=PAGE, after=before)
        elif before is not None:  # max_id=0: the newest
            ids = db.list_item_ids(conn, user.user_id, [], limit=PAGE)
        else:
            ids = db.list_item_ids(conn, user.user_id, [], limit=PAGE, after=max(since or 0, 0), oldest_first=True)
    return {"items": [_item(i) for i in db.load_items(conn, user.user_id, ids)], "total_items": int(total or 0)}


def _ids_where(conn: Connection, user: ApiUser, condition: Any) -> str:
    ids = db.list_item_ids(conn, user.user_id, [condition], limit=MAX_IDS_LISTED)
    return ",".join(str(i) for i in sorted(ids))


def _mark(conn: Connection, user: ApiUser, values: dict[str, str]) -> None:
    kind, action = values.get("mark", ""), values.get("as", "")
    target = _number(values, "id")
    if target is None:
        raise FeverError("mark needs an id")
    if kind == "item":
        changes = {"read": {"read": True}, "unread": {"read": False}, "saved": {"starred": True},
                   "unsaved": {"starred": False}}.get(action)
        if changes is None:
            raise FeverError("as must be read, unread, saved or unsaved")
        db.set_flags(conn, user.user_id, db.existing_item_ids(conn, [target]), **changes)
        return
    if kind not in ("feed", "group") or action != "read":
        raise FeverError("mark feed/group takes as=read")
    before = _number(values, "before")
    where = [*db.one_per_story()]
    if before is not None:
        try:
            where.append(db.crawled_before(datetime.fromtimestamp(before, UTC)))
        except (OverflowError, OSError, ValueError):
            raise FeverError("before is out of range") from None
    if kind == "feed":
        where.append(E.c.feed_id == target)
    elif target > 0:
        folders = {db.folder_id(s.folder): s.folder for s in db.subscriptions(conn) if s.folder}
        folder = folders.get(target)
        if folder is None:
            return  # no such group: nothing to mark
        where.append(E.c.feed_id.in_(select(F.c.id).where(F.c.category == folder)))
    elif target < 0:
        return  # -1 is Fever's Sparks, which syndic has none of
    db.mark_read_where(conn, user.user_id, where)


@router.api_route("/fever/", methods=["GET", "POST"])
@router.api_route("/fever", methods=["GET", "POST"])
@router.api_route("/fever/index.php", methods=["GET", "POST"])
async def fever(request: Request) -> Response:
    if not get_settings(request).fever_api:
        return PlainTextResponse("Not Found", 404)
    values = {k: v for k, v in request.query_params.items()}
    if request.method == "POST" and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form(max_files=0, max_fields=100)
        values |= {k: v for k, v in form.items() if isinstance(v, str)}
    if "api" not in values:
        return PlainTextResponse("Fever API: add ?api to the URL", 404)
    store = get_store(request)
    user = fever_user(store, values.get("api_key", ""))
    body: dict[str, Any] = {"api_version": 3, "auth": 0}
    if user is None:
        return JSONResponse(body)
    body["auth"] = 1
    try:
        if "mark" in values:
            with store.engine.begin() as conn:
                _mark(conn, user, values)
        with store.engine.connect() as conn:
            last = conn.execute(select(func.max(F.c.last_success_at))).scalar()
            body["last_refreshed_on_time"] = _stamp(as_utc(last))
            if "groups" in values:
                body["groups"], body["feeds_groups"] = _groups(conn)
            if "feeds" in values:
                body["feeds"] = _feeds(conn)
                body["feeds_groups"] = _groups(conn)[1]
            if "favicons" in values:
                body["favicons"] = [{"id": 1, "data": BLANK_ICON}]
            if "items" in values:
                body |= _items(conn, user, values)
            if "links" in values:
                body["links"] = []
            if "unread_item_ids" in values:
                body["unread_item_ids"] = _ids_where(conn, user, ~db.read_expr(user.user_id))
            if "saved_item_ids" in values:
                body["saved_item_ids"] = _ids_where(conn, user, db.starred_expr(user.user_id))
    except FeverError as exc:
        return JSONResponse({"api_version": 3, "auth": 1, "error": exc.why}, 400)
    return JSONResponse(body)
