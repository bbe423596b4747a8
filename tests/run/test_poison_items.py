"""Poison items from issue 11: each one used to stop every poll; now each is only its own item's business.

Real feeds and pages on a loopback server, the real pipeline, both engines.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from syndic.config import Settings
from syndic.errors import StoreError
from syndic.run.local import open_runtime
from syndic.run.pipeline import poll
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article

from .test_pipeline import PARAGRAPHS, page, rss

REPEATED = "The council met on Tuesday and agreed nothing at all. " * 20


@pytest.fixture
def settings(make_settings: Any) -> Settings:
    return make_settings()  # type: ignore[no-any-return]


def _poll(settings: Settings, store: Store) -> Any:
    async def go() -> Any:
        async with open_runtime(settings, store=store, inline=True) as rt:
            return await poll(rt)

    return asyncio.run(go())


def test_a_short_repetitive_article_is_stored_and_the_rest_goes_on(
    any_store: Store, local_site: Any, settings: Settings
) -> None:
    """Reproduction: one sentence twenty times gave no band keys and crashed every poll (NOT NULL band_key)."""
    base = local_site.base_url
    local_site.serve("/feed.xml", rss(base, [("Council", "/council"), ("Council again", "/council-copy"),
                                             ("Breakwater", "/breakwater")]),
                     content_type="application/rss+xml")
    local_site.serve("/council", page("Council meets", [REPEATED]))
    local_site.serve("/council-copy", page("Council meets", [REPEATED]))  # an exact copy elsewhere
    local_site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    store_feeds.add_feed(any_store, local_site.url("/feed.xml"))

    report = _poll(settings, any_store)

    assert report.extracted == 3 and report.extract_errors == 0
    rows = {r.link: r for r in store_entries.list_entries(any_store)}
    council, copy = rows[local_site.url("/council")], rows[local_site.url("/council-copy")]
    assert {r.extract_state for r in rows.values()} == {"done"}
    article = store_articles.get_article(any_store, council.article_id)
    assert article is not None and "agreed nothing" in article.text
    # too short for near-duplicate sketches, but an exact copy is still the same story
    assert council.story_id == copy.story_id
    assert rows[local_site.url("/breakwater")].story_id != council.story_id


def test_an_empty_article_text_is_stored_alone(any_store: Store) -> None:
    """No text at all: no band keys, its own story, no crash."""
    article = Article(url="https://x.example/empty", title="Empty", html="", text="")
    first = store_articles.record_article(any_store, None, article, url_key=article.url)
    other = Article(url="https://x.example/empty2", title="Empty", html="", text="")
    second = store_articles.record_article(any_store, None, other, url_key=other.url)
    assert first.story_id != second.story_id


@pytest.mark.parametrize(
    ("headers", "body_extra"),
    [
        ({"Cache-Control": "max-age=99999999999999"}, ""),
        ({}, "<ttl>9999999999999</ttl>"),
        ({"Expires": "Fri, 31 Dec 9999 23:59:59 GMT"}, "<ttl>-4</ttl>"),
    ],
)
def test_huge_numbers_in_a_feed_are_clamped(
    any_store: Store, local_site: Any, settings: Settings, headers: dict[str, str], body_extra: str
) -> None:
    """Reproduction: Cache-Control max-age or <ttl> this large raised OverflowError in feeds/schedule.py."""
    base = local_site.base_url
    feed = rss(base, [("Breakwater", "/breakwater")]).replace(b"<description>News</description>",
                                                              f"<description>News</description>{body_extra}".encode())
    local_site.serve("/feed.xml", feed, content_type="application/rss+xml",
                     **{k.replace("-", "_"): v for k, v in headers.items()})
    local_site.serve("/breakwater", page("Breakwater to be rebuilt", PARAGRAPHS))
    feed_id = store_feeds.add_feed(any_store, local_site.url("/feed.xml"))

    report = _poll(settings, any_store)

    assert report.feed_errors == 0 and report.extracted == 1
    row = store_feeds.get_feed(any_store, feed_id)
    assert row is not None and row.state == "ok"
    assert row.next_check_at <= datetime.now(UTC) + timedelta(seconds=settings.max_poll_interval_s + 5)


def test_huge_retry_after_on_a_failing_feed_is_clamped(any_store: Store, local_site: Any, settings: Settings) -> None:
    local_site.serve("/busy.xml", b"later", status=503, content_type="text/plain", Retry_After="1e20")
    feed_id = store_feeds.add_feed(any_store, local_site.url("/busy.xml"))

    report = _poll(settings, any_store)

    assert report.feed_errors == 1
    row = store_feeds.get_feed(any_store, feed_id)
    assert row is not None and row.state == "error" and "503" in row.last_error
    assert row.next_check_at <= datetime.now(UTC) + timedelta(days=7, seconds=5)


def test_a_store_that_refuses_a_write_raises_a_syndic_error(sqlite_store: Store) -> None:
    """The store speaks syndic's error tree: StoreError, never a raw SQLAlchemy exception."""
    with sqlite_store.engine.begin() as connection:
        connection.execute(text(
            "CREATE TRIGGER refuse BEFORE INSERT ON articles BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        ))
    article = Article(url="https://x.example/a", title="A", html="<p>words</p>", text="words " * 40)
    with pytest.raises(StoreError, match="disk says no") as info:
        store_articles.record_article(sqlite_store, None, article, url_key=article.url)
    assert "INSERT" not in str(info.value)  # the reason, not the statement and its values
