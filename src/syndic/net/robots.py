"""robots.txt for article pages: fetched once per host, cached, obeyed.

Feeds are published to be polled, so only article-page fetches ask
(`Fetcher.fetch(..., check_robots=True)`). The file is fetched through the
same guarded, polite client as everything else and parsed with Protego
(Scrapy's parser): it follows RFC 9309 where the standard library's
`urllib.robotparser` does not (the longest matching rule wins, `*` and `$`
wildcards) and reads fractional Crawl-delay values, which robotparser drops.

Policy, as the big crawlers do: a 4xx means "no rules" (allow all); a 5xx or an unreachable host also
allows, but is remembered only briefly so the rules are read again soon.
Concurrent asks for one host share a single fetch.

On a cluster every task is a new process-local cache, so a `shared` cache
(the store, see run/cluster_gate.py) is asked before the network and told
what was read: the cluster fetches each robots.txt once per `ttl`.

`Crawl-delay` (not in RFC 9309, but honoured by Bing, Yandex and most polite
crawlers) is read for our group and handed to the politeness gate, which
then spaces every request to that host by it (capped by the caller).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from protego import Protego
from yarl import URL

from syndic.errors import FetchError, HTTPStatusError

ROBOTS_MAX_BYTES = 512 * 1024  # Google reads the first 500 KiB
FAILURE_TTL = 300.0
_SWEEP_AT = 8192

FetchRobots = Callable[[str], Awaitable[bytes]]
"""Fetch a robots.txt URL and return its body; raise FetchError/HTTPStatusError on failure."""


class SharedRobots(Protocol):
    """robots.txt bodies shared with other processes; a None body means "no rules"."""

    async def get(self, robots_url: str) -> tuple[bytes | None, float] | None:
        """The body and its seconds left, or None when not cached (or expired)."""
        ...

    async def put(self, robots_url: str, body: bytes | None, ttl: float) -> None: ...


@dataclass
class _Entry:
    rules: Protego | None  # None: allow everything
    expires: float


def robots_url(url: URL) -> str:
    return str(url.origin().with_path("/robots.txt"))


def parse_robots(body: bytes) -> Protego:
    return Protego.parse(body.decode("utf-8", errors="replace"))


class RobotsCache:
    def __init__(
        self, fetch: FetchRobots, agent: str, ttl: float = 24 * 3600, shared: SharedRobots | None = None
    ) -> None:
        self._fetch = fetch
        self._shared = shared
        self._agent = agent
        self._ttl = ttl
        self._entries: dict[str, _Entry] = {}
        self._loading: dict[str, asyncio.Task[_Entry]] = {}

    async def allowed(self, url: URL) -> bool:
        key = robots_url(url)
        loop = asyncio.get_running_loop()
        entry = self._entries.get(key)
        if entry is None or entry.expires <= loop.time():
            task = self._loading.get(key)
            if task is None:
                task = self._loading[key] = asyncio.ensure_future(self._load(key))
                task.add_done_callback(lambda _t: self._loading.pop(key, None))
            # shield: one caller giving up must not cancel the fetch the others wait for
            entry = await asyncio.shield(task)
        if entry.rules is None:
            return True
        return bool(entry.rules.can_fetch(str(url), self._agent))

    def crawl_delay(self, url: URL) -> float:
        """The Crawl-delay, in seconds, the host's rules ask of us (0 if none or not loaded yet)."""
        entry = self._entries.get(robots_url(url))
        if entry is None or entry.rules is None:
            return 0.0
        delay = entry.rules.crawl_delay(self._agent)  # None when absent or unreadable
        return max(0.0, float(delay)) if delay is not None else 0.0

    async def _load(self, key: str) -> _Entry:
        now = asyncio.get_running_loop().time()
        cached = await self._shared.get(key) if self._shared is not None else None
        if cached is not None:
            body, left = cached
            entry = _Entry(parse_robots(body) if body is not None else None, now + left)
        else:
            kept: bytes | None = None
            ttl = self._ttl
            try:
                kept = await self._fetch(key)
                entry = _Entry(parse_robots(kept), now + ttl)
            except HTTPStatusError as exc:
                if not 400 <= exc.status < 500:
                    ttl = min(self._ttl, FAILURE_TTL)
                entry = _Entry(None, now + ttl)
            except FetchError:
                ttl = min(self._ttl, FAILURE_TTL)
                entry = _Entry(None, now + ttl)
            if self._shared is not None:
                await self._shared.put(key, kept, ttl)
        if len(self._entries) >= _SWEEP_AT:
            self._entries = {k: e for k, e in self._entries.items() if e.expires > now}
        self._entries[key] = entry
        return entry
