"""The WebSub callback: `/websub/{feed_id}`, the one URL hubs call.

No login and no CSRF token: hubs are not users. What protects it is in
`syndic.websub` (reached through the library's feeds area): a verification is answered only for a request we
made, and content is taken only with a valid HMAC signature from the
subscription's secret. The body is read up to `max_push_bytes` and no
further; the store work runs off the event loop.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from syndic.library.feeds import CallbackAnswer
from syndic.web.deps import get_syndic
from syndic.web.settings import WebSettings

router = APIRouter()


def _answer(answer: CallbackAnswer) -> Response:
    return PlainTextResponse(answer.body, answer.status)


@router.get("/websub/{feed_id}", include_in_schema=False)
async def verify(request: Request, feed_id: int) -> Response:
    """The hub checks that we asked for this (un)subscription; echo its challenge if so."""
    query = {key: value for key, value in request.query_params.items()}
    return _answer(await run_in_threadpool(get_syndic(request).feeds.websub_verification, feed_id, query))


@router.post("/websub/{feed_id}", include_in_schema=False)
async def distribute(request: Request, feed_id: int) -> Response:
    """The hub pushes new content of the feed."""
    settings: WebSettings = request.app.state.settings
    cap = settings.max_push_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        return PlainTextResponse(f"a push is limited to {cap} bytes", 413)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            return PlainTextResponse(f"a push is limited to {cap} bytes", 413)
        chunks.append(chunk)
    answer = await run_in_threadpool(
        get_syndic(request).feeds.websub_push,
        feed_id,
        b"".join(chunks),
        request.headers.get("content-type"),
        request.headers.get("x-hub-signature"),
    )
    if answer.new_entries:
        await request.app.state.actions.entries_pushed(feed_id)
    return _answer(answer)
