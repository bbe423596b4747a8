"""The store's write path on generated articles and entries: stored, or a StoreError — nothing else.

Lone surrogates, NUL and other control characters, 10 MB texts, empty and
one-word texts, hostile URLs: each is what a feed or a page can hand the
store, and none may escape as a driver's exception (which would stop the
batch and print SQL with its values).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syndic.errors import StoreError
from syndic.store import Store
from syndic.store import articles as store_articles
from syndic.store import entries as store_entries
from syndic.store import feeds as store_feeds
from syndic.types import Article, ParsedEntry

from .strategies import dates, large_text, texts, urls

article_urls = st.one_of(urls, st.integers(0, 10**6).map(lambda n: f"https://example.com/{n}"))
when = st.one_of(st.none(), st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                         timezones=st.just(UTC)))


@pytest.fixture
def store(any_store: Store) -> Store:
    return any_store


@given(article_urls, texts, texts, texts, st.lists(texts, max_size=3), when)
def test_record_article_stores_or_raises_a_store_error(
    store: Store, url: str, title: str, html: str, text: str, authors: list[str], published: datetime | None
) -> None:
    article = Article(url=url or "https://example.com/", title=title, html=html, text=text,
                      authors=tuple(authors), published=published)
    try:
        recorded = store_articles.record_article(store, None, article, url_key=article.url)
    except StoreError as exc:
        assert "INSERT" not in str(exc) and "SELECT" not in str(exc)
        return
    stored = store_articles.get_article(store, recorded.article_id)
    assert stored is not None


@given(st.lists(st.builds(ParsedEntry, guid=st.one_of(st.none(), texts), link=st.one_of(st.none(), urls),
                          title=st.one_of(st.none(), texts), summary_html=st.one_of(st.none(), texts),
                          content_html=st.one_of(st.none(), texts), authors=st.lists(texts, max_size=2).map(tuple)),
                max_size=4), dates)
def test_upsert_entries_stores_or_raises_a_store_error(store: Store, parsed: list[ParsedEntry], _date: str) -> None:
    feed_id = store_feeds.add_feed(store, "https://example.com/feed.xml") if not store_feeds.list_feeds(store) \
        else int(store_feeds.list_feeds(store)[0].id)
    try:
        store_entries.upsert_entries(store, feed_id, parsed)
    except StoreError as exc:
        assert "INSERT" not in str(exc)


def test_a_10_mb_article_is_stored(sqlite_store: Store) -> None:
    text = large_text()
    article = Article(url="https://example.com/huge", title="Huge", html=f"<p>{text}</p>", text=text)
    recorded = store_articles.record_article(sqlite_store, None, article, url_key=article.url)
    assert recorded.is_new_article
