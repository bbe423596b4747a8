"""The pipeline in one process: poll feeds, fetch pages, extract, clean, dedupe, store.

Network work runs concurrently on one asyncio loop through the single
`Fetcher` (which enforces per-host politeness); CPU work (extraction and
cleaning) goes to the executor passed in — a process pool by default, plain
inline calls when debugging. Only this coordinator writes to the store: a
feed's entries and state always in one transaction (feeds polled together
share it, see group_writer.py), an article in one of its own. That is what
SQLite wants and what keeps a crash from leaving half an update behind.

A failure belongs to the feed or entry it happened to: it is recorded there
with its reason and the rest of the batch goes on.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.engine import Connection

from syndic import clean, dedupe, feeds
from syndic.config import Settings
from syndic.errors import FeedError, FetchError, HTTPStatusError, SyndicError
from syndic.net import Fetcher, FetchResult, Limits, NetSettings
from syndic.run import websub
from syndic.run.article import article_from_url
from syndic.run.group_writer import GroupWriter
from syndic.run.stages import PageResult
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article, ParsedFeed

log = logging.getLogger("syndic.run")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

Progress = Callable[[int], None]
_In = TypeVar("_In")
_Out = TypeVar("_Out")


def net_settings(settings: Settings) -> NetSettings:
    """The network settings a Settings asks for."""
    base = NetSettings(user_agent=settings.user_agent) if settings.user_agent else NetSettings()
    return replace(
        base,
        limits=Limits(
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            total_timeout=settings.total_timeout,
            max_redirects=settings.max_redirects,
            max_body_bytes=settings.max_body_bytes,
        ),
        allow_networks=settings.allow_networks,
        per_host_concurrency=settings.per_host_concurrency,
        min_host_interval=settings.min_host_interval,
        max_connections=settings.max_connections,
        max_crawl_delay=settings.max_crawl_delay_s,
    )


@dataclass
class Runtime:
    """What the stages share for one run: settings, store, the one client, an executor."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    executor: Executor | None = None
    rng: random.Random = field(default_factory=random.Random)
    writer: GroupWriter = field(init=False)
    """Shares transactions between feeds polled together (see group_writer.py)."""

    def __post_init__(self) -> None:
        self.writer = GroupWriter(self.store)

    async def run_cpu(self, fn: Callable[[_In], _Out], arg: _In, /) -> _Out:
        """`fn(arg)` on the executor (inline when there is none)."""
        if self.executor is None:
            return fn(arg)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, fn, arg)

    async def fetch_page(self, url: str) -> FetchResult:
        """An article page through the one client (robots.txt as configured)."""
        return await self.fetcher.fetch(url, accept=PAGE_ACCEPT, check_robots=self.settings.respect_robots)


@dataclass
class FeedOutcome:
    feed_id: int
    url: str
    new_entries: int = 0
    not_modified: bool = False
    error: str | None = None


@dataclass
class ExtractOutcome:
    entry_id: int
    url: str | None
    article_id: int | None = None
    story_id: int | None = None
    error: str | None = None


@dataclass
class PollReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    articles: list[ExtractOutcome] = field(default_factory=list)

    @property
    def feed_errors(self) -> int:
        return sum(1 for f in self.feeds if f.error)

    @property
    def new_entries(self) -> int:
        return sum(f.new_entries for f in self.feeds)

    @property
    def extracted(self) -> int:
        return sum(1 for a in self.articles if a.article_id is not None)

    @property
    def extract_errors(self) -> int:
        return sum(1 for a in self.articles if a.error)


def _now() -> datetime:
    return datetime.now(UTC)


def _schedule(
    rt: Runtime,
    entry_times: list[datetime],
    *,
    result: FetchResult | None,
    parsed: ParsedFeed | None,
    error_count: int,
    retry_after: float | None = None,
) -> datetime:
    now = _now()
    headers = result.headers if result is not None else {}
    return feeds.next_check_at(
        now,
        entry_times=entry_times,
        min_interval=timedelta(seconds=rt.settings.min_poll_interval_s),
        max_interval=timedelta(seconds=rt.settings.max_poll_interval_s),
        cache_control=headers.get("cache-control") if headers else None,
        expires=headers.get("expires") if headers else None,
        ttl_minutes=parsed.ttl if parsed is not None else None,
        retry_after=retry_after,
        error_count=error_count,
        rng=rt.rng,
    )


async def poll_feed(rt: Runtime, feed: Any) -> FeedOutcome:
    """Fetch one feed (conditionally), store its new entries, schedule its next check.

    The entries and the feed's new state (validators, next check) are written
    in one transaction (shared with other feeds when the runtime has a group
    writer): a crash leaves either both or neither, so an ETag is never saved
    for entries that were not.
    """
    outcome = FeedOutcome(feed_id=int(feed.id), url=feed.url)
    result: FetchResult | None = None
    try:
        result = await rt.fetcher.fetch(
            feed.url, etag=feed.etag, last_modified=feed.last_modified, accept=FEED_ACCEPT
        )
        parsed: ParsedFeed | None = None
        if result.not_modified:
            outcome.not_modified = True
        else:
            parsed = feeds.parse_feed(
                result.body, url=result.final_url, content_type=result.content_type,
                content_language=result.headers.get("Content-Language"),
            )
        hub, topic = _hub_and_topic(feed, parsed, result)
        pushed = await _ask_hub_if_due(rt, feed, hub, topic)
        fetched = result

        def write(connection: Connection) -> int:
            new = 0
            if parsed is not None:
                new = len(store_entries.insert_or_refresh(
                    connection, outcome.feed_id, parsed.entries, base_url=fetched.final_url
                ))
            next_check = _schedule(
                rt, store_entries.newest_times(connection, outcome.feed_id),
                result=fetched, parsed=parsed, error_count=0,
            )
            if pushed:
                # the hub may have verified while we waited for its answer: read the state again
                current = store_feeds.read_feed(connection, outcome.feed_id)
                if current is not None:
                    next_check = websub.next_check_when_pushed(current, next_check, _now(), rt.settings)
            store_feeds.write_feed_success(
                connection,
                outcome.feed_id,
                store_feeds.FeedPollResult(
                    status=fetched.status,
                    etag=fetched.etag or (feed.etag if fetched.not_modified else None),
                    last_modified=fetched.last_modified or (feed.last_modified if fetched.not_modified else None),
                    next_check_at=next_check,
                    ttl_minutes=parsed.ttl if parsed is not None else feed.ttl_minutes,
                    hub_url=hub if parsed is not None else feed.hub_url,
                ),
                parsed,
            )
            return new

        outcome.new_entries = await rt.writer.run(write)
        log.debug("feed %s polled: %s", feed.url,
                  "not modified" if outcome.not_modified else f"{outcome.new_entries} new entries",
                  extra={"feed_id": outcome.feed_id, "url": feed.url, "status": result.status,
                         "new_entries": outcome.new_entries})
    except (FetchError, FeedError) as exc:
        outcome.error = str(exc) or exc.__class__.__name__
        retry_after = exc.retry_after if isinstance(exc, HTTPStatusError) else None
        status = exc.status if isinstance(exc, HTTPStatusError) else (result.status if result else None)
        store_feeds.record_feed_error(
            rt.store,
            outcome.feed_id,
            store_feeds.FeedPollResult(
                status=status,
                etag=feed.etag,
                last_modified=feed.last_modified,
                next_check_at=_schedule(
                    rt, store_entries.latest_entry_times(rt.store, outcome.feed_id), result=None, parsed=None,
                    error_count=int(feed.error_count or 0) + 1, retry_after=retry_after,
                ),
                error=outcome.error,
            ),
        )
        log.info("feed %s failed: %s", feed.url, outcome.error,
                 extra={"feed_id": outcome.feed_id, "url": feed.url, "status": status, "error": outcome.error})
    return outcome


def _hub_and_topic(feed: Any, parsed: ParsedFeed | None, result: FetchResult) -> tuple[str | None, str]:
    """WebSub discovery: the response's Link headers, else the document.

    On a 304 without Link headers, the hub and topic remembered from the last
    full fetch are used, so a lease is renewed even for a quiet feed.
    """
    link_headers = result.headers.getall("Link", [])
    if parsed is not None:
        return websub.discover_hub(link_headers, parsed.hubs, parsed.self_url, result.final_url)
    remembered = [feed.hub_url] if feed.hub_url else []
    return websub.discover_hub(link_headers, remembered, feed.websub_topic, result.final_url)


async def _ask_hub_if_due(rt: Runtime, feed: Any, hub: str | None, topic: str) -> bool:
    """Ask the feed's hub to push (or renew the lease) when due; True if push may be live."""
    now = _now()
    if websub.subscription_wanted(feed, hub, topic, now, rt.settings) and hub:
        await websub.request_subscription(rt.fetcher, rt.store, rt.settings, feed, hub, topic)
        return True
    # a feed that no longer names its hub is not pushed any more, whatever the lease says
    return hub is not None and hub == feed.hub_url and websub.is_pushed(feed, now)


async def _bounded(items: Sequence[Any], work: Callable[[Any], Any], workers: int) -> list[Any]:
    """Run `work` over items with a fixed number of workers, results in input order.

    Unlike gathering one coroutine per item, memory stays flat in the number
    of items: only `workers` are in flight at once.
    """
    results: list[Any] = [None] * len(items)
    iterator = iter(enumerate(items))

    async def worker() -> None:
        for index, item in iterator:
            results[index] = await work(item)

    await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(items))))))
    return results


async def poll_feeds(
    rt: Runtime, feed_rows: Sequence[Any], *, progress: Progress | None = None
) -> list[FeedOutcome]:
    """Poll many feeds concurrently; the Fetcher's limits keep each host polite."""

    async def one(feed: Any) -> FeedOutcome:
        try:
            return await poll_feed(rt, feed)
        finally:
            if progress:
                progress(1)

    return await _bounded(feed_rows, one, 2 * rt.settings.max_connections)


async def _fetch_article(rt: Runtime, url: str, feed_authors: tuple[str, ...]) -> PageResult:
    return await article_from_url(
        url,
        fetch=rt.fetch_page,
        run_cpu=rt.run_cpu,
        rules_dir=str(rt.settings.resolved_site_config_dir()),
        feed_authors=feed_authors,
    )


def _article_from_feed(entry: Any) -> Article | None:
    """The feed's own full text, used when the page cannot be had (nothing fetched is lost)."""
    html = entry.content or ""
    if len(html) < 200 or not entry.link:
        return None
    result = clean.clean_html(html, metadata_authors=tuple(entry.authors or ()))
    if len(result.text.split()) < 50:
        return None
    return Article(
        url=entry.link,
        title=entry.title,
        html=result.html or "",
        text=result.text,
        authors=result.authors or tuple(entry.authors or ()),
        published=entry.published,
        modified=entry.updated,
        byline_problem=result.byline_problem,
    )


async def extract_entry(rt: Runtime, entry: Any) -> ExtractOutcome:
    """Fetch an entry's page, extract and clean it, and record the article and its story."""
    outcome = ExtractOutcome(entry_id=int(entry.id), url=entry.link)
    final = int(entry.extract_attempts) + 1 >= rt.settings.max_extract_attempts
    if not entry.link:
        fallback = None
        error = "entry has no link to fetch"
    else:
        try:
            page = await _fetch_article(rt, entry.link, tuple(entry.authors or ()))
            if page.article.error:
                fallback = _article_from_feed(entry)
                error = f"{entry.link}: {page.article.error}"
                final = True
            else:
                if page.article.published is None and entry.published is not None:
                    page = PageResult(replace(page.article, published=entry.published), page.canonical_url, None)
                recorded = store_articles.record_article(
                    rt.store, outcome.entry_id, page.article,
                    url_key=page.canonical_url, fetched_url=entry.link,
                )
                outcome.article_id, outcome.story_id = recorded.article_id, recorded.story_id
                return outcome
        except FetchError as exc:
            error = str(exc) or exc.__class__.__name__
            final = final or not exc.retryable
            fallback = _article_from_feed(entry) if final else None
        except SyndicError as exc:
            error = f"{entry.link}: {exc}"
            final = True
            fallback = _article_from_feed(entry)
    if fallback is not None:
        # Keyed as the page would be, so the page's text replaces it later (not a revision).
        recorded = store_articles.record_article(
            rt.store, outcome.entry_id, fallback, url_key=dedupe.canonical_url(fallback.url),
            fetched_url=entry.link, from_feed=True,
        )
        outcome.article_id, outcome.story_id = recorded.article_id, recorded.story_id
        return outcome
    store_entries.record_extract_error(rt.store, outcome.entry_id, error, final=final)
    log.info("entry %s not extracted%s: %s", outcome.entry_id, "" if final else " (will retry)", error,
             extra={"entry_id": outcome.entry_id, "url": entry.link, "error": error, "final": final})
    outcome.error = error
    return outcome


async def extract_pending(
    rt: Runtime, *, limit: int = 10_000, progress: Progress | None = None
) -> list[ExtractOutcome]:
    """Extract every entry waiting for its article."""
    pending = store_entries.pending_entries(
        rt.store, limit=limit, max_attempts=rt.settings.max_extract_attempts
    )

    async def one(entry: Any) -> ExtractOutcome:
        try:
            return await extract_entry(rt, entry)
        finally:
            if progress:
                progress(1)

    return await _bounded(pending, one, 2 * rt.settings.max_connections)


async def poll(
    rt: Runtime,
    *,
    due_only: bool = False,
    feed_progress: Progress | None = None,
    extract_progress: Progress | None = None,
) -> PollReport:
    """One cycle: poll feeds (all, or those due), then extract their new entries."""
    rows = (
        store_feeds.due_feeds(rt.store, _now()) if due_only else store_feeds.list_feeds(rt.store)
    )
    report = PollReport()
    report.feeds = await poll_feeds(rt, rows, progress=feed_progress)
    report.articles = await extract_pending(rt, progress=extract_progress)
    return report


async def discover_and_add(rt: Runtime, url: str, *, category: str | None = None) -> int:
    """Subscribe to `url`: a feed itself, or a page whose feed we discover."""
    result = await rt.fetcher.fetch(url, accept=FEED_ACCEPT)
    try:
        parsed = feeds.parse_feed(
            result.body, url=result.final_url, content_type=result.content_type,
            content_language=result.headers.get("Content-Language"),
        )
        return store_feeds.add_feed(rt.store, result.final_url, title=parsed.title, category=category)
    except FeedError as not_a_feed:
        candidates = feeds.discover_feeds(result.body, result.final_url)
        problems: list[str] = []
        for candidate in candidates[:5]:
            try:
                found = await rt.fetcher.fetch(candidate, accept=FEED_ACCEPT)
                parsed = feeds.parse_feed(
                    found.body, url=found.final_url, content_type=found.content_type,
                    content_language=found.headers.get("Content-Language"),
                )
            except (FetchError, FeedError) as exc:
                problems.append(str(exc))
                continue
            return store_feeds.add_feed(rt.store, found.final_url, title=parsed.title, category=category)
        detail = "; ".join(problems) if problems else "the page names no feed"
        raise FeedError(f"{url}: not a feed ({not_a_feed}) and no feed found on the page: {detail}") from None
