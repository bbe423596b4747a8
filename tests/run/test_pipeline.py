"""The whole pipeline in one process against a real local server, on both engines.

Feeds and pages are served by a real HTTP server on 127.0.0.1 (loopback is
allowed explicitly, as the demo does); nothing touches the internet.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from syndic.config import Settings
from syndic.run.local import open_runtime
from syndic.run.pipeline import discover_and_add, poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds

PARAGRAPHS = [
    "The harbour commission voted on Monday to rebuild the eastern breakwater, ending a dispute that "
    "has divided the fishing fleet and the ferry operators for most of the past decade.",
    "Under the plan, the old granite wall will be raised by two metres and extended ninety metres to the "
    "south, sheltering the inner basin from the winter swell that has damaged moorings three years running.",
    "Commissioners said the work would begin in April and take two seasons, with the ferry berth moved "
    "temporarily to the north quay while cranes work from barges on the seaward side.",
    "Fishermen who had campaigned for the project for years welcomed the decision, though several said "
    "the timetable was too slow and asked for the dredging of the basin to be brought forward.",
    "The ferry company said it would publish a revised timetable for the temporary berth in February "
    "and promised that no sailings would be cancelled because of the construction.",
]


def page(title: str, paragraphs: list[str], *, canonical: str | None = None, authors: str = "Ada Byron") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Gazette</title>
<meta name="author" content="{authors}">{link}
<meta property="og:title" content="{title}"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1><p class="byline">By {authors}</p>{body}</article>
<aside><h3>Related</h3><ul><li><a href="/x">Another story about boats</a></li></ul></aside>
<footer>Copyright Gazette. <a href="/privacy">Privacy</a></footer></body></html>""".encode()


def rss(base: str, items: list[tuple[str, str]]) -> bytes:
    parts = "".join(
        f"<item><title>{t}</title><link>{base}{p}</link><guid>{base}{p}</guid>"
        f"<pubDate>Mon, 02 Mar 2026 08:00:00 +0000</pubDate><description>Summary of {t}</description></item>"
        for t, p in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title><link>{base}/</link>'
            f"<description>News</description>{parts}</channel></rss>").encode()


@pytest.fixture
def settings(make_settings: Any) -> Settings:
    return make_settings()  # type: ignore[no-any-return]


def serve_gazette(site: Any) -> None:
    base = site.base_url
    feed = rss(base, [("Breakwater", "/breakwater"), ("Copy", "/copy"), ("Gone", "/gone"), ("Binary", "/binary")])
    site.serve("/feed.xml", feed, content_type="application/rss+xml", ETag='"v1"')
    site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    site.serve("/copy", page("BREAKWATER TO BE REBUILT", [*PARAGRAPHS, "Read More", "Powered by WPeMatico"],
                             authors="Site Admin"))
    site.serve("/gone", b"oops", status=500, content_type="text/plain")
    site.serve("/binary", bytes(range(256)) * 50, content_type="application/octet-stream")
    site.serve("/", b'<html><head><link rel="alternate" type="application/rss+xml" href="/feed.xml">'
                    b"</head><body>home</body></html>")


def test_poll_extract_dedupe_end_to_end(any_store: Store, local_site: Any, settings: Settings) -> None:
    serve_gazette(local_site)

    async def go() -> None:
        async with open_runtime(settings, store=any_store, inline=True) as rt:
            feed_id = await discover_and_add(rt, local_site.url("/"))
            assert store_feeds.get_feed(any_store, feed_id).url == local_site.url("/feed.xml")  # type: ignore[union-attr]
            report = await poll(rt)
            assert report.new_entries == 4
            assert report.extracted == 2
            # the 500 is retryable: recorded, still pending; the binary page has no article
            errors = {a.url: a.error for a in report.articles if a.error}
            assert "500" in errors[local_site.url("/gone")]
            assert errors[local_site.url("/binary")]
            # second poll: conditional GET, nothing new, nothing stored twice
            report2 = await poll(rt)
            assert report2.new_entries == 0

    asyncio.run(go())
    assert local_site.hits["/breakwater"] == 1
    rows = {r.link: r for r in store_entries.list_entries(any_store)}
    good, copy = rows[local_site.url("/breakwater")], rows[local_site.url("/copy")]
    assert good.extract_state == "done" and copy.extract_state == "done"
    assert good.story_id == copy.story_id  # the autoblogged copy joined the story
    article = store_articles.get_article(any_store, good.article_id)
    assert article is not None
    assert PARAGRAPHS[1] in article.text
    assert "Related" not in article.text and "Privacy" not in article.text
    copy_article = store_articles.get_article(any_store, copy.article_id)
    assert copy_article is not None and "WPeMatico" not in copy_article.text
    feed = store_feeds.list_feeds(any_store)[0]
    assert feed.state == "ok" and feed.etag == '"v1"' and feed.next_check_at is not None


def test_a_broken_feed_is_recorded_and_the_others_go_on(any_store: Store, local_site: Any, settings: Settings) -> None:
    serve_gazette(local_site)
    local_site.serve("/html-not-feed", b"<html><body>hello</body></html>")
    local_site.serve("/empty", b"", content_type="application/rss+xml")
    good = store_feeds.add_feed(any_store, local_site.url("/feed.xml"))
    bad1 = store_feeds.add_feed(any_store, local_site.url("/html-not-feed"))
    bad2 = store_feeds.add_feed(any_store, local_site.url("/empty"))
    dead = store_feeds.add_feed(any_store, "http://127.0.0.1:9/feed")  # nothing listens on port 9
    guarded = store_feeds.add_feed(any_store, "http://169.254.169.254/latest/meta-data/")

    async def go() -> None:
        async with open_runtime(replace(settings, max_extract_attempts=1), store=any_store, inline=True) as rt:
            await poll(rt)

    asyncio.run(go())
    by_id = {f.id: f for f in store_feeds.list_feeds(any_store)}
    assert by_id[good].state == "ok"
    for feed_id in (bad1, bad2, dead, guarded):
        assert by_id[feed_id].state == "error" and by_id[feed_id].last_error
        assert by_id[feed_id].error_count == 1
        assert by_id[feed_id].next_check_at is not None
    assert "169.254.169.254" in by_id[guarded].last_error
    assert store_articles.article_count(any_store) == 2
