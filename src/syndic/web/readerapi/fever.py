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

from syndic.library import Syndic
from syndic.library.streams import Item, Stream, StreamQuery
from syndic.web.deps import get_settings, get_syndic
from syndic.web.readerapi.credentials import ApiUser, fever_user

PAGE = 50
MAX_ID = 2**63 - 1
MAX_IDS_LISTED = 50_000
# A neutral 1x1 grey GIF, Fever's own placeholder format ("mime;base64,data").
BLANK_ICON = "image/gif;base64,R0lGODlhAQABAIAAAObm5gAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="

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


def _groups(syndic: Syndic) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    found = syndic.streams.groups()
    groups = [{"id": group.id, "title": group.title} for group in found]
    feeds_groups = [{"group_id": group.id, "feed_ids": ",".join(str(f) for f in group.feed_ids)} for group in found]
    return groups, feeds_groups


def _feeds(syndic: Syndic) -> list[dict[str, Any]]:
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
        for sub in syndic.streams.subscriptions()
    ]


def _item(item: Item) -> dict[str, Any]:
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


def _items(syndic: Syndic, user: ApiUser, values: dict[str, str]) -> dict[str, Any]:
    streams = syndic.streams
    total = streams.count()
    if "with_ids" in values:
        ids = streams.existing(_id_list(values["with_ids"]))
    else:
        since, before = _number(values, "since_id"), _number(values, "max_id")
        if before is not None and before > 0:
            ids = streams.item_ids(user.user_id, limit=PAGE, after=before)
        elif before is not None:  # max_id=0: the newest
            ids = streams.item_ids(user.user_id, limit=PAGE)
        else:
            ids = streams.item_ids(user.user_id, limit=PAGE, after=max(since or 0, 0), oldest_first=True)
    return {"items": [_item(i) for i in streams.items(user.user_id, ids)], "total_items": total}


def _ids_in(syndic: Syndic, user: ApiUser, stream: Stream) -> str:
    ids = syndic.streams.item_ids(user.user_id, StreamQuery(stream), limit=MAX_IDS_LISTED)
    return ",".join(str(i) for i in sorted(ids))


def _mark(syndic: Syndic, user: ApiUser, values: dict[str, str]) -> None:
    kind, action = values.get("mark", ""), values.get("as", "")
    target = _number(values, "id")
    if target is None:
        raise FeverError("mark needs an id")
    if kind == "item":
        # (read, starred): None leaves the flag as it is
        changes = {"read": (True, None), "unread": (False, None), "saved": (None, True),
                   "unsaved": (None, False)}.get(action)
        if changes is None:
            raise FeverError("as must be read, unread, saved or unsaved")
        syndic.streams.edit_items(user.user_id, [target], read=changes[0], starred=changes[1])
        return
    if kind not in ("feed", "group") or action != "read":
        raise FeverError("mark feed/group takes as=read")
    before = _number(values, "before")
    moment = None
    if before is not None:
        try:
            moment = datetime.fromtimestamp(before, UTC)
        except (OverflowError, OSError, ValueError):
            raise FeverError("before is out of range") from None
    stream = Stream("all")
    if kind == "feed":
        stream = Stream("feed", feed_id=target)
    elif target > 0:
        folder = next((group.title for group in syndic.streams.groups() if group.id == target), None)
        if folder is None:
            return  # no such group: nothing to mark
        stream = Stream("folder", label=folder)
    elif target < 0:
        return  # -1 is Fever's Sparks, which syndic has none of
    syndic.streams.mark_read(user.user_id, StreamQuery(stream, crawled_before=moment))


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
    user = fever_user(request, values.get("api_key", ""))
    body: dict[str, Any] = {"api_version": 3, "auth": 0}
    if user is None:
        return JSONResponse(body)
    body["auth"] = 1
    syndic = get_syndic(request)
    try:
        if "mark" in values:
            _mark(syndic, user, values)
        body["last_refreshed_on_time"] = _stamp(syndic.streams.last_refreshed())
        if "groups" in values:
            body["groups"], body["feeds_groups"] = _groups(syndic)
        if "feeds" in values:
            body["feeds"] = _feeds(syndic)
            body["feeds_groups"] = _groups(syndic)[1]
        if "favicons" in values:
            body["favicons"] = [{"id": 1, "data": BLANK_ICON}]
        if "items" in values:
            body |= _items(syndic, user, values)
        if "links" in values:
            body["links"] = []
        if "unread_item_ids" in values:
            body["unread_item_ids"] = _ids_in(syndic, user, Stream("unread"))
        if "saved_item_ids" in values:
            body["saved_item_ids"] = _ids_in(syndic, user, Stream("starred"))
    except FeverError as exc:
        return JSONResponse({"api_version": 3, "auth": 1, "error": exc.why}, 400)
    return JSONResponse(body)
