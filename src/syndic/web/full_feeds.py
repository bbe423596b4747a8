"""The full-text feed URLs: the publish stage's documents over HTTP.

    GET /full/feeds/{feed_id}.{rss|atom|json}         a subscribed feed, full text
    GET /full/campaigns/{campaign_id}.{rss|atom|json} a campaign, one item per story
    GET /full/search.{rss|atom|json}?q=WORDS          a saved search is this URL

(The Full-Text RSS compatible /makefulltextfeed.php and /extract.php are
`syndic.web.ftr`.)

Every output has a strong ETag (a hash of the bytes) and answers a matching
If-None-Match with 304. Access: a feed or campaign marked public is open;
everything else needs a login, a bearer token or `?token=` (see
`syndic.web.auth.require_user_or_public`). Tokens never appear in a feed's
self link.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from syndic.publish.outputs import NotFound, campaign_document, feed_document, search_document
from syndic.publish.writers import MEDIA_TYPES, write_feed
from syndic.web.auth import Viewer, require_user_or_public
from syndic.web.deps import get_store

router = APIRouter(tags=["full-text feeds"])
FORMATS = tuple(MEDIA_TYPES)
Limit = Annotated[int, Query(ge=1, le=200, description="items in the feed")]


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def conditional(request: Request, body: bytes, media_type: str, cache_seconds: int = 300) -> Response:
    """200 with an ETag, or 304 when the client already has these bytes."""
    tag = etag_of(body)
    headers = {"ETag": tag, "Cache-Control": f"private, max-age={cache_seconds}"}
    wanted = request.headers.get("if-none-match", "")
    candidates = {t.strip().removeprefix("W/") for t in wanted.split(",")}
    if tag in candidates or "*" in candidates:
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise HTTPException(404, f"unknown feed format .{fmt}; use .rss, .atom or .json")
    return fmt


def _store(request: Request) -> Any:
    return get_store(request)


async def _in_thread(func: Any, *args: Any, **kw: Any) -> Any:
    return await asyncio.to_thread(func, *args, **kw)


async def _feed_response(request: Request, fmt: str, build: Any, row_id: int, limit: int) -> Response:
    """Build a stored feed or campaign document off the loop and answer it conditionally."""
    _format(fmt)
    try:
        doc = await _in_thread(build, _store(request), row_id, limit=limit, self_url=_self_url(request))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    body, media_type = write_feed(doc, fmt)
    return conditional(request, body, media_type)


@router.get("/full/feeds/{feed_id}.{fmt}", summary="A subscribed feed as a full-text feed")
async def full_feed(
    request: Request,
    feed_id: int,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("feed"))],
    limit: Limit = 50,
) -> Response:
    return await _feed_response(request, fmt, feed_document, feed_id, limit)


@router.get("/full/campaigns/{campaign_id}.{fmt}", summary="A campaign as a full-text feed")
async def full_campaign(
    request: Request,
    campaign_id: int,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("campaign"))],
    limit: Limit = 50,
) -> Response:
    return await _feed_response(request, fmt, campaign_document, campaign_id, limit)


@router.get("/full/search.{fmt}", summary="Articles matching words, as a full-text feed")
async def full_search(
    request: Request,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("none"))],
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Limit = 50,
) -> Response:
    _format(fmt)
    doc = await _in_thread(search_document, _store(request), q, limit=limit, self_url=_self_url(request))
    body, media_type = write_feed(doc, fmt)
    return conditional(request, body, media_type)


def _self_url(request: Request) -> str:
    """This feed's own URL without the caller's credentials in it."""
    return str(request.url.remove_query_params(["token", "key"]))
