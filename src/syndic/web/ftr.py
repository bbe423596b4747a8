"""The Full-Text RSS routes: /makefulltextfeed.php and /extract.php (and under /full-text-rss/).

Users of FiveFilters Full-Text RSS point their readers and scripts here by
changing a host name. These routes read the request the way FTR does (GET
for makefulltextfeed.php; GET or POST, with `inputhtml`, for extract.php),
check who is asking and answer with the library's Full-Text RSS service
(`Syndic.documents.fulltext_service`, `syndic.publish.ftr`).

Who may ask (the admin's `ftr_access`): with "keys" (the default) an FTR key,
a syndic API token or a signed-in user; with "public" anyone, a key raising
the item cap. FTR's key forms all work: `key=SECRET` (makefulltextfeed.php
redirects it to `key=INDEX&hash=…`, as FTR does, unless `key_redirect=0`),
`key=INDEX&hash=SHA1(SECRET+URL)`, and a syndic token as `key=`, `token=` or a
bearer header. A token never appears in a feed's self link; an FTR key only
in its hashed form.

Errors are FTR's own words as plain text, with a status that says what
happened (FTR answers 200 to everything): 400 for a request FTR refuses, 401
for a missing or wrong key, 403 for a blocked URL or an address the guard
refuses, 413 for an oversized POST, 502 when `accept=feed` finds no feed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote_plus

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import PlainTextResponse, RedirectResponse

from syndic.library.accounts import TOKEN_PREFIX
from syndic.library.documents import BadRequest, FtrOptions, FtrRequest, FullTextService, Refused
from syndic.web.admission import Admission, Busy
from syndic.web.auth import Viewer, authorize, require_user_or_public, token_viewer
from syndic.web.deps import get_syndic
from syndic.web.full_feeds import conditional

router = APIRouter(tags=["Full-Text RSS"])

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DISCONNECT_POLL_S = 0.25  # how soon a fetch stops after its client has gone
T = TypeVar("T")
# The parameters FTR carries into a feed's self link, in its order (bare ones have no value).
SELF_PARAMS = ("html", "accept", "max", "links", "images", "exc", "format", "callback", "l", "lang")
SELF_SWITCHES = ("xss", "use_extracted_title", "use_effective_url")
SELF_TAIL = ("content", "summary")

_signed_in_or_token = require_user_or_public("none")


@dataclass(frozen=True)
class Access:
    """Who is asking: an FTR key (its index), a syndic user or token, or nobody (public mode)."""

    valid_key: bool
    key_index: int | None = None
    viewer: Viewer | None = None
    secret: str | None = field(default=None, repr=False)  # the FTR key's, for the self link's hash


def ftr_options(request: Request) -> FtrOptions:
    options: FtrOptions | None = getattr(request.app.state, "ftr_options", None)
    return options or FtrOptions()


def fulltext_service(request: Request) -> FullTextService:
    """The app's service: `app.state.fulltext_service` if given (`syndic serve` gives one over
    its poller's client), else the library's over a guarded client of its own
    (`app.state.net_settings`, else syndic's strict defaults), the store's cache and the site rules."""
    state = request.app.state
    service: FullTextService | None = getattr(state, "fulltext_service", None)
    if service is None:
        service = get_syndic(request).documents.fulltext_service(
            options=ftr_options(request), net=getattr(state, "net_settings", None)
        )
        state.fulltext_service = service
    return service


async def _syndic_viewer(request: Request, key: str | None) -> Viewer | None:
    """A syndic user or token: `key=` holding a token, a session, a bearer header or `token=`."""
    if key and key.startswith(TOKEN_PREFIX):
        viewer = await asyncio.to_thread(token_viewer, get_syndic(request).accounts, key)
        if viewer is not None:
            return authorize(viewer, "read")
    try:
        return await _signed_in_or_token(request)
    except HTTPException as exc:
        if exc.status_code == 401:
            return None
        raise


async def resolve_access(
    request: Request, params: dict[str, str], url: str, *, simple: bool, options: FtrOptions
) -> Access | Response:
    """Check the caller as FTR does; a plain key on makefulltextfeed.php is answered with
    FTR's redirect to the hidden-key URL."""
    accounts = get_syndic(request).accounts
    key = params.get("key") or None
    if key is not None and not key.startswith(TOKEN_PREFIX):
        given_hash = params.get("hash")
        if given_hash is not None and key.isdigit():
            secret = await asyncio.to_thread(accounts.ftr_signed_key_valid, int(key), url, given_hash)
            if secret is not None:
                await asyncio.to_thread(accounts.touch_ftr_key, int(key))
                return Access(valid_key=True, key_index=int(key), secret=secret)
        index = await asyncio.to_thread(accounts.check_ftr_key, key)
        if index is not None:
            if not simple and params.get("key_redirect") != "0":
                return RedirectResponse(self_url(request, params, url, (index, key)), status_code=302)
            await asyncio.to_thread(accounts.touch_ftr_key, index)
            return Access(valid_key=True, key_index=index, secret=key)
    viewer = await _syndic_viewer(request, key)
    if viewer is not None:
        return Access(valid_key=True, viewer=viewer)
    if options.keys_required:
        raise Refused("A valid key must be supplied", 401)
    if key is not None:
        raise Refused("The entered key is invalid", 401)
    return Access(valid_key=False)


def self_url(request: Request, params: dict[str, str], url: str, key: tuple[int, str] | None) -> str:
    """This feed's own URL as FTR writes it: the URL without "http://", an FTR key only as
    `key=INDEX&hash=…`, the parameters that shape the output, and never a syndic token."""
    shown = url[len("http://"):] if url.lower().startswith("http://") else url
    parts = [f"url={quote_plus(shown, safe='')}"]
    if key is not None:
        parts += [f"key={key[0]}", f"hash={get_syndic(request).accounts.ftr_key_hash(key[1], url)}"]
    for name in SELF_PARAMS:
        if name in params:
            parts.append(f"{name}={quote_plus(params[name], safe='')}")
    parts += [name for name in SELF_SWITCHES if name in params]
    parts += [f"{name}={quote_plus(params[name], safe='')}" for name in SELF_TAIL if name in params]
    return str(request.url.replace(query="&".join(parts)))


async def _form(request: Request, cap: int) -> dict[str, str]:
    """extract.php's POST fields (FTR's simple mode merges them over the query)."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if request.method != "POST" or content_type not in FORM_TYPES:
        return {}
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > cap:
        raise Refused(f"the request body is larger than {cap} bytes", 413)
    if content_type == "multipart/form-data":
        form = await request.form(max_part_size=cap)
        return {k: v for k, v in form.items() if isinstance(v, str)}
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > cap:
            raise Refused(f"the request body is larger than {cap} bytes", 413)
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


def admission(request: Request) -> Admission:
    """The app's bounded queue per caller for these endpoints (`app.state.ftr_admission`)."""
    state = request.app.state
    found: Admission | None = getattr(state, "ftr_admission", None)
    if found is None:
        found = state.ftr_admission = Admission()
    return found


def _caller_keys(request: Request, access: Access) -> list[str]:
    """Who waits in which line: the client's address always, and its token or FTR key when it has one."""
    keys = ["addr:" + (request.client.host if request.client else "unknown")]
    if access.viewer is not None and access.viewer.token_id is not None:
        keys.append(f"token:{access.viewer.token_id}")
    elif access.viewer is not None and access.viewer.user_id is not None:
        keys.append(f"user:{access.viewer.user_id}")
    if access.key_index is not None:
        keys.append(f"ftrkey:{access.key_index}")
    return keys


async def _unless_gone(request: Request, work: Coroutine[Any, Any, T]) -> T | None:
    """Run `work`, cancelling it (and its fetches) as soon as the client disconnects; None then."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=DISCONNECT_POLL_S)
            if done:
                return task.result()
            if await request.is_disconnected():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                return None
    finally:
        if not task.done():
            task.cancel()


def _refusal(exc: Refused | BadRequest, status: int) -> Response:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    return PlainTextResponse(str(exc), status_code=status, headers=headers)


async def _serve(request: Request, *, simple: bool) -> Response:
    options = ftr_options(request)
    try:
        params = dict(request.query_params)
        if simple:
            params |= await _form(request, options.max_input_bytes)
        ftr_request = FtrRequest.from_params(params, simple=simple)
        access = await resolve_access(request, params, ftr_request.url, simple=simple, options=options)
        if isinstance(access, Response):
            return access
        key = (access.key_index, access.secret) if access.key_index is not None and access.secret else None
        own = None if simple else self_url(request, params, ftr_request.url, key)
        service = fulltext_service(request)
        answer = await service.cached_answer(ftr_request, valid_key=access.valid_key)  # cached: no queue
        if answer is None:
            async with admission(request).slot(_caller_keys(request, access)):
                answer = await _unless_gone(
                    request, service.answer(ftr_request, valid_key=access.valid_key, self_url=own)
                )
        if answer is None:
            return Response(status_code=499)  # the client went away; its fetch was cancelled
    except Busy as exc:
        return PlainTextResponse(str(exc), 429, {"Retry-After": str(exc.retry_after)})
    except BadRequest as exc:
        return _refusal(exc, 400)
    except Refused as exc:
        return _refusal(exc, exc.status)
    response = conditional(request, answer.body, answer.media_type, cache_seconds=options.cache_minutes * 60)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if options.cors:
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@router.api_route("/makefulltextfeed.php", methods=["GET", "POST"],
                  summary="Full-Text RSS compatible: a feed (or a page) made full text")
@router.api_route("/full-text-rss/makefulltextfeed.php", methods=["GET", "POST"], include_in_schema=False)
async def make_full_text_feed(request: Request) -> Response:
    return await _serve(request, simple=False)


@router.api_route("/extract.php", methods=["GET", "POST"],
                  summary="Full-Text RSS compatible: one article as JSON")
@router.api_route("/full-text-rss/extract.php", methods=["GET", "POST"], include_in_schema=False)
async def extract_php(request: Request) -> Response:
    return await _serve(request, simple=True)
