"""The guarded client for blocking callers: the publish senders (WordPress, webhooks).

Senders are plain functions called from a worker thread, a Celery task or
the CLI; they used to post with their own HTTP library, outside the
address guard, so a campaign pointed at `http://127.0.0.1:…` reached the
machine's internal services and printed their answers in the delivery log.
Now they go through the same `Fetcher` as every fetch: one event loop on a
private thread runs it, and `request` waits for the answer. The guard is
checked on the address actually connected, redirects are not followed
(`Fetcher.send`), bodies are capped.

`Answer` keeps the whole status line and the (capped) body for the caller
to interpret, but `Answer.summary()` — what may be logged or stored — is
the status, the reason phrase and at most a short machine-readable error
code, never the body.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
import threading
from collections.abc import Coroutine, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, replace
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self, TypeVar

from multidict import CIMultiDictProxy
from yarl import URL

from syndic.net.client import Fetcher, FetchResult
from syndic.net.limits import NetSettings

T = TypeVar("T")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")


@dataclass(frozen=True)
class Answer:
    """A destination's answer: status, headers and the capped body."""

    url: str
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return json.loads(self.body.decode("utf-8", errors="replace"))

    def error_code(self) -> str | None:
        """A machine-readable error code from a JSON body (`{"code": "rest_cannot_create"}`), if any.

        Only a short identifier is taken, so nothing a destination says in
        prose (or an internal service's data) is ever carried further.
        """
        try:
            body = self.json()
        except ValueError:
            return None
        code = body.get("code") if isinstance(body, dict) else None
        if isinstance(code, str) and _CODE.fullmatch(code):
            return code
        return None

    def summary(self) -> str:
        """`HTTP 403 Forbidden (rest_cannot_create)`: what may be logged or shown of this answer."""
        try:
            phrase = HTTPStatus(self.status).phrase
        except ValueError:
            phrase = ""
        code = self.error_code()
        return f"HTTP {self.status} {phrase}".rstrip() + (f" ({code})" if code else "")


def basic_auth(username: str, password: str) -> str:
    """An `Authorization` header value for HTTP Basic (WordPress application passwords)."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


class GuardedClient:
    """Blocking requests through one guarded `Fetcher`; `with GuardedClient(settings) as client:`.

    Thread-safe: several threads may call `request` at once (the calls run
    on the client's own loop). `close` stops the loop; a closed client
    refuses further requests.
    """

    def __init__(self, settings: NetSettings | None = None, *, total_timeout: float | None = None) -> None:
        settings = settings or NetSettings()
        if total_timeout is not None:  # a destination's own timeout replaces the fetch default
            settings = replace(settings, limits=replace(settings.limits, total_timeout=total_timeout))
        self.settings = settings
        self._loop = asyncio.new_event_loop()
        self._fetcher = Fetcher(self.settings)
        self._thread = threading.Thread(target=self._loop.run_forever, name="syndic-guarded-client", daemon=True)
        self._thread.start()
        self._closed = False

    def _run(self, coroutine: Coroutine[Any, Any, T], timeout: float) -> T:
        if self._closed:
            coroutine.close()
            raise RuntimeError("this GuardedClient is closed")
        future: Future[T] = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        return future.result(timeout)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        json_body: Any = None,
        max_body_bytes: int = 1024 * 1024,
    ) -> Answer:
        """Send one request; any HTTP status is an Answer, a refused or failed connection a FetchError."""
        target = URL(url)
        if params:
            target = target.update_query({k: str(v) for k, v in params.items()})
        sent_headers = dict(headers or {})
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False).encode("utf-8")
            sent_headers.setdefault("Content-Type", "application/json")
        # the Fetcher's own total timeout bounds the call; the margin only guards against a stuck loop
        timeout = self.settings.limits.total_timeout + 30
        result: FetchResult = self._run(
            self._fetcher.send(
                method, str(target), headers=sent_headers, body=content, max_body_bytes=max_body_bytes
            ),
            timeout,
        )
        return Answer(result.final_url, result.status, result.headers, result.body)

    def close(self) -> None:
        if self._closed:
            return
        try:
            self._run(self._fetcher.aclose(), 30)
        finally:
            self._closed = True
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
            if not self._thread.is_alive():
                self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
