"""What syndic publishes: full-text feeds (RSS, Atom, JSON Feed) and Full-Text RSS answers.

    with syndic.open() as s:
        doc = s.documents.feed(feed_id, limit=20)          # None when there is no such feed
        if doc is not None:
            body, media_type = s.documents.render(doc, "atom")
        service = s.documents.fulltext_service()          # makefulltextfeed.php / extract.php
        answer = asyncio.run(service.answer(FtrRequest.from_params({"url": url}), valid_key=True))

A subscribed feed's document has its entries' full text, newest first; a
campaign's merges its feeds with one item per story (the story's original
preferred); a search's is the articles matching every word. Documents are
built from the store and returned at once; the Full-Text RSS service
fetches and extracts, so its methods are coroutines. Pages are extracted by
the one extraction path the pipeline and `syndic extract` use
(`page_extractor`), which the library hands the service, so the publish
stage never imports the pipeline.
"""

from __future__ import annotations

from syndic.library.core import Core
from syndic.net import NetSettings
from syndic.publish.ftr import (
    Answer,
    BadRequest,
    FtrCache,
    FtrOptions,
    FtrRequest,
    FullTextService,
    PageExtractor,
    Refused,
    network_fetch,
)
from syndic.publish.outputs import campaign_document, feed_document, search_document
from syndic.publish.writers import MEDIA_TYPES, FeedDocument, FeedItem, write_feed
from syndic.run.article import CpuRunner, article_from_page, run_in_thread
from syndic.types import Article, Fetch, Fetched

FORMATS: tuple[str, ...] = tuple(MEDIA_TYPES)  # "rss", "atom", "json"

__all__ = [
    "FORMATS",
    "Answer",
    "BadRequest",
    "CpuRunner",
    "Documents",
    "FeedDocument",
    "FeedItem",
    "FtrOptions",
    "FtrRequest",
    "FullTextService",
    "PageExtractor",
    "Refused",
    "page_extractor",
]


def page_extractor(rules_dir: str | None = None, run_cpu: CpuRunner | None = None) -> PageExtractor:
    """The one extraction path (site rules in `rules_dir`, later pages joined, cleaning) as the
    Full-Text RSS service calls it; `run_cpu` runs the parse (a process pool under `syndic serve`,
    a thread when None, so the event loop keeps answering)."""

    async def extract(page: Fetched, fetch: Fetch | None, /) -> Article:
        result = await article_from_page(page, fetch=fetch, run_cpu=run_cpu or run_in_thread, rules_dir=rules_dir)
        return result.article

    return extract


class Documents:
    """What syndic publishes: full-text feeds (RSS, Atom, JSON Feed) and Full-Text RSS answers."""

    def __init__(self, core: Core) -> None:
        self._core = core

    def feed(self, feed_id: int, *, limit: int = 50, self_url: str | None = None) -> FeedDocument | None:
        """A subscribed feed with its entries' full text, newest first; None when there is no such feed.

        `self_url` is the document's own address (its self link); `limit` is
        capped at the publish stage's maximum.
        """
        try:
            return feed_document(self._core.store, feed_id, limit=limit, self_url=self_url)
        except LookupError:  # publish.outputs.NotFound
            return None

    def campaign(self, campaign_id: int, *, limit: int = 50, self_url: str | None = None) -> FeedDocument | None:
        """A campaign's feeds merged, one item per story (its original preferred); None when there is none."""
        try:
            return campaign_document(self._core.store, campaign_id, limit=limit, self_url=self_url)
        except LookupError:  # publish.outputs.NotFound
            return None

    def search(self, query: str, *, limit: int = 50, self_url: str | None = None) -> FeedDocument:
        """The articles matching every word of `query`, best first, as a feed (a saved search is its URL)."""
        return search_document(self._core.store, query, limit=limit, self_url=self_url)

    def render(self, document: FeedDocument, fmt: str) -> tuple[bytes, str]:
        """The document as bytes in `fmt` ("rss", "atom" or "json", see FORMATS) and its media type.

        Raises ValueError for another format. HTML is sanitized and every URL
        made absolute on the way out, whatever the store holds.
        """
        return write_feed(document, fmt)

    def fulltext_service(
        self,
        *,
        fetch: Fetch | None = None,
        fetch_page: Fetch | None = None,
        options: FtrOptions | None = None,
        net: NetSettings | None = None,
        check_robots: bool = False,
        run_cpu: CpuRunner | None = None,
    ) -> FullTextService:
        """The Full-Text RSS service (makefulltextfeed.php, extract.php) over this store's cache.

        It fetches through `fetch`, and a feed's item pages through
        `fetch_page` (`syndic serve` hands both over its poller's client, on
        the configured network policy). Without `fetch` it opens a guarded
        client of its own on `net`, by default syndic's strict policy
        (private and loopback addresses refused whatever the settings allow:
        pass `net` to widen it), reading robots.txt for item pages when
        `check_robots`; close the service with `aclose()` then. It answers as
        `options` say (default: the settings' `ftr_*`) and extracts each page
        by the one extraction path with the settings' site rules, parsing in
        `run_cpu` (a thread when None).
        """
        settings = self._core.settings
        if fetch is None:
            own = network_fetch(net, check_robots=check_robots)
            fetch, fetch_page = own, fetch_page or own.page
        return FullTextService(
            fetch,
            FtrCache(self._core.store),
            options=options or FtrOptions.from_settings(settings),
            fetch_page=fetch_page,
            extract_page=page_extractor(str(settings.resolved_site_config_dir()), run_cpu),
        )
