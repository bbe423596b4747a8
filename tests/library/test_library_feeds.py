"""A Python user's flow through the facade: open over an SQLite file, subscribe, poll, read the entries.

The site is a real HTTP server on 127.0.0.1; loopback is allowed in the
settings explicitly (the address guard refuses it by default), as the demo
and the pipeline tests do. Nothing here imports run/ or store/.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import syndic
from syndic.config import Settings
from syndic.errors import FeedError
from syndic.library import extraction

PARAGRAPHS = [
    "The harbour commission voted on Monday to rebuild the eastern breakwater, ending a dispute that "
    "has divided the fishing fleet and the ferry operators for most of the past decade.",
    "Under the plan, the old granite wall will be raised by two metres and extended ninety metres to the "
    "south, sheltering the inner basin from the winter swell that has damaged moorings three years running.",
    "Commissioners said the work would begin in April and take two seasons, with the ferry berth moved "
    "temporarily to the north quay while cranes work from barges on the seaward side.",
    "Fishermen who had campaigned for the project for years welcomed the decision, though several said "
    "the timetable was too slow and asked for the dredging of the basin to be brought forward.",
]


def _page(title: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Gazette</title>'
            f'<meta name="author" content="Ada Byron"></head><body><nav><a href="/">Home</a></nav>'
            f"<article><h1>{title}</h1>{body}</article><footer>Copyright Gazette.</footer></body></html>").encode()


def _rss(base: str, items: list[tuple[str, str]]) -> bytes:
    parts = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate><description>Summary of {t}</description></item>"
        for t, p in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><link>{base}/</link>'
            f"<description>News</description>{parts}</channel></rss>").encode()


@pytest.fixture
def gazette(local_site: Any) -> Any:
    """A news site: a home page naming its feed, one article, and one page that answers 500."""
    base = local_site.base_url
    local_site.serve("/", b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                          b"</head><body>home</body></html>")
    local_site.serve("/feed.xml", _rss(base, [("Breakwater", "/breakwater"), ("Gone", "/gone")]),
                     content_type="application/rss+xml")
    local_site.serve("/breakwater", _page("Breakwater to be rebuilt"))
    local_site.serve("/gone", b"oops", status=500, content_type="text/plain")
    return local_site


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'news.db'}",
        allow_networks=(ipaddress.ip_network("127.0.0.0/8"),),  # the test site is on loopback
        min_host_interval=0.0, connect_timeout=2, read_timeout=2, total_timeout=5, respect_robots=False,
    )


def test_subscribe_poll_and_list_entries(gazette: Any, settings: Settings) -> None:
    stages: list[tuple[str, int, int]] = []

    @contextmanager
    def progress(label: str, total: int) -> Iterator[Any]:
        done = [0]

        def step(n: int) -> None:
            done[0] += n

        yield step
        stages.append((label, total, done[0]))

    with syndic.open(settings) as s:

        async def subscribe_and_poll() -> Any:
            async with s.running(inline=True):  # one client; pages extracted in this process
                feed_id = await s.feeds.subscribe(gazette.url("/"))
                again = await s.feeds.subscribe(gazette.url("/feed.xml"))
                return feed_id, again, await s.feeds.poll(progress=progress)

        feed_id, again, report = asyncio.run(subscribe_and_poll())

        # The page named its feed; subscribing to the feed itself gives the same subscription.
        assert again == feed_id
        feed = s.feeds.get(feed_id)
        assert feed is not None and feed.url == gazette.url("/feed.xml") and feed.title == "Gazette"
        assert [f.id for f in s.feeds.list()] == [feed_id]

        assert report.new_entries == 2 and report.feed_errors == 0
        assert report.extracted == 1 and report.extract_errors == 1
        assert stages == [("feeds", 1, 1), ("pages", 2, 2)]

        rows = {r.link: r for r in s.entries.list()}
        assert set(rows) == {gazette.url("/breakwater"), gazette.url("/gone")}
        assert rows[gazette.url("/breakwater")].extract_state == "done"
        assert rows[gazette.url("/breakwater")].story_id is not None
        assert rows[gazette.url("/gone")].extract_state in ("failed", "given_up")
        assert "500" in (rows[gazette.url("/gone")].extract_error or "")
        assert [r.link for r in s.entries.list(states=["done"])] == [gazette.url("/breakwater")]

        # Health says which feed has a failing entry; retry queues it for the next poll.
        (health,) = s.feeds.health()
        assert health.feed.id == feed_id and health.failed_entries + health.given_up_entries == 1
        assert s.entries.pending_count() == 0
        assert s.entries.retry(feed_id=feed_id) == 1
        assert s.entries.pending_count() == 1

        # Nothing is due right after a poll; the OPML export names the subscription.
        assert s.feeds.due() == []
        document, count = s.feeds.export_opml()
        assert count == 1 and gazette.url("/feed.xml").encode() in document

    # Everything went to the SQLite file: a second open reads it back.
    with syndic.open(settings) as again_opened:
        assert len(again_opened.entries.list()) == 2
        assert again_opened.entries.has_feeds()


def test_a_page_without_a_feed_is_refused_saying_why(local_site: Any, settings: Settings) -> None:
    local_site.serve("/", b"<html><body>no feed here</body></html>")
    with syndic.open(settings) as s:
        with pytest.raises(FeedError, match="no feed found"):
            asyncio.run(s.feeds.subscribe(local_site.url("/")))
        assert s.feeds.list() == [] and not s.entries.has_feeds()


def test_extraction_needs_no_store(gazette: Any, settings: Settings) -> None:
    article = asyncio.run(extraction.article_from_url(settings, gazette.url("/breakwater")))
    assert article.error is None and article.title == "Breakwater to be rebuilt"
    assert PARAGRAPHS[0][:40] in article.text
    local = asyncio.run(extraction.article_from_html(settings, _page("From a file"), "https://gazette.example/a"))
    assert local.title == "From a file" and local.url == "https://gazette.example/a"
    assert not (settings.data_dir / "news.db").exists()
