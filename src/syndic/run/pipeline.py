"""The pipeline in one process: poll feeds, fetch pages, extract, clean, dedupe, store.

Network work runs concurrently on one asyncio loop through the single
`Fetcher` (which enforces per-host politeness); CPU work (extraction and
cleaning) goes to the executor passed in — a process pool by default, plain
inline calls when debugging. Only this coordinator writes to the store: a
feed's entries and state always in one transaction (feeds polled together
share it, see group_writer.py), an article in one of its own. That is what
SQLite wants and what keeps a crash from leaving half an update behind.

A failure belongs to the feed or entry it happened to: it is recorded there
with its reason and the rest of the batch goes on. Each item has one
boundary that catches everything (`poll_feed`, `extract_entry`, and
`_bounded` around both, for when even recording the failure fails): the
traceback goes to the log, the reason onto the item, and syndic/retry.py
decides when a failed entry is tried again or given up. Only cancellation
(shutdown) passes through.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from syndic import clean, dedupe, feeds, retry, websub
from syndic.config import Settings
from syndic.config import net_settings as net_settings  # re-exported: run/ and the CLI import it from here
from syndic.errors import FeedError, FetchError, HTTPStatusError, StoreError, SyndicError
from syndic.net import Fetcher, FetchResult
from syndic.run.article import article_from_url
from syndic.run.group_writer import GroupWriter
from syndic.run.stages import PageResult
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article, Entry, Feed, ParsedFeed

log = logging.getLogger("syndic.run")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

Progress = Callable[[int], None]
_In = TypeVar("_In")
_Out = TypeVar("_Out")


@dataclass
class Runtime:
    """What the stages share for one run: settings, store, the one client, an executor."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    executor: Executor | None = None
    rng: random.Random = field(default_factory=random.Random)
    make_executor: Callable[[], Executor | None] | None = None
    """Builds a fresh executor when a pool process died (killed, out of memory, a crash in C)."""
    database_errors_raise: bool = False
    """A Celery task runs the stages: a database error (a deadlock, the server down) is not the item's
    fault, so it is raised for the task's own quick bounded retries (then recorded as given up) instead
    of being recorded on the item with the item's much longer backoff. In one process it counts as an
    attempt of the item, so an item that always makes the store fail is given up, never retried forever."""

    def raises(self, exc: BaseException) -> bool:
        """Whether `exc` passes the item's boundary (see `database_errors_raise`)."""
        return self.database_errors_raise and isinstance(exc, StoreError | SQLAlchemyError)
    writer: GroupWriter = field(init=False)
    """Shares transactions between feeds polled together (see group_writer.py)."""

    def __post_init__(self) -> None:
        self.writer = GroupWriter(self.store)

    async def run_cpu(self, fn: Callable[[_In], _Out], arg: _In, /) -> _Out:
        """`fn(arg)` on the executor (inline when there is none)."""
        executor = self.executor
        if executor is None:
            return fn(arg)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, fn, arg)
        except BrokenExecutor:
            # one dead worker breaks the whole pool: replace it so the next item gets a working one
            if self.executor is executor and self.make_executor is not None:
                log.error("a worker process died; starting a new pool")
                executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self.make_executor()
            raise

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
    given_up: bool = False
    """The error was the last try (retry.GIVEN_UP); otherwise a failed entry is tried again later."""


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


async def poll_feed(rt: Runtime, feed: Feed) -> FeedOutcome:
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
    except Exception as exc:  # the feed's boundary: whatever went wrong is this feed's state, not the batch's
        if rt.raises(exc):
            raise
        if isinstance(exc, FetchError | FeedError):
            outcome.error = str(exc) or exc.__class__.__name__
        else:
            outcome.error = reason_of(exc)
            log.error("feed %s: %s", feed.url, outcome.error, exc_info=True,
                      extra={"feed_id": outcome.feed_id, "url": feed.url, "error": outcome.error})
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


def reason_of(exc: BaseException) -> str:
    """One line for an unexpected exception: its class and message (the traceback goes to the log)."""
    message = str(exc).splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}"[:2000] if message else type(exc).__name__


def _hub_and_topic(feed: Feed, parsed: ParsedFeed | None, result: FetchResult) -> tuple[str | None, str]:
    """WebSub discovery: the response's Link headers, else the document.

    On a 304 without Link headers, the hub and topic remembered from the last
    full fetch are used, so a lease is renewed even for a quiet feed.
    """
    link_headers = result.headers.getall("Link", [])
    if parsed is not None:
        return websub.discover_hub(link_headers, parsed.hubs, parsed.self_url, result.final_url)
    remembered = [feed.hub_url] if feed.hub_url else []
    return websub.discover_hub(link_headers, remembered, feed.websub_topic, result.final_url)


async def _ask_hub_if_due(rt: Runtime, feed: Feed, hub: str | None, topic: str) -> bool:
    """Ask the feed's hub to push (or renew the lease) when due; True if push may be live."""
    now = _now()
    if websub.subscription_wanted(feed, hub, topic, now, rt.settings) and hub:
        await websub.request_subscription(rt.fetcher, rt.store, rt.settings, feed, hub, topic)
        return True
    # a feed that no longer names its hub is not pushed any more, whatever the lease says
    return hub is not None and hub == feed.hub_url and websub.is_pushed(feed, now)


async def _bounded(
    items: Sequence[_In],
    work: Callable[[_In], Awaitable[_Out]],
    workers: int,
    failed: Callable[[_In, Exception], _Out],
) -> list[_Out]:
    """Run `work` over items with a fixed number of workers, results in input order.

    Unlike gathering one coroutine per item, memory stays flat in the number
    of items: only `workers` are in flight at once. An item whose work
    raises (even past its own boundary: the store down while recording a
    failure) gets `failed(item, exc)` as its result and the workers go on;
    one item can never end the batch. Cancellation still passes through.
    """
    results: list[_Out | None] = [None] * len(items)
    iterator = iter(enumerate(items))

    async def worker() -> None:
        for index, item in iterator:
            try:
                results[index] = await work(item)
            except Exception as exc:
                log.error("item failed past its own boundary: %s", reason_of(exc), exc_info=True)
                results[index] = failed(item, exc)

    await asyncio.gather(*(worker() for _ in range(max(1, min(workers, len(items))))))
    return results  # type: ignore[return-value]


async def poll_feeds(
    rt: Runtime, feed_rows: Sequence[Feed], *, progress: Progress | None = None
) -> list[FeedOutcome]:
    """Poll many feeds concurrently; the Fetcher's limits keep each host polite."""

    async def one(feed: Feed) -> FeedOutcome:
        try:
            return await poll_feed(rt, feed)
        finally:
            if progress:
                progress(1)

    def failed(feed: Feed, exc: Exception) -> FeedOutcome:
        return FeedOutcome(feed_id=int(feed.id), url=feed.url, error=reason_of(exc))

    return await _bounded(feed_rows, one, 2 * rt.settings.max_connections, failed)


async def _fetch_article(rt: Runtime, url: str, feed_authors: tuple[str, ...]) -> PageResult:
    return await article_from_url(
        url,
        fetch=rt.fetch_page,
        run_cpu=rt.run_cpu,
        rules_dir=str(rt.settings.resolved_site_config_dir()),
        feed_authors=feed_authors,
    )


def _article_from_feed(entry: Entry) -> Article | None:
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


def backoff_of(settings: Settings) -> retry.Backoff:
    return retry.Backoff(base=timedelta(seconds=settings.extract_retry_backoff_s),
                         cap=timedelta(seconds=settings.extract_retry_backoff_max_s))


async def extract_entry(rt: Runtime, entry: Entry) -> ExtractOutcome:
    """Fetch an entry's page, extract and clean it, and record the article and its story.

    The entry's boundary: whatever fails (the fetch, a stage that raises, the
    store) is recorded on this entry — failed with its next try, or given up
    (syndic/retry.py decides) — and the caller's batch goes on. A given-up
    entry keeps the feed's own full text when the feed had one.
    """
    outcome = ExtractOutcome(entry_id=int(entry.id), url=entry.link)
    try:
        failure = await _try_extract(rt, entry, outcome)
    except Exception as exc:  # a bug, or the unexpected: retried with backoff, then given up
        if rt.raises(exc):
            raise
        failure = (reason_of(exc), True)
        log.error("entry %s (%s): %s", outcome.entry_id, entry.link, failure[0], exc_info=True,
                  extra={"entry_id": outcome.entry_id, "url": entry.link, "error": failure[0]})
    if failure is None:
        return outcome
    error, retryable = failure
    decision = retry.after_failure(
        int(entry.extract_attempts), max_attempts=rt.settings.max_extract_attempts, retryable=retryable,
        now=_now(), backoff=backoff_of(rt.settings), rng=rt.rng,
    )
    if decision.state == retry.GIVEN_UP and _record_fallback(rt, entry, outcome):
        return outcome
    store_entries.record_extract_failure(rt.store, outcome.entry_id, error, decision)
    log.info("entry %s %s: %s", outcome.entry_id,
             "given up" if decision.state == retry.GIVEN_UP else "failed (will retry)", error,
             extra={"entry_id": outcome.entry_id, "url": entry.link, "error": error, "state": decision.state,
                    "attempts": decision.attempts})
    outcome.error = error
    outcome.given_up = decision.state == retry.GIVEN_UP
    return outcome


async def _try_extract(rt: Runtime, entry: Entry, outcome: ExtractOutcome) -> tuple[str, bool] | None:
    """One try; None when the article is stored, else (reason, whether trying again may help)."""
    if not entry.link:
        return "entry has no link to fetch", False
    try:
        page = await _fetch_article(rt, entry.link, tuple(entry.authors or ()))
    except FetchError as exc:
        return str(exc) or exc.__class__.__name__, exc.retryable
    except StoreError as exc:  # the shared robots/politeness state: the database, not the page
        if rt.raises(exc):
            raise
        return f"{entry.link}: {exc}", True
    except SyndicError as exc:
        return f"{entry.link}: {exc}", False
    if page.article.error:
        return f"{entry.link}: {page.article.error}", False
    if page.article.published is None and entry.published is not None:
        page = PageResult(replace(page.article, published=entry.published), page.canonical_url, None)
    try:
        recorded = store_articles.record_article(
            rt.store, outcome.entry_id, page.article,
            url_key=page.canonical_url, fetched_url=entry.link,
        )
    except StoreError as exc:
        if rt.raises(exc):
            raise
        return f"{entry.link}: {exc}", True
    outcome.article_id, outcome.story_id = recorded.article_id, recorded.story_id
    return None


def _record_fallback(rt: Runtime, entry: Entry, outcome: ExtractOutcome) -> bool:
    """Store the feed's own full text for an entry whose page is given up; False when there is none."""
    try:
        fallback = _article_from_feed(entry)
        if fallback is None:
            return False
        recorded = store_articles.record_article(
            rt.store, outcome.entry_id, fallback, url_key=dedupe.canonical_url(fallback.url),
            fetched_url=entry.link, from_feed=True,
        )
    except Exception as exc:
        log.error("entry %s: the feed's own text could not be stored: %s", outcome.entry_id, reason_of(exc),
                  exc_info=True, extra={"entry_id": outcome.entry_id})
        return False
    outcome.article_id, outcome.story_id = recorded.article_id, recorded.story_id
    return True


async def extract_pending(
    rt: Runtime, *, limit: int = 10_000, progress: Progress | None = None
) -> list[ExtractOutcome]:
    """Extract every entry waiting for its article."""
    pending = store_entries.pending_entries(
        rt.store, limit=limit, max_attempts=rt.settings.max_extract_attempts
    )

    async def one(entry: Entry) -> ExtractOutcome:
        try:
            return await extract_entry(rt, entry)
        finally:
            if progress:
                progress(1)

    def failed(entry: Entry, exc: Exception) -> ExtractOutcome:
        return ExtractOutcome(entry_id=int(entry.id), url=entry.link, error=reason_of(exc))

    return await _bounded(pending, one, 2 * rt.settings.max_connections, failed)


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
