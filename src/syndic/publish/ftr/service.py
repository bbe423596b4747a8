"""makefulltextfeed.php and extract.php: fetch, extract, build, cache.

The service turns an `FtrRequest` into bytes. The URL is read as a feed
first (unless `accept=html`); a URL that is not a feed is one article, a
one-item feed, as FTR treats it (`accept=feed` refuses it instead). Each
item's page is fetched through an injected async `fetch_page` (syndic's
guarded client in production: private addresses refused, sizes capped, on
every redirect; under `syndic serve` the very client the poller uses, so
one host's concurrency, spacing and robots.txt Crawl-delay hold across the
poller and these endpoints, and across a cluster's workers when the store is
shared) and extracted by an injected `extract_page`. Whoever builds the
service hands it the one extraction path of the CLI and the pipeline
(`syndic.library.documents.page_extractor`: site rules, later pages joined,
cleaning, in a thread or a process pool), so publish/ needs nothing from
run/. Feed parsing and document building run in a thread too, so the
server's event loop keeps answering.

Results are cached in `ftr_cache` for the admin's cache time, served before
anything is fetched: whole answers by every parameter that changes them,
and each page on its own (two feeds linking one article fetch it once). A
page that could not be fetched is not cached (it may come back), nor is an
answer for a page URL whose page failed, nor anything made from `inputhtml`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, insert, select

from syndic.errors import BlockedAddressError, FeedError, FetchError
from syndic.store import schema
from syndic.store.database import Store
from syndic.types import Article, Fetch, Fetched, ParsedEntry, ParsedFeed

from .access import BLOCKED_MESSAGE, FtrOptions
from .document import (
    JSON_MEDIA_TYPE,
    JSONP_MEDIA_TYPE,
    RSS_MEDIA_TYPE,
    FtrFeed,
    Image,
    dumps,
    json_object,
    jsonp,
    simple_object,
    write_rss,
)
from .items import SOCIAL_FIELDS, Page, build_item, linked_kind, plain
from .params import FtrRequest

if TYPE_CHECKING:
    from syndic.net import Fetcher

log = logging.getLogger("syndic.publish.ftr")

PAGE_CONCURRENCY = 4
PURGE_EVERY = 100  # cache writes between two sweeps of expired rows




class PageExtractor(Protocol):
    """The article of a fetched page; `fetch` fetches a multi-page article's later pages (None: this page only).

    Never raises for a bad page: an Article with `error` set says why there is none.
    """

    def __call__(self, page: Fetched, fetch: Fetch | None, /) -> Awaitable[Article]: ...


class Refused(Exception):
    """The request cannot be served; `status` and FTR's message for the caller."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str


@dataclass(frozen=True)
class _Given:
    """A page the caller already has (inputhtml, or the body fetched while trying it as a feed)."""

    final_url: str
    body: bytes
    content_type: str | None


class FtrCache:
    """The `ftr_cache` table: bodies by key, until they expire."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._writes = 0

    def get(self, key: str, now: datetime) -> tuple[bytes, str] | None:
        c = schema.ftr_cache
        with self.store.engine.connect() as conn:
            row = conn.execute(
                select(c.c.body, c.c.content_type, c.c.expires_at).where(c.c.key == key)
            ).first()
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        return (bytes(row.body), str(row.content_type)) if expires > now else None

    def put(self, key: str, body: bytes, content_type: str, now: datetime, ttl: timedelta) -> None:
        c = schema.ftr_cache
        self._writes += 1
        with self.store.engine.begin() as conn:
            if self._writes % PURGE_EVERY == 0:
                conn.execute(delete(c).where(c.c.expires_at <= now))
            conn.execute(delete(c).where(c.c.key == key))
            conn.execute(
                insert(c).values(
                    key=key, body=body, content_type=content_type, created_at=now, expires_at=now + ttl
                )
            )


class FullTextService:
    """makefulltextfeed.php and extract.php over an injected fetch and an optional cache."""

    def __init__(
        self,
        fetch: Fetch,
        cache: FtrCache | None = None,
        options: FtrOptions | None = None,
        fetch_page: Fetch | None = None,
        *,
        extract_page: PageExtractor,
    ) -> None:
        self.fetch = fetch  # the URL the caller names (a feed, or the page it asks for)
        self.fetch_page = fetch_page or fetch  # the pages of a feed's items, crawled on its behalf
        self.cache = cache
        self.options = options or FtrOptions()
        self.extract_page = extract_page  # the one extraction path, with its site rules and CPU runner
        self._pages = asyncio.Semaphore(PAGE_CONCURRENCY)

    @property
    def ttl(self) -> timedelta:
        return timedelta(minutes=self.options.cache_minutes)

    async def aclose(self) -> None:
        close = getattr(self.fetch, "aclose", None)
        if close is not None:
            await close()

    # -- the two endpoints ------------------------------------------------

    async def cached_answer(
        self, request: FtrRequest, *, valid_key: bool, now: datetime | None = None
    ) -> Answer | None:
        """The answer from the cache alone (None when it must be built): served before any queue."""
        now = now or datetime.now(UTC)
        if not self.options.url_allowed(request.url) or request.input_html is not None:
            return None
        items = 1 if request.simple else self.options.items_for(request.max_items, valid_key=valid_key)
        key = request.cache_key(items=items, valid_key=valid_key, policy=self.options.output_policy)
        cached = await self._cache_get(key, now)
        if cached is None:
            return None
        body, media_type = cached
        if request.callback:
            return Answer(jsonp(request.callback, body), JSONP_MEDIA_TYPE)
        return Answer(body, media_type)

    async def answer(
        self, request: FtrRequest, *, valid_key: bool, self_url: str | None = None, now: datetime | None = None
    ) -> Answer:
        """The whole answer to one request: RSS, FTR JSON, extract.php JSON, or JSONP of either."""
        now = now or datetime.now(UTC)
        if not self.options.url_allowed(request.url):
            raise Refused(BLOCKED_MESSAGE, 403)
        items = 1 if request.simple else self.options.items_for(request.max_items, valid_key=valid_key)
        key = request.cache_key(items=items, valid_key=valid_key, policy=self.options.output_policy)
        cached = await self._cache_get(key, now) if request.input_html is None else None
        if cached is not None:
            body, media_type = cached
        else:
            feed, keep = await self._feed(request, items, self_url, now)
            body, media_type = await asyncio.to_thread(_write, feed, request)
            if keep and request.input_html is None:
                await self._cache_put(key, body, media_type, now)
        if request.callback:
            return Answer(jsonp(request.callback, body), JSONP_MEDIA_TYPE)
        return Answer(body, media_type)

    async def feed(self, request: FtrRequest, *, valid_key: bool = True, now: datetime | None = None) -> tuple[bytes, str]:
        """makefulltextfeed.php's answer as (bytes, media type)."""
        answer = await self.answer(request, valid_key=valid_key, now=now)
        return answer.body, answer.media_type

    async def extract(self, request: FtrRequest, *, now: datetime | None = None) -> tuple[bytes, str]:
        """extract.php's answer as (bytes, media type); `request` should be read with `simple=True`."""
        answer = await self.answer(request if request.simple else _as_simple(request), valid_key=True, now=now)
        return answer.body, answer.media_type

    async def article(self, url: str, *, now: datetime | None = None) -> Article:
        """One page's article through the page cache (the Article says why when there is none)."""
        page = await self.page(url, now=now)
        return page.article or Article(url=url, error=page.failure or "not extracted")

    # -- building ---------------------------------------------------------

    async def _feed(
        self, request: FtrRequest, items: int, self_url: str | None, now: datetime
    ) -> tuple[FtrFeed, bool]:
        """The document, and whether it may be cached."""
        first: Fetched | None = None
        failure: str | None = None
        parsed: ParsedFeed | None = None
        if request.input_html is not None:
            first = _Given(request.url, request.input_html.encode("utf-8"), "text/html; charset=utf-8")
        elif request.accept != "html":
            try:
                first = await self.fetch(request.url)
            except BlockedAddressError as exc:
                raise Refused(f"refused: {exc}", 403) from None
            except FetchError as exc:
                if request.accept == "feed":
                    raise Refused("Sorry, couldn't parse as feed", 502) from None
                failure = str(exc)
            if first is not None:
                parsed = await asyncio.to_thread(_parse_or_none, first)
            if parsed is None and request.accept == "feed":
                raise Refused("Sorry, couldn't parse as feed", 502)
        if parsed is None:
            return await self._page_feed(request, first, failure, self_url, now)
        return await self._full_feed(request, parsed, items, self_url, now), True

    async def _page_feed(
        self, request: FtrRequest, first: Fetched | None, failure: str | None, self_url: str | None, now: datetime
    ) -> tuple[FtrFeed, bool]:
        """A URL that is not a feed: a feed of one item, its article (FTR's "dummy" feed)."""
        if failure is not None:
            page = Page(url=request.url, failure=failure)
        elif first is not None:
            page = await self._page_of(request.url, first, now, cache=request.input_html is None)
        else:
            page = await self.page(request.url, now=now, refuse_blocked=True, crawled=False)
        entry = ParsedEntry(link=request.url)
        built = await asyncio.to_thread(build_item, entry, page, request, self.options, single=True)
        feed = FtrFeed(
            title=(built.extracted_title or "") if built is not None else "",
            link=request.url,
            description=f"Content extracted from {request.url}",
            items=(built.elements,) if built is not None else (),
            self_url=self_url,
            source_url=request.url,
        )
        return feed, page.effective_url is not None

    async def _full_feed(
        self, request: FtrRequest, parsed: ParsedFeed, items: int, self_url: str | None, now: datetime
    ) -> FtrFeed:
        entries = parsed.entries[:items]

        async def page_for(entry: ParsedEntry) -> Page | None:
            link = (entry.link or "").strip()
            if not link or not self.options.url_allowed(link):
                return None  # not fetched: FTR's error text (or left out with exc=1)
            return await self.page(link, now=now)

        pages = await asyncio.gather(*(page_for(e) for e in entries))

        def build() -> list[Any]:
            return [
                build_item(entry, page, request, self.options, feed_language=parsed.language)
                for entry, page in zip(entries, pages, strict=True)
            ]

        built = await asyncio.to_thread(build)
        image = Image(plain(parsed.title) or "", parsed.link or "", parsed.image) if parsed.image else None
        return FtrFeed(
            title=plain(parsed.title) or "",
            link=parsed.link or request.url,
            description=plain(parsed.description) or "",
            items=tuple(b.elements for b in built if b is not None),
            ttl=parsed.ttl,
            image=image,
            self_url=self_url,
            source_url=request.url,
        )

    # -- pages ------------------------------------------------------------

    async def page(
        self, url: str, *, now: datetime | None = None, refuse_blocked: bool = False, crawled: bool = True
    ) -> Page:
        """What became of one page: from the page cache, else fetched and extracted.

        A page the address guard refuses is a failed item, or, with
        `refuse_blocked` (the URL the caller asked for), a refused request.
        A `crawled` page (a feed item's) is fetched as the poller fetches
        pages (robots.txt as configured); the page a caller names is not."""
        now = now or datetime.now(UTC)
        key = hashlib.sha256(json.dumps(["page", url]).encode()).hexdigest()
        cached = await self._cache_get(key, now)
        if cached is not None:
            return _page_from_json(cached[0])
        async with self._pages:
            try:
                fetched = await (self.fetch_page if crawled else self.fetch)(url)
            except BlockedAddressError as exc:
                if refuse_blocked:
                    raise Refused(f"refused: {exc}", 403) from None
                return Page(url=url, failure=str(exc))
            except FetchError as exc:
                return Page(url=url, failure=str(exc))  # not cached: it may come back
        return await self._page_of(url, fetched, now, cache=True, key=key, crawled=crawled)

    async def _page_of(
        self, url: str, fetched: Fetched, now: datetime, *, cache: bool, key: str | None = None,
        crawled: bool = False,
    ) -> Page:
        """Extract an already fetched page (or link it, for a PDF, picture, sound or video)."""
        linked = linked_kind(fetched.content_type)
        if linked is not None:
            page = Page(url=url, effective_url=fetched.final_url, linked=linked[0], mime=linked[1])
        else:
            # a multi-page article's later pages are crawled; inputhtml is that page only
            follow = None if isinstance(fetched, _Given) else self.fetch_page if crawled else self.fetch
            async with self._pages:
                article = await self.extract_page(fetched, follow)
            social = {name: article.extra[name] for name in SOCIAL_FIELDS if article.extra.get(name)}
            page = Page(url=url, effective_url=fetched.final_url, article=article, social=social)
        if cache:
            key = key or hashlib.sha256(json.dumps(["page", url]).encode()).hexdigest()
            await self._cache_put(key, _page_to_json(page), "application/json", now)
        return page

    # -- cache ------------------------------------------------------------

    async def _cache_get(self, key: str, now: datetime) -> tuple[bytes, str] | None:
        if self.cache is None:
            return None
        return await asyncio.to_thread(self.cache.get, key, now)

    async def _cache_put(self, key: str, body: bytes, media_type: str, now: datetime) -> None:
        if self.cache is not None:
            await asyncio.to_thread(self.cache.put, key, body, media_type, now, self.ttl)


def _as_simple(request: FtrRequest) -> FtrRequest:
    return replace(request, simple=True, accept="html", format="json", summary=True)


def _parse_or_none(fetched: Fetched) -> ParsedFeed | None:
    """The fetched body as a feed, or None when it is not one (then it is read as a page)."""
    from syndic.feeds import parse_feed

    try:
        parsed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
    except FeedError:
        return None
    if not parsed.entries and not parsed.title:
        return None
    return parsed


def _write(feed: FtrFeed, request: FtrRequest) -> tuple[bytes, str]:
    if request.simple:
        return dumps(simple_object(feed)), JSON_MEDIA_TYPE
    if request.format == "json":
        return dumps(json_object(feed)), JSON_MEDIA_TYPE
    return write_rss(feed), RSS_MEDIA_TYPE


_ARTICLE_FIELDS = (
    "url", "title", "html", "text", "image", "language", "canonical_url", "site_name", "description", "error",
)


def _page_to_json(page: Page) -> bytes:
    data: dict[str, Any] = {
        "url": page.url, "effective_url": page.effective_url, "linked": page.linked, "mime": page.mime,
        "failure": page.failure, "social": page.social, "article": None,
    }
    article = page.article
    if article is not None:
        fields: dict[str, Any] = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        fields["authors"] = list(article.authors)
        fields["published"] = article.published.isoformat() if article.published else None
        fields["modified"] = article.modified.isoformat() if article.modified else None
        data["article"] = fields
    return json.dumps(data).encode()


def _page_from_json(body: bytes) -> Page:
    data = json.loads(body)
    fields = data.get("article")
    article = None
    if fields is not None:
        article = Article(
            **{name: fields.get(name) for name in _ARTICLE_FIELDS if name not in ("url", "html", "text")},
            url=fields["url"],
            html=fields.get("html") or "",
            text=fields.get("text") or "",
            authors=tuple(fields.get("authors") or ()),
            published=datetime.fromisoformat(fields["published"]) if fields.get("published") else None,
            modified=datetime.fromisoformat(fields["modified"]) if fields.get("modified") else None,
        )
    return Page(
        url=data["url"], effective_url=data.get("effective_url"), article=article, linked=data.get("linked"),
        mime=data.get("mime"), failure=data.get("failure"), social=dict(data.get("social") or {}),
    )


class NetworkFetch:
    """`fetch(url)` over syndic's guarded client (address guard, size and time limits, per-host politeness).

    Given a `fetcher`, it uses that client and leaves it open (`syndic serve`
    shares its poller's, so the two are polite to one host together); else it
    opens its own. `page(url)` fetches a feed item's page as the pipeline
    does, with robots.txt (and its Crawl-delay) when `check_robots`."""

    ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, text/html;q=0.9, */*;q=0.5"

    def __init__(self, settings: Any = None, *, fetcher: Fetcher | None = None, check_robots: bool = False) -> None:
        from syndic.net import Fetcher, NetSettings

        self._owned = fetcher is None
        self.fetcher: Fetcher = fetcher or Fetcher(settings or NetSettings())
        self.check_robots = check_robots

    async def __call__(self, url: str) -> Fetched:
        return await self.fetcher.fetch(url, accept=self.ACCEPT)

    async def page(self, url: str) -> Fetched:
        return await self.fetcher.fetch(url, accept=self.ACCEPT, check_robots=self.check_robots)

    async def aclose(self) -> None:
        if self._owned:
            await self.fetcher.aclose()


def network_fetch(settings: Any = None, *, fetcher: Fetcher | None = None, check_robots: bool = False) -> NetworkFetch:
    return NetworkFetch(settings, fetcher=fetcher, check_robots=check_robots)
