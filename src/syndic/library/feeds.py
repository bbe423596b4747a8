"""Subscriptions: subscribe (discovering a page's feed), list, health, OPML in and out, and polling.

    async with s.running():
        feed_id = await s.feeds.subscribe("https://example.org/")
        report = await s.feeds.poll()
    print(report.new_entries, "new entries,", report.extracted, "articles")

Polling is the whole cycle: the feeds (all, or the due ones) are fetched
and their new entries stored, then every entry owed an article is fetched,
extracted and grouped into a story. A failure is recorded on its feed or
entry (see `health()` and `Entries.list`) and never stops the batch.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from syndic import websub
from syndic.library.core import Core
from syndic.run import distributed, pipeline, subscriptions
from syndic.run.pipeline import ExtractOutcome, FeedOutcome, PollReport, Progress
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.store import metrics as store_metrics
from syndic.store.claims import due_key
from syndic.store.metrics import FetchStats
from syndic.types import Feed
from syndic.websub import CallbackAnswer

ProgressBar = Callable[[str, int], AbstractContextManager[Progress]]
"""Opens a progress display for one stage of a poll ("feeds", then "pages") of `total`
steps, and yields the callback each finished step calls with 1 (the CLI's progress bars)."""

__all__ = ["CallbackAnswer", "ExtractOutcome", "Feed", "FeedHealth", "FeedOutcome", "Feeds", "PollReport", "ProgressBar"]

log = logging.getLogger("syndic.run")


@dataclass(frozen=True)
class FeedHealth:
    """Why a feed is or is not updating: the feed (its state, last error, next check, push
    subscription) and how many of its entries failed extraction."""

    feed: Feed
    failed_entries: int = 0
    """Entries whose extraction failed and will be tried again after a backoff."""
    given_up_entries: int = 0
    """Entries whose extraction was given up (attempts spent, or an error a retry cannot fix)."""


@contextmanager
def _no_progress(_label: str, _total: int) -> Iterator[Progress]:
    yield lambda _n: None


class Feeds:
    """Subscriptions: subscribe (discovering a page's feed), list, health, OPML in and out, and polling."""

    def __init__(self, core: Core) -> None:
        self._core = core

    async def subscribe(self, url: str, *, category: str | None = None) -> int:
        """Subscribe to `url` and return the feed's id; subscribing twice gives the same feed.

        The URL is fetched once: a feed is added as it is; a web page's feeds
        (its <link rel="alternate">) are tried in order and the first that
        parses is added. `category` is the OPML folder to file it under.
        Raises `FetchError` or `FeedError` (a `SyndicError`) saying why not.
        """
        async with self._core.runtime(inline=True) as rt:
            return await pipeline.discover_and_add(rt, url, category=category)

    def get(self, feed_id: int) -> Feed | None:
        """The feed with this id, or None."""
        return store_feeds.get_feed(self._core.store, feed_id)

    def list(self) -> Sequence[Feed]:
        """Every subscription, oldest first."""
        return store_feeds.list_feeds(self._core.store)

    def due(self, now: datetime | None = None) -> Sequence[Feed]:
        """The feeds whose next check has come by `now` (default: now), earliest first."""
        return store_feeds.due_feeds(self._core.store, now or datetime.now(UTC))

    def health(self) -> builtins.list[FeedHealth]:
        """Every subscription with its polling state and its entries' extraction failures."""
        failures = store_entries.failures_by_feed(self._core.store)
        report = []
        for feed in self.list():
            failed = failures.get(int(feed.id), {})
            report.append(FeedHealth(feed, failed.get("failed", 0), failed.get("given_up", 0)))
        return report

    def set_public(self, feed_id: int, public: bool = True) -> bool:
        """Serve the feed's full-text feed (/full/feeds/…) without login, or stop; False if no such feed."""
        with self._core.store.engine.begin() as conn:
            return store_feeds.set_public(conn, feed_id, public)

    def delete(self, feed_id: int) -> bool:
        """Unsubscribe: remove the feed and its entries (articles and stories stay); False if no such feed."""
        with self._core.store.engine.begin() as conn:
            return store_feeds.delete_feed(conn, feed_id)

    def pipeline_counts(self) -> dict[str, int]:
        """Monitoring numbers: feeds by state (`feeds_<state>`), extraction and post queues, articles stored."""
        with self._core.store.engine.connect() as conn:
            return store_metrics.pipeline_counts(conn)

    def fetch_stats(self, since: datetime) -> builtins.list[FetchStats]:
        """Fetches by kind ("feed", "page") since `since`: how many, how many failed, their total time."""
        with self._core.store.engine.connect() as conn:
            return store_metrics.fetch_stats(conn, since)

    def import_opml(self, document: bytes) -> int:
        """Subscribe to every feed of an OPML document (folders become categories); how many it names.

        Feeds already subscribed stay as they are; javascript: and data:
        outlines are dropped. Raises `FeedError` for a document that is
        not OPML.
        """
        return subscriptions.import_opml(self._core.store, document)

    def export_opml(self) -> tuple[bytes, int]:
        """Every subscription as an OPML document, and how many feeds it holds."""
        return subscriptions.export_opml(self._core.store)

    async def poll(self, *, due_only: bool = False, progress: ProgressBar | None = None) -> PollReport:
        """Poll the feeds (every one, or only those due), then extract every entry owed an article.

        Returns what happened to each feed (new entries, or the error) and to
        each page (article and story, or the error; `given_up` when it will
        not be tried again). `progress` opens a display per stage. Inside
        `Syndic.running(inline=True)` the pages are extracted in this process
        instead of a process pool.
        """
        bar = progress or _no_progress
        async with self._core.runtime() as rt:
            rows = self.due() if due_only else self.list()
            with bar("feeds", len(rows)) as step:
                outcomes = await pipeline.poll_feeds(rt, rows, progress=step)
            # the pages' count only sizes a display: a server polling in the background reads none
            pending = 0 if progress is None else store_entries.pending_count(
                rt.store, max_attempts=rt.settings.max_extract_attempts)
            with bar("pages", pending) as step:
                results = await pipeline.extract_pending(rt, progress=step)
        return PollReport(feeds=outcomes, articles=results)

    async def poll_slot(self, feed_id: int, due: str | None = None) -> FeedOutcome | None:
        """Poll one feed for its scheduled check, in this process (what a cluster worker does).

        `due` is the claim key the scheduler queued the check under
        (`store.claims.due_key` of the feed's next check): a repeated delivery
        of a check already made does nothing. None when nothing was polled
        (the feed is gone, or that check was made).
        """
        feed = self.get(feed_id)
        if feed is None:
            return None  # unsubscribed meanwhile
        if due is not None and due_key(feed.next_check_at) != due:
            log.info("feed %s already polled for %s", feed_id, due, extra={"feed_id": feed_id})
            return None
        async with self._core.runtime(inline=True) as rt:
            return await pipeline.poll_feed(rt, feed)

    async def refresh(self, feed_id: int) -> PollReport:
        """Poll one feed now, whatever its schedule, and extract its new entries in this process.

        What the reader does right after a user subscribes: the feed's
        articles are there when the page reloads. Unknown ids poll nothing.
        """
        async with self._core.runtime(inline=True) as rt:
            feed = self.get(feed_id)
            outcomes = [await pipeline.poll_feed(rt, feed)] if feed is not None else []
            results = await pipeline.extract_pending(rt) if feed is not None else []
        return PollReport(feeds=outcomes, articles=results)

    def websub_verification(self, feed_id: int, query: Mapping[str, str]) -> CallbackAnswer:
        """Answer a WebSub hub's verification request for feed `feed_id` (its `hub.*` query).

        The challenge is echoed only for a (un)subscription syndic asked for
        and is waiting on; see `syndic.websub.answer_verification`.
        """
        return websub.answer_verification(self._core.store, feed_id, query)

    def websub_push(
        self, feed_id: int, body: bytes, content_type: str | None, signature: str | None
    ) -> CallbackAnswer:
        """Take a hub's push of new content for feed `feed_id`: stored like a poll's entries when the
        signature (`X-Hub-Signature`) is the subscription's; refused with a reason otherwise."""
        return websub.accept_distribution(self._core.store, feed_id, body, content_type, signature)

    def enqueue_poll(self, *, due_only: bool = False) -> int:
        """Queue a poll of every feed (only the due ones with `due_only`) for the Celery workers; how many.

        This syndic's store must be the one the workers share and the broker
        (settings.broker_url) reachable; `syndic.services.workers.enqueue_poll`
        checks both first. A feed already queued for its due time is not
        queued twice (the claim is kept in the store).
        """
        return distributed.enqueue_poll(self._core.store, due_only=due_only, settings=self._core.settings)
