"""The full-text feed URLs: the library's documents (`Syndic.documents`) over HTTP.

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
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from syndic.library.documents import FORMATS, FeedDocument
from syndic.web.auth import Viewer, require_user_or_public
from syndic.web.deps import get_syndic

router = APIRouter(tags=["full-text feeds"])
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


async def _feed_response(
    request: Request, fmt: str, build: Callable[[], FeedDocument | None], missing: str
) -> Response:
    """Build a stored feed or campaign document off the loop and answer it conditionally."""
    _format(fmt)
    doc = await asyncio.to_thread(build)
    if doc is None:
        raise HTTPException(404, missing)
    body, media_type = get_syndic(request).documents.render(doc, fmt)
    return conditional(request, body, media_type)


@router.get("/full/feeds/{feed_id}.{fmt}", summary="A subscribed feed as a full-text feed")
async def full_feed(
    request: Request,
    feed_id: int,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("feed"))],
    limit: Limit = 50,
) -> Response:
    documents = get_syndic(request).documents
    return await _feed_response(
        request, fmt, lambda: documents.feed(feed_id, limit=limit, self_url=_self_url(request)),
        f"feed {feed_id} does not exist",
    )


@router.get("/full/campaigns/{campaign_id}.{fmt}", summary="A campaign as a full-text feed")
async def full_campaign(
    request: Request,
    campaign_id: int,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("campaign"))],
    limit: Limit = 50,
) -> Response:
    documents = get_syndic(request).documents
    return await _feed_response(
        request, fmt, lambda: documents.campaign(campaign_id, limit=limit, self_url=_self_url(request)),
        f"campaign {campaign_id} does not exist",
    )


@router.get("/full/search.{fmt}", summary="Articles matching words, as a full-text feed")
async def full_search(
    request: Request,
    fmt: str,
    _viewer: Annotated[Viewer, Depends(require_user_or_public("none"))],
    q: Annotated[str, Query(min_length=1, max_length=500)],
    limit: Limit = 50,
) -> Response:
    _format(fmt)
    documents = get_syndic(request).documents
    doc = await asyncio.to_thread(documents.search, q, limit=limit, self_url=_self_url(request))
    body, media_type = documents.render(doc, fmt)
    return conditional(request, body, media_type)


def _self_url(request: Request) -> str:
    """This feed's own URL without the caller's credentials in it."""
    return str(request.url.remove_query_params(["token", "key"]))
