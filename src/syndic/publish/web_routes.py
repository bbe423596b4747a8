"""The publish stage's HTTP routes, mounted by the web app when it finds `router`.

    GET /full/feeds/{feed_id}.{rss|atom|json}         a subscribed feed, full text
    GET /full/campaigns/{campaign_id}.{rss|atom|json} a campaign, one item per story
    GET /full/search.{rss|atom|json}?q=WORDS          a saved search is this URL
    GET /makefulltextfeed.php?url=…                    Full-Text RSS compatible
    GET /extract.php?url=…                             Full-Text RSS compatible
    (and the same two under /full-text-rss/, FTR's usual install folder)

Every output has a strong ETag (a hash of the bytes) and answers a matching
If-None-Match with 304. Access: a feed or campaign marked public is open;
everything else, and always the two .php endpoints (they fetch any URL a
caller names, through the address guard), needs a login, a bearer token or
`?token=` (see `syndic.web.auth.require_user_or_public`); the .php endpoints
also take Full-Text RSS's `?key=` as the token. Tokens never appear in a
feed's self link.

The FTR service comes from `app.state.fulltext_service` when the app was
given one, else one is built over syndic's guarded client
(`app.state.net_settings` if set) and the store's `ftr_cache`.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from syndic.errors import BlockedAddressError, FetchError
from syndic.web.auth import Viewer, require_user_or_public
from syndic.web.deps import get_store
from syndic.web.tokens import check_token

from .ftr import BadRequest, ExtractRequest, FeedRequest, FtrCache, FullTextService, network_fetch
from .outputs import NotFound, campaign_document, feed_document, search_document
from .writers import MEDIA_TYPES, write_feed

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


_signed_in_or_token = require_user_or_public("none")


async def ftr_viewer(request: Request) -> Viewer:
    """Like every non-public URL, plus Full-Text RSS's own `key=` parameter as an API token."""
    key = request.query_params.get("key")
    if key:
        token_id = await asyncio.to_thread(check_token, get_store(request), key)
        if token_id is not None:
            return Viewer(token_id=token_id)
    return await _signed_in_or_token(request)


def _self_url(request: Request) -> str:
    """This feed's own URL without the caller's credentials in it."""
    return str(request.url.remove_query_params(["token", "key"]))


def fulltext_service(request: Request) -> FullTextService:
    state = request.app.state
    service: FullTextService | None = getattr(state, "fulltext_service", None)
    if service is None:
        rules_dir = getattr(state, "site_config_dir", None)
        service = FullTextService(
            network_fetch(getattr(state, "net_settings", None)),
            FtrCache(_store(request)),
            rules_dir=str(rules_dir) if rules_dir else None,
        )
        state.fulltext_service = service
    return service


def _params(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.query_params.items() if k not in ("token", "key")}


async def _ftr(request: Request, make: Any) -> Response:
    try:
        body, media_type = await make
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from None
    except BlockedAddressError as exc:
        raise HTTPException(403, f"refused: {exc}") from None
    except FetchError as exc:
        raise HTTPException(502, f"could not fetch: {exc}") from None
    return conditional(request, body, media_type, cache_seconds=600)


@router.get("/makefulltextfeed.php", summary="Full-Text RSS compatible: a feed (or page) made full text")
@router.get("/full-text-rss/makefulltextfeed.php", include_in_schema=False)
async def make_full_text_feed(request: Request, _viewer: Annotated[Viewer, Depends(ftr_viewer)]) -> Response:
    try:
        parsed = FeedRequest.from_params(_params(request))
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from None
    return await _ftr(request, fulltext_service(request).feed(parsed))


@router.get("/extract.php", summary="Full-Text RSS compatible: one article as JSON")
@router.get("/full-text-rss/extract.php", include_in_schema=False)
async def extract_php(request: Request, _viewer: Annotated[Viewer, Depends(ftr_viewer)]) -> Response:
    try:
        parsed = ExtractRequest.from_params(_params(request))
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from None
    return await _ftr(request, fulltext_service(request).extract(parsed))
